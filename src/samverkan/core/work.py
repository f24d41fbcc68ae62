"""What needs a person now ("Mitt arbete"): the work item, and the providers that give them.

Each capability knows what it asks of people; none of that lives here. A
capability writes a provider, ``work_items(user) -> list[WorkItem]`` in its own
``work.py``, and registers it in its ``AppConfig.ready()`` with
``samverkan.core.registry.register_work_provider``.

The start page asks every registered provider and shows the items, most
urgent first. What a provider must keep to:

- Only what this person can act on now, on agreements they may see (through
  ``samverkan.agreements.access``), never anything about other people's
  answers to anonymous surveys.
- A number of queries that does not grow with the number of agreements, rounds
  or versions: the page's query count is asserted for 3 and for 300 agreements.
- Texts in the active language (the page calls providers with it activated).

Core imports no capability: this is the "Mitt arbete" contribution point of
``samverkan.core.registry``, which collects the providers and sorts the items.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class WorkItem:
    """One thing a person should do, and where they do it."""

    kind: str  # "<app>.<what>", stable: for tests, styling and ordering ties
    label: str  # the kind in words, shown as a tag: "Approval", "Survey"
    title: str  # what to do: "Approve version 2 of the collaboration appendix"
    reason: str  # why it needs this person
    url: str  # where it is dealt with (a path in this installation)
    action: str  # the link's words: "Review and approve"
    agreement: str = ""  # the agreement it concerns ("DEMO-UTILITY Drift …"), "" when none
    due: datetime.date | None = None  # the last day it can be done, if there is one
    since: datetime.date | None = None  # when it started waiting, if that is what counts
    when: str = ""  # by when, in words, for items without a date ("Before the next version")
    details: tuple[str, ...] = field(default=())  # what exactly, a few short lines

    def sort_key(self) -> tuple[int, datetime.date, str, str]:
        """Deadlines first, soonest first; then what has waited longest; then the rest."""
        if self.due is not None:
            return (0, self.due, self.kind, self.title)
        if self.since is not None:
            return (1, self.since, self.kind, self.title)
        return (2, datetime.date.min, self.kind, self.title)


WorkProvider = Callable[["User"], list[WorkItem]]

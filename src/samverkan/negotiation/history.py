"""How the audit trail names a negotiation case's rows. They are audited against the case
(``case_id``), never the agreement, and described ``private``: no agreement's history
shows them or offers them as a kind of object."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from samverkan.agreements.history import describe
from samverkan.negotiation import models

# Bookkeeping, not content: never told.
PARTS = ("case", "position")


def register() -> None:
    describe(
        models.Case,
        the=gettext_lazy("the negotiation case “%(name)s”"),
        name_field="title",
        hidden=["created_by", "version"],
        private=True,
    )
    describe(
        models.Member, the=gettext_lazy("the case member %(name)s"), hidden=PARTS, private=True
    )
    describe(
        models.Interest,
        the=gettext_lazy("the interest “%(name)s”"),
        name_field="text",
        hidden=PARTS,
        private=True,
    )
    describe(
        models.Option,
        the=gettext_lazy("the option “%(name)s”"),
        name_field="name",
        hidden=PARTS,
        private=True,
    )
    describe(
        models.OptionScore,
        the=gettext_lazy("a score of an option"),
        hidden=["case", "option", "interest"],
        private=True,
    )
    describe(
        models.Goal,
        the=gettext_lazy("the negotiation goal “%(name)s”"),
        name_field="text",
        hidden=PARTS,
        private=True,
    )
    describe(
        models.GoalCheck,
        the=gettext_lazy("a check of an option"),
        hidden=["case", "option", "goal"],
        private=True,
    )
    describe(
        models.FallbackPlan,
        the=gettext_lazy("the plan B for “%(name)s”"),
        name_field="issue",
        hidden=PARTS,
        private=True,
    )
    describe(
        models.Action,
        the=gettext_lazy("the action “%(name)s”"),
        name_field="what",
        hidden=PARTS,
        private=True,
    )
    describe(
        models.Document,
        the=gettext_lazy("the document “%(name)s”"),
        name_field="name",
        hidden=[*PARTS, "file", "content_type", "uploaded_by"],
        private=True,
    )

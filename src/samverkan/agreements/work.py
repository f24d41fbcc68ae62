"""What agreements ask of a person on "Mitt arbete" (see ``core/work.py``): proposals to answer.

A proposal of an agreement to an organisation the person administers, not yet
answered (``access.proposals_to``): only its administrators may accept or decline
it, and nobody else of the organisation hears of it. One query, however many.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.access import proposals_to
from samverkan.core.work import WorkItem


def work_items(user: User) -> list[WorkItem]:
    items = []
    for agreement in proposals_to(user):
        asked = agreement.organisation_of(agreement.proposed_to).name
        proposer = agreement.organisation_of(agreement.proposing_side).name
        items.append(
            WorkItem(
                kind="agreements.proposal",
                label=_("Proposal"),
                title=_("Answer the proposed agreement from %(organisation)s")
                % {"organisation": proposer},
                reason=_(
                    "%(proposer)s proposes an agreement with %(asked)s. It becomes an "
                    "agreement of %(asked)s only if one of its administrators accepts it, and "
                    "you are one of them."
                )
                % {"proposer": proposer, "asked": asked},
                url=reverse("agreements:proposal", kwargs={"pk": agreement.pk}),
                action=_("Read and answer"),
                agreement=str(agreement),
                since=timezone.localdate(agreement.created_at),
            )
        )
    return items

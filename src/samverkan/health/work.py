"""What relationship health asks of a person on "Mitt arbete" (see ``core/work.py``).

- Their own survey link that they have not used, while the round takes answers.
  Only the person's own invitation is read: nothing here says whether anyone
  else has answered.
- A round closing soon on an agreement they own, while some of those invited
  have not answered: owners send the reminder and close the round. The figures
  are the counts the round's page already shows to everyone on the agreement.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.models import ParticipantRole
from samverkan.core.work import WorkItem
from samverkan.health import tokens
from samverkan.health.models import Invitation, Round

CLOSING_SOON_DAYS = 7  # a round closing within this many days is shown to its owners


def work_items(user: User) -> list[WorkItem]:
    return _unanswered(user) + _closing_soon(user)


def _unanswered(user: User) -> list[WorkItem]:
    today = timezone.localdate()
    invitations = Invitation.objects.filter(
        user=user,
        used=False,
        round__closed_at__isnull=True,
        round__closes_on__gte=today,
        round__agreement__in=visible_agreements(user),
    ).select_related("round__agreement")
    return [
        WorkItem(
            kind="health.survey",
            label=_("Survey"),
            title=_("Answer the survey “%(title)s”") % {"title": invitation.round.title},
            reason=_(
                "You are invited to the relationship health check and have not answered yet. "
                "Your answers are anonymous; the link is yours alone and can be used once."
            ),
            url=reverse("health_survey", kwargs={"token": tokens.token_for(invitation.nonce)}),
            action=_("Answer the survey"),
            agreement=str(invitation.round.agreement),
            due=invitation.round.closes_on,
        )
        for invitation in invitations
    ]


def _invitation_count(only_used: bool) -> Coalesce:
    rows = Invitation.objects.filter(round=OuterRef("pk"))
    if only_used:
        rows = rows.filter(used=True)
    counted = rows.order_by().values("round").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def rounds_closing_soon(user: User) -> QuerySet[Round]:
    """Open rounds closing within ``CLOSING_SOON_DAYS`` on agreements ``user`` owns, with counts.

    ``invited`` and ``answered`` are annotated; one query however many rounds.
    """
    today = timezone.localdate()
    owned = visible_agreements(user).filter(
        Q(participants__user=user, participants__role=ParticipantRole.OWNER)
    )
    return (
        Round.objects.filter(
            agreement__in=owned,
            closed_at__isnull=True,
            closes_on__gte=today,
            closes_on__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS),
        )
        .annotate(invited=_invitation_count(False), answered=_invitation_count(True))
        .select_related("agreement")
        .order_by("closes_on", "pk")
    )


def _closing_soon(user: User) -> list[WorkItem]:
    items = []
    for round in rounds_closing_soon(user):
        invited, answered = round.invited, round.answered  # type: ignore[attr-defined]
        if answered >= invited:
            continue  # everyone has answered: nobody to remind
        items.append(
            WorkItem(
                kind="health.round",
                label=_("Health round"),
                title=_("The round “%(title)s” closes soon") % {"title": round.title},
                reason=_(
                    "%(answered)s of %(invited)s invited have answered. You are an owner of "
                    "the agreement: you can send a reminder to those who have not."
                )
                % {"answered": answered, "invited": invited},
                url=reverse(
                    "health:round", kwargs={"pk": round.agreement_id, "number": round.number}
                ),
                action=_("See the round"),
                agreement=str(round.agreement),
                due=round.closes_on,
            )
        )
    return items

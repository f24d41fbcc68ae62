"""What accounts ask of a person on "Mitt arbete" (see ``core/work.py``): invitations to accept.

An invitation to join an organisation, sent to the person's e-mail address, not
yet accepted and not expired, to an organisation they are not already in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import Invitation, User
from samverkan.accounts.services import invitation_expires_at, invitation_path
from samverkan.core.work import WorkItem


def pending_invitations(user: User) -> QuerySet[Invitation]:
    """Open invitations addressed to ``user``'s e-mail address, oldest first (one query)."""
    earliest = timezone.now() - datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    return (
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True, created_at__gt=earliest
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation", "invited_by")
        .order_by("created_at", "pk")
    )


def work_items(user: User) -> list[WorkItem]:
    items = []
    for invitation in pending_invitations(user):
        if invitation.invited_by is not None:
            reason = _("%(person)s has invited you to join %(organisation)s as %(role)s.") % {
                "person": invitation.invited_by.get_full_name(),
                "organisation": invitation.organisation.name,
                "role": invitation.get_role_display().lower(),
            }
        else:
            reason = _("You are invited to join %(organisation)s as %(role)s.") % {
                "organisation": invitation.organisation.name,
                "role": invitation.get_role_display().lower(),
            }
        items.append(
            WorkItem(
                kind="accounts.invitation",
                label=_("Invitation"),
                title=_("Join %(organisation)s") % {"organisation": invitation.organisation.name},
                reason=reason,
                url=invitation_path(invitation),
                action=_("See the invitation"),
                due=timezone.localdate(invitation_expires_at(invitation)),
            )
        )
    return items

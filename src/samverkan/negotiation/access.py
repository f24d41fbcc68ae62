"""Who reaches a negotiation case: its members, and nobody else — not the counterparty,
not a third organisation, not an adviser who was not invited, not a colleague of the
owning organisation who was not added. Everyone else gets 404 for every URL, API
endpoint and export of the case, exactly as for a case that does not exist.

Built on the access module's vocabulary (``agreement_access`` for the agreement a case
is linked to), so that the facts from the relationship are shown only to members who
may see that agreement anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.accounts.models import Membership, OrganisationKind, User
from samverkan.agreements.access import AgreementAccess, agreement_access
from samverkan.negotiation.models import Case, Member

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    member: Member

    @property
    def is_owner(self) -> bool:
        return self.member.owner

    def agreement_access(self, user: User) -> AgreementAccess | None:
        """The person's access to the linked agreement, if any (None: no facts shown)."""
        if self.case.agreement is None:
            return None
        return agreement_access(user, self.case.agreement)


def cases_of(user: User) -> QuerySet[Case]:
    """The cases the person is a member of (and only those), newest first."""
    return (
        Case.objects.filter(members__user=user)
        .select_related("organisation", "agreement")
        .order_by("-created_at", "-pk")
    )


def case_for(user: User, pk: int, *, owner: bool = False) -> CaseAccess:
    """The case and the person's membership, or 404 for anyone not on the case; a member
    who is not an owner asking for an owner's action (``owner``) gets 403."""
    if not user.is_authenticated or not 0 < pk <= MAX_ID:
        raise Http404
    member = (
        Member.objects.filter(case_id=pk, user=user)
        .select_related("case__organisation", "case__agreement", "user")
        .first()
    )
    if member is None:
        raise Http404
    if owner and not member.owner:
        raise PermissionDenied(_("Only the case's owners add and remove its members."))
    return CaseAccess(case=member.case, member=member)


def may_join(user: User, case: Case) -> bool:
    """Whether the person may be added to the case: a member of the owning organisation,
    or a member of an adviser organisation (invited by the case's owner)."""
    memberships = Membership.objects.filter(user=user)
    return (
        memberships.filter(organisation=case.organisation).exists()
        or memberships.filter(organisation__kind=OrganisationKind.ADVISER).exists()
    )

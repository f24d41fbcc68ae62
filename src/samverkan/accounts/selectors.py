from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from samverkan.accounts.models import Membership, Organisation, User, org_number_normalised


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by(
        "user__full_name", "user__email"
    )


def organisation_with_number(org_number: str) -> Organisation | None:
    """The organisation with this organisation number (in any spelling), if any."""
    try:
        number = org_number_normalised(org_number)
    except ValidationError:
        return None
    return Organisation.objects.filter(org_number=number).first() if number else None

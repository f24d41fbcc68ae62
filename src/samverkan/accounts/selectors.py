from __future__ import annotations

from django.db.models import QuerySet

from samverkan.accounts.models import Membership, Organisation, User


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

"""Invitations on "Mitt arbete": the ones addressed to the person, open and unexpired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from samverkan.accounts.models import Invitation
from samverkan.accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
)
from samverkan.accounts.work import work_items
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The items' texts are read in English here (the Swedish is tested on the page)."""
    with translation.override("en"):
        yield


def _invite_karin(world: World) -> Invitation:
    """Karin (a member of the customer) invited to a sourcing adviser's organisation."""
    adviser = OrganisationFactory(name="Rådgivarna i Norr AB", kind="adviser")
    MembershipFactory(user=world.org_admin, organisation=adviser, role="admin")
    return invitation_create(
        organisation=adviser,
        email="KARIN@norrlandia.example",
        role="member",
        invited_by=world.org_admin,
    )


def _token(item_url: str) -> str:
    return item_url.rstrip("/").rsplit("/", 1)[1]


def test_a_pending_invitation_is_work_for_the_person_it_is_addressed_to(world: World) -> None:
    invitation = _invite_karin(world)
    [item] = work_items(world.customer_owner)
    assert item.kind == "accounts.invitation"
    assert "Rådgivarna i Norr AB" in item.title
    assert "Anders Berg" in item.reason
    assert item.due == timezone.localdate(invitation.created_at + timedelta(days=7))
    # The link is the invitation's own accept page.
    assert invitation_from_token(_token(item.url)) == invitation
    # Nobody else is asked.
    for other in (world.supplier_owner, world.org_admin, world.customer_colleague):
        assert work_items(other) == []


def test_an_accepted_invitation_is_no_longer_work(world: World) -> None:
    invitation = _invite_karin(world)
    invitation_accept(invitation=invitation, user=world.customer_owner)
    assert work_items(world.customer_owner) == []


def test_an_expired_invitation_is_no_longer_work(world: World, settings: Any) -> None:
    invitation = _invite_karin(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS, minutes=1)
    )
    assert work_items(world.customer_owner) == []


def test_a_fresh_link_to_an_expired_invitation_is_refused(world: World, settings: Any) -> None:
    """The start page signs a new link each time; the invitation must still expire on time."""
    invitation = _invite_karin(world)
    [item] = work_items(world.customer_owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS, minutes=1)
    )
    with translation.override("en"), pytest.raises(ValidationError, match="expired"):
        invitation_from_token(_token(item.url))

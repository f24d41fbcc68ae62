"""People, organisations, invitations and API tokens: the account services on real rows."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from samverkan.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from samverkan.accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_url,
    membership_remove,
    organisation_create,
    token_authenticate,
    token_create,
    token_revoke,
    user_set_language,
)
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Error messages are asserted in English; the product's default language is Swedish."""
    with translation.override("en"):
        yield


def _invite(
    world: World, email: str = "ny.person@norrlandia.example", role: str = "member"
) -> Invitation:
    return invitation_create(
        organisation=world.customer, email=email, role=role, invited_by=world.org_admin
    )


def _token_of(invitation: Invitation) -> str:
    return invitation_url(invitation).rstrip("/").rsplit("/", 1)[1]


# Organisations and memberships ---------------------------------------------------


def test_organisation_create_makes_the_given_person_admin(world: World) -> None:
    organisation = organisation_create(
        name=" Fjällbanken AB ", kind="customer", admin=world.customer_colleague
    )
    assert organisation.name == "Fjällbanken AB"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (world.customer_colleague, "admin")


def test_organisation_names_are_unique_case_insensitively(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        organisation_create(name="driftpartner NORDEN ab", kind="supplier")
    assert "name" in caught.value.message_dict
    assert Organisation.objects.filter(name__iexact="driftpartner norden ab").count() == 1


def test_organisation_kind_must_be_known(db: None) -> None:
    with pytest.raises(ValidationError):
        organisation_create(name="Rådgivarna AB", kind="government")


def test_last_admin_cannot_leave_the_organisation(world: World) -> None:
    admin = Membership.objects.get(user=world.org_admin, organisation=world.customer)
    with pytest.raises(ValidationError, match="at least one administrator"):
        membership_remove(membership=admin, actor=world.org_admin)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_member_can_be_removed(world: World) -> None:
    member = Membership.objects.get(user=world.customer_colleague, organisation=world.customer)
    membership_remove(membership=member, actor=world.org_admin)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_user_language_can_be_set_to_known_languages_only(world: World) -> None:
    user_set_language(user=world.supplier_viewer, language="en")
    assert User.objects.get(pk=world.supplier_viewer.pk).language == "en"
    with pytest.raises(ValidationError):
        user_set_language(user=world.supplier_viewer, language="fi")


# Invitations ---------------------------------------------------------------------


def test_invitation_is_mailed_with_a_link_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The link is signed with the current second: hold the clock so that the link
    # computed here is the one mailed, even when a second passes in between.
    with mock.patch("django.core.signing.time.time", return_value=1_790_000_000.0):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = _invite(world, email="  Ny.Person@Norrlandia.example ")
        assert invitation.email == "ny.person@norrlandia.example"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["ny.person@norrlandia.example"]
        assert invitation_url(invitation) in message.body
        assert "Norrlandia Försäkring AB" in message.subject


def test_invitation_mail_is_in_the_inviters_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.org_admin.language = "sv"
    world.org_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world)
    assert "Inbjudan" in mail.outbox[0].subject


def test_existing_member_cannot_be_invited_again(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _invite(world, email="LARS@norrlandia.example")
    assert "email" in caught.value.message_dict


def test_invitation_link_leads_back_to_the_invitation(world: World) -> None:
    invitation = _invite(world)
    assert invitation_from_token(_token_of(invitation)) == invitation


def test_tampered_invitation_link_is_refused(world: World) -> None:
    token = _token_of(_invite(world))
    tampered = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    with pytest.raises(ValidationError, match="not valid"):
        invitation_from_token(tampered)
    with pytest.raises(ValidationError, match="not valid"):
        invitation_from_token("not-a-token")


def test_link_for_another_address_is_refused(world: World) -> None:
    invitation = _invite(world)
    token = _token_of(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(email="someone.else@norrlandia.example")
    with pytest.raises(ValidationError, match="not valid"):
        invitation_from_token(token)


def test_expired_invitation_link_is_refused(world: World, settings: Any) -> None:
    invitation = _invite(world)
    signed_at = time.time() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS + 1).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        token = _token_of(invitation)
    with pytest.raises(ValidationError, match="expired"):
        invitation_from_token(token)


def test_invitation_link_within_its_lifetime_is_accepted(world: World, settings: Any) -> None:
    invitation = _invite(world)
    signed_at = time.time() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS - 1).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        token = _token_of(invitation)
    assert invitation_from_token(token) == invitation


def test_accepting_creates_the_account_and_membership(world: World) -> None:
    invitation = _invite(world, role="admin")
    user = invitation_accept(
        invitation=invitation, user=None, full_name="Nina Persson", password="ett-långt-lösen-42"
    )
    assert user.email == "ny.person@norrlandia.example"
    assert user.check_password("ett-långt-lösen-42")
    assert Membership.objects.get(user=user, organisation=world.customer).role == "admin"


def test_invitation_cannot_be_used_twice(world: World) -> None:
    invitation = _invite(world)
    token = _token_of(invitation)
    invitation_accept(
        invitation=invitation_from_token(token),
        user=None,
        full_name="Nina Persson",
        password="ett-långt-lösen-42",
    )
    with pytest.raises(ValidationError, match="already been used"):
        invitation_from_token(token)


def test_signed_in_person_accepts_invitation_to_their_address(world: World) -> None:
    invitation = invitation_create(
        organisation=world.supplier,
        email=world.customer_colleague.email,
        role="member",
        invited_by=world.supplier_owner,
    )
    invitation_accept(invitation=invitation, user=world.customer_colleague)
    assert Membership.objects.filter(
        user=world.customer_colleague, organisation=world.supplier
    ).exists()


def test_invitation_cannot_be_accepted_by_someone_else(world: World) -> None:
    invitation = _invite(world)
    with pytest.raises(ValidationError, match=r"was sent to ny\.person@norrlandia\.example"):
        invitation_accept(invitation=invitation, user=world.other_supplier_user)
    assert not Membership.objects.filter(
        user=world.other_supplier_user, organisation=world.customer
    ).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_existing_account_must_sign_in_to_accept(world: World) -> None:
    invitation = invitation_create(
        organisation=world.supplier,
        email=world.customer_colleague.email,
        role="member",
        invited_by=world.supplier_owner,
    )
    with pytest.raises(ValidationError, match="Sign in first"):
        invitation_accept(
            invitation=invitation, user=None, full_name="X", password="ett-långt-lösen-42"
        )


# API tokens --------------------------------------------------------------------


def test_token_create_stores_only_the_sha256_digest(world: World) -> None:
    token, raw = token_create(user=world.customer_owner, name=" KPI-import ")
    assert raw.startswith("svk_")
    assert len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.name == "KPI-import"
    assert stored.prefix == raw[:8]
    stored_text = " ".join(
        str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()
    )
    assert raw not in stored_text


def test_every_token_is_different(world: World) -> None:
    raws = {token_create(user=world.customer_owner, name="Skript")[1] for _ in range(5)}
    assert len(raws) == 5


def test_token_needs_a_name(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        token_create(user=world.customer_owner, name="   ")
    assert "name" in caught.value.message_dict
    assert not ApiToken.objects.exists()


def test_token_authenticates_its_user_and_records_use(world: World) -> None:
    token, raw = token_create(user=world.supplier_owner, name="Skript")
    assert token_authenticate(raw) == world.supplier_owner
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_token_use_is_recorded_at_most_every_few_minutes(world: World) -> None:
    token, raw = token_create(user=world.supplier_owner, name="Skript")
    recently = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recently
    long_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > long_ago  # type: ignore[operator]


def test_revoked_token_no_longer_authenticates(world: World) -> None:
    token, raw = token_create(user=world.supplier_owner, name="Skript")
    token_revoke(token=token)
    assert token_authenticate(raw) is None
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_revoking_twice_keeps_the_first_revocation_time(world: World) -> None:
    token, _raw = token_create(user=world.supplier_owner, name="Skript")
    token_revoke(token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    token_revoke(token=ApiToken.objects.get(pk=token.pk))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_unknown_or_deactivated_users_token_does_not_authenticate(world: World) -> None:
    _token, raw = token_create(user=world.supplier_owner, name="Skript")
    assert token_authenticate(raw + "x") is None
    assert token_authenticate("") is None
    world.supplier_owner.is_active = False
    world.supplier_owner.save()
    assert token_authenticate(raw) is None


def test_revoking_one_token_leaves_the_others_working(world: World) -> None:
    first, first_raw = token_create(user=world.supplier_owner, name="Ett")
    _second, second_raw = token_create(user=world.supplier_owner, name="Två")
    token_revoke(token=first)
    assert token_authenticate(first_raw) is None
    assert token_authenticate(second_raw) == world.supplier_owner

"""Company sign-in's rules on real rows: the provider's registration, the sealed secret, the
domains, who a provider's claims let in, and the e-mail-first sign-in page. The protocol
itself runs against a real provider in tests/e2e/test_company_signin_browser.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.company_signin import (
    SignInRefusedError,
    client_secret,
    company_member_for_claims,
    identity_provider_for_email,
    identity_provider_set,
    parse_domains,
)
from samverkan.accounts.models import IdentityProvider, Membership, Organisation, User
from samverkan.lib.sealing import SealBrokenError, seal, unseal
from tests.conftest import World
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

SECRET = "entra-client-secret-Qx7~9vLmN2"


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):  # the services' messages, read here in English
        yield


def _register(
    organisation: Organisation, *, domains: list[str], jit: bool = True
) -> IdentityProvider:
    return identity_provider_set(
        organisation=organisation,
        issuer="https://login.microsoftonline.com/0b1c2d3e/v2.0/",
        client_id="samverkan-app",
        client_secret=SECRET,
        domains=domains,
        create_members=jit,
    )


def _claims(email: str, **extra: Any) -> dict[str, Any]:
    return {"sub": "abc", "email": email, "email_verified": True, "name": "Nora Lund", **extra}


# Sealing ----------------------------------------------------------------------------------


def test_a_sealed_secret_opens_only_with_the_same_key_and_purpose() -> None:
    sealed = seal(SECRET, secret="k" * 50, purpose="a")
    assert SECRET not in sealed
    assert unseal(sealed, secret="k" * 50, purpose="a") == SECRET
    with pytest.raises(SealBrokenError):
        unseal(sealed, secret="j" * 50, purpose="a")
    with pytest.raises(SealBrokenError):
        unseal(sealed, secret="k" * 50, purpose="b")


# Registering a provider ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_client_secret_is_stored_sealed_and_kept_when_left_empty() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    provider = _register(nordkust, domains=["nordkust.example"])
    assert provider.issuer == "https://login.microsoftonline.com/0b1c2d3e/v2.0"
    assert SECRET not in provider.client_secret_sealed
    assert client_secret(provider) == SECRET
    changed_at = provider.client_secret_changed_at
    again = identity_provider_set(
        organisation=nordkust,
        issuer=provider.issuer,
        client_id="samverkan-app",
        client_secret="",
        domains=["nordkust.example", "nordkust.se"],
        create_members=False,
    )
    assert again.pk == provider.pk
    assert client_secret(again) == SECRET
    assert again.client_secret_changed_at == changed_at
    assert sorted(again.domains.values_list("domain", flat=True)) == [
        "nordkust.example",
        "nordkust.se",
    ]


@pytest.mark.django_db
def test_a_first_registration_needs_a_secret_an_https_issuer_and_a_domain() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    with pytest.raises(ValidationError) as caught:
        identity_provider_set(
            organisation=nordkust,
            issuer="http://login.nordkust.example",
            client_id="x",
            client_secret="",
            domains=[],
            create_members=False,
        )
    assert set(caught.value.message_dict) == {"issuer"}
    with pytest.raises(ValidationError) as caught:
        identity_provider_set(
            organisation=nordkust,
            issuer="https://login.nordkust.example",
            client_id="x",
            client_secret="",
            domains=["nordkust.example"],
            create_members=False,
        )
    assert set(caught.value.message_dict) == {"client_secret"}
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
def test_a_domain_belongs_to_one_organisation_only() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    molnbro = OrganisationFactory(name="Molnbro Digital AB")
    _register(nordkust, domains=["nordkust.example"])
    with pytest.raises(ValidationError) as caught:
        _register(molnbro, domains=["molnbro.example", "NORDKUST.example"])
    message = " ".join(caught.value.messages)
    assert "nordkust.example is already registered by another organisation" in message
    assert "Nordkust" not in message.replace("nordkust.example", "")  # the owner is not named
    assert not IdentityProvider.objects.filter(organisation=molnbro).exists()


@pytest.mark.django_db
def test_domains_are_read_from_free_text() -> None:
    assert parse_domains("@Nordkust.example\n nordkust.se, nordkust.example ;") == [
        "nordkust.example",
        "nordkust.se",
    ]
    assert parse_domains("bränslet.example") == ["xn--brnslet-6wa.example"]
    assert identity_provider_for_email("nora@BRÄNSLET.example") is None  # no row, no error
    with pytest.raises(ValidationError, match="not an e-mail domain"):
        parse_domains("nordkust")


# Who the provider's claims let in ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_person_is_created_just_in_time_as_a_member() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    provider = _register(nordkust, domains=["nordkust.example"])
    user = company_member_for_claims(provider=provider, claims=_claims("Nora@Nordkust.example"))
    assert user.email == "nora@nordkust.example"
    assert user.full_name == "Nora Lund"
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("organisation", "role")) == [(nordkust.pk, "member")]
    # The next time, the same account.
    assert (
        company_member_for_claims(provider=provider, claims=_claims("nora@nordkust.example"))
        == user
    )


@pytest.mark.django_db
def test_without_just_in_time_only_members_come_in() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    provider = _register(nordkust, domains=["nordkust.example"], jit=False)
    with pytest.raises(SignInRefusedError, match="not a member of Nordkust Energi AB"):
        company_member_for_claims(provider=provider, claims=_claims("nora@nordkust.example"))
    assert not User.objects.exists()
    member = UserFactory(email="lars@nordkust.example")
    MembershipFactory(user=member, organisation=nordkust)
    assert (
        company_member_for_claims(provider=provider, claims=_claims("lars@nordkust.example"))
        == member
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"email_verified": False}, "did not confirm that nora@nordkust.example is verified"),
        ({"email_verified": "false"}, "did not confirm"),
        ({"email_verified": None}, "did not confirm"),
        ({"email": ""}, "did not send an e-mail address"),
        ({"email": "nora@molnbro.example"}, "is not in a domain that Nordkust Energi AB has"),
    ],
)
def test_unverified_missing_or_foreign_addresses_are_refused(
    claims: dict[str, Any], message: str
) -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    provider = _register(nordkust, domains=["nordkust.example"])
    with pytest.raises(SignInRefusedError, match=message):
        company_member_for_claims(
            provider=provider, claims={**_claims("nora@nordkust.example"), **claims}
        )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_entra_ids_verified_domain_claim_counts_as_verified() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    provider = _register(nordkust, domains=["nordkust.example"])
    claims = {"sub": "x", "email": "nora@nordkust.example", "xms_edov": True}
    assert company_member_for_claims(provider=provider, claims=claims).email == claims["email"]


@pytest.mark.django_db
def test_an_account_of_another_organisation_is_never_taken_over() -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    molnbro = OrganisationFactory(name="Molnbro Digital AB")
    provider = _register(nordkust, domains=["nordkust.example"])
    karin = UserFactory(email="karin@nordkust.example")
    MembershipFactory(user=karin, organisation=molnbro)
    with pytest.raises(SignInRefusedError, match="belongs to another organisation"):
        company_member_for_claims(provider=provider, claims=_claims("karin@nordkust.example"))
    assert list(Membership.objects.filter(user=karin).values_list("organisation", flat=True)) == [
        molnbro.pk
    ]


# The sign-in page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sign_in_page_sends_a_registered_domain_to_its_provider(client: Client) -> None:
    nordkust = OrganisationFactory(name="Nordkust Energi AB")
    _register(nordkust, domains=["nordkust.example"])
    assert identity_provider_for_email("NORA@nordkust.example") is not None
    response = client.post(
        reverse("accounts:login") + "?next=/agreements/",
        {"username": "Nora@Nordkust.example", "password": "", "next": "/agreements/"},
    )
    assert response.status_code == 200
    assert b'http-equiv="refresh" content="0;url=/accounts/oidc/start/?next=%2Fagreements%2F"' in (
        response.content
    )
    assert client.session["samverkan_signin_organisation"] == nordkust.pk
    assert client.session["samverkan_signin_email"] == "nora@nordkust.example"


@pytest.mark.django_db
def test_other_addresses_are_asked_for_the_password(client: Client, world: World) -> None:
    response = client.post(reverse("accounts:login"), {"username": "karin@norrlandia.example"})
    assert response.status_code == 200
    assert response.context["ask_password"] is True
    assert response.context["form"].errors == {}
    response = client.post(
        reverse("accounts:login"), {"username": "karin@norrlandia.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# No secret in pages, logs or the audit trail ------------------------------------------------


@pytest.mark.django_db
def test_the_client_secret_appears_in_no_page_log_or_audit_entry(
    world: World, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = client_for(world.org_admin)
    url = reverse("accounts:organisation_sign_in", kwargs={"pk": world.customer.pk})
    form = {
        "issuer": "https://login.microsoftonline.com/0b1c2d3e/v2.0",
        "client_id": "samverkan-app",
        "client_secret": SECRET,
        "domains": "norrlandia.example",
        "create_members": "on",
    }
    response = admin.post(url, form, follow=True)
    assert response.status_code == 200
    assert "har sparats" in response.content.decode()
    # A refused save shows the form again: without the secret typed.
    form["domains"] = "inte en domän"
    refused = admin.post(url, form)
    assert refused.status_code == 200
    pages = response.content.decode() + refused.content.decode() + admin.get(url).content.decode()
    sealed = IdentityProvider.objects.get().client_secret_sealed
    audit = " ".join(
        str(entry.changes) + str(entry.additional_data) for entry in LogEntry.objects.all()
    )
    assert "login.microsoftonline.com" in audit  # the change is recorded ...
    for text in (pages, caplog.text, audit):
        assert SECRET not in text  # ... the secret is not, sealed or not
        assert sealed not in text

"""Company sign-in through a real OpenID Connect provider, in a real browser.

The provider is django-oauth-toolkit in its own process on loopback
(``tests/oidc_provider``), with an RSA key made for the run; Samverkan discovers
it, sends the browser there, and verifies its signed ID tokens with
mozilla-django-oidc. Nothing here is mocked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from auditlog.models import LogEntry
from playwright.sync_api import Page, expect

from samverkan.accounts.company_signin import identity_provider_set
from samverkan.accounts.models import Membership, Organisation, User
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider.server import (
    EXPIRED,
    GOOD_CLIENT,
    OTHER_CLIENT,
    WRONG_AUDIENCE,
    WRONG_SIGNATURE,
    Provider,
    running_provider,
)

pytestmark = pytest.mark.browser

IDP_PASSWORD = "idp-lösen-2026"
# The provider's people: (username, e-mail at the provider, name, verified or not).
PEOPLE = [
    ("nora", "nora@nordkust.example", "Nora Lund", True),
    ("anders", "anders@nordkust.example", "Anders Berg", True),
    ("karin", "karin@nordkust.example", "Karin Lindqvist", True),
    ("eva", "eva@nordkust.example", "Eva Holm", True),
    ("ulf", "ulf@nordkust.example", "Ulf Sjö", False),
]


@pytest.fixture(scope="session")
def identity_provider(live_server: Any) -> Iterator[Provider]:
    people = [
        {
            "username": username,
            "password": IDP_PASSWORD,
            "email": email,
            "first_name": name,
            "last_name": "" if verified else "unverified",
        }
        for username, email, name, verified in PEOPLE
    ]
    with running_provider(
        redirect_uris=[f"{live_server.url}/accounts/oidc/callback/"], people=people
    ) as provider:
        yield provider


def _company(name: str, kind: str = "customer") -> Organisation:
    return OrganisationFactory(name=name, kind=kind)  # type: ignore[no-any-return]


def _register(organisation: Organisation, provider: Provider, client_id: str, domain: str) -> None:
    identity_provider_set(
        organisation=organisation,
        issuer=provider.issuer,
        client_id=client_id,
        client_secret=provider.client_secret,
        domains=[domain],
        create_members=True,
    )


def _type_email(page: Page, base: str, email: str, path: str = "/agreements/") -> None:
    page.goto(f"{base}{path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-postadress").fill(email)
    page.get_by_role("button", name="Logga in").click()


def _at_provider(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", name="Company identity provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def _sign_out(page: Page, name: str) -> None:
    page.locator(".navbar .dropdown-toggle", has_text=name).click()
    page.get_by_role("button", name="Logga ut").click()
    # After a company sign-in, by way of the provider's end-session page.
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def _error(page: Page) -> Any:
    return page.locator(".alert-danger")


def test_admin_registers_the_provider_and_a_new_member_is_created_just_in_time(
    page: Page,
    live_server: Any,
    transactional_db: None,
    identity_provider: Provider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything the app logs, the code exchange included
    base = live_server.url
    nordkust = _company("Nordkust Energi AB")
    anders = UserFactory(email="anders@nordkust.example", full_name="Anders Berg")
    MembershipFactory(user=anders, organisation=nordkust, role="admin")

    # The administrator signs in with a password: the e-mail first, then the password.
    _type_email(page, base, "anders@nordkust.example")
    expect(page.get_by_text("Ange ditt lösenord för att logga in.")).to_be_visible()
    expect(page.get_by_label("E-postadress")).to_have_value("anders@nordkust.example")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/agreements/$"))

    # The organisation's page leads to its company sign-in.
    page.goto(f"{base}/accounts/organisations/{nordkust.pk}/")
    page.get_by_role("link", name="Företagsinloggning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinloggning")
    redirect_uri = page.get_by_label("Omdirigerings-URI").input_value()
    assert redirect_uri == f"{base}/accounts/oidc/callback/"

    # Nothing filled in: every required field is pointed out.
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".sv-error-summary")).to_be_visible()

    # A bad domain and a plain-http issuer elsewhere than loopback are refused, input kept.
    page.get_by_label("Utfärdarens URL").fill("http://login.nordkust.example/")
    page.get_by_label("Klient-id").fill(GOOD_CLIENT)
    page.get_by_label("Klienthemlighet").fill(identity_provider.client_secret)
    page.get_by_label("E-postdomäner").fill("nordkust.example\nnot a domain")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#id_issuer_error")).to_have_text(
        "Utfärdaren måste vara en https://-adress."
    )
    expect(page.locator("#id_domains_error")).to_have_text("”not” är ingen e-postdomän.")
    expect(page.get_by_label("Klient-id")).to_have_value(GOOD_CLIENT)
    page.get_by_label("Utfärdarens URL").fill(identity_provider.issuer)
    page.get_by_label("Klienthemlighet").fill(identity_provider.client_secret)
    page.get_by_label("E-postdomäner").fill("@Nordkust.example")
    page.get_by_label("Klienthemlighet").fill(identity_provider.client_secret)
    page.get_by_label("Skapa konton vid första inloggningen").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("har sparats")
    expect(page.get_by_label("E-postdomäner")).to_have_value("nordkust.example")
    expect(page.get_by_label("Klienthemlighet")).to_have_value("")
    expect(page.locator("#id_client_secret_helptext")).to_contain_text("En hemlighet är sparad")
    assert identity_provider.client_secret not in page.content()
    _sign_out(page, "Anders Berg")

    # A new person of the domain: sent to the company's provider, created just in time as a
    # member of Nordkust, and back on the agreement list.
    _type_email(page, base, "Nora@Nordkust.example")
    _at_provider(page, "nora")
    expect(page).to_have_url(re.compile(r"/agreements/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    page.locator(".navbar .dropdown-toggle", has_text="Organisationer").click()
    expect(page.get_by_role("link", name="Nordkust Energi AB")).to_be_visible()
    nora = User.objects.get(email="nora@nordkust.example")
    assert nora.full_name == "Nora Lund"
    assert not nora.has_usable_password()
    assert list(Membership.objects.filter(user=nora).values_list("organisation", "role")) == [
        (nordkust.pk, "member")
    ]

    # Signing out ends the provider's session too: the next sign-in asks there again.
    _sign_out(page, "Nora Lund")
    _type_email(page, base, "nora@nordkust.example")
    _at_provider(page, "nora")
    expect(page).to_have_url(re.compile(r"/agreements/$"))
    _sign_out(page, "Nora Lund")

    # The administrator now signs in through the provider too (matched to his account), and
    # turns company sign-in off: the domain's people get the password field again.
    _type_email(
        page,
        base,
        "anders@nordkust.example",
        path=f"/accounts/organisations/{nordkust.pk}/sign-in/",
    )
    _at_provider(page, "anders")
    expect(page.get_by_role("heading", level=1)).to_have_text("Företagsinloggning")
    page.get_by_role("button", name="Stäng av företagsinloggningen").click()
    expect(page.get_by_role("status").first).to_contain_text("Företagsinloggningen är avstängd")
    expect(page.get_by_label("Utfärdarens URL")).to_have_value("")
    _sign_out(page, "Anders Berg")
    _type_email(page, base, "nora@nordkust.example")
    expect(page.get_by_text("Ange ditt lösenord för att logga in.")).to_be_visible()
    assert User.objects.count() == 2

    # The client secret is in no log line and no audit entry (the change of the
    # configuration is recorded).
    audit = " ".join(str(entry.changes) for entry in LogEntry.objects.all())
    assert identity_provider.issuer in audit
    assert "openid-configuration" in caplog.text or "/o/token/" in caplog.text
    for text in (caplog.text, audit):
        assert identity_provider.client_secret not in text


def test_a_person_never_ends_up_in_another_organisation(
    page: Page, live_server: Any, transactional_db: None, identity_provider: Provider
) -> None:
    base = live_server.url
    nordkust = _company("Nordkust Energi AB")
    molnbro = _company("Molnbro Digital AB", kind="supplier")
    _register(nordkust, identity_provider, GOOD_CLIENT, "nordkust.example")
    _register(molnbro, identity_provider, OTHER_CLIENT, "molnbro.example")
    # Karin's account belongs to Molnbro, although her address is in Nordkust's domain.
    karin = UserFactory(email="karin@nordkust.example", full_name="Karin Lindqvist")
    MembershipFactory(user=karin, organisation=molnbro)

    # Through Nordkust's provider: refused, not moved or added to Nordkust.
    _type_email(page, base, "karin@nordkust.example")
    _at_provider(page, "karin")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(_error(page)).to_contain_text(
        "Kontot karin@nordkust.example hör till en annan organisation i Samverkan"
    )
    assert list(Membership.objects.filter(user=karin).values_list("organisation", flat=True)) == [
        molnbro.pk
    ]

    # Eva, of Nordkust's domain, through Molnbro's provider (she typed a Molnbro address):
    # Molnbro's provider cannot vouch for Nordkust's domain. Nothing created.
    page.context.clear_cookies()
    _type_email(page, base, "eva@molnbro.example")
    _at_provider(page, "eva")
    expect(_error(page)).to_contain_text(
        "eva@nordkust.example hör inte till någon domän som Molnbro Digital AB har registrerat"
    )
    assert not User.objects.filter(email="eva@nordkust.example").exists()

    # An address the provider has not verified is refused.
    page.context.clear_cookies()
    _type_email(page, base, "ulf@nordkust.example")
    _at_provider(page, "ulf")
    expect(_error(page)).to_contain_text("inte bekräftat att ulf@nordkust.example är verifierad")
    assert not User.objects.filter(email="ulf@nordkust.example").exists()
    assert Membership.objects.filter(organisation=nordkust).count() == 0


@pytest.mark.parametrize(
    ("client_id", "reason"),
    [
        (WRONG_SIGNATURE, "identitetstokens signatur stämmer inte med leverantörens nycklar"),
        (WRONG_AUDIENCE, "identitetstoken utfärdades till en annan tillämpning"),
        (EXPIRED, "identitetstoken har gått ut"),
    ],
)
def test_a_tampered_id_token_is_refused_and_nothing_is_created(
    page: Page,
    live_server: Any,
    transactional_db: None,
    identity_provider: Provider,
    client_id: str,
    reason: str,
) -> None:
    base = live_server.url
    nordkust = _company("Nordkust Energi AB")
    _register(nordkust, identity_provider, client_id, "nordkust.example")

    _type_email(page, base, "nora@nordkust.example")
    _at_provider(page, "nora")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(_error(page)).to_contain_text("Inloggningen via Nordkust Energi AB nekades")
    expect(_error(page)).to_contain_text(reason)
    assert not User.objects.filter(email="nora@nordkust.example").exists()
    assert Membership.objects.count() == 0
    # Not signed in: the agreement list still asks for sign-in.
    page.goto(f"{base}/agreements/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

"""Passkeys in a real browser, with Chromium's virtual authenticator (a platform passkey
with fingerprint-like user verification): register and name one, sign out, sign in with
the password and complete the second step with the passkey, then remove it; in Swedish,
under the page guard (no script the Content-Security-Policy blocks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def relying_party(settings: Any, live_server: Any) -> Iterator[str]:
    """Passkeys belong to the live server's host (a name, as WebAuthn refuses IP addresses)."""
    parts = urlsplit(live_server.url)
    base = f"http://localhost:{parts.port}"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    yield base


def _virtual_authenticator(page: Page, *, verified: bool = True) -> tuple[Any, str]:
    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    added = client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": verified,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return client, added["authenticatorId"]


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/agreements/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_a_passkey_is_registered_used_as_the_second_step_and_removed(
    page: Page, live_world: Any, relying_party: str
) -> None:
    base, world = relying_party, live_world
    person = world.customer_owner
    _virtual_authenticator(page)

    _sign_in(page, base, person.email)
    expect(page).to_have_url(re.compile(r"/agreements/$"))
    page.goto(f"{base}/accounts/two-factor/")
    passkeys = page.locator("#passkeys")
    expect(passkeys.get_by_role("heading", name="Lösennycklar")).to_be_visible()
    passkeys.get_by_label("Namn på den nya lösennyckeln").fill("Laptopen")
    passkeys.get_by_role("button", name="Lägg till en lösennyckel").click()
    expect(page.get_by_role("status").first).to_contain_text("Lösennyckeln ”Laptopen” är klar")
    expect(passkeys.get_by_text("Laptopen", exact=True)).to_be_visible()
    expect(passkeys).to_contain_text("inte använd än")
    assert WebAuthnCredential.objects.get(user=person).name == "Laptopen"

    # Signed out and in again: the password, then the passkey instead of a code.
    page.locator(".navbar .dropdown-toggle", has_text=person.full_name).click()
    page.get_by_role("button", name="Logga ut").click()
    _sign_in(page, base, person.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.get_by_role("textbox", name="Kod")).to_be_visible()  # beside the code field
    page.get_by_role("button", name="Använd en lösennyckel").click()
    expect(page).to_have_url(re.compile(r"/agreements/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{base}/accounts/two-factor/")
    expect(passkeys).to_contain_text("senast använd")
    passkeys.get_by_text("Ta bort", exact=True).click()  # opens the confirmation
    expect(passkeys).to_contain_text("Ta bort lösennyckeln ”Laptopen”?")
    passkeys.get_by_role("button", name="Ja, ta bort ”Laptopen”").click()
    expect(page.get_by_role("status").first).to_contain_text("Lösennyckeln är borttagen")
    expect(passkeys.get_by_text("Laptopen", exact=True)).to_have_count(0)
    assert not WebAuthnCredential.objects.filter(user=person).exists()


def test_a_passkey_that_looks_cloned_is_refused_at_the_second_step(
    page: Page, live_world: Any, relying_party: str
) -> None:
    base, world = relying_party, live_world
    person = world.customer_owner
    client, authenticator = _virtual_authenticator(page)

    _sign_in(page, base, person.email)
    page.goto(f"{base}/accounts/two-factor/")
    page.get_by_label("Namn på den nya lösennyckeln").fill("Mobilen")
    page.get_by_role("button", name="Lägg till en lösennyckel").click()
    expect(page.locator("#passkeys").get_by_text("Mobilen", exact=True)).to_be_visible()
    # The server has counted more uses than the authenticator: a cloned key, for WebAuthn.
    WebAuthnCredential.objects.filter(user=person).update(sign_count=1_000_000)

    page.locator(".navbar .dropdown-toggle", has_text=person.full_name).click()
    page.get_by_role("button", name="Logga ut").click()
    _sign_in(page, base, person.email)
    page.get_by_role("button", name="Använd en lösennyckel").click()
    expect(page.locator("#passkey-verification-status-message")).to_contain_text(
        "Lösennyckeln godtogs inte"
    )
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    # Counted by django-axes as a wrong code is.
    assert AccessAttempt.objects.get(username=person.email).failures_since_start == 1
    page.goto(f"{base}/agreements/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    client.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})

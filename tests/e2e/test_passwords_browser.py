"""Passwords in a real browser: a forgotten one reset through the e-mailed link, and a change
from the profile, every link and button of those pages used, in Swedish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import caches
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

KARIN = "karin@norrlandia.example"
NEW_PASSWORD = "Ny-fras för hösten 2026"


@pytest.fixture(autouse=True)
def _no_counted_requests() -> None:
    caches["throttle"].clear()


def _heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


def _sign_in(page: Page, base: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(KARIN)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_forgotten_password_reset_through_the_emailed_link(
    page: Page, live_server: Any, live_world: Any, settings: Any
) -> None:
    base = settings.SAMVERKAN_BASE_URL = live_server.url  # the e-mailed link points here

    # From the sign-in page to the request form, back, and there again.
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(_heading(page)).to_have_text("Glömt lösenord")
    page.get_by_role("link", name="Tillbaka till inloggningen").click()
    expect(_heading(page)).to_have_text("Logga in i Samverkan")
    page.get_by_role("link", name="Glömt lösenordet?").click()

    # A malformed address is pointed out; a real one gets the neutral answer.
    page.get_by_label("E-postadress").fill("karin.norrlandia")
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.locator(".sv-error-summary")).to_be_visible()
    assert mail.outbox == []
    page.get_by_label("E-postadress").fill(KARIN.upper())
    page.get_by_role("button", name="Skicka länken").click()
    expect(_heading(page)).to_have_text("Titta i din e-post")
    expect(page.get_by_text("Om det finns ett konto med den adressen")).to_contain_text("1 timme")
    page.get_by_role("link", name="Be om en ny länk").click()
    expect(_heading(page)).to_have_text("Glömt lösenord")
    page.go_back()
    expect(_heading(page)).to_have_text("Titta i din e-post")

    (message,) = mail.outbox
    assert message.to == [KARIN]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body)
    assert link and link.group(0).startswith(base)

    # The link opens the form for Karin's account; the new password must be repeated and good.
    page.goto(link.group(0))
    expect(_heading(page)).to_have_text("Välj ett nytt lösenord")
    expect(page.get_by_text("För kontot karin@norrlandia.example.")).to_be_visible()
    assert "/set-password/" in page.url  # the token left the address bar
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    expect(page.locator(".sv-error-summary")).to_be_visible()
    page.get_by_label("Nytt lösenord").fill("12345678")
    page.get_by_label("Upprepa det nya lösenordet").fill("12345678")
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    expect(page.locator(".sv-error-summary")).to_contain_text("för vanligt")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_contain_text("Ditt nya lösenord är sparat")

    # The link works once: used again it says so and offers a new one.
    page.goto(link.group(0))
    expect(_heading(page)).to_have_text("Länken kan inte användas")
    page.get_by_role("link", name="Be om en ny länk").click()
    expect(_heading(page)).to_have_text("Glömt lösenord")
    page.goto(link.group(0))
    page.get_by_role("link", name="Tillbaka till inloggningen").click()
    expect(_heading(page)).to_have_text("Logga in i Samverkan")

    # The old password is refused, the new one lets Karin in.
    _sign_in(page, base, PASSWORD)
    expect(page.locator(".sv-error-summary")).to_be_visible()
    _sign_in(page, base, NEW_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_change_password_from_the_profile(page: Page, live_server: Any, live_world: Any) -> None:
    base = live_server.url
    _sign_in(page, base, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The user menu leads to the profile, which links to the change; Avbryt goes back.
    page.get_by_role("button", name="Karin Lindqvist").click()
    page.get_by_role("link", name="Profil").click()
    expect(_heading(page)).to_have_text("Profil")
    page.get_by_role("main").get_by_role("link", name="Byt lösenord").click()
    expect(_heading(page)).to_have_text("Byt lösenord")
    page.get_by_role("link", name="Avbryt").click()
    expect(_heading(page)).to_have_text("Profil")
    page.get_by_role("main").get_by_role("link", name="Byt lösenord").click()

    # A wrong current password and a mismatch are refused, with the reason.
    page.get_by_label("Nuvarande lösenord").fill("gissat")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Byt lösenord").click()
    expect(page.locator(".sv-error-summary")).to_contain_text("gamla lösenord")
    page.get_by_label("Nuvarande lösenord").fill(PASSWORD)
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill("något annat")
    page.get_by_role("button", name="Byt lösenord").click()
    expect(page.locator(".sv-error-summary")).to_contain_text("stämmer inte")

    # The change: still signed in, on the profile, with a message that can be closed.
    page.get_by_label("Nuvarande lösenord").fill(PASSWORD)
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Upprepa det nya lösenordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Byt lösenord").click()
    expect(_heading(page)).to_have_text("Profil")
    status = page.get_by_role("status").filter(has_text="Ditt lösenord har bytts.")
    expect(status).to_be_visible()
    status.get_by_role("button", name="Stäng").click()
    expect(status).to_be_hidden()

    # The user menu's own link to the change, and Avbryt from there.
    page.get_by_role("button", name="Karin Lindqvist").click()
    page.get_by_role("navigation").get_by_role("link", name="Byt lösenord").click()
    expect(_heading(page)).to_have_text("Byt lösenord")
    page.get_by_role("link", name="Avbryt").click()
    expect(_heading(page)).to_have_text("Profil")

    # Signed out, the old password is refused and the new one works.
    page.get_by_role("button", name="Karin Lindqvist").click()
    page.get_by_role("button", name="Logga ut").click()
    _sign_in(page, base, PASSWORD)
    expect(page.locator(".sv-error-summary")).to_be_visible()
    _sign_in(page, base, NEW_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

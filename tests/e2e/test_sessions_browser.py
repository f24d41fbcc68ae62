"""Where one is signed in, in a real browser: two browsers of the same person, the profile's
list, signing out everywhere else, a token revoked and this browser's session ended — every
control of the profile's sessions and tokens, in Swedish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.accounts.services import token_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_person_sees_and_ends_their_sessions_and_tokens(
    page: Page, browser: Any, live_server: Any, live_world: Any
) -> None:
    base = live_server.url
    karin = live_world.customer_owner
    token_create(user=karin, name="KPI-import")
    other = browser.new_context(locale="sv-SE", user_agent="Mozilla/5.0 (iPhone) Safari/605.1")
    phone = other.new_page()
    try:
        _sign_in(phone, base, karin.email)
        _sign_in(page, base, karin.email)

        page.goto(f"{base}/accounts/profile/")
        sessions = page.locator("#sessions tbody tr")
        expect(sessions).to_have_count(2)
        expect(sessions.filter(has_text="Den här webbläsaren")).to_have_count(1)
        expect(sessions.filter(has_text="Safari · iPhone")).to_have_count(1)
        expect(page.locator("#tokens tbody tr")).to_have_text([re.compile("KPI-import")])

        page.get_by_role("button", name="Logga ut överallt annars").click()
        expect(page.get_by_role("status").first).to_contain_text("1 annan session har loggats ut")
        expect(page.locator("#sessions tbody tr")).to_have_count(1)
        phone.goto(f"{base}/agreements/")
        expect(phone).to_have_url(re.compile(r"/accounts/login/"))

        page.get_by_role("button", name="Spärra KPI-import").click()
        expect(page.get_by_role("status").first).to_contain_text("KPI-import")
        expect(page.locator("#tokens tbody tr")).to_have_text(["Du har inga nycklar."])

        page.locator("#sessions").get_by_role("button", name=re.compile("^Avsluta")).click()
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))
        page.goto(f"{base}/agreements/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    finally:
        other.close()

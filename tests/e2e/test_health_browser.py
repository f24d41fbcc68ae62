"""A health-check round from opening to results, answered through the personal links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_agreements_browser import sign_in
from tests.health.conftest import invite_people

pytestmark = pytest.mark.browser


def _answer(browser: Browser, link: str, score: str, comment: str) -> None:
    """Open a personal link in a fresh, signed-out browser and answer as an invitee would."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Hälsokontroll hösten 2026")
        first = page.locator("fieldset.sv-item").first
        first.get_by_text(score, exact=True).click()
        expect(page.get_by_text("Besvarade påståenden: 1 av 68")).to_be_visible()
        # The rest of the statements: the same score, as a respondent in a hurry would.
        page.eval_on_selector_all(
            f"fieldset.sv-item input[type=radio][value='{score}']",
            "inputs => inputs.forEach(input => { input.checked = true; })",
        )
        page.locator("fieldset.sv-item", has=page.locator("input[name=recommend]")).get_by_text(
            "8", exact=True
        ).click()
        page.get_by_label("Vad fungerar bra i samarbetet i dag?").fill(comment)
        page.get_by_role("button", name="Skicka mina svar").click()
        expect(page.get_by_role("status")).to_contain_text("Tack!")
        page.goto(link)
        expect(page.get_by_role("status")).to_contain_text("redan använts")
    finally:
        context.close()


def test_a_round_answered_through_personal_links_shows_a_side_from_three(
    live_world: Any, live_server: Any, page: Page, browser: Browser, settings: Any
) -> None:
    world = live_world
    settings.SAMVERKAN_BASE_URL = live_server.url  # the links in the e-mails
    invite_people(world.agreement, "customer", 2)
    invite_people(world.agreement, "supplier", 1)
    sign_in(page, live_server.url, world.customer_owner.email)
    page.goto(f"{live_server.url}/agreements/{world.agreement.pk}/")
    page.get_by_role("link", name="Relationshälsa", exact=True).click()
    page.get_by_role("link", name="Starta en omgång").click()
    page.get_by_label("Titel").fill("Hälsokontroll hösten 2026")
    page.get_by_label("Visa resultat medan omgången pågår").check()
    mail.outbox.clear()
    page.get_by_role("button", name="Starta omgången och skicka länkarna").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "6 personer har fått en personlig länk"
    )
    links = {
        message.to[0]: re.search(r"http://\S+/survey/\S+/", message.body).group(0)  # type: ignore[union-attr]
        for message in mail.outbox
    }
    assert len(links) == 6
    customer = [email for email in links if "kund" in email or "norrlandia" in email]
    supplier = [email for email in links if email not in customer]
    for email in customer:
        _answer(browser, links[email], "4", "Tydliga styrgruppsmöten")
    for email in supplier[:2]:
        _answer(browser, links[email], "2", "Snabba beslut")

    page.reload()
    expect(page.get_by_test_id("figures-customer")).to_contain_text("4,0")
    expect(page.get_by_test_id("withheld-supplier")).to_contain_text(
        "2 personer har svarat. Siffror visas först när minst 3 har svarat"
    )
    expect(page.get_by_test_id("figures-supplier")).to_have_count(0)

    _answer(browser, links[supplier[2]], "2", "Bra samarbete i projekten")
    page.reload()
    expect(page.get_by_test_id("figures-supplier")).to_contain_text("2,0")
    expect(page.get_by_test_id("withheld-supplier")).to_have_count(0)
    expect(page.locator("tr[data-dimension=samarbete]")).to_contain_text("+2,0")
    page.get_by_role("button", name="Avsluta omgången nu").click()
    expect(page.get_by_role("status").first).to_contain_text("Omgången är avslutad")
    expect(page.get_by_text("Tydliga styrgruppsmöten").first).to_be_visible()

"""A health-check round from opening to results, answered through the personal links."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from samverkan.agreements.models import Participant
from samverkan.health import services
from tests.e2e.test_agreements_browser import sign_in
from tests.health.conftest import answer, enough_people, invite_people

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
        expect(page.get_by_text(re.compile(r"Besvarade påståenden: 1 av 6[89]"))).to_be_visible()
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
    invite_people(world.agreement, "customer", 3)  # four on each side: one more than three
    invite_people(world.agreement, "supplier", 2)
    sign_in(page, live_server.url, world.customer_owner.email)
    page.goto(f"{live_server.url}/agreements/{world.agreement.pk}/")
    page.get_by_role("link", name="Relationshälsa", exact=True).click()
    page.get_by_role("link", name="Starta en omgång").click()
    page.get_by_label("Titel").fill("Hälsokontroll hösten 2026")
    page.get_by_label("Sista svarsdag").fill(
        (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
    )
    page.get_by_label("Visa resultat medan omgången pågår").check()
    mail.outbox.clear()
    # Three asked on a side with the smallest group at three: refused, and why is said.
    asked = page.get_by_role("group", name="Vilka som tillfrågas")
    expect(asked.get_by_role("checkbox")).to_have_count(8)
    asked.get_by_role("checkbox").first.uncheck()
    page.get_by_role("button", name="Starta omgången och skicka länkarna").click()
    expect(asked.locator(".invalid-feedback")).to_contain_text(
        "Fråga minst 4 personer hos Norrlandia Försäkring AB (nu 3)"
    )
    expect(page.get_by_label("Titel")).to_have_value("Hälsokontroll hösten 2026")
    # Everyone asked, but the smallest group raised to four: four on a side are too few.
    asked.get_by_role("checkbox").first.check()
    page.get_by_label("Minsta antal svarande för att visa siffror").fill("4")
    page.get_by_role("button", name="Starta omgången och skicka länkarna").click()
    expect(asked.locator(".invalid-feedback")).to_contain_text(
        "Fråga minst 5 personer hos Norrlandia Försäkring AB (nu 4)"
    )
    page.get_by_label("Minsta antal svarande för att visa siffror").fill("3")
    page.get_by_label("Egna påståenden").fill("Vi firar framgångar tillsammans.")
    page.get_by_role("button", name="Starta omgången och skicka länkarna").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "8 personer har fått en personlig länk"
    )
    links = {
        message.to[0]: re.search(r"http://\S+/survey/\S+/", message.body).group(0)  # type: ignore[union-attr]
        for message in mail.outbox
    }
    assert len(links) == 8
    customer = [email for email in links if "kund" in email or "norrlandia" in email]
    supplier = [email for email in links if email not in customer]
    for email in customer[:3]:
        _answer(browser, links[email], "4", "Tydliga styrgruppsmöten")
    for email in supplier[:2]:
        _answer(browser, links[email], "2", "Snabba beslut")

    page.reload()
    expect(page.get_by_test_id("figures-customer")).to_contain_text("4,0")
    expect(page.get_by_test_id("withheld-supplier")).to_contain_text(
        "2 personer har svarat. Siffror visas först när minst 3 har svarat"
    )
    expect(page.get_by_test_id("figures-supplier")).to_have_count(0)

    # Reminding asks first; going back from the question changes nothing.
    page.get_by_role("link", name="Skicka en påminnelse").click()
    expect(page.get_by_role("heading", name="Skicka en påminnelse?")).to_be_visible()
    expect(page.get_by_text("3 personer som inte har svarat")).to_be_visible()
    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_role("heading", name="Hälsokontroll hösten 2026")).to_be_visible()
    mail.outbox.clear()
    page.get_by_role("link", name="Skicka en påminnelse").click()
    page.get_by_role("button", name="Skicka påminnelsen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "En påminnelse skickas till de 3 personer"
    )
    _answer(browser, links[supplier[2]], "2", "Bra samarbete i projekten")
    page.reload()
    expect(page.get_by_test_id("figures-supplier")).to_contain_text("2,0")
    expect(page.get_by_test_id("withheld-supplier")).to_have_count(0)
    expect(page.locator("tr[data-dimension=samarbete]")).to_contain_text("+2,0")
    page.get_by_role("link", name="Avsluta omgången nu").click()
    expect(page.get_by_role("heading", name="Avsluta omgången nu?")).to_be_visible()
    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_role("link", name="Avsluta omgången nu")).to_be_visible()
    page.get_by_role("link", name="Avsluta omgången nu").click()
    page.get_by_role("button", name="Avsluta omgången").click()
    expect(page.get_by_role("status").first).to_contain_text("Omgången är avslutad")
    expect(page.get_by_role("link", name="Avsluta omgången nu")).to_have_count(0)
    expect(page.get_by_text("Tydliga styrgruppsmöten").first).to_be_visible()
    # Three on a side: the side's figures, no single statement's (they need five scores).
    expect(page.get_by_test_id("statement-threshold")).to_contain_text(
        "Enskilda påståenden visas först när minst 5 har gett dem ett betyg"
    )
    page.get_by_text("Egna påståenden").last.click()  # open the own statements' list
    own = page.locator("table.sv-statements tr", has_text="Vi firar framgångar tillsammans.")
    expect(own).to_contain_text("< 5 svar")
    anonymity = page.get_by_test_id("anonymity")
    expect(anonymity.get_by_role("heading", name="Hur anonyma är svaren?")).to_be_visible()
    expect(anonymity).to_contain_text("k − 1 av dem")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _closed_round(world: Any) -> int:
    """A closed round with four respondents on each side; the customer lower in every phase."""
    invite_people(world.agreement, "customer", 3)
    invite_people(world.agreement, "supplier", 2)
    round = services.health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        participants=list(Participant.objects.filter(agreement=world.agreement)),
    )
    for invitation in round.invitations.order_by("pk"):
        answer(invitation, 3 if invitation.side == "customer" else 5)
    services.health_round_close(round=round)
    return round.number


def test_the_results_page_reads_on_a_phone(
    live_world: Any, live_server: Any, browser: Browser
) -> None:
    world = live_world
    number = _closed_round(world)
    url = f"{live_server.url}/agreements/{world.agreement.pk}/health/rounds/{number}/"
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="sv-SE")
        page = context.new_page()
        try:
            sign_in(page, live_server.url, world.customer_owner.email)
            page.goto(url)
            narrow = page.locator(".sv-chart-narrow svg")
            wide = page.locator(".sv-chart-wide svg")
            shown, hidden = (narrow, wide) if viewport is PHONE else (wide, narrow)
            for chart in ("health-bars", "health-trend"):
                expect(shown.and_(page.locator(f"svg.{chart}"))).to_be_visible()
                expect(hidden.and_(page.locator(f"svg.{chart}"))).to_be_hidden()
            # Every text of every chart shown is drawn at 11 px or more (the wide charts
            # shrunk to a phone drew them at 6 px).
            sizes = page.eval_on_selector_all(
                "svg.health-chart",
                """charts => charts.filter(c => c.getBoundingClientRect().width > 0).map(c => {
                    const scale = c.getBoundingClientRect().width / c.viewBox.baseVal.width;
                    const texts = Array.from(c.querySelectorAll("text"));
                    return Math.min(...texts.map(t => parseFloat(t.getAttribute("font-size")))) * scale;
                })""",
            )
            assert len(sizes) == 2 and min(sizes) >= 11, sizes
            # The mirror's reading is on screen for every row, not cut off to the right.
            readings = page.locator("table.sv-mirror td.sv-reading")
            expect(readings.first).to_contain_text("Undervärderad styrka")
            boxes = readings.evaluate_all(
                "cells => cells.map(c => c.getBoundingClientRect().right)"
            )
            assert boxes and max(boxes) <= viewport["width"], boxes
            # The group's phase names both parties.
            parties = page.get_by_test_id("phase-parties")
            expect(parties).to_contain_text("Tillhöra")
            expect(parties).to_contain_text("alla faser passerade")
            expect(parties.locator("li").first).to_contain_text(
                "Norrlandia Försäkring AB: Tillhöra"
            )
            expect(page.locator(".sv-phase")).to_have_attribute("data-phase", "tillhora")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], width  # nothing makes the page scroll sideways
            # Printed, from a phone or a desktop, the page has the wide charts and its tables
            # as tables.
            page.emulate_media(media="print")
            expect(wide.first).to_be_visible()
            expect(narrow.first).to_be_hidden()
            expect(page.locator("table.sv-mirror thead").first).to_be_visible()
            page.emulate_media(media="screen")
            # What the figures protect, and what they cannot, in plain words on the page.
            anonymity = page.get_by_test_id("anonymity")
            anonymity.scroll_into_view_if_needed()
            expect(anonymity).to_contain_text("svårare, men inte omöjligt")
            box = anonymity.bounding_box()
            assert (
                box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            )
        finally:
            context.close()


def test_the_survey_footer_covers_no_answer_button_on_a_phone(
    live_world: Any, live_server: Any, browser: Browser, settings: Any
) -> None:
    world = live_world
    settings.SAMVERKAN_BASE_URL = live_server.url
    mail.outbox.clear()
    services.health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        participants=enough_people(world.agreement),
    )
    [karin] = [m for m in mail.outbox if m.to == [world.customer_owner.email]]
    link = re.search(r"http://\S+/survey/\S+/", karin.body).group(0)  # type: ignore[union-attr]
    # Without smooth scrolling, so that where the keyboard's focus lands can be measured.
    context = browser.new_context(viewport=PHONE, locale="sv-SE", reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(link)
        options = page.locator("fieldset.sv-item").first.locator("label.sv-option")
        expect(options).to_have_count(6)
        # Every answer of the first statement is on screen and above the footer when the
        # survey opens: nothing else is hit at its centre, and it ends above the footer.
        footer_top = page.locator(".sv-survey-footer").evaluate(
            "f => f.getBoundingClientRect().top"
        )
        uncovered = options.evaluate_all(
            """labels => labels.map(label => {
                const box = label.getBoundingClientRect();
                const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
                return [hit !== null && label.contains(hit), box.bottom];
            })"""
        )
        assert all(hit and bottom <= footer_top for hit, bottom in uncovered), (
            uncovered,
            footer_top,
        )
        options.nth(3).click()
        expect(page.get_by_text("Besvarade påståenden: 1 av")).to_be_visible()
        # Moving through the survey with the keyboard never leaves the focused answer
        # under the footer.
        for _ in range(12):
            page.keyboard.press("Tab")
            bottom = page.evaluate(
                "document.activeElement.closest('label, button, textarea, a')"
                "?.getBoundingClientRect().bottom ?? 0"
            )
            focused_in_footer = page.evaluate(
                "!!document.activeElement.closest('.sv-survey-footer')"
            )
            assert focused_in_footer or bottom <= footer_top + 1, (bottom, footer_top)
    finally:
        context.close()

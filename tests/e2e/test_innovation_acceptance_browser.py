"""Issue 12's acceptance in a browser, in Swedish: the supplier proposes an idea; two
people (one of each side) score it and the evaluation closes with the hand-computed
weighted score and spread; the customer approves it in the deciding forum; an approval
above the forum's mandate is refused with the limit named; the idea is moved to
implemented with the keyboard (not by dragging) and its realised effect recorded; the
innovation-rate chart and the gain-share ledger change accordingly. The page guard
fails the test on any CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samverkan.agreements.models import Participant
from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.models import Idea
from samverkan.innovation.services import framework_save
from tests.e2e.test_agreements_browser import sign_in
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def _propose(page: Page, base: str, title: str, cost: str, effect: str) -> None:
    page.goto(f"{base}/ideas/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_area").select_option("processes")
    page.locator("#id_problem").fill("Verkstädernas fakturor kontrolleras för hand.")
    page.locator("#id_proposal").fill("Jämför varje faktura med avtalade priser.")
    page.locator("#id_effect").fill(effect)
    page.locator("#id_effect_unit").select_option("sek_per_year")
    page.locator("#id_cost").fill(cost)
    page.locator("#idea-form button[type=submit]").click()
    expect(page.locator("#idea-stage")).to_have_text("Föreslagen")


def _score(page: Page, base: str, scores: dict[str, str]) -> None:
    page.goto(f"{base}/ideas/1/")
    for key, value in scores.items():
        page.locator(f"#id_score-{key}").select_option(value)
    page.get_by_role("button", name="Spara min bedömning").click()
    expect(page.locator("#evaluation-progress")).to_be_visible()


def _supplier_this_quarter(page: Page, base: str) -> tuple[str, str]:
    """The rate page's count of the supplier's ideas in the current quarter (the table's
    first row, newest first) and the chart's drawing."""
    page.goto(f"{base}/rate/")
    row = page.locator("#rate-quarters tbody tr").first
    return row.locator("td").last.inner_text(), page.locator("#rate-chart").inner_html()


def test_an_idea_from_proposal_to_shared_gain(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    Participant.objects.filter(agreement=w.agreement, user=w.supplier_owner).update(role="editor")
    today = timezone.localdate()
    framework_save(
        agreement=w.agreement,
        actor=None,
        version=0,
        **framework_fields(w, gain_share_from=today.replace(day=1)),  # 50/50, 36 months
    )
    base = f"{live_server.url}/agreements/{w.agreement.pk}/innovation"

    # The supplier looks at the rate, then proposes two ideas.
    sign_in(page, live_server.url, w.supplier_owner.email)
    count_before, chart_before = _supplier_this_quarter(page, base)
    assert count_before == "0"
    _propose(page, base, "Automatisk kontroll av verkstadsfakturor", "200 000", "600000")
    _propose(page, base, "Ny prismotor", "400 000", "900000")
    count_after, chart_after = _supplier_this_quarter(page, base)
    assert count_after == "2" and chart_after != chart_before
    page.context.clear_cookies()

    # The customer takes idea 1 to evaluation and chooses one evaluator of each side.
    sign_in(page, live_server.url, w.customer_owner.email)
    page.goto(f"{base}/ideas/1/")
    page.get_by_role("button", name="Flytta till ”Under utvärdering”").click()
    page.locator(f"#evaluator-{w.customer_owner.pk}").check()
    page.locator(f"#evaluator-{w.supplier_owner.pk}").check()
    page.get_by_role("button", name="Spara bedömarna").click()
    expect(page.locator("#evaluators")).to_contain_text("har inte bedömt än")
    # Business value 30 %, feasibility 20, cost 15, risk 15, strategic fit 20.
    _score(
        page,
        base,
        {"business-value": "4", "feasibility": "4", "cost": "3", "risk": "3", "strategic-fit": "5"},
    )
    expect(page.locator("#evaluation-progress")).to_contain_text("1 av 2")
    page.context.clear_cookies()
    sign_in(page, live_server.url, w.supplier_owner.email)
    _score(
        page,
        base,
        {"business-value": "5", "feasibility": "4", "cost": "4", "risk": "3", "strategic-fit": "4"},
    )
    expect(page.locator("#evaluation-progress")).to_contain_text("2 av 2")
    page.get_by_role("button", name="Avsluta bedömningen och visa poängen").click()
    # 3.90 and 4.15 → 4.025, shown as 4,03; spread 4.15 − 3.90 = 0,25.
    expect(page.locator("#evaluation-result")).to_contain_text("4,03")
    expect(page.locator("#evaluation-result")).to_contain_text("0,25")
    page.context.clear_cookies()

    # The customer approves idea 1 in the deciding forum, within its mandate.
    sign_in(page, live_server.url, w.customer_owner.email)
    page.goto(f"{base}/ideas/1/")
    page.locator("#id_reason").fill("Ryms inom samverkansrådets mandat.")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.locator("#idea-stage")).to_have_text("Godkänd")

    # Idea 2, above the council's mandate: the approval is refused with the limit named.
    page.goto(f"{base}/board/")
    page.locator("#idea-2").get_by_role("button", name="Flytta till ”Under utvärdering”").click()
    page.locator("#idea-2 summary").click()
    page.locator("#idea-2 textarea").fill("Stor nytta för kunderna.")
    page.locator("#idea-2").get_by_role("button", name="Godkänn").click()
    expect(page.locator("#refusal")).to_contain_text(f"250{NBSP}000{NBSP}kr")
    expect(page.locator("#refusal")).to_contain_text("Samverkansråd")
    assert Idea.objects.get(agreement=w.agreement, number=2).stage == "evaluation"

    # Idea 1 moves on to implemented with the keyboard.
    for column, label in (
        ("implementation", "Flytta till ”Under genomförande”"),
        ("implemented", "Flytta till ”Genomförd”"),
    ):
        button = page.locator("#idea-1").get_by_role("button", name=label)
        button.focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"[data-sv-column={column}] #idea-1")).to_be_visible()

    # Before the effect: the gain-share ledger has nothing to split.
    page.goto(f"{base}/effects/")
    expect(page.locator("#gain-share-empty")).to_be_visible()
    page.goto(f"{base}/rate/")
    figures_before = page.locator("#rate-figures").inner_text()

    # The effect is recorded from the card's link, with the keyboard.
    page.goto(f"{base}/board/")
    link = page.locator("#idea-1").get_by_role("link", name="Registrera realiserad effekt")
    link.focus()
    page.keyboard.press("Enter")
    page.locator("#id_realised").fill("540000")
    page.locator("#id_measured_on").fill(today.isoformat())
    page.locator("#id_evidence").fill("Fakturakontrollens logg för oktober, uppräknad till helår.")
    page.locator("#effect-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#idea-stage")).to_have_text("Effekt mätt")
    expect(page.locator("#effect-realised")).to_contain_text(f"540{NBSP}000")
    expect(page.locator("#share-customer")).to_have_text(f"270{NBSP}000{NBSP}kr")

    # The gain-share ledger splits it 50/50; the rate's realised effect changes.
    page.goto(f"{base}/effects/")
    expect(page.locator("#gain-share-customer")).to_have_text(f"270{NBSP}000{NBSP}kr")
    expect(page.locator("#gain-share-supplier")).to_have_text(f"270{NBSP}000{NBSP}kr")
    page.goto(f"{base}/rate/")
    figures_after = page.locator("#rate-figures").inner_text()
    assert figures_after != figures_before
    assert "90" in figures_after  # 540 000 of 600 000 expected

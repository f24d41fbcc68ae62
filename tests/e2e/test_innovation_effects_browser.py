"""The Effects page and an idea's effect section in a browser, in Swedish, with every
control: the fund's "add a line" form (opened, cancelled, a spending larger than the fund
refused with the input kept, a contribution and a spending for an idea added), removing
a line (the confirmation, a contribution already spent refused, a spending removed);
recording a realised effect with an empty evidence (refused, input kept), correcting
it, cancelling a correction. The page guard fails the test on any CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samverkan.agreements.models import Participant
from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.idea_services import idea_propose, idea_transition
from samverkan.innovation.models import FundEntry, RealisedEffect
from samverkan.innovation.services import framework_save
from tests.e2e.test_agreements_browser import sign_in
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def _money(amount: str) -> str:
    return amount.replace(" ", NBSP) + NBSP + "kr"


def test_the_fund_ledger_and_the_effect_with_every_control(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    Participant.objects.filter(agreement=w.agreement, user=w.supplier_owner).update(role="editor")
    framework_save(
        agreement=w.agreement,
        actor=None,
        version=0,
        **framework_fields(
            w, funding="joint_fund", customer_contribution=600000, supplier_contribution=300000
        ),
    )
    idea = idea_propose(
        agreement=w.agreement,
        actor=w.supplier_owner,
        title="Automatisk kontroll av verkstadsfakturor",
        area="processes",
        problem="Fakturor kontrolleras för hand.",
        proposal="Jämför varje faktura med avtalade priser.",
        cost=120000,
        effect="40",
        effect_unit="hours_per_month",
        baseline="60",
    )
    for to in ("evaluation", "approved", "implementation", "implemented"):
        idea = idea_transition(
            idea=idea, actor=w.customer_owner, to=to, reason="Ryms i mandatet.", version=None
        )
    base = f"{live_server.url}/agreements/{w.agreement.pk}/innovation"
    today = timezone.localdate().isoformat()

    sign_in(page, live_server.url, w.customer_owner.email)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Effekter", exact=True).click()
    expect(page.locator("#no-effects")).to_be_visible()
    expect(page.locator("#fund-empty")).to_be_visible()

    # Open the form and cancel it.
    add = page.locator("#fund-add")
    add.locator("summary").click()
    expect(page.locator("#fund-form")).to_be_visible()
    page.locator("#fund-form").get_by_role("link", name="Avbryt").click()
    expect(page.locator("#fund-form")).to_be_hidden()

    # A spending from an empty fund: refused, the input kept.
    add.locator("summary").click()
    page.locator("#id_kind").select_option("spending")
    page.locator("#id_on").fill(today)
    page.locator("#id_amount").fill("50 000")
    page.locator("#id_text").fill("Prototyp av fakturakontrollen")
    page.get_by_role("button", name="Lägg till raden").click()
    expect(page.locator("#fund-form")).to_contain_text(
        f"Fonden har 0{NBSP}kr; den kan inte betala {_money('50 000')}."
    )
    expect(page.locator("#id_text")).to_have_value("Prototyp av fakturakontrollen")
    assert not FundEntry.objects.exists()

    # A contribution, then the spending for the idea.
    page.locator("#id_kind").select_option("contribution")
    page.locator("#id_side").select_option(label=w.customer.name)
    page.locator("#id_amount").fill("600 000")
    page.locator("#id_text").fill("Bidrag för året")
    page.get_by_role("button", name="Lägg till raden").click()
    expect(page.locator("#fund-balance")).to_contain_text(_money("600 000"))
    page.locator("#fund-add summary").click()
    page.locator("#id_kind").select_option("spending")
    page.locator("#id_idea").select_option(label=f"1. {idea.title}")
    page.locator("#id_on").fill(today)
    page.locator("#id_amount").fill("450000")
    page.get_by_role("button", name="Lägg till raden").click()
    expect(page.locator("#fund-balance")).to_contain_text(_money("150 000"))
    expect(page.locator("#fund-ledger")).to_contain_text(idea.title)
    expect(page.locator("#fund-years")).to_contain_text(_money("450 000"))

    # Removing the contribution would leave the fund below zero: refused.
    contribution = FundEntry.objects.get(kind="contribution")
    row = page.locator(f"#fund-line-{contribution.pk}")
    row.locator("summary").click()
    row.get_by_role("button", name="Ja, ta bort").click()
    expect(page.locator("#refusal")).to_contain_text(
        f"Utan den här insättningen skulle fonden ha {NBSP.join(['-450', '000'])}{NBSP}kr"
    )
    spending = FundEntry.objects.get(kind="spending")
    row = page.locator(f"#fund-line-{spending.pk}")
    row.locator("summary").click()
    row.get_by_role("button", name="Ja, ta bort").click()
    expect(page.locator(f"#fund-line-{spending.pk}")).to_have_count(0)
    expect(page.locator("#fund-balance")).to_contain_text(_money("600 000"))

    # The idea's effect: no evidence is refused with the figure kept, then recorded.
    page.goto(f"{base}/ideas/1/")
    page.locator("#id_realised").fill("35")
    page.locator("#id_measured_on").fill(today)
    page.locator("#effect-form button[type=submit]").click()
    expect(page.locator("#effect-form")).to_contain_text("Underlag: Detta fält måste fyllas i.")
    expect(page.locator("#id_realised")).to_have_value("35")
    page.locator("#id_evidence").fill("Tidrapporterna för november.")
    page.locator("#effect-form button[type=submit]").click()
    expect(page.locator("#idea-stage")).to_have_text("Effekt mätt")
    expect(page.locator("#effect-realised")).to_contain_text("35 timmar per månad")

    # Correct it: open, cancel, open, save.
    page.locator("#effect-edit summary").click()
    page.locator("#id_realised").fill("38")
    page.locator("#effect-form").get_by_role("link", name="Avbryt").click()
    expect(page.locator("#effect-form")).to_be_hidden()
    expect(page.locator("#effect-edit summary")).to_be_focused()
    page.locator("#effect-edit summary").click()
    expect(page.locator("#id_realised")).to_have_value("35")  # the cancelled figure is gone
    page.locator("#id_realised").fill("38")
    page.locator("#effect-form button[type=submit]").click()
    expect(page.locator("#effect-realised")).to_contain_text("38")
    assert str(RealisedEffect.objects.get().realised) == "38.00"

    page.get_by_role("link", name="Effekter", exact=True).click()
    expect(page.locator("#totals-table")).to_contain_text("timmar per månad")
    expect(page.locator("#measured")).to_contain_text(idea.title)

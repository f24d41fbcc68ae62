"""The innovation page in a browser, in Swedish, as a supplier editor, with every control:
the goal rows, the criteria (weights off by ten, then right), the forum and the leads,
the improvement line, the expected rate, the cadence, each funding model's radio and
fields, saving, and the gain-share calculator (a plain GET form). The page guard fails
the test on any CSP violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.models import Framework
from tests.e2e.test_agreements_browser import sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"innovation-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_editor_agrees_on_the_framework_with_every_control(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    sign_in(page, live_server.url, w.supplier_owner.email)
    page.goto(f"{live_server.url}/agreements/{w.agreement.pk}/")
    page.get_by_role("link", name="Innovation", exact=True).first.click()
    expect(page.locator("#no-framework")).to_be_visible()
    _shoot(page, "new")

    page.locator("#id_goals-0-what").fill("Halvera tiden för prisändringar i kundportalen")
    page.locator("#id_goals-0-baseline").fill("10")
    page.locator("#id_goals-0-target").fill("5")
    page.locator("#id_goals-0-unit").fill("arbetsdagar")
    page.locator("#id_goals-0-due").fill("2027-06-30")
    page.locator("#id_goals-1-what").fill("Färre incidenter i fakturaflödet")
    page.locator("#id_goals-1-baseline").fill("40")
    page.locator("#id_goals-1-target").fill("20")
    page.locator("#id_goals-1-unit").fill("incidenter per kvartal")
    page.locator("#id_goals-1-due").fill("2027-12-31")
    page.locator("#id_criteria-4-weight").fill("10")  # 90 in all
    page.locator("#id_criteria-5-name").fill("Arbetsmiljö")  # the empty row: a sixth criterion
    page.locator("#id_criteria-5-weight").fill("0")
    page.locator("#id_deciding_forum").select_option(label="Samverkansråd")
    page.locator("#id_customer_lead").select_option(label="Verksamhetsansvarig")
    page.locator("#id_supplier_lead").select_option(label="Affärsutvecklare")
    page.locator("#id_improvement_line").fill("Ständiga förbättringar ingår i tjänsten.")
    page.locator("#id_ideas_per_quarter").fill("4")
    page.locator("#id_review_cadence").select_option("quarterly")
    page.get_by_role("radio", name="Gemensam innovationsfond").check()
    page.locator("#id_customer_contribution").fill("500 000")
    page.locator("#id_supplier_contribution").fill("250 000")
    page.get_by_role("button", name="Spara ramverket").click()

    expect(page.locator("#criteria-error")).to_have_text(
        "Vikterna blir tillsammans 90: det fattas 10 till 100."
    )
    expect(page.locator("#criteria-total")).to_contain_text("90 av 100")
    _shoot(page, "weights")
    assert not Framework.objects.exists()

    page.locator("#id_criteria-4-weight").fill("20")
    page.get_by_role("radio", name="Vinstdelning").check()
    page.locator("#id_customer_share").fill("50")
    page.locator("#id_supplier_share").fill("50")
    page.locator("#id_gain_share_months").fill("36")
    page.locator("#id_gain_share_from").fill("2026-01-01")
    page.get_by_role("button", name="Spara ramverket").click()

    expect(page.locator(".alert-success, .alert")).to_contain_text(
        "Innovationsramverket har sparats."
    )
    expect(page.locator("#goals-table")).to_contain_text("Färre incidenter i fakturaflödet")
    expect(page.locator("#criteria-table")).to_contain_text("Arbetsmiljö")
    expect(page.locator("#funding-line")).to_contain_text(
        "Vinstdelning: kunden 50 %, leverantören 50 % under 36 månader"
    )
    framework = Framework.objects.get()
    assert framework.customer_contribution is None  # only the chosen funding's fields are kept
    assert framework.criteria.count() == 6 and framework.ideas_per_quarter == 4

    page.locator("#id_effect").fill("1 200 000")
    page.locator("#id_realised_on").fill("2026-06-30")
    page.get_by_role("button", name="Beräkna").click()
    expect(page.locator("#split-customer")).to_have_text("600\u00a0000\u00a0kr")
    expect(page.locator("#split-supplier")).to_have_text("600\u00a0000\u00a0kr")
    _shoot(page, "saved")
    page.locator("#id_realised_on").fill("2029-02-01")
    page.get_by_role("button", name="Beräkna").click()
    expect(page.locator("#split-outside")).to_be_visible()

    # Clearing a goal's row removes the goal; the stable keys of the others stay.
    page.locator("#id_goals-0-what").fill("")
    page.locator("#id_goals-0-baseline").fill("")
    page.locator("#id_goals-0-target").fill("")
    page.locator("#id_goals-0-unit").fill("")
    page.locator("#id_goals-0-due").fill("")
    page.get_by_role("radio", name="Ingen särskild finansiering").check()
    page.get_by_role("button", name="Spara ramverket").click()
    expect(page.locator("#goals-table tbody tr")).to_have_count(1)
    expect(page.locator("#funding-line")).to_have_text("Ingen särskild finansiering")
    expect(page.locator("#calculator")).to_have_count(0)
    assert list(Framework.objects.get().goals.values_list("key", flat=True)) == [
        "farre-incidenter-i-fakturaflodet"
    ]

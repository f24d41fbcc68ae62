"""The innovation rate in a browser, in Swedish: the agreement overview's line says the
supplier falls short of the framework's expectation and links to the rate page; the
board's sub-navigation leads there too; the page shows the sentence, the chart (wide at
1280 px, the narrow one at 390 px, each with its title) with the expected line, and the
tables. The page guard fails the test on any CSP violation."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.idea_services import idea_propose
from samverkan.innovation.models import Idea
from samverkan.innovation.services import framework_save
from tests.e2e.test_agreements_browser import sign_in
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"rate-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_rate_page_shows_the_chart_and_says_the_supplier_falls_short(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    framework_save(
        agreement=w.agreement, actor=None, version=0, **framework_fields(w, ideas_per_quarter=3)
    )
    # The supplier proposed one idea two quarters ago, the customer one last quarter.
    for actor, title, months in (
        (w.supplier_owner, "Automatiserad patchning av servrar", 6),
        (w.customer_owner, "Självbetjäning för lösenord", 3),
    ):
        idea = idea_propose(
            agreement=w.agreement,
            actor=actor,
            title=title,
            area="processes",
            problem="Görs för hand.",
            proposal="Automatisera.",
            cost=50000,
        )
        moment = timezone.now() - datetime.timedelta(days=months * 30)
        Idea.objects.filter(pk=idea.pk).update(created_at=moment)

    sign_in(page, live_server.url, w.supplier_viewer.email)
    page.goto(f"{live_server.url}/agreements/{w.agreement.pk}/")
    line = page.locator("#innovation-rate")
    expect(line).to_contain_text("Leverantören har föreslagit 0,25 idéer per kvartal i snitt")
    expect(line).to_contain_text("ramverket förväntar 3")
    _shoot(page, "overview")
    line.get_by_role("link", name="Innovationstakt").click()

    sentence = page.locator("#rate-sentence")
    expect(sentence).to_have_text(
        "Leverantören har föreslagit 0,25 idéer per kvartal i snitt de senaste 4 avslutade "
        "kvartalen; ramverket förväntar 3."
    )
    expect(sentence).to_have_class("alert alert-warning")
    wide = page.locator("#rate-chart svg")
    expect(wide).to_be_visible()
    expect(wide.locator("title")).to_have_text("Föreslagna idéer per kvartal")
    expect(wide.locator("line.reference")).to_have_count(1)
    expect(wide.locator("rect.column.supplier")).to_have_count(1)
    expect(wide.locator("rect.column.customer")).to_have_count(1)
    expect(wide.locator(".legend")).to_contain_text("Förväntat av leverantören: 3 per kvartal")
    expect(page.locator("#rate-chart-narrow svg")).to_be_hidden()
    expect(page.locator("#rate-quarters tbody tr").first).to_contain_text("(pågår)")
    figures = page.locator("#rate-figures")
    expect(figures.locator("tbody tr").first).to_contain_text("Föreslagna idéer")
    expect(figures.locator("thead")).to_contain_text("Båda")
    _shoot(page, "page")

    # On a phone the narrow chart replaces the wide one.
    page.set_viewport_size({"width": 390, "height": 900})
    expect(page.locator("#rate-chart-narrow svg")).to_be_visible()
    expect(page.locator("#rate-chart svg")).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})

    # The sub-navigation: from the board back to the rate page.
    page.get_by_role("link", name="Tavla", exact=True).click()
    expect(page.locator("#board")).to_be_visible()
    page.get_by_role("link", name="Innovationstakt", exact=True).click()
    expect(page.locator("#rate-sentence")).to_be_visible()
    expect(page.get_by_role("link", name="Innovationstakt", exact=True)).to_have_attribute(
        "aria-current", "page"
    )

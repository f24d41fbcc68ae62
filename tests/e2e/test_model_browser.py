"""Building a collaboration model in the browser, the way an editor does it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_agreements_browser import sign_in

pytestmark = pytest.mark.browser


def test_editor_builds_roles_a_forum_and_a_process_and_sees_the_raci(
    page: Page, live_world: Any, live_server: Any
) -> None:
    world = live_world
    world.customer_owner.language = "en"
    world.customer_owner.save()
    sign_in(page, live_server.url, world.customer_owner.email)
    page.goto(f"{live_server.url}/agreements/{world.agreement.pk}/model/")
    page.evaluate("window.__sameDocument = true")

    def add_role(name: str, side: str, level: str, orientation: str, duties: str) -> None:
        page.get_by_role("button", name="Add role").click()
        form = page.locator("#form-roles-new")
        form.get_by_label("Name").fill(name)
        form.get_by_label("Side").select_option(side)
        form.get_by_label("Level").select_option(level)
        form.get_by_label("Orientation").select_option(orientation)
        form.get_by_label("Responsibilities").fill(duties)
        form.get_by_label("Authorities (mandate)").fill("Beställa ändringar inom avtalad ram")
        form.get_by_role("button", name="Save").click()
        expect(page.locator("#roles article", has_text=name)).to_be_visible()
        page.wait_for_load_state("networkidle")

    add_role(
        "Avtalsansvarig", "customer", "tactical", "it", "Följa upp avtalet\nBeställa ändringar"
    )
    add_role("Leveransansvarig", "supplier", "operational", "it", "Leverera enligt servicenivåerna")

    page.get_by_role("button", name="Add forum").click()
    forum = page.locator("#form-forums-new")
    forum.get_by_label("Name").fill("Samverkansråd")
    forum.get_by_label("Level").select_option("tactical")
    forum.get_by_label("Cadence").select_option("monthly")
    forum.get_by_label("Chair").select_option(label="Avtalsansvarig")
    forum.get_by_label("Avtalsansvarig", exact=True).check()
    forum.get_by_label("Leveransansvarig", exact=True).check()
    forum.get_by_label("Decision type 1").select_option("change_request")
    forum.get_by_label("Limit (SEK) 1").fill("500000")
    forum.get_by_role("button", name="Save").click()
    card = page.locator("#forums article", has_text="Samverkansråd")
    expect(card).to_contain_text("Avtalsansvarig, Leveransansvarig")
    expect(card).to_contain_text("500,000")
    page.wait_for_load_state("networkidle")

    page.get_by_role("button", name="Add process").click()
    process = page.locator("#form-processes-new")
    process.get_by_label("Name").fill("Ändringshantering")
    process.get_by_label("Owner").select_option(label="Avtalsansvarig")
    process.get_by_label("Steps").fill(
        "Ändringsbegäran registreras\nKonsekvensanalys\nBeslut\nGenomförande"
    )
    process.get_by_label("Avtalsansvarig", exact=True).select_option("A")
    process.get_by_label("Leveransansvarig", exact=True).select_option("R")
    process.get_by_role("button", name="Save").click()
    expect(page.locator("#processes article", has_text="Ändringshantering")).to_contain_text(
        "A · Avtalsansvarig"
    )
    assert page.evaluate("window.__sameDocument") is True  # every change was made without a reload

    page.get_by_role("link", name="RACI matrix").click()
    row = page.locator("table.sv-raci tbody tr", has_text="Ändringshantering")
    expect(row).to_be_visible()
    headers = page.locator("table.sv-raci thead th").all_inner_texts()
    cells = row.locator("td").all_inner_texts()
    letters = {
        header.splitlines()[0]: cell for header, cell in zip(headers[1:], cells, strict=True)
    }
    assert letters == {"Avtalsansvarig": "A", "Leveransansvarig": "R"}


def test_viewer_cannot_edit_the_model(page: Page, live_world: Any, live_server: Any) -> None:
    from samverkan.collaboration.services import model_seed

    model_seed(agreement=live_world.agreement)
    sign_in(page, live_server.url, live_world.supplier_viewer.email)
    page.goto(f"{live_server.url}/agreements/{live_world.agreement.pk}/model/")
    expect(page.locator("#roles article").first).to_be_visible()
    expect(page.locator("#roles button", has_text="Redigera")).to_have_count(0)
    expect(page.locator("#roles button", has_text="Edit")).to_have_count(0)

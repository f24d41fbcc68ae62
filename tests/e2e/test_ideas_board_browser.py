"""The ideas board in a browser, in Swedish: the supplier proposes ideas (from the board's
button); the customer moves one to evaluation, opens the decision form and cancels it,
is refused without a reason, approves it in the deciding forum; an approval above the
forum's mandate is refused with the limit named (and the refusal's link opens the idea);
a card is dragged to the decided column, which opens its reason form, and parked; the
approved idea is moved on to implemented with the keyboard. The sub-navigation and the
register's export are used too. The page guard fails the test on any CSP violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.collaboration.services import forum_from_template, model_seed
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
        page.screenshot(path=str(Path(SHOTS) / f"board-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _propose(page: Page, title: str, cost: str) -> None:
    page.locator("#board-new-idea").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_area").select_option("processes")
    page.locator("#id_problem").fill("Prisändringar görs för hand och tar tio dagar.")
    page.locator("#id_proposal").fill("Ett flöde som uppdaterar portalen.")
    page.locator("#id_cost").fill(cost)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#idea-stage")).to_have_text("Föreslagen")
    page.get_by_role("link", name="Tavla", exact=True).click()


def _card(page: Page, number: int) -> Any:
    return page.locator(f"#idea-{number}")


def test_ideas_move_across_the_board_with_every_control(
    page: Page, live_world: Any, live_server: Any
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    framework_save(agreement=w.agreement, actor=None, version=0, **framework_fields(w))
    base = f"{live_server.url}/agreements/{w.agreement.pk}/innovation"

    # The supplier finds the board from the framework page and proposes two ideas.
    sign_in(page, live_server.url, w.supplier_owner.email)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Tavla", exact=True).click()
    expect(page.locator("#board")).to_be_visible()
    _propose(page, "Automatisera prisändringar", "100000")
    _propose(page, "Ny prismotor", "400 000")
    proposed = page.locator("[data-sv-column=proposed]")
    expect(proposed.locator(".sv-board-card")).to_have_count(2)
    page.context.clear_cookies()

    # The customer moves idea 1 to evaluation with its button.
    sign_in(page, live_server.url, w.customer_owner.email)
    page.goto(f"{base}/board/")
    _card(page, 1).get_by_role("button", name="Flytta till ”Under utvärdering”").click()
    expect(page.locator("[data-sv-column=evaluation] #idea-1")).to_be_visible()
    _card(page, 2).get_by_role("button", name="Flytta till ”Under utvärdering”").click()
    _shoot(page, "evaluation")

    # The decision form opens and is cancelled without leaving the page.
    decide = _card(page, 1).locator("details")
    decide.locator("summary").click()
    expect(decide.locator("textarea")).to_be_visible()
    decide.get_by_role("link", name="Avbryt").click()
    expect(decide.locator("textarea")).to_be_hidden()
    expect(decide.locator("summary")).to_be_focused()

    # Without a reason: refused, the form open again.
    decide.locator("summary").click()
    decide.get_by_role("button", name="Godkänn").click()
    expect(page.locator("#refusal")).to_contain_text("skäl")
    expect(_card(page, 1).locator("textarea")).to_be_visible()
    _card(page, 1).locator("textarea").fill("Ryms i samverkansrådets mandat.")
    _card(page, 1).get_by_role("button", name="Godkänn").click()
    expect(page.locator("[data-sv-column=decided] #idea-1")).to_contain_text("Godkänd")

    # Above the council's mandate: refused with the limit named, the reason kept.
    _card(page, 2).locator("summary").click()
    _card(page, 2).locator("textarea").fill("Stor nytta för kunderna.")
    _card(page, 2).get_by_role("button", name="Godkänn").click()
    expect(page.locator("#refusal")).to_contain_text("250 000 kr")
    expect(page.locator("#refusal")).to_contain_text("Samverkansråd")
    expect(_card(page, 2).locator("textarea")).to_have_value("Stor nytta för kunderna.")
    _shoot(page, "refused")
    page.locator("#refusal").get_by_role("link", name="Öppna idén").click()
    expect(page.locator("#mandate-problem")).to_contain_text("250 000 kr")
    page.get_by_role("link", name="Tavla", exact=True).click()

    # Dragging idea 2 onto the decided column opens its reason form; it is parked.
    _card(page, 2).drag_to(page.locator("[data-sv-column=decided]"))
    expect(_card(page, 2).locator("textarea")).to_be_focused()
    page.keyboard.type("Tas upp igen när budgeten för nästa år är klar.")
    _card(page, 2).get_by_role("button", name="Parkera").click()
    expect(page.locator("[data-sv-column=decided] #idea-2")).to_contain_text("Parkerad")

    # Dragging idea 2 back to evaluation submits its move.
    _card(page, 2).drag_to(page.locator("[data-sv-column=evaluation]"))
    expect(page.locator("[data-sv-column=evaluation] #idea-2")).to_be_visible()

    # Idea 1 moves on to implemented with the keyboard.
    for column, label in (
        ("implementation", "Flytta till ”Under genomförande”"),
        ("implemented", "Flytta till ”Genomförd”"),
    ):
        button = _card(page, 1).get_by_role("button", name=label)
        button.focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"[data-sv-column={column}] #idea-1")).to_be_visible()
    assert Idea.objects.get(agreement=w.agreement, number=1).stage == "implemented"
    assert Idea.objects.get(agreement=w.agreement, number=2).stage == "evaluation"
    _shoot(page, "moved")

    # The register: from the sub-navigation to the list, and its export.
    page.get_by_role("link", name="Idéer", exact=True).click()
    with page.expect_download() as download:
        page.locator("#ideas-export").click()
    assert download.value.suggested_filename.endswith("idearegister.xlsx")
    page.get_by_role("link", name="Ramverk", exact=True).click()
    expect(page.locator("#framework")).to_be_visible()

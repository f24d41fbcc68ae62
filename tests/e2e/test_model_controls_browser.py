"""Every control of every section of the collaboration model page, in Swedish, as an editor.

After each action the whole page must still be there: every section heading,
every "Lägg till …"/"Redigera …" button and every list, showing the change. On
the main of 2026-11 "Redigera" removed a card and opened no form, and a move or
a removal took the section's heading and its "Lägg till" button with it: htmx
attribute inheritance (``hx-select`` of the section body) leaked into every
button inside it. The HTMX guard in ``conftest.py`` checks every swap besides.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from samverkan.collaboration.services import (
    escalation_set,
    forum_from_template,
    model_seed,
    objectives_set,
    process_from_template,
)
from tests.e2e.test_agreements_browser import sign_in

pytestmark = pytest.mark.browser

# section id → (heading, the button that adds to it or edits it)
SECTIONS = {
    "objectives": ("Mål", "Redigera mål"),
    "roles": ("Roller", "Lägg till roll"),
    "forums": ("Forum", "Lägg till forum"),
    "processes": ("Gemensamma processer", "Lägg till process"),
    "escalation": ("Eskaleringsväg", "Redigera eskaleringsvägen"),
}
LISTS = {
    "objectives": "#objectives-list li",
    "roles": "#roles-body article",
    "forums": "#forums-body article",
    "processes": "#processes-body article",
    "escalation": "#escalation-list li",
}


def settle(page: Page) -> None:
    """Wait for the change's request and the other sections' refreshes to finish."""
    page.wait_for_load_state("networkidle")
    expect(page.locator(".htmx-request")).to_have_count(0)


def assert_whole_page(page: Page) -> None:
    """Every heading, every add/edit button and every list is on the page, none empty."""
    settle(page)
    for kind, (heading, button) in SECTIONS.items():
        expect(page.locator(f"#{kind}-heading")).to_have_text(heading)
        expect(page.locator(f"section#{kind}").get_by_role("button", name=button)).to_be_visible()
        assert page.locator(LISTS[kind]).count() > 0, f"the {kind} list is empty"
    for kind in ("forums", "processes"):
        expect(
            page.locator(f"section#{kind}").get_by_role("button", name="Lägg till från mall")
        ).to_be_visible()


def names(page: Page, kind: str, selector: str = "article h3, article h4") -> list[str]:
    return page.locator(f"#{kind}-body").locator(selector).all_inner_texts()


def card(page: Page, kind: str, name: str) -> Locator:
    return page.locator(f"#{kind}-body article").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def edit_cancel_save(page: Page, kind: str, name: str, new_name: str) -> None:
    """Redigera → Avbryt leaves the card as it was; Redigera → Spara renames it."""
    card(page, kind, name).get_by_role("button", name="Redigera").click()
    form = page.locator(f"[id^=form-{kind}-]")
    expect(form.get_by_role("textbox", name="Namn", exact=True)).to_have_value(name)
    form.get_by_role("textbox", name="Namn", exact=True).fill("Ska inte sparas")
    form.get_by_role("link", name="Avbryt").click()
    expect(page.locator(f"[id^=form-{kind}-]")).to_have_count(0)
    expect(card(page, kind, name)).to_be_visible()
    expect(page.get_by_text("Ska inte sparas")).to_have_count(0)
    assert_whole_page(page)

    card(page, kind, name).get_by_role("button", name="Redigera").click()
    form = page.locator(f"[id^=form-{kind}-]")
    form.get_by_role("textbox", name="Namn", exact=True).fill(new_name)
    form.get_by_role("button", name="Spara").click()
    expect(card(page, kind, new_name)).to_be_visible()
    expect(card(page, kind, name)).to_have_count(0)
    assert_whole_page(page)


def move_down_and_up(page: Page, kind: str, name: str, selector: str) -> None:
    before = names(page, kind, selector)
    index = before.index(name)
    card(page, kind, name).get_by_role("button", name=f"Flytta ned {name}").click()
    expect(card(page, kind, name)).to_be_visible()
    settle(page)
    after = names(page, kind, selector)
    assert after.index(name) == index + 1, after
    assert_whole_page(page)
    card(page, kind, name).get_by_role("button", name=f"Flytta upp {name}").click()
    settle(page)
    assert names(page, kind, selector) == before
    assert_whole_page(page)


def remove(page: Page, kind: str, name: str) -> None:
    """Ta bort asks first: declining keeps the card, accepting removes it."""
    page.once("dialog", lambda dialog: dialog.dismiss())
    card(page, kind, name).get_by_role("button", name="Ta bort").click()
    settle(page)
    expect(card(page, kind, name)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    card(page, kind, name).get_by_role("button", name="Ta bort").click()
    expect(card(page, kind, name)).to_have_count(0)
    assert_whole_page(page)


def test_every_control_of_the_model_page_keeps_the_page_whole(
    page: Page, live_world: Any, live_server: Any, page_problems: list[str]
) -> None:
    agreement = live_world.agreement
    model_seed(agreement=agreement)
    council = forum_from_template(agreement=agreement, actor=None, template="collaboration-council")
    forum_from_template(agreement=agreement, actor=None, template="steering-group")
    process_from_template(agreement=agreement, actor=None, template="change-management")
    process_from_template(agreement=agreement, actor=None, template="service-review")
    objectives_set(agreement=agreement, actor=None, texts=["Hög kvalitet och driftstabilitet"])
    escalation_set(agreement=agreement, actor=None, steps=[(council, 10)])

    sign_in(page, live_server.url, live_world.customer_owner.email)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/model/")
    page.evaluate("window.__sameDocument = true")
    assert_whole_page(page)

    # Roles: add, edit (cancel, save), move down and up within a level, remove.
    page.get_by_role("button", name="Lägg till roll").click()
    form = page.locator("#form-roles-new")
    form.get_by_role("link", name="Avbryt").click()
    expect(page.locator("#form-roles-new")).to_have_count(0)
    assert_whole_page(page)
    page.get_by_role("button", name="Lägg till roll").click()
    form = page.locator("#form-roles-new")
    form.get_by_role("textbox", name="Namn", exact=True).fill("Tjänsteägare drift")
    form.get_by_role("combobox", name="Sida").select_option("customer")
    form.get_by_role("combobox", name="Nivå").select_option("operational")
    form.get_by_role("combobox", name="Inriktning").select_option("it")
    form.get_by_label("Ansvar").fill("Beställa driftändringar\nFölja upp incidenter")
    form.get_by_label("Befogenheter (mandat)").fill("Godkänna standardändringar")
    form.get_by_role("button", name="Spara").click()
    expect(card(page, "roles", "Tjänsteägare drift")).to_contain_text("Följa upp incidenter")
    assert_whole_page(page)
    edit_cancel_save(page, "roles", "Tjänsteägare drift", "Driftansvarig")
    move_down_and_up(page, "roles", "Strategisk partner", "article h4")
    remove(page, "roles", "Driftansvarig")

    # Forums: add from a template, add through the form, edit, move, remove.
    page.locator("#forums-template").select_option("operations-meeting")
    page.locator("section#forums").get_by_role("button", name="Lägg till från mall").click()
    expect(card(page, "forums", "Operativt möte")).to_be_visible()
    assert_whole_page(page)
    page.get_by_role("button", name="Lägg till forum").click()
    form = page.locator("#form-forums-new")
    form.get_by_role("textbox", name="Namn", exact=True).fill("Arkitekturforum")
    form.get_by_role("combobox", name="Nivå").select_option("tactical")
    form.get_by_label("Strategisk partner", exact=True).check()
    form.get_by_role("button", name="Spara").click()
    expect(card(page, "forums", "Arkitekturforum")).to_contain_text("Strategisk partner")
    assert_whole_page(page)
    edit_cancel_save(page, "forums", "Arkitekturforum", "Arkitekturråd")
    move_down_and_up(page, "forums", "Samverkansråd", "article h3")
    remove(page, "forums", "Arkitekturråd")

    # Processes: the same controls.
    page.locator("#processes-template").select_option("innovation")
    page.locator("section#processes").get_by_role("button", name="Lägg till från mall").click()
    expect(card(page, "processes", "Innovation")).to_be_visible()
    assert_whole_page(page)
    page.get_by_role("button", name="Lägg till process").click()
    form = page.locator("#form-processes-new")
    form.get_by_role("textbox", name="Namn", exact=True).fill("Incidenthantering")
    form.get_by_label("Steg").fill("Registrera\nÅtgärda\nStänga")
    form.get_by_role("button", name="Spara").click()
    expect(card(page, "processes", "Incidenthantering")).to_contain_text("Åtgärda")
    assert_whole_page(page)
    edit_cancel_save(page, "processes", "Incidenthantering", "Problemhantering")
    move_down_and_up(page, "processes", "Ändringshantering", "article h3")
    remove(page, "processes", "Problemhantering")

    # Objectives: edit, cancel, save a second objective.
    section = page.locator("section#objectives")
    section.get_by_role("button", name="Redigera mål").click()
    section.get_by_role("link", name="Avbryt").click()
    expect(section.locator("textarea")).to_have_count(0)
    assert_whole_page(page)
    section.get_by_role("button", name="Redigera mål").click()
    section.locator("textarea").fill(
        "Hög kvalitet och driftstabilitet\nInnovera tillsammans med verksamheten"
    )
    section.get_by_role("button", name="Spara").click()
    expect(page.locator(LISTS["objectives"])).to_have_text(
        ["Hög kvalitet och driftstabilitet", "Innovera tillsammans med verksamheten"]
    )
    assert_whole_page(page)

    # Escalation: edit, cancel, save a two-step path.
    section = page.locator("section#escalation")
    section.get_by_role("button", name="Redigera eskaleringsvägen").click()
    section.get_by_role("link", name="Avbryt").click()
    expect(section.locator("form")).to_have_count(0)
    assert_whole_page(page)
    section.get_by_role("button", name="Redigera eskaleringsvägen").click()
    section.get_by_label("Forum 1", exact=True).select_option(label="Operativt möte")
    section.get_by_label("Dagar 1", exact=True).fill("5")
    section.get_by_label("Forum 2", exact=True).select_option(label="Samverkansråd")
    section.get_by_label("Dagar 2", exact=True).fill("10")
    section.get_by_role("button", name="Spara").click()
    steps = page.locator(LISTS["escalation"])
    expect(steps).to_have_count(2)
    expect(steps.first).to_contain_text("Operativt möte")
    expect(steps.nth(1)).to_contain_text("Samverkansråd")
    assert_whole_page(page)

    assert page.evaluate("window.__sameDocument") is True  # no reload was needed anywhere
    assert page_problems == []

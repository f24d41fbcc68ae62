"""A person's path through Samverkan in a real browser: sign in, language, agreements."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def text(page: Page, selector: str) -> str:
    """Visible text with no-break spaces made ordinary, as a reader sees it."""
    return page.locator(selector).inner_text().replace("\xa0", " ").replace("\u202f", " ")


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")  # signing in lands on "Mitt arbete"


def switch_language(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def test_sign_in_switch_language_and_create_an_agreement(
    page: Page, live_server: Any, live_world: Any
) -> None:
    base = live_server.url
    sign_in(page, base, "karin@norrlandia.example")
    page.get_by_role("link", name="Avtal", exact=True).click()

    # Swedish is the default: list heading, Swedish money and the user's agreements.
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    row = page.locator("tr", has_text="DRIFT-2025")
    expect(row).to_be_visible()
    assert "1 250 000 kr" in row.inner_text().replace("\xa0", " ")

    # English: the heading and the number format follow.
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    assert "SEK 1,250,000" in page.locator("tr", has_text="DRIFT-2025").inner_text().replace(
        "\xa0", " "
    )

    # Create an agreement through the form, labels as the user reads them.
    page.get_by_role("link", name="New agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New agreement")
    page.get_by_role("textbox", name="Other party", exact=True).fill("Molnbolaget Sverige AB")
    page.get_by_label("Reference").fill("MOLN-2026")
    page.get_by_label("Title").fill("Molntjänster för skadehantering")
    page.get_by_label("Start date").fill("2026-01-01")
    page.get_by_label("End date").fill("2028-12-31")
    page.get_by_label("Annual value").fill("3400000")
    page.get_by_label("Services").fill("IaaS\nBackup")
    page.get_by_role("button", name="Create agreement").click()

    # The new agreement's page, with the confirmation and the facts.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Molntjänster för skadehantering")
    expect(page.get_by_role("status")).to_contain_text("MOLN-2026")
    assert "SEK 3,400,000" in text(page, ".sv-facts")

    # And it is in the list, which is also in Swedish again after switching back.
    page.get_by_role("link", name="Agreements", exact=True).click()
    new_row = page.locator("tr", has_text="MOLN-2026")
    expect(new_row).to_contain_text("Molnbolaget Sverige AB")
    switch_language(page, "Svenska")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    assert "3 400 000 kr" in page.locator("tr", has_text="MOLN-2026").inner_text().replace(
        "\xa0", " "
    )

    # The choice sticks to the user, not to the browser: after choosing English, a sign-in
    # from a fresh Swedish-speaking browser (no cookies) comes up in English.
    switch_language(page, "English")
    fresh = page.context.browser.new_context(locale="sv-SE")  # type: ignore[union-attr]
    try:
        other = fresh.new_page()
        sign_in(other, base, "karin@norrlandia.example")
        expect(other.locator("html")).to_have_attribute("lang", "en")
        expect(other.get_by_role("heading", level=1)).to_have_text("My work")
    finally:
        fresh.close()


def test_new_agreement_form_shows_errors_next_to_fields(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in(page, live_server.url, "karin@norrlandia.example")
    switch_language(page, "English")
    page.goto(f"{live_server.url}/agreements/new/")
    page.get_by_role("button", name="Create agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    reference = page.get_by_label("Reference")
    expect(reference).to_have_attribute("aria-invalid", "true")
    expect(reference).to_have_class(re.compile(r"\bis-invalid\b"))
    # The error is tied to the field, so a screen reader reads it with the field.
    described_by = reference.get_attribute("aria-describedby") or ""
    assert "id_reference_error" in described_by.split()
    expect(page.locator("#id_reference_error")).to_be_visible()
    # Keyboard users land on the error summary, whose links lead to the fields.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Reference").click()
    expect(reference).to_be_focused()


def test_adding_a_participant_updates_the_section_without_reloading(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in(page, live_server.url, "karin@norrlandia.example")
    switch_language(page, "English")
    page.goto(f"{live_server.url}/agreements/{live_world.agreement.pk}/")
    page.evaluate("window.__samePage = true")
    participants = page.locator("#participants")
    rows = participants.locator("tbody tr")
    expect(rows.filter(has_text="Lars Sundberg")).to_have_count(0)

    customer_side = participants.locator("section.customer")
    customer_side.get_by_role("combobox", name="Person", exact=True).select_option(
        label="Lars Sundberg – Avtalsansvarig"
    )
    customer_side.get_by_role("combobox", name="Role", exact=True).select_option("editor")
    with page.expect_response(re.compile(r"/participants/add/$")) as response_info:
        customer_side.get_by_role("button", name="Add").click()
    response = response_info.value
    assert response.request.headers.get("hx-request") == "true"

    expect(rows.filter(has_text="Lars Sundberg")).to_be_visible()
    expect(page.get_by_label("Role of Lars Sundberg")).to_have_value("editor")
    assert page.evaluate("window.__samePage") is True, "the page was reloaded"


def test_supplier_sees_only_its_own_agreements(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in(page, live_server.url, "peter@driftpartner.example")
    switch_language(page, "English")
    page.get_by_role("link", name="Agreements", exact=True).click()
    table = page.locator("#agreement-table")
    expect(table).to_contain_text("DRIFT-2025")
    expect(table).not_to_contain_text("APP-2025")
    expect(table).not_to_contain_text("Kodkraft")
    expect(page.locator("caption")).to_have_text("1 agreement")

    # Searching for it or guessing its address does not reveal it either.
    page.get_by_label("Search").fill("APP")
    expect(table).to_contain_text("No agreements match")
    # HTMX replaced only the table; the polite live region announces the new count.
    expect(page.locator("#agreement-count")).to_have_text("0 agreements")
    assert "q=APP" in page.url
    response = page.goto(f"{live_server.url}/agreements/{live_world.other_agreement.pk}/")
    assert response is not None and response.status == 404


def test_styles_and_scripts_come_from_the_app_itself(
    page: Page, live_server: Any, live_world: Any
) -> None:
    foreign: list[str] = []
    failed: list[str] = []

    def note_request(request: Any) -> None:
        if not request.url.startswith((live_server.url, "data:")):
            foreign.append(request.url)

    def note_response(response: Any) -> None:
        if response.status >= 400:
            failed.append(response.url)

    page.on("request", note_request)
    page.on("response", note_response)
    sign_in(page, live_server.url, "karin@norrlandia.example")
    page.goto(f"{live_server.url}/agreements/{live_world.agreement.pk}/")

    # Bootstrap's CSS is applied: the navbar is a flex row, buttons have rounded corners,
    # tables have Bootstrap's cell padding; our stylesheet colours the navbar.
    navbar_display = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display")
    assert navbar_display == "flex"
    radius = page.locator(".btn").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radius not in ("", "0px")
    navbar_bg = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert navbar_bg not in ("", "rgba(0, 0, 0, 0)"), "samverkan.css did not colour the navbar"
    # Bootstrap's JS and htmx are loaded too.
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert page.evaluate("typeof window.htmx") == "object"
    assert foreign == [], f"requests left the app: {foreign}"
    assert failed == [], f"failed requests: {failed}"

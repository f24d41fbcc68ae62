"""The other pages that use htmx, every control on them: participants and the agreement list.

The HTMX guard in ``conftest.py`` checks each swap these controls make.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.agreements.models import Participant
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in_to(page: Page, base_url: str, email: str, path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={path}")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}{path}")


def test_owner_changes_a_role_removes_and_adds_participants_in_place(
    page: Page, live_server: Any, live_world: Any
) -> None:
    world = live_world
    path = f"/agreements/{world.agreement.pk}/"
    sign_in_to(page, live_server.url, world.customer_owner.email, path)
    page.evaluate("window.__samePage = true")
    participants = page.locator("#participants")
    customer_side = participants.locator("section.customer")

    # Add a colleague from the customer's own section.
    customer_side.get_by_role("combobox", name="Person", exact=True).select_option(
        label="Lars Sundberg – Avtalsansvarig"
    )
    customer_side.get_by_role("combobox", name="Roll", exact=True).select_option("editor")
    customer_side.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_label("Roll för Lars Sundberg")).to_have_value("editor")

    # A role changes as soon as it is chosen, and stays changed (once htmx has wired up the
    # section it just swapped in).
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    with page.expect_response(re.compile(r"/participants/\d+/role/$")):
        page.get_by_label("Roll för Lars Sundberg").select_option("viewer")
    expect(page.get_by_label("Roll för Lars Sundberg")).to_have_value("viewer")
    assert world.participant(world.customer_colleague).role == "viewer"

    # Removing asks first: "no" keeps the person, "yes" removes them.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.dismiss())
    customer_side.get_by_role("button", name="Ta bort Lars Sundberg").click()
    page.wait_for_load_state("networkidle")
    expect(customer_side.locator("tbody tr", has_text="Lars Sundberg")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    customer_side.get_by_role("button", name="Ta bort Lars Sundberg").click()
    expect(customer_side.locator("tbody tr", has_text="Lars Sundberg")).to_have_count(0)
    assert not Participant.objects.filter(
        agreement=world.agreement, user=world.customer_colleague
    ).exists()

    # Both sides' sections are still whole; the supplier's is read-only to the customer.
    expect(customer_side.locator("h3")).to_contain_text(world.customer.name)
    supplier_side = participants.locator("section.supplier")
    expect(supplier_side.locator("h3")).to_contain_text(world.supplier.name)
    expect(supplier_side.locator("tbody tr")).to_have_count(2)
    expect(supplier_side.get_by_role("button")).to_have_count(0)
    assert page.evaluate("window.__samePage") is True, "the page was reloaded"


def test_agreement_list_filters_as_one_types_and_keeps_the_page(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in_to(page, live_server.url, live_world.customer_owner.email, "/agreements/")
    table = page.locator("#agreement-table")
    expect(table).to_contain_text("DRIFT-2025")
    expect(table).to_contain_text("APP-2025")
    page.locator("#id_q").fill("Applikation")
    expect(table).not_to_contain_text("DRIFT-2025")
    expect(table).to_contain_text("APP-2025")
    expect(page).to_have_url(re.compile(r"/agreements/\?q=Applikation"))
    page.locator("#id_q").fill("")
    expect(table).to_contain_text("DRIFT-2025")

    # The party and status filters apply on change; "Filtrera" applies them too.
    page.locator("#id_party").select_option(label="Kodkraft Konsult AB")
    expect(table).not_to_contain_text("DRIFT-2025")
    expect(table).to_contain_text("APP-2025")
    page.locator("#id_party").select_option("")
    expect(table).to_contain_text("DRIFT-2025")
    page.locator("#id_status").select_option("ended")
    expect(table).not_to_contain_text("DRIFT-2025")
    page.locator("#id_status").select_option("")
    page.get_by_role("button", name="Filtrera").click()
    expect(table).to_contain_text("DRIFT-2025")
    expect(table).to_contain_text("APP-2025")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    expect(page.locator("#id_q")).to_be_visible()

"""Choosing the other party of a new agreement in a real browser: found as one types,
suggested when submitted, never duplicated silently. Uses every control of the
"Parties" part of the form; the rest of the form is walked in test_agreements_browser.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.accounts.models import Invitation, Organisation
from samverkan.accounts.services import organisation_create
from samverkan.agreements.models import Agreement
from tests.e2e.test_agreements_browser import sign_in, switch_language
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def molnbro(live_world: Any) -> Organisation:
    organisation = organisation_create(
        name="Molnbro Digital AB", kind="supplier", org_number="559203-6619"
    )
    sofia = UserFactory(email="sofia.wallin@molnbro.example", full_name="Sofia Wallin")
    MembershipFactory(user=sofia, organisation=organisation, role="admin")
    organisation_create(name="Molnbro Kommun", kind="customer")  # never a customer's supplier
    return organisation


def _choices(page: Page) -> Any:
    return page.locator("#counterparts")


def test_counterpart_is_found_as_one_types_and_chosen(
    page: Page, live_server: Any, live_world: Any, molnbro: Organisation
) -> None:
    sign_in(page, live_server.url, "karin@norrlandia.example")
    switch_language(page, "English")
    page.goto(f"{live_server.url}/agreements/new/")
    own = page.get_by_label("Our organisation")
    own.select_option(label="Norrlandia Försäkring AB")  # refreshes the list (empty yet)
    name = page.get_by_role("textbox", name="Other party", exact=True)

    name.fill("Fjällnät")
    expect(_choices(page)).to_contain_text("No organisation like “Fjällnät” is here yet")

    name.fill("Molnbro Digitl")  # a typo still finds it
    expect(_choices(page)).to_contain_text("Molnbro Digital AB")
    expect(_choices(page)).to_contain_text("559203-6619")
    expect(_choices(page)).not_to_contain_text("Molnbro Kommun")

    name.fill("559203")  # by organisation number
    existing = page.get_by_role("radio", name="Molnbro Digital AB 559203-6619")
    expect(existing).to_be_visible()

    name.fill("Molnbro Digital")
    new = page.get_by_role(
        "radio", name="None of these: create “Molnbro Digital” as a new organisation"
    )
    new.check()
    page.get_by_label("The other party's organisation number").fill("556734-2299")
    existing.check()  # changed her mind: the one already here
    name.press("End")
    name.type(" AB")  # typing on keeps the choice
    expect(existing).to_be_checked()
    expect(new).to_have_count(0)  # an exact name cannot be created again

    page.get_by_label("Contact at the other party").fill("sofia.wallin@molnbro.example")
    page.get_by_label("Reference").fill("MOLN-2026")
    page.get_by_label("Title").fill("Kundplattform")
    page.get_by_label("Annual value").fill("1 250 000,50 kr")
    page.get_by_role("button", name="Create agreement").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kundplattform")
    agreement = Agreement.objects.get(reference="MOLN-2026")
    assert agreement.supplier == molnbro
    assert agreement.annual_value == Decimal("1250000.50")
    assert Organisation.objects.filter(name__icontains="molnbro digital").count() == 1
    assert not Invitation.objects.exists()  # Molnbro has its administrator


def test_submitted_look_alike_is_questioned_and_no_one_is_invited_twice(
    page: Page, live_server: Any, live_world: Any, molnbro: Organisation
) -> None:
    sign_in(page, live_server.url, "karin@norrlandia.example")
    page.goto(f"{live_server.url}/agreements/new/")
    page.get_by_role("textbox", name="Motpart", exact=True).fill("Molnbro Digital")
    page.get_by_label("Kontaktperson hos motparten").fill("sofia.wallin@molnbro.example")
    page.get_by_label("Referens").fill("MOLN-2026")
    page.get_by_label("Titel").fill("Kundplattform")
    page.get_by_role("button", name="Skapa avtal").click()

    expect(page.get_by_role("alert")).to_contain_text("Menade du Molnbro Digital AB?")
    page.get_by_role(
        "radio", name="Ingen av dessa – skapa ”Molnbro Digital” som ny organisation"
    ).check()
    page.get_by_role("button", name="Skapa avtal").click()

    # Sofia belongs to Molnbro Digital AB: she is not invited into a second organisation.
    expect(page.locator("#id_counterpart_contact_email_error")).to_contain_text(
        "tillhör redan Molnbro Digital AB"
    )
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()
    page.get_by_role("radio", name="Molnbro Digital AB 559203-6619").check()
    page.get_by_role("button", name="Skapa avtal").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kundplattform")
    assert Agreement.objects.get(reference="MOLN-2026").supplier == molnbro
    assert not Invitation.objects.exists()

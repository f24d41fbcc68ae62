"""An administrator answers proposed agreements from "Mitt arbete", in a real browser.

Outsider Konsult AB proposes two agreements to Norrlandia. Anders, Norrlandia's
administrator, finds both on his start page and uses every control: he opens the
first, starts declining and cancels, starts accepting and cancels, then accepts
(Norrlandia already has the proposed reference, so he gives another, after first
leaving the field empty); he declines the second with a reason. Olle, the proposer,
then sees the first as an agreement of both parties and the second marked declined.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from samverkan.agreements.models import Agreement
from samverkan.agreements.services import agreement_create
from tests.e2e.test_agreements_browser import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def _proposals(world: Any) -> tuple[Agreement, Agreement]:
    outsider = OrganisationFactory(name="Outsider Konsult AB", kind="supplier")
    olle = UserFactory(email="olle@outsider.example", full_name="Olle Ek")
    MembershipFactory(user=olle, organisation=outsider)
    first = agreement_create(
        actor=olle,
        own_organisation=outsider,
        counterpart=world.customer,
        reference="DRIFT-2025",  # Norrlandia's own, which Olle cannot see
        title="Rådgivning om drift",
        description="Vi hjälper er att ta fram en driftstrategi.",
    )
    second = agreement_create(
        actor=olle,
        own_organisation=outsider,
        counterpart=world.customer,
        reference="OUT-2027",
        title="Utbildning i molntjänster",
    )
    return first, second


def _item(page: Page, reference: str) -> Locator:
    item = page.locator("li.sv-work-item[data-kind='agreements.proposal']").filter(
        has_text=reference
    )
    expect(item).to_have_count(1)
    return item


def _sign_out(page: Page, full_name: str) -> None:
    page.get_by_role("button", name=full_name).click()
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_an_administrator_answers_proposals_from_my_work(
    page: Page, live_server: Any, live_world: Any
) -> None:
    world = live_world
    first, second = _proposals(world)
    base = live_server.url
    sign_in(page, base, world.org_admin.email)

    # Both proposals wait on the start page, with who proposes them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    item = _item(page, "DRIFT-2025 Rådgivning om drift")
    expect(item).to_contain_text("Besvara avtalsförslaget från Outsider Konsult AB")
    expect(item).to_contain_text("Väntar sedan")
    item.get_by_role("heading", level=2).get_by_role("link").click()

    # The proposal: what it is, from whom, and the two ways to answer.
    proposal_url = f"{base}/agreements/proposals/{first.pk}/"
    expect(page).to_have_url(proposal_url)
    main = page.locator("main")
    expect(main).to_contain_text("Vi hjälper er att ta fram en driftstrategi.")
    expect(main).to_contain_text("Olle Ek")

    # Decline…, then think better of it.
    page.get_by_role("link", name="Avböj…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avböja förslaget?")
    page.get_by_role("link", name="Avbryt").click()
    expect(page).to_have_url(proposal_url)

    # Accept…, cancel, then accept for real.
    page.get_by_role("link", name="Acceptera…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acceptera förslaget?")
    page.get_by_role("link", name="Avbryt").click()
    expect(page).to_have_url(proposal_url)
    page.get_by_role("link", name="Acceptera…").click()
    # Norrlandia already has DRIFT-2025: Anders (who sees all of them) is asked for another.
    expect(main).to_contain_text("Norrlandia Försäkring AB har redan ett avtal med referensen")
    page.get_by_role("button", name="Acceptera förslaget").click()
    expect(page.locator("#id_reference_error")).to_be_visible()
    page.get_by_label("Vår referens för avtalet").fill("DRIFT-2025-RÅD")
    page.get_by_role("button", name="Acceptera förslaget").click()

    # Now an agreement of both parties, with Anders as owner for Norrlandia.
    expect(page).to_have_url(f"{base}/agreements/{first.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Du har accepterat förslaget")
    expect(page.locator(".sv-kicker")).to_contain_text("DRIFT-2025-RÅD")
    customer_side = page.locator("section.sv-side.customer")
    expect(customer_side).to_contain_text("Anders Berg")
    expect(customer_side).to_contain_text("Ägare")
    expect(page.locator(".sv-proposal-note")).to_have_count(0)

    # Back on the start page only the second waits; its button leads to it.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mitt arbete").click()
    expect(page.locator("li.sv-work-item[data-kind='agreements.proposal']")).to_have_count(1)
    _item(page, "OUT-2027").locator(".sv-work-side").get_by_role("link").click()
    expect(page).to_have_url(f"{base}/agreements/proposals/{second.pk}/")

    # Decline it with a reason.
    page.get_by_role("link", name="Avböj…").click()
    page.get_by_label("Skäl (visas för förslagsställaren)").fill("Vi utbildar själva i år.")
    page.get_by_role("button", name="Avböj förslaget").click()
    expect(page).to_have_url(f"{base}/agreements/proposals/{second.pk}/")
    expect(page.get_by_role("status").first).to_contain_text("Du har avböjt förslaget")
    expect(main).to_contain_text("Vi utbildar själva i år.")
    expect(page.get_by_role("link", name="Acceptera…")).to_have_count(0)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mitt arbete").click()
    expect(page.locator("li.sv-work-item[data-kind='agreements.proposal']")).to_have_count(0)

    # The proposer sees the answers.
    _sign_out(page, "Anders Berg")
    sign_in(page, base, "olle@outsider.example")
    page.goto(f"{base}/agreements/{second.pk}/")
    note = page.locator(".sv-proposal-note")
    expect(note).to_contain_text("Norrlandia Försäkring AB har avböjt förslaget")
    expect(note).to_contain_text("Vi utbildar själva i år.")
    page.goto(f"{base}/agreements/{first.pk}/")
    expect(page.locator(".sv-proposal-note")).to_have_count(0)
    expect(page.locator("section.sv-side.customer")).to_contain_text("Anders Berg")

"""The start page ("Mitt arbete") in a real browser: sign in, land on it, follow every item."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from samverkan.accounts.services import invitation_create
from samverkan.appendix.services import appendix_publish
from samverkan.collaboration.services import model_seed
from samverkan.health.services import health_round_open
from tests.e2e.test_agreements_browser import sign_in, switch_language
from tests.factories import MembershipFactory, OrganisationFactory
from tests.health.conftest import enough_people

pytestmark = pytest.mark.browser


def _work_for_karin(world: Any) -> None:
    """One item of every kind for Karin, the customer's owner of DRIFT-2025."""
    model_seed(agreement=world.agreement)  # starter roles: some required checks still fail
    appendix_publish(
        agreement=world.agreement,
        actor=world.customer_owner,
        change_summary="Första versionen",
        accept_errors=True,
    )
    health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=3),
        participants=enough_people(world.agreement),  # more than the threshold on each side
    )
    adviser = OrganisationFactory(name="Rådgivarna i Norr AB", kind="adviser")
    MembershipFactory(user=world.org_admin, organisation=adviser, role="admin")
    invitation_create(
        organisation=adviser,
        email=world.customer_owner.email,
        role="member",
        invited_by=world.org_admin,
    )


def _item(page: Page, kind: str, agreement: str = "") -> Locator:
    items = page.locator(f"li.sv-work-item[data-kind='{kind}']")
    if agreement:
        items = items.filter(has_text=agreement)
    expect(items).to_have_count(1)
    return items


# Where each kind of item leads, and what shows there that it is the right place.
def _arrived(page: Page, kind: str, world: Any) -> None:
    pk = world.agreement.pk
    if kind == "appendix.approval":
        expect(page).to_have_url(re.compile(rf"/agreements/{pk}/appendix/versions/1/$"))
        expect(page.locator("main")).to_contain_text("Version 1")
    elif kind == "appendix.completeness":
        expect(page).to_have_url(re.compile(rf"/agreements/{pk}/appendix/#check$"))
        expect(page.locator("#check")).to_be_visible()
    elif kind == "health.survey":
        expect(page).to_have_url(re.compile(r"/survey/[^/]+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Hälsokontroll hösten 2026")
    elif kind == "health.round":
        expect(page).to_have_url(re.compile(rf"/agreements/{pk}/health/rounds/1/$"))
        expect(page.locator("main")).to_contain_text("Hälsokontroll hösten 2026")
    else:
        assert kind == "accounts.invitation"
        expect(page).to_have_url(re.compile(r"/accounts/invitation/[^/]+/$"))
        expect(page.locator("main")).to_contain_text("Rådgivarna i Norr AB")


def test_signing_in_lands_on_my_work_and_every_item_leads_where_it_is_done(
    page: Page, live_server: Any, live_world: Any
) -> None:
    world = live_world
    _work_for_karin(world)
    base = live_server.url
    sign_in(page, base, world.customer_owner.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Mitt arbete")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("6 saker väntar på dig just nu")).to_be_visible()
    # Most urgent first: what closes in three days, then what has waited, then the rest.
    kinds = page.locator("li.sv-work-item").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds[:2] == ["health.round", "health.survey"]
    assert kinds[2:4] == ["accounts.invitation", "appendix.approval"]
    assert kinds[4:] == ["appendix.completeness", "appendix.completeness"]
    expect(_item(page, "health.survey")).to_contain_text("Senast")
    expect(_item(page, "health.survey")).to_contain_text("om 3 dagar")
    expect(_item(page, "appendix.approval")).to_contain_text("Väntar sedan")
    expect(_item(page, "appendix.completeness", "DRIFT-2025")).to_contain_text(
        "Innan nästa version publiceras"
    )

    # Every item's title and its button lead to where the thing is done.
    for kind in (
        "appendix.approval",
        "appendix.completeness",
        "health.round",
        "accounts.invitation",
        "health.survey",
    ):
        item = _item(page, kind, "DRIFT-2025" if kind == "appendix.completeness" else "")
        title = item.get_by_role("heading", level=2).get_by_role("link")
        title.click()
        _arrived(page, kind, world)
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
        item.locator(".sv-work-side").get_by_role("link").click()
        _arrived(page, kind, world)
        if kind != "health.survey":
            page.go_back()

    # Answer the survey through the link: back on the start page, the survey item is gone.
    page.locator("fieldset.sv-item").first.get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("status")).to_contain_text("Tack!")
    nav.get_by_role("link", name="Mitt arbete").click()
    expect(page.locator("li.sv-work-item[data-kind='health.survey']")).to_have_count(0)
    expect(_item(page, "health.round")).to_contain_text("1 av 8 inbjudna har svarat")

    # The header's button leads to all agreements; the navigation leads back.
    page.get_by_role("link", name="Alla avtal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    nav.get_by_role("link", name="Mitt arbete").click()

    # In English too.
    switch_language(page, "English")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(_item(page, "appendix.approval")).to_contain_text(
        "Approve version 1 of the collaboration appendix"
    )


def test_nothing_to_do_says_so_and_leads_to_the_agreements(
    page: Page, live_server: Any, live_world: Any
) -> None:
    sign_in(page, live_server.url, live_world.customer_colleague.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")
    expect(page.get_by_role("status")).to_contain_text("Inget väntar på dig just nu.")
    page.get_by_role("link", name="Gå till avtalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
    page.get_by_role("link", name="Samverkan", exact=True).click()  # the brand leads home too
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbete")

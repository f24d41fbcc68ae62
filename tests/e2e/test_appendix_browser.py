"""Publishing the collaboration appendix, approving it as each side, and comparing versions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_agreements_browser import sign_in

pytestmark = pytest.mark.browser


def _build_a_partial_model(agreement: Any) -> None:
    """The standard roles, one forum and one process: too little to pass the completeness check."""
    from samverkan.collaboration import services as model

    model.model_seed(agreement=agreement)
    model.objectives_set(
        agreement=agreement, actor=None, texts=["Hög kvalitet och driftstabilitet"]
    )
    model.forum_from_template(agreement=agreement, actor=None, template="steering-group")
    model.process_from_template(agreement=agreement, actor=None, template="change-management")


def _rename_role(agreement: Any, key: str, name: str) -> None:
    from samverkan.collaboration import services as model
    from samverkan.collaboration.models import Role

    role = Role.objects.get(agreement=agreement, key=key)
    model.role_update(role=role, actor=None, version=role.version, name=name)


def _sign_out(page: Page, full_name: str) -> None:
    page.get_by_role("button", name=full_name).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _open_appendix(page: Page, base: str, agreement_pk: int) -> None:
    page.goto(f"{base}/agreements/{agreement_pk}/")
    page.get_by_role("link", name="Collaboration appendix", exact=True).click()
    expect(page.get_by_role("heading", name="Completeness check")).to_be_visible()


def _publish(page: Page, summary: str) -> None:
    page.get_by_label("What changed in this version").fill(summary)
    # A partial model fails required checks: publishing it must be confirmed.
    page.get_by_label("Publish even though required checks fail").check()
    page.get_by_role("button", name="Publish", exact=True).click()


def test_publish_approve_as_each_side_and_compare_versions(
    page: Page, live_world: Any, live_server: Any
) -> None:
    world, base = live_world, live_server.url
    for user in (world.customer_owner, world.supplier_owner):
        user.language = "en"
        user.save()
    _build_a_partial_model(world.agreement)
    versions = page.get_by_role("article")

    # The customer's owner publishes version 1 and approves it for the customer.
    sign_in(page, base, world.customer_owner.email)
    _open_appendix(page, base, world.agreement.pk)
    expect(page.get_by_text("No version has been published yet.")).to_be_visible()
    _publish(page, "First version, agreed in the steering group")
    expect(page.get_by_role("heading", name="Version 1 Awaiting approval")).to_be_visible()
    expect(page.get_by_text("First version, agreed in the steering group")).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="Version 1 has been published")
    ).to_be_visible()
    page.get_by_role("button", name="Approve for the customer").click()
    approved = page.get_by_role("status").filter(
        has_text="You have approved version 1 for your side."
    )
    expect(approved).to_be_visible()
    expect(page.get_by_text("Customer: approved by Karin Lindqvist")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1 Awaiting approval")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve for"))).to_have_count(0)
    _sign_out(page, "Karin Lindqvist")

    # The supplier's owner approves it too: version 1 is in effect.
    sign_in(page, base, world.supplier_owner.email)
    _open_appendix(page, base, world.agreement.pk)
    version_1 = versions.filter(has=page.get_by_role("link", name="Version 1", exact=True))
    expect(version_1).to_contain_text("Awaiting approval")
    version_1.get_by_role("link", name="Version 1", exact=True).click()
    page.get_by_role("button", name="Approve for the supplier").click()
    expect(page.get_by_role("heading", name="Version 1 In effect")).to_be_visible()
    expect(page.get_by_text("Supplier: approved by Peter Nyström")).to_be_visible()
    _sign_out(page, "Peter Nyström")

    # The customer renames a role and publishes version 2.
    _rename_role(world.agreement, "it-supplier", "Leveranschef")
    sign_in(page, base, world.customer_owner.email)
    _open_appendix(page, base, world.agreement.pk)
    _publish(page, "The IT supplier role is now called Leveranschef")
    expect(page.get_by_role("heading", name="Version 2 Awaiting approval")).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text("Leveranschef")  # the document
    page.get_by_role("link", name="Collaboration appendix", exact=True).first.click()
    expect(versions.filter(has_text="Version 2")).to_contain_text("Awaiting approval")
    expect(versions.filter(has_text="Version 1")).to_contain_text("In effect")

    # The diff shows the renamed role as changed, with the name before and after.
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", name="Compare versions")).to_be_visible()
    expect(page.get_by_label("From version")).to_have_value("1")
    expect(page.get_by_label("To version")).to_have_value("2")
    changed = page.locator("section").filter(
        has=page.get_by_role("heading", name="Changed Roles: Leveranschef")
    )
    expect(changed).to_be_visible()
    name_row = changed.get_by_role("row").filter(has_text="IT-leverantör")
    expect(name_row.get_by_role("rowheader")).to_have_text("Name")
    expect(name_row.get_by_role("cell")).to_have_text(["IT-leverantör", "Leveranschef"])
    expect(page.get_by_role("heading", name=re.compile("Removed|Added"))).to_have_count(0)

"""Publishing the collaboration appendix, approving it as each side, and comparing versions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_agreements_browser import sign_in
from tests.factories import PASSWORD

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


def _approval(page: Page) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name="Approval"))


def _downloads_work(page: Page, number: int) -> None:
    """Every download button of the version page gives that version's file."""
    for language in ("SV", "EN"):
        for kind, suffix in (("Word", "docx"), ("PDF", "pdf")):
            with page.expect_download() as info:
                page.get_by_role("link", name=f"{kind} · {language}").click()
            name = info.value.suggested_filename
            assert name == f"DRIFT-2025-samverkansbilaga-v{number}-{language.lower()}.{suffix}"


def test_publish_approve_as_each_side_and_compare_versions(
    page: Page, live_world: Any, live_server: Any, mailoutbox: list[Any]
) -> None:
    world, base = live_world, live_server.url
    for user in (world.customer_owner, world.supplier_owner, world.supplier_viewer):
        user.language = "en"
        user.save()
    _build_a_partial_model(world.agreement)
    versions = page.get_by_role("article")

    # The customer's owner reads the draft, then publishes version 1.
    sign_in(page, base, world.customer_owner.email)
    _open_appendix(page, base, world.agreement.pk)
    expect(page.get_by_text("No version has been published yet.")).to_be_visible()
    page.get_by_role("link", name="Read the draft").click()
    expect(page.get_by_role("heading", name="Draft from the current model")).to_be_visible()
    page.get_by_role("link", name="← Collaboration appendix").click()
    _publish(page, "First version, agreed in the steering group")
    expect(page.get_by_role("heading", name="Version 1 Awaiting approval")).to_be_visible()
    expect(page.get_by_text("First version, agreed in the steering group")).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="Version 1 has been published")
    ).to_be_visible()

    # Both sides' owners were e-mailed a link to the version; nobody else.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.customer_owner.email, world.supplier_owner.email]
    )
    to_peter = next(m for m in mailoutbox if m.to == [world.supplier_owner.email])
    link = re.search(r"https?://\S+/appendix/versions/1/", to_peter.body)
    assert link is not None

    # The page says who can approve; approving without the tick approves nothing.
    approval = _approval(page)
    expect(approval).to_contain_text("You can approve version 1 for the customer.")
    expect(approval).to_contain_text("Customer: awaiting approval")
    expect(approval).to_contain_text("Can approve for the supplier: Peter Nyström")
    expect(approval).not_to_contain_text("not approved")
    page.get_by_role("button", name="Approve version 1").click()
    expect(approval).to_contain_text("Tick the box to confirm that you have read the version.")
    expect(approval).to_contain_text("Customer: awaiting approval")
    page.get_by_label(
        "I have read version 1 and approve it for the customer, Norrlandia Försäkring AB."
    ).check()
    page.get_by_role("button", name="Approve version 1").click()
    approved = page.get_by_role("status").filter(
        has_text="You have approved version 1 for your side."
    )
    expect(approved).to_be_visible()
    expect(approval).to_contain_text("Your side has approved this version.")
    expect(approval).to_contain_text("Customer: approved by Karin Lindqvist")
    expect(page.get_by_role("heading", name="Version 1 Awaiting approval")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)

    # The rest of the version page: the document in either language, and every download.
    # The document is in the agreement's language (Swedish) until the reader picks one.
    document = page.locator(".sv-document")
    expect(document.get_by_role("heading", name="Godkännande av versionen")).to_be_visible()
    page.get_by_role("link", name="English", exact=True).click()
    expect(document.get_by_role("heading", name="Approval of this version")).to_be_visible()
    expect(page.get_by_role("link", name="English", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    expect(document).to_contain_text("Karin Lindqvist")
    expect(document).to_contain_text("No approval recorded")
    page.get_by_role("link", name="Swedish", exact=True).click()
    expect(document.get_by_role("heading", name="Godkännande av versionen")).to_be_visible()
    _downloads_work(page, 1)

    # Publishing again without a change is refused with a message.
    page.get_by_role("link", name="← Collaboration appendix").click()
    page.get_by_label("What changed in this version").fill("The same again")
    page.get_by_label("Publish even though required checks fail").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has changed since version 1")
    expect(versions).to_have_count(1)
    _sign_out(page, "Karin Lindqvist")

    # A viewer is told that only owners approve, and who can.
    sign_in(page, base, world.supplier_viewer.email)
    page.goto(f"{base}/agreements/{world.agreement.pk}/appendix/versions/1/")
    approval = _approval(page)
    expect(approval).to_contain_text("You cannot approve this version")
    expect(approval).to_contain_text("Can approve for the supplier: Peter Nyström")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    _sign_out(page, "Lena Ekholm")

    # The supplier's owner follows the e-mailed link, signs in there and approves.
    page.goto(base + "/" + link.group(0).split("/", 3)[3])
    page.locator("#id_username").fill(world.supplier_owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Version 1 Awaiting approval")).to_be_visible()
    page.get_by_label(
        "I have read version 1 and approve it for the supplier, Driftpartner Norden AB."
    ).check()
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_role("heading", name="Version 1 In effect")).to_be_visible()
    approval = _approval(page)
    expect(approval).to_contain_text("Both sides have approved this version: it is in effect.")
    expect(approval).to_contain_text("Supplier: approved by Peter Nyström")
    expect(document).to_contain_text("Peter Nyström")
    expect(document).not_to_contain_text("Inget godkännande registrerat")
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
    expect(versions.filter(has_text="Version 2")).to_contain_text("Supplier: awaiting approval")
    expect(versions.filter(has_text="Version 1")).to_contain_text("In effect")

    # Version 1 stays in effect until both sides have approved version 2.
    versions.filter(has_text="Version 1").get_by_role("link", name="Version 1").click()
    expect(_approval(page)).to_contain_text(
        "Both sides have approved this version: it is in effect."
    )
    page.get_by_role("link", name="← Collaboration appendix").click()

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
    # Comparing a version with itself: nothing changed.
    page.get_by_label("From version").select_option("2")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_text("The two versions are identical.")).to_be_visible()

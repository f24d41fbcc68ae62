"""An idea's attachments and its editing in a browser, in Swedish, with every control: the
supplier attaches a file and sees it listed with its size and who attached it, downloads it
(the same bytes, under its own name), is refused a wrong type and a file past 10 MB with
the file named, opens the removal and cancels it, then removes the file; the idea is edited:
the form is opened and cancelled, saved with a new title and cost, and a stale form is shown
again with the input kept. The page guard fails the test on any CSP violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.collaboration.services import forum_from_template, model_seed
from samverkan.innovation.idea_services import idea_edit, idea_propose
from samverkan.innovation.models import Attachment, Idea
from samverkan.innovation.services import framework_save
from samverkan.lib import limits
from tests.e2e.test_agreements_browser import sign_in
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px
XLSX = b"PK\x03\x04\x14\x00\x06\x00" + b"kalkyl" * 400
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"files-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _attach(page: Page, name: str, content: bytes, mime: str = "application/octet-stream") -> None:
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="Bifoga", exact=True).click()


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def test_an_editor_attaches_downloads_and_removes_files_and_edits_the_idea(
    page: Page, live_world: Any, live_server: Any, files: Path
) -> None:
    w = live_world
    model_seed(agreement=w.agreement)
    forum_from_template(agreement=w.agreement, actor=None, template="collaboration-council")
    framework_save(agreement=w.agreement, actor=None, version=0, **framework_fields(w))
    idea = idea_propose(
        agreement=w.agreement,
        actor=w.supplier_owner,
        title="Automatisera prisändringar",
        area="processes",
        problem="Prisändringar görs för hand och tar tio dagar.",
        proposal="Ett flöde som läser prislistan och uppdaterar portalen.",
        effect="40",
        effect_unit="hours_per_month",
        baseline="60",
        cost=100000,
    )
    url = f"{live_server.url}/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}/"
    sign_in(page, live_server.url, w.supplier_owner.email)
    page.goto(url)
    expect(page.locator("#no-attachments")).to_be_visible()

    # Attach a file: it is listed with its name, size and who attached it.
    _attach(page, "Kalkyl för prisflödet.xlsx", XLSX, XLSX_TYPE)
    expect(page.locator(".alert-success")).to_contain_text(
        "”Kalkyl för prisflödet.xlsx” har bifogats."
    )
    listed = page.locator("#attachment-list li")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Kalkyl för prisflödet.xlsx")
    expect(listed.first).to_contain_text("2,4 kB")
    expect(listed.first).to_contain_text("bifogad av Peter Nyström")
    _attach(page, "Offert från Driftpartner.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")
    expect(listed).to_have_count(2)
    expect(page.locator("#attachment-count")).to_have_text("2")
    _shoot(page, "idea")

    # Download it: the same bytes, under its own name.
    with page.expect_download() as info:
        page.get_by_role("link", name="Kalkyl för prisflödet.xlsx").click()
    download = info.value
    assert download.suggested_filename == "Kalkyl för prisflödet.xlsx"
    assert Path(download.path()).read_bytes() == XLSX

    # A wrong type and a file past the limit are refused, naming the file.
    _attach(page, "Verktyg.exe", b"MZ\x90\x00")
    expect(page.locator("#attachment-refusal")).to_contain_text(
        "”Verktyg.exe” kan inte bifogas: de filtyper som tas emot är .pdf, .docx"
    )
    _attach(page, "Ritningar.pdf", b"%PDF-1.7\n" + b"\x00" * limits.ATTACHMENT_BYTES_MAX)
    expect(page.locator("#attachment-refusal")).to_contain_text(
        "”Ritningar.pdf” är större än 10 MB, som är det mesta en fil får vara"
    )
    _shoot(page, "refused")
    expect(listed).to_have_count(2)
    assert Attachment.objects.count() == 2
    assert len([path for path in files.rglob("*") if path.is_file()]) == 2

    # Removal asks first; cancelling keeps the file, confirming removes it.
    first = page.locator("#attachment-list li").first
    first.locator("summary").click()
    expect(first).to_contain_text("Ta bort ”Kalkyl för prisflödet.xlsx” från idén?")
    _shoot(page, "remove")
    first.get_by_role("link", name="Avbryt").click()
    expect(first.locator("summary")).to_be_focused()  # closed in place, not reloaded
    expect(
        page.locator("#attachment-list li").first.get_by_role("button", name="Ja, ta bort")
    ).to_be_hidden()
    expect(page.locator("#attachment-list li")).to_have_count(2)
    first = page.locator("#attachment-list li").first
    first.locator("summary").click()
    first.get_by_role("button", name="Ja, ta bort").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "”Kalkyl för prisflödet.xlsx” har tagits bort."
    )
    expect(page.locator("#attachment-list li")).to_have_count(1)
    assert list(Attachment.objects.values_list("name", flat=True)) == [
        "Offert från Driftpartner.pdf"
    ]

    # Editing: the form opens filled in; cancelling changes nothing.
    page.locator("#edit-idea").click()
    expect(page.locator("#id_title")).to_have_value("Automatisera prisändringar")
    expect(page.locator("#id_effect")).to_have_value("40")
    page.locator("#id_title").fill("Något annat")
    page.locator("#edit-cancel").click()
    expect(page.locator("h2")).to_have_text("Automatisera prisändringar")

    # Saving: a new title and cost, shown on the idea.
    page.locator("#edit-idea").click()
    page.locator("#id_title").fill("Automatisera prisändringar i portalen")
    page.locator("#id_cost").fill("300 000")
    page.locator("#id_effect_unit").select_option("other")
    page.locator("#id_effect_unit_other").fill("timmar per kvartal")
    _shoot(page, "edit")
    page.get_by_role("button", name="Spara idén").click()
    expect(page.locator(".alert-success")).to_contain_text("Idén har sparats.")
    expect(page.locator("h2")).to_have_text("Automatisera prisändringar i portalen")
    expect(page.locator("#idea-cost")).to_have_text("300\u00a0000\u00a0kr")
    expect(page.locator("#idea-facts")).to_contain_text("40 timmar per kvartal")

    # A stale form: the customer saved the idea meanwhile; the input is kept.
    page.locator("#edit-idea").click()
    page.locator("#id_title").fill("Leverantörens rubrik")
    fresh = Idea.objects.get(pk=idea.pk)
    idea_edit(
        idea=fresh,
        actor=w.customer_owner,
        version=fresh.version,
        title="Kundens rubrik",
        area=fresh.area,
        problem=fresh.problem,
        proposal=fresh.proposal,
        cost=300000,
    )
    page.get_by_role("button", name="Spara idén").click()
    expect(page.locator(".sv-error-summary")).to_contain_text(
        "Någon annan ändrade detta medan du redigerade"
    )
    expect(page.locator("#id_title")).to_have_value("Leverantörens rubrik")
    _shoot(page, "stale")
    assert Idea.objects.get(pk=idea.pk).title == "Kundens rubrik"

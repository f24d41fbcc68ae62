"""The import page (the base's, agreements/import.html), every control on it: the file, the
replace box, Import and Cancel; a bad file lists its problems in Swedish, with their paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.agreements.agreement_file import agreement_export
from samverkan.agreements.models import Agreement
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_imports_a_bad_file_then_replaces_the_agreement_from_its_export(
    page: Page, live_server: Any, live_world: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next=/agreements/import/")
    page.locator("#id_username").fill(live_world.customer_owner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/agreements/import/")

    # Cancel goes back to the agreement list.
    page.get_by_role("link", name="Avbryt").click()
    page.wait_for_url(f"{base}/agreements/")
    page.get_by_role("link", name="Importera från fil").click()
    page.wait_for_url(f"{base}/agreements/import/")

    bad = tmp_path / "fel.yaml"
    bad.write_text(
        "samverkan: 1\n"
        "agreement: {reference: NY-1, title: Ny, customer: Norrlandia Försäkring AB,"
        " supplier: Ny Leverantör AB}\n"
        "roles:\n  - {key: cio, name: CIO, side: customer, level: high, orientation: it}\n"
        "forums:\n  - {key: sg, name: Styrgrupp, level: strategic, chair: ceo}\n",
        encoding="utf-8",
    )
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Importera").click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Filen har 2 problem; inget har ändrats.")
    expect(problems).to_contain_text(
        "roles[0].level: måste vara något av strategic, tactical, operational"
    )
    expect(problems).to_contain_text('forums[0].chair: okänd rollnyckel "ceo"')
    _shoot(page, "import-problems")
    assert not Agreement.objects.filter(reference="NY-1").exists()

    # The agreement's own export, renamed, replaces it when the box is ticked.
    text = agreement_export(live_world.agreement).replace(
        "title: Drift av datacenter", "title: Drift av datacenter och nät"
    )
    good = tmp_path / "drift.yaml"
    good.write_text(text, encoding="utf-8")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Importera").click()
    expect(page.locator("#import-problems")).to_contain_text("--replace")
    page.locator("#id_file").set_input_files(str(good))
    page.locator("#id_replace").check()
    page.get_by_role("button", name="Importera").click()
    page.wait_for_url(f"{base}/agreements/{live_world.agreement.pk}/model/")
    assert Agreement.objects.get(pk=live_world.agreement.pk).title == "Drift av datacenter och nät"

"""A negotiation case in a browser, in Swedish, with every control: Karin opens a case
from the main navigation (the empty form refused first), builds the team (a colleague
added, the counterparty refused, a role changed, a removal cancelled), and walks the
eight steps in order — texts typed then cancelled, then saved; documents added,
downloaded, one refused, one removed after a cancelled removal; interests, options,
goals, plans B and actions added and removed as rows; the options scored in the matrix
(weighted totals and ranks as computed by hand); each option checked against the
goals (the goal an option misses named) — sees every step marked complete on the
overview, and downloads the brief (Word and PDF) from it. The page guard fails the test
on any CSP violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from samverkan.negotiation.models import Case, Document, Interest, Option
from tests.e2e.test_agreements_browser import sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAMVERKAN_SHOTS")  # a folder: screenshots at 1280 and 390 px
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"neg-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _save(page: Page) -> None:
    page.locator("#step-save").click()
    expect(page.locator(".alert-success")).to_contain_text("Steget har sparats.")


def _next(page: Page, title: str) -> None:
    page.locator("#step-pager a[rel=next]").click()
    expect(page.locator("#step-heading")).to_have_text(title)


def _mark(page: Page, expected: str = "Klart") -> None:
    expect(page.locator("#step-heading + [data-mark]")).to_have_text(expected)


def _add_document(page: Page, name: str, content: bytes) -> None:
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    page.locator("#document-form button[type=submit]").click()


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def test_a_team_walks_the_eight_steps_and_takes_the_brief(
    page: Page, live_world: Any, live_server: Any, files: Path
) -> None:
    w = live_world
    sign_in(page, live_server.url, w.customer_owner.email)

    # Förhandlingar in the main navigation: no case yet.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Förhandlingar"
    ).click()
    expect(page.locator("#no-cases")).to_contain_text("Du är inte med i något förhandlingsärende.")
    _shoot(page, "cases-empty")
    page.locator("#case-new").click()

    # Opening a case: the empty form is refused, the typed role kept.
    page.locator("#id_role").fill("Förhandlingsledare")
    page.get_by_role("button", name="Öppna ärendet").click()
    expect(page.locator(".sv-error-summary")).to_be_visible()
    expect(page.locator("#id_role")).to_have_value("Förhandlingsledare")
    _shoot(page, "new")
    page.locator("#id_title").fill("Förnyelse av driftavtalet 2027")
    page.locator("#id_kind").select_option(label="Förnyelse")
    page.locator("#id_agreement").select_option(label="DRIFT-2025 · Drift av datacenter")
    page.get_by_role("button", name="Öppna ärendet").click()
    expect(page.locator(".alert-success")).to_contain_text("Ärendet har öppnats.")
    expect(page.locator("#steps-complete")).to_have_text("0 av 8 klara")
    expect(page.locator("#step-preparation")).to_contain_text("Teamet består av en enda person")
    case = Case.objects.get()

    # The team: a colleague added, the counterparty refused, a role changed.
    page.locator("#team-heading ~ a").click()
    page.locator("#id_email").fill("lars@norrlandia.example")
    page.locator("#id_role").fill("Drift")
    page.get_by_role("button", name="Lägg till i teamet").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Lars Sundberg har lagts till i ärendet."
    )
    page.locator("#id_email").fill("peter@driftpartner.example")
    page.get_by_role("button", name="Lägg till i teamet").click()
    expect(page.locator("#member-add")).to_contain_text(
        "Bara personer i Norrlandia Försäkring AB och i en rådgivarorganisation kan läggas till"
    )
    lars = page.locator("#member-list tbody tr").nth(1)
    lars.locator("input[type=text]").fill("Driftexpert")
    lars.get_by_role("button", name="Spara").click()
    expect(page.locator(".alert-success")).to_contain_text("Lars Sundberg har ändrats.")
    lars = page.locator("#member-list tbody tr").nth(1)
    expect(lars.locator("input[type=text]")).to_have_value("Driftexpert")
    lars.locator("summary").click()
    expect(lars).to_contain_text("Ta bort Lars Sundberg från ärendet?")
    _shoot(page, "members")
    lars.get_by_role("link", name="Avbryt").click()
    expect(lars.locator("summary")).to_be_focused()
    expect(page.locator("#member-list tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Tillbaka till ärendet").click()

    # 1. God förberedelse: the team, the timeline (typed, cancelled, then saved), documents.
    page.locator("#step-list").get_by_role("link", name="God förberedelse").click()
    expect(page.locator("#team")).to_contain_text("Lars Sundberg")
    expect(page.locator("#team")).to_contain_text("Driftexpert")
    page.locator("#id_timeline").fill("Något annat")
    page.locator("#step-cancel").click()
    expect(page.locator("#id_timeline")).to_have_value("")
    page.locator("#id_timeline").fill(
        "Förberedelse i december, första mötet i februari, avslut i maj."
    )
    _save(page)
    _add_document(page, "Prisjämförelse för drift.pdf", PDF)
    expect(page.locator(".alert-success")).to_contain_text(
        "”Prisjämförelse för drift.pdf” har lagts till."
    )
    _add_document(page, "Utkast.pdf", PDF)
    _add_document(page, "Verktyg.exe", b"MZ\x90\x00")
    expect(page.locator("#document-refusal")).to_contain_text("”Verktyg.exe” kan inte bifogas")
    expect(page.locator("#document-list li")).to_have_count(2)
    with page.expect_download() as info:
        page.get_by_role("link", name="Prisjämförelse för drift.pdf").click()
    assert info.value.suggested_filename == "Prisjämförelse för drift.pdf"
    assert Path(info.value.path()).read_bytes() == PDF
    draft = page.locator("#document-list li", has_text="Utkast.pdf")
    draft.locator("summary").click()
    draft.get_by_role("link", name="Avbryt").click()
    expect(draft.locator("summary")).to_be_focused()
    draft.locator("summary").click()
    draft.get_by_role("button", name="Ja, ta bort").click()
    expect(page.locator(".alert-success")).to_contain_text("”Utkast.pdf” har tagits bort.")
    expect(page.locator("#document-list li")).to_have_count(1)
    assert list(Document.objects.values_list("name", flat=True)) == ["Prisjämförelse för drift.pdf"]
    _mark(page)
    _shoot(page, "step-preparation")

    # 2. Förstå sammanhanget och bakgrunden.
    _next(page, "Förstå sammanhanget och bakgrunden")
    _mark(page, "Tunt")
    expect(page.locator("#step-thin")).to_contain_text("Beskriv marknadsläget")
    page.locator("#id_history").fill("Sju år av stabil drift, men sämre kommunikation sedan 2025.")
    page.locator("#id_market").fill("Tre jämförbara leverantörer i Norden; priserna sjunker.")
    page.locator("#id_previous_agreements").fill("Driftavtalet 2018 och lagringstillägget 2021.")
    page.locator("#id_counterparty").fill("Driftpartner behöver referenskunder i försäkring.")
    _shoot(page, "step-context")
    _save(page)
    _mark(page)

    # 3. Definiera utmaningen.
    _next(page, "Definiera utmaningen")
    page.locator("#id_problem").fill(
        "Tillgängligheten har legat under avtalad nivå två månader i rad."
    )
    page.locator("#id_success").fill(
        "Ett förnyat avtal med skärpta servicenivåer och månadsvis avstämning."
    )
    _save(page)
    _mark(page)
    _shoot(page, "step-challenge")

    # 4. Intressen: rows added, one removed, saved.
    _next(page, "Var tydlig med vad du vill, dina intressen")
    page.locator("#id_interests-0-text").fill("Stabil drift")
    page.locator("#id_interests-0-priority").select_option("5")
    page.get_by_role("button", name="Lägg till ett intresse").click()
    expect(page.locator("#step-note")).to_contain_text("Inte sparat än")
    expect(page.locator("#id_interests-0-text")).to_have_value("Stabil drift")
    page.locator("#id_interests-1-side").select_option(label="Deras (som vi ser dem)")
    page.locator("#id_interests-1-text").fill("Längre avtalstid")
    page.locator("#id_interests-1-priority").select_option("2")
    page.locator("#id_interests-1-relation").select_option(label="Motstridigt")
    page.get_by_role("button", name="Lägg till ett intresse").click()
    page.locator("#id_interests-2-text").fill("Ett intresse som inte hör hit")
    _shoot(page, "step-interests")
    page.locator("#interests-row-2").get_by_role("button", name="Ta bort").click()
    expect(page.locator("#interests-rows .sv-row")).to_have_count(2)
    _save(page)
    assert list(Interest.objects.values_list("text", "priority")) == [
        ("Stabil drift", 5),
        ("Längre avtalstid", 2),
    ]
    _mark(page)

    # 5. Alternativen: three options, scored in the matrix, one removed.
    _next(page, "Utvärdera och bedöm de olika alternativen")
    expect(page.locator("#matrix-empty")).to_contain_text("Spara alternativen först")
    page.locator("#id_options-0-name").fill("Förlänga oförändrat")
    page.get_by_role("button", name="Lägg till ett alternativ").click()
    page.locator("#id_options-1-name").fill("Förlänga med skärpta villkor")
    page.locator("#id_options-1-description").fill("Nya vitesnivåer och månadsvis uppföljning.")
    page.get_by_role("button", name="Lägg till ett alternativ").click()
    page.locator("#id_options-2-name").fill("Upphandla på nytt")
    _save(page)
    unchanged, sharper, tender = Option.objects.order_by("position")
    ours, theirs = Interest.objects.order_by("position")
    for option, interest, score in (
        (unchanged, ours, "2"),
        (unchanged, theirs, "5"),
        (sharper, ours, "5"),
        (sharper, theirs, "4"),
        (tender, ours, "4"),
        (tender, theirs, "1"),
    ):
        page.locator(f"#id_score-{option.pk}-{interest.pk}").select_option(score)
    _save(page)
    # By hand: (5×2 + 2×5)/7 = 2,86; (5×5 + 2×4)/7 = 4,71; (5×4 + 2×1)/7 = 3,14.
    for option, total, rank in (
        (unchanged, "2,86", "3"),
        (sharper, "4,71", "1"),
        (tender, "3,14", "2"),
    ):
        row = page.locator(f"#matrix-option-{option.pk}")
        expect(row.locator("[data-total]")).to_have_text(total)
        expect(row.locator("[data-rank]")).to_have_text(rank)
    expect(page.locator("#ranking li").first).to_contain_text("Förlänga med skärpta villkor")
    _shoot(page, "step-alternatives")
    page.locator("#options-row-2").get_by_role("button", name="Ta bort").click()
    expect(page.locator(f"#matrix-option-{tender.pk}")).to_be_visible()  # until saved
    _save(page)
    expect(page.locator(f"#matrix-option-{tender.pk}")).to_have_count(0)
    expect(page.locator(f"#matrix-option-{unchanged.pk} [data-rank]")).to_have_text("2")
    _mark(page)

    # 6. Stäm av mot intressen och uppsatta mål: two goals, the grid.
    _next(page, "Stäm av mot intressen och uppsatta mål")
    page.locator("#id_goals-0-text").fill("Tillgänglighet minst 99,7 %")
    page.get_by_role("button", name="Lägg till ett mål").click()
    page.locator("#id_goals-1-text").fill("Årsavgiften ökar högst 2 %")
    _save(page)
    grid = page.locator("#goal-table")
    cells = grid.locator("select")
    expect(cells).to_have_count(4)
    # The unchanged extension misses the availability goal; everything else meets.
    page.locator(f"#goal-option-{unchanged.pk} select").first.select_option(label="Uppfyller inte")
    page.locator(f"#goal-option-{unchanged.pk} select").nth(1).select_option(label="Uppfyller")
    for select in page.locator(f"#goal-option-{sharper.pk} select").all():
        select.select_option(label="Uppfyller")
    _save(page)
    expect(page.locator(f"#goal-option-{unchanged.pk} [data-missed]")).to_have_text(
        "Tillgänglighet minst 99,7 %"
    )
    expect(page.locator(f"#goal-option-{sharper.pk} [data-missed]")).to_have_text(
        "Uppfyller alla mål"
    )
    _mark(page)
    _shoot(page, "step-check")

    # 7. Ta fram reservplaner.
    _next(page, "Ta fram reservplaner")
    page.locator("#id_batna").fill("Upphandla driften på nytt och förlänga ett år under tiden.")
    page.locator("#id_walk_away").fill("Högst 2 % högre årsavgift än i dag.")
    page.locator("#id_fallbacks-0-issue").fill("Vitesnivåerna")
    page.locator("#id_fallbacks-0-plan").fill("Godta lägre viten mot kortare avtalstid.")
    page.get_by_role("button", name="Lägg till en reservplan").click()
    page.locator("#id_fallbacks-1-issue").fill("Avtalstiden")
    page.locator("#id_fallbacks-1-plan").fill("Två år med option på ett.")
    _save(page)
    expect(page.locator("#fallbacks-rows .sv-row")).to_have_count(3)  # two and an empty row
    page.locator("#fallbacks-row-1").get_by_role("button", name="Ta bort").click()
    _save(page)
    expect(page.locator("#id_fallbacks-0-issue")).to_have_value("Vitesnivåerna")
    expect(page.locator("#fallbacks-rows .sv-row")).to_have_count(2)
    _mark(page)
    _shoot(page, "step-fallback")

    # 8. Genomför planen (vem, vad och hur).
    _next(page, "Genomför planen (vem, vad och hur)")
    page.locator("#id_actions-0-who").fill("Karin Lindqvist")
    page.locator("#id_actions-0-what").fill("Boka första förhandlingsmötet")
    page.locator("#id_actions-0-how").fill("Via Driftpartners kundansvarige")
    page.locator("#id_actions-0-when").fill("2027-01-15")
    page.locator("#id_actions-0-status").select_option(label="Pågår")
    _save(page)
    _mark(page)
    _shoot(page, "step-execute")
    page.locator("#step-pager a[rel=prev]").click()
    expect(page.locator("#step-heading")).to_have_text("Ta fram reservplaner")

    # The overview: every step complete.
    page.locator("nav[aria-label='Brödsmulor']").get_by_role("link", name=case.title).click()
    expect(page.locator("#steps-complete")).to_have_text("8 av 8 klara")
    expect(page.locator("#step-list [data-mark=complete]")).to_have_count(8)
    expect(page.locator("#facts")).to_contain_text("Fakta från relationen")
    _shoot(page, "case")

    # The list of cases shows it with its steps.
    page.get_by_role("link", name="Förhandlingar", exact=True).first.click()
    expect(page.locator(f"#case-{case.pk}")).to_contain_text("8 av 8")
    _shoot(page, "cases")

    # The brief, from the overview, as Word and as PDF.
    page.get_by_role("link", name="Förnyelse av driftavtalet 2027").click()
    for link, suffix, start in (("#brief-docx", ".docx", b"PK"), ("#brief-pdf", ".pdf", b"%PDF")):
        with page.expect_download() as info:
            page.locator(link).click()
        assert info.value.suggested_filename.endswith(suffix)
        assert Path(info.value.path()).read_bytes().startswith(start)

"""The negotiation brief: every step's content in the Word file and the PDF, in Swedish and
English, marked confidential with the owning organisation's name on every page; facts from
the agreement only for a member who may see it; the page and the command refuse everyone
who is not on the case exactly as a case that does not exist."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from samverkan.negotiation import services
from samverkan.negotiation.access import case_for
from samverkan.negotiation.brief import case_brief
from samverkan.negotiation.models import Case
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.negotiation.filled import filled_case

pytestmark = pytest.mark.django_db

MARKING = {
    "sv": "KONFIDENTIELLT – Norrlandia Försäkring AB – endast för förhandlingsteamet",
    "en": "CONFIDENTIAL – Norrlandia Försäkring AB – for the negotiation team only",
}
STEPS = {
    "sv": [
        "God förberedelse",
        "Förstå sammanhanget och bakgrunden",
        "Definiera utmaningen",
        "Var tydlig med vad du vill, dina intressen",
        "Utvärdera och bedöm de olika alternativen",
        "Stäm av mot intressen och uppsatta mål",
        "Ta fram reservplaner",
        "Genomför planen (vem, vad och hur)",
    ],
    "en": [
        "Good preparation",
        "Understand the context and background",
        "Define the challenge",
        "Be clear about what you want, your interests",
        "Evaluate and assess the alternatives",
        "Check against interests and the goals set",
        "Prepare fallback plans",
        "Execute the plan (who, what and how)",
    ],
}
# What the team typed in every step (see tests/negotiation/filled.py).
CONTENT = [
    "Karin Lindqvist",
    "Förhandlingsledare",
    "Lars Sundberg",
    "Driftexpert",
    "Första mötet i februari, avslut före maj.",
    "Sju år av stabil drift",
    "Tre jämförbara leverantörer i Norden",
    "Driftavtalet 2018",
    "Driftpartner växer snabbt",
    "Tillgängligheten har sjunkit under den avtalade nivån",
    "Ett förnyat avtal med skärpta servicenivåer",
    "Stabil drift",
    "Längre avtalstid",
    "Förlänga med skärpta villkor",
    "Öppen upphandling våren 2027.",
    "Tillgänglighet minst 99,7 %",
    "Upphandla driften på nytt under 2027",
    "Högst 2 % högre årsavgift",
    "Vitesnivåerna",
    "Godta lägre viten mot kortare avtalstid.",
    "Boka första förhandlingsmötet",
    "Via Driftpartners kundansvarige",
]
# Hand-computed: priorities 5 and 2; (2·5 + 5·2)/7 = 2,86; (5·5 + 4·2)/7 = 4,71; (4·5 + 1·2)/7 = 3,14.
TOTALS = {"sv": ("4,71", "3,14", "2,86"), "en": ("4.71", "3.14", "2.86")}


def docx_text(data: bytes) -> str:
    """The paragraphs, tables, header and footer of a Word file, one per line."""
    word = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    for section in word.sections:
        lines += [paragraph.text for paragraph in section.header.paragraphs]
    return "\n".join(lines)


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text through pdftotext (poppler), as a reader's copy-paste would give it."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftotext, "-enc", "UTF-8", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _download(client: Any, case: Case, fmt: str, language: str | None = None) -> Any:
    url = reverse("negotiation:brief", kwargs={"pk": case.pk, "fmt": fmt})
    return client.get(url, {"language": language} if language else {})


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_word_brief_holds_every_step_and_what_the_team_wrote(
    world: World, client_for: Any, language: str
) -> None:
    case = filled_case(world)
    response = _download(client_for(world.customer_owner), case, "docx", language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    for number, title in enumerate(STEPS[language], start=1):
        assert f"{number} {title}" in text
    for typed in CONTENT:
        assert typed in text
    for total in TOTALS[language]:
        assert total in text
    assert MARKING[language] in text  # in the header, which Word repeats on every page
    assert "Förnyelse av driftavtalet 2027" in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_brief_is_marked_confidential_on_every_page_with_correct_swedish_letters(
    world: World, client_for: Any, tmp_path: Path, language: str
) -> None:
    case = filled_case(world)
    response = _download(client_for(world.customer_owner), case, "pdf", language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert MARKING[language] in page, f"page {number} is not marked"
    text = " ".join(" ".join(page.split()) for page in pages)
    for word in ("Förhandlingsledare", "Förnyelse", "Tillgängligheten", "Öppen", "årsavgift"):
        assert word in text
    for number, title in enumerate(STEPS[language], start=1):
        assert f"{number} {title}" in text
    for total in TOTALS[language]:
        assert total in text


def test_the_brief_is_in_the_persons_own_language_unless_asked(
    world: World, client_for: Any
) -> None:
    case = filled_case(world)
    world.customer_owner.language = "en"
    world.customer_owner.save()
    client = client_for(world.customer_owner)
    assert MARKING["en"] in docx_text(_download(client, case, "docx").content)
    assert MARKING["sv"] in docx_text(_download(client, case, "docx", "sv").content)
    assert MARKING["en"] in docx_text(_download(client, case, "docx", "fi").content)


def test_a_thin_step_says_why_in_the_brief(world: World) -> None:
    case = services.case_create(
        organisation=world.customer,
        actor=world.customer_owner,
        title="Ändring av lagringstjänsten",
        kind="change",
    )
    text = case_brief(
        case_for(world.customer_owner, case.pk), user=world.customer_owner, language="sv"
    ).plain_text()
    assert "Fortfarande tunt: Teamet består av en enda person" in text
    assert "Beskriv marknadsläget." in text
    assert "0 av 8 steg klara" in text
    assert "Inte kopplat till något avtal" in text
    full = filled_case(world)
    text = case_brief(
        case_for(world.customer_owner, full.pk), user=world.customer_owner, language="sv"
    ).plain_text()
    assert "Fortfarande tunt" not in text
    assert "8 av 8 steg klara" in text
    # The ranking (hand-computed above) and the goal the first option misses.
    assert "1 | Förlänga med skärpta villkor" in text
    assert "Förlänga oförändrat missar: Tillgänglighet minst 99,7 %" in text


def test_facts_from_the_agreement_only_for_a_member_who_may_see_it(world: World) -> None:
    case = filled_case(world)
    owner = case_brief(
        case_for(world.customer_owner, case.pk), user=world.customer_owner, language="en"
    )
    assert "Facts from the agreement" in owner.plain_text()
    assert "Relationship type" in owner.plain_text()
    # Lars is on the case but not a participant of DRIFT-2025: no facts about it.
    colleague = case_brief(
        case_for(world.customer_colleague, case.pk), user=world.customer_colleague, language="en"
    )
    assert "Facts from the agreement" not in colleague.plain_text()


@pytest.mark.parametrize("persona", ["supplier_viewer", "other_supplier_user", "org_admin"])
@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_nobody_off_the_case_gets_the_brief(
    world: World, client_for: Any, persona: str, fmt: str
) -> None:
    case = filled_case(world)
    response = _download(client_for(getattr(world, persona)), case, fmt)
    assert response.status_code == 404
    missing = reverse("negotiation:brief", kwargs={"pk": case.pk + 1000, "fmt": fmt})
    assert client_for(getattr(world, persona)).get(missing).status_code == 404
    assert _download(client_for(None), case, fmt).status_code == 302  # to the sign-in page


def test_a_member_asking_an_unknown_format_gets_404(world: World, client_for: Any) -> None:
    case = filled_case(world)
    assert _download(client_for(world.customer_owner), case, "html").status_code == 404


def test_the_command_writes_the_brief_for_a_member(world: World, tmp_path: Path) -> None:
    case = filled_case(world)
    out = tmp_path / "brief.docx"
    call_command(
        "brief", str(case.pk), "--as", world.customer_owner.email, "--format", "docx",
        "--language", "en", "--output", str(out),
    )  # fmt: skip
    assert MARKING["en"] in docx_text(out.read_bytes())
    pdf = tmp_path / "brief.pdf"
    call_command("brief", str(case.pk), "--as", world.customer_colleague.email, "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert MARKING["sv"] in pdf_pages(pdf.read_bytes(), tmp_path)[0]


@pytest.mark.parametrize("persona", ["supplier_viewer", "other_supplier_user", "org_admin"])
def test_the_command_refuses_everyone_off_the_case_as_if_it_did_not_exist(
    world: World, tmp_path: Path, persona: str
) -> None:
    case = filled_case(world)
    email = getattr(world, persona).email
    messages = []
    for pk in (case.pk, case.pk + 1000):
        with pytest.raises(CommandError) as caught:
            call_command("brief", str(pk), "--as", email, "-o", str(tmp_path / "x.pdf"))
        messages.append(str(caught.value).replace(str(pk), "N"))
    assert messages[0] == messages[1]
    assert "No negotiation case" in messages[0]
    assert not (tmp_path / "x.pdf").exists()


def test_an_invited_adviser_gets_the_brief_and_an_uninvited_one_does_not(
    world: World, client_for: Any
) -> None:
    case = filled_case(world)
    advisers = OrganisationFactory(name="Inköpsrådgivarna AB", kind="adviser")
    invited, other = (
        UserFactory(email=f"{name}@radgivarna.example", full_name=name.title())
        for name in ("eva", "olof")
    )
    for adviser in (invited, other):
        MembershipFactory(user=adviser, organisation=advisers)
    services.member_add(case=case, user=invited, role="Inköpsrådgivare")
    response = _download(client_for(invited), case, "docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "Inköpsrådgivare" in text
    assert "Facts from the agreement" not in text and "Fakta från avtalet" not in text
    assert _download(client_for(other), case, "docx").status_code == 404

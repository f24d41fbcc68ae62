"""The exports show what the results page shows, and never a figure below the threshold."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from pypdf import PdfReader

from samverkan.accounts.models import User
from samverkan.documents.model import Table
from samverkan.health import export, instrument, services
from samverkan.health.models import Round
from samverkan.health.results import round_results
from tests.conftest import World
from tests.health.conftest import RoundMaker, answer, invite_people

SHEETS = ["Summary", "Dimensions", "Statements", "Mirror", "Free text", "Trend", "Interventions"]
# The customer's three respondents score every item 4, 4 and 5 and recommend 10, 9 and 8.
CUSTOMER_MEAN = 4.3  # (4 + 4 + 5) / 3, reported with one decimal as on the page
# Two promoters and no detractor would be +67, but three recommendations are fewer than a
# single statement's group (5): the score is withheld, like a statement of three.
CUSTOMER_NPS = None
# The supplier's two would give 1.5, a 50/50 split, -100 and a gap of 2.83: none may appear.
SUPPLIER_SECRET_NUMBERS = {
    1.5,
    0.5,
    50.0,
    -100.0,
    round(CUSTOMER_MEAN - 1.5, 2),
    round(1.5 - CUSTOMER_MEAN, 2),
}
SUPPLIER_SECRET_TEXT = "LEVERANTÖRENS FRITEXT"


@pytest.fixture
def lopsided(world: World) -> Round:
    """Three customer respondents (shown), two supplier respondents (withheld), with free text.

    Four asked on each side (a round needs more than the threshold); one customer and two
    suppliers do not answer.
    """
    customers = [world.participant(world.customer_owner)]
    customers += invite_people(world.agreement, "customer", 3)
    suppliers = [world.participant(world.supplier_owner), world.participant(world.supplier_viewer)]
    suppliers += invite_people(world.agreement, "supplier", 2)
    round = services.health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll våren 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        participants=customers + suppliers,
    )
    customer_texts = ["Veckomötena fungerar bra.", '=HYPERLINK("http://evil.example","klicka")']
    for i, invitation in enumerate(round.invitations.filter(side="customer").order_by("pk")[:3]):
        answer(
            invitation,
            [4, 4, 5][i],
            recommend=[10, 9, 8][i],
            free_texts={"fungerar": customer_texts[i]} if i < 2 else {},
        )
    for i, invitation in enumerate(round.invitations.filter(side="supplier").order_by("pk")[:2]):
        answer(
            invitation,
            [1, 2][i],
            recommend=[0, 1][i],
            free_texts={"forandra": SUPPLIER_SECRET_TEXT},
        )
    return services.health_round_close(round=round)


def workbook_of(round: Round, language: str = "en") -> Workbook:
    data = export.results_workbook(round_results(round, language=language), language=language)
    return load_workbook(io.BytesIO(data))


def every_cell(workbook: Workbook) -> Iterator[Cell]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell  # type: ignore[misc]


def header_row(workbook: Workbook, sheet: str, row: int = 1) -> dict[str, int]:
    """Header text → column number."""
    return {
        str(cell.value): cell.column
        for cell in workbook[sheet][row]
        if cell.value is not None and isinstance(cell.column, int)
    }


def pdf_text(data: bytes) -> str:
    return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# --- the helper --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "value", "decimals", "signed", "expected"),
    [
        ("sv", 3.8, 1, False, "3,8"),
        ("en", 3.8, 1, False, "3.8"),
        ("sv", 3.85, 1, False, "3,9"),  # half up, not truncated
        ("sv", 4.3333, 1, False, "4,3"),
        ("sv", 1.2, 1, True, "+1,2"),
        ("sv", -1.25, 1, True, "−1,3"),
        ("sv", -0.04, 1, True, "0,0"),  # never "-0,0"
        ("en", 66.666, 0, True, "+67"),
        ("en", -100.0, 0, True, "−100"),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(
    language: str, value: float, decimals: int, signed: bool, expected: str
) -> None:
    from django.utils import translation

    with translation.override(language):
        assert export.format_decimal(value, decimals, signed=signed) == expected


# --- the workbook ---------------------------------------------------------------------


def test_the_workbook_has_a_sheet_per_part_of_the_results(lopsided: Round) -> None:
    workbook = workbook_of(lopsided)

    assert workbook.sheetnames == SHEETS
    for name in SHEETS[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value is not None)


def test_the_summary_shows_the_customers_figures_as_numbers(lopsided: Round) -> None:
    sheet = workbook_of(lopsided)["Summary"]
    labels = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    assert sheet.cell(row=labels["Agreement"], column=2).value == "DRIFT-2025 · Drift av datacenter"
    assert sheet.cell(row=labels["Title"], column=2).value == "Hälsokontroll våren 2026"
    assert sheet.cell(row=labels["Smallest group shown (respondents)"], column=2).value == 3
    closing = sheet.cell(row=labels["Closing date"], column=2)
    assert closing.value.date() == lopsided.closes_on  # a date, not text
    rows = {
        sheet.cell(row=r, column=1).value: [c.value for c in sheet[r]]
        for r in range(1, sheet.max_row + 1)
    }
    header = rows["Side"]
    customer = dict(zip(header, rows["Customer"], strict=True))
    assert customer["Organisation"] == "Norrlandia Försäkring AB"
    assert (customer["Invited"], customer["Answered"], customer["Respondents in the figures"]) == (
        4,
        3,
        3,
    )
    assert customer["Overall mean (1–5)"] == CUSTOMER_MEAN
    assert customer["Net recommendation score (−100 to 100)"] == CUSTOMER_NPS
    supplier = dict(zip(header, rows["Supplier"], strict=True))
    assert supplier["Overall mean (1–5)"] is None
    assert supplier["Net recommendation score (−100 to 100)"] is None
    assert supplier["Note"] == "Fewer than 3 respondents"


def test_dimension_and_statement_figures_are_rounded_numbers(lopsided: Round) -> None:
    workbook = workbook_of(lopsided)
    dimensions = workbook["Dimensions"]
    columns = header_row(workbook, "Dimensions")
    names = [dimensions.cell(row=r, column=2).value for r in range(2, dimensions.max_row + 1)]
    assert names == [d.name for d in instrument.dimensions("en")]
    for r in range(2, dimensions.max_row + 1):
        mean = dimensions.cell(row=r, column=columns["Customer, mean"])
        assert mean.value == CUSTOMER_MEAN
        assert mean.number_format == "0.0"
        assert dimensions.cell(row=r, column=columns["Supplier, mean"]).value is None
        assert dimensions.cell(row=r, column=columns["Note"]).value == (
            "Supplier: fewer than 3 respondents"
        )
    # A single statement needs five who scored it (issue 10): three customers show none.
    statements = workbook["Statements"]
    columns = header_row(workbook, "Statements")
    assert statements.cell(row=2, column=columns["Customer, mean"]).value is None
    assert statements.cell(row=2, column=columns["Customer, share of 4"]).value is None
    assert statements.cell(row=2, column=columns["Note"]).value == (
        "Customer: fewer than 5 gave a score; Supplier: fewer than 5 gave a score"
    )


def test_a_side_below_the_threshold_appears_nowhere_as_a_figure(lopsided: Round) -> None:
    workbook = workbook_of(lopsided)

    numbers = {
        round(float(cell.value), 2)
        for cell in every_cell(workbook)
        if isinstance(cell.value, int | float)
    }
    texts = [str(cell.value) for cell in every_cell(workbook) if isinstance(cell.value, str)]
    assert not numbers & SUPPLIER_SECRET_NUMBERS
    assert CUSTOMER_MEAN in numbers  # the side with three is shown
    assert not [text for text in texts if any(s in text for s in ("1.5", "1,5", "-100", "2.83"))]
    assert not any(SUPPLIER_SECRET_TEXT in text for text in texts)
    assert "Veckomötena fungerar bra." in texts
    # Every column of the supplier's figures is empty, in every sheet that has one.
    for name in ("Dimensions", "Statements"):
        sheet = workbook[name]
        for header, column in header_row(workbook, name).items():
            if header.startswith("Supplier,"):
                assert all(
                    sheet.cell(row=r, column=column).value is None
                    for r in range(2, sheet.max_row + 1)
                )
    trend = workbook["Trend"]
    assert [c.value for c in trend[2]][3:5] == [CUSTOMER_MEAN, None]


def test_no_cell_and_no_part_of_the_file_names_a_person(lopsided: Round) -> None:
    data = export.results_workbook(round_results(lopsided, language="sv"), language="sv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = "\n".join(archive.read(name).decode() for name in archive.namelist()).lower()
    people = list(User.objects.all())
    assert len(people) >= 8
    for person in people:
        assert person.email.lower() not in content
        assert person.full_name.lower() not in content
    cells = " ".join(str(cell.value) for cell in every_cell(load_workbook(io.BytesIO(data))))
    for person in people:
        assert person.email not in cells
        assert person.full_name not in cells


def test_a_free_text_that_looks_like_a_formula_stays_text(lopsided: Round) -> None:
    sheet = workbook_of(lopsided)["Free text"]
    answers = {sheet.cell(row=r, column=3).value: r for r in range(2, sheet.max_row + 1)}
    cell = sheet.cell(row=answers['=HYPERLINK("http://evil.example","klicka")'], column=3)

    assert cell.data_type == "s"
    assert sheet.cell(row=cell.row, column=1).value == "Norrlandia Försäkring AB"


def test_the_same_results_give_the_same_bytes(lopsided: Round) -> None:
    results = round_results(lopsided, language="sv")
    first = export.results_workbook(results, language="sv")
    second = export.results_workbook(results, language="sv")

    assert first == second
    closed = lopsided.closed_at
    assert closed is not None
    moment = closed.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        # A zip stores seconds in steps of two.
        stamp = moment.replace(second=moment.second - moment.second % 2)
        assert {info.date_time for info in archive.infolist()} == {stamp.timetuple()[:6]}
    properties = load_workbook(io.BytesIO(first)).properties
    assert (properties.created, properties.modified) == (moment, moment)


def test_the_note_names_the_rounds_own_threshold(make_round: RoundMaker) -> None:
    round = make_round(customer=[4, 4, 5], supplier=[2, 3, 3], threshold=4)
    workbook = workbook_of(round)

    summary = workbook["Summary"]
    notes = [c.value for c in summary[summary.max_row]]
    assert "Fewer than 4 respondents" in notes
    assert not [c for c in every_cell(workbook) if isinstance(c.value, float)]


def test_a_round_without_figures_yet_exports_only_its_facts(make_round: RoundMaker) -> None:
    round = make_round(customer=[4, 4, 5], supplier=[2, 3, 3], close=False)
    workbook = workbook_of(round)

    assert workbook["Dimensions"].max_row == 1
    document = export.summary_document(round_results(round, language="en"), language="en")
    assert "No figures are shown yet." in document.plain_text()


# --- the one-page summary -------------------------------------------------------------


def test_the_summary_is_one_page_in_swedish_with_every_dimension(lopsided: Round) -> None:
    data = export.summary_pdf(round_results(lopsided, language="sv"), language="sv")
    text = pdf_text(data)

    assert pdf_pages(data) == 1
    assert "Hälsokontroll våren 2026" in text
    assert "Norrlandia Försäkring AB" in text
    flat = " ".join(text.split())
    for dimension in instrument.dimensions("sv"):
        assert dimension.name in flat
    assert "4,3" in text  # the customer's mean, with a decimal comma
    assert "4.3" not in text


def test_the_summary_shows_no_figure_of_the_withheld_side(lopsided: Round) -> None:
    results = round_results(lopsided, language="sv")
    document = export.summary_document(results, language="sv")
    key_figures, dimensions = [b for b in document.blocks if isinstance(b, Table)]
    text = pdf_text(export.summary_pdf(results, language="sv"))

    assert key_figures.rows[1][2:] == ["–", "–"]  # the supplier's mean and score
    assert len(dimensions.rows) == 15
    assert {row[2] for row in dimensions.rows} == {"–"}  # the supplier's means
    assert {row[3] for row in dimensions.rows} == {"–"}  # the gaps
    for secret in ("1,5", "1.5", "-100", "−100", "2,8", "50 %", SUPPLIER_SECRET_TEXT):
        assert secret not in text
    assert "+67" not in text  # the customer's score of three is withheld too
    for person in User.objects.all():
        assert person.email not in text
        assert person.full_name not in text


def test_a_full_summary_with_flags_own_statements_and_interventions_fits_one_page(
    make_round: RoundMaker,
) -> None:
    def mixed(statement: str, dimension: str, target: str) -> int:
        return 2 if dimension in ("tillhora", "samsyn", "feedback") else 4

    round = make_round(
        customer=[5, 5, 4, 5],
        supplier=[mixed, mixed, 3],
        recommend={"customer": [10, 9, 9, 7], "supplier": [6, 8, 9]},
        own_statements=["Vi håller vad vi lovar i styrgruppen."],
        title="Hälsokontroll efter omorganisationen av driften, med nya forum och ny "
        "leverantörsledning, under våren och sommaren 2026",  # near the 120 characters allowed
    )
    assert len(round.title) == 119
    texts = {}
    for language in ("sv", "en"):
        results = round_results(round, language=language)
        assert len(results.dimensions) == 16
        assert any(row.flagged for row in results.dimensions)
        assert len(results.interventions) > export.TOP_INTERVENTIONS
        data = export.summary_pdf(results, language=language)
        texts[language] = " ".join(pdf_text(data).split())
        assert pdf_pages(data) == 1, language
        assert export.FLAG in texts[language]
        for item in results.interventions[: export.TOP_INTERVENTIONS]:
            assert item.title in texts[language]
        assert results.interventions[export.TOP_INTERVENTIONS].title not in texts[language]
    # The customer's 5, 5, 4 and 5 give 4.75, rounded half up.
    assert "4,8" in texts["sv"]
    assert "4.8" in texts["en"]


def test_the_english_summary_uses_a_decimal_point(lopsided: Round) -> None:
    document = export.summary_document(round_results(lopsided, language="en"), language="en")
    text = document.plain_text()

    assert "4.3" in text
    assert "4,3" not in text
    assert "Relationship health, summary for the steering group" in document.subtitle

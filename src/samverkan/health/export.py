"""A round's results as an Excel workbook and as a one-page summary for the steering group.

Both are built only from ``results.RoundResults``, the figures already released
past the threshold, so they show what the results page shows and nothing more:
no figure for a group of fewer respondents than the round's threshold, and
nothing that says who answered what (no names, no e-mail addresses, no
per-person rows). Texts are in the requested language.

The workbook (``results_workbook``) has one sheet per part of the results page:
Summary (the round's facts, then one row per party), Dimensions, Statements,
Mirror, Free text, Trend and Interventions, named in the requested language.
Every sheet after the summary is one list under a bold, frozen header row with
a filter.

- Figures are numbers, never text, and never more exact than the page: means
  with one decimal, as the page reports them, and gaps that are the difference
  of those means (format ``0.0``, gaps signed), so every gap in the file can be
  checked from the two means beside it; the share of answers per score in whole
  percent (format ``0%``), the net recommendation score as a whole number
  (format ``+0``), dates as dates. Excel shows them in the reader's own locale.
- **A withheld figure is an empty cell.** A column of figures holds only numbers
  or nothing, so it sorts and sums; the row's last column, *Note*, then says
  whose figure is missing and why ("Supplier: fewer than 3 respondents", with
  the round's threshold; for one statement, "Supplier: fewer than 5 gave a
  score", with the round's statement threshold). A gap, a classification or a share that would need
  the withheld figure is empty too.
- Every text is stored as text: a free-text answer that starts with ``=`` stays
  a sentence, never a formula.
- The same results give the same bytes: the file's created and modified times
  and the time of every entry in the zip are the round's closing time (its
  opening time while it is still open). openpyxl stamps "now" on both when it
  saves, so the workbook is written with its ``ExcelWriter`` and the zip
  entries re-dated.

The summary (``summary_document``, ``summary_pdf``) is one A4 page through the
shared documents module: key figures per party, the dimension table with the
perception gap (⚠ at ``analysis.GAP_FLAG`` or more), the group phase and each
party's (the group's is the earlier of the two), the first three interventions and a note on the threshold. Numbers there are text in the
language's format: "3,8" in Swedish, "3.8" in English.
"""

from __future__ import annotations

import datetime
import io
import textwrap
import zipfile
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from samverkan.agreements.models import Side
from samverkan.core.formatting import format_decimal
from samverkan.documents.model import (
    Block,
    BulletList,
    Document,
    Heading,
    Labels,
    Paragraph,
    Table,
)
from samverkan.documents.pdf import render_pdf
from samverkan.documents.text import printable
from samverkan.health import analysis, instrument
from samverkan.health.models import Target
from samverkan.health.results import SIDES, Figure, RoundResults

TOP_INTERVENTIONS = 3  # how many the one-page summary lists
FLAG = "⚠"

MEAN = "0.0"
GAP = "+0.0;-0.0;0.0"
SHARE = "0%"
SCORE = "+0;-0;0"
WHOLE = "0"
DATE = "yyyy-mm-dd"

Value = str | int | float | datetime.date | None


# --- numbers as people read them --------------------------------------------------


def _two(value: float) -> float:
    return round(value, 2)


def _fewer(results: RoundResults, what: str | None = None) -> str:
    if what is None:
        return _("Fewer than %(n)s respondents") % {"n": results.threshold}
    return _("%(what)s: fewer than %(n)s respondents") % {"what": what, "n": results.threshold}


def _fewer_scores(results: RoundResults, what: str) -> str:
    return _("%(what)s: fewer than %(n)s gave a score") % {
        "what": what,
        "n": results.statement_threshold,
    }


def _side_label(side: str) -> str:
    return str(Side(side).label)


def _names(keys: tuple[str, ...], language: str) -> str:
    return ", ".join(instrument.dimension(key, language).name for key in keys)


def _party_phase(results: RoundResults, side: str, language: str) -> str:
    """A party's phase from its own answers, "every phase passed" said; "–" when not shown."""
    assert results.phase is not None
    result = results.phase.parties[side].result
    if result.phase is None:
        return "–"
    name = instrument.dimension(result.phase, language).name
    if result.reason == "all_passed":
        return _("%(phase)s (every phase passed)") % {"phase": name}
    return name


def _phase_sentence(results: RoundResults, language: str) -> tuple[str, str]:
    """The group's phase (or "") and what it rests on: the rule, and any change since."""
    view = results.phase
    if view is None:
        return "", _("No figures are shown yet.")
    result = view.result
    if result.phase is None:
        return "", _(
            "Not determined: a group is only as far as both its parties, and figures from one "
            "of them are missing."
        )
    sentence = _(
        "Each party's phase is read from its own answers: the first phase whose mean is below "
        "%(limit)s, or the last phase when none is. A group is only as far as both its parties, "
        "so the group's phase is the earlier of the two."
    ) % {"limit": format_decimal(analysis.PHASE_THRESHOLD)}
    if view.back_to is not None:
        sentence += " " + _(
            "Since the round the group's members or task have changed, so it starts again at "
            "%(phase)s: %(changes)s"
        ) % {
            "phase": instrument.dimension(view.back_to, language).name,
            "changes": "; ".join(
                f"{timezone.localtime(change.at).date().isoformat()} {change.text}"
                for change in view.changes
            )
            + ".",
        }
    return instrument.dimension(result.phase, language).name, sentence


# --- the workbook ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None  # None: text
    wide: bool = False  # a long text, wrapped


def _sheet_title(name: str) -> str:
    """A sheet name Excel accepts, whatever the translation says (≤ 31, no []:*?/\\)."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in printable(name)).strip("' ")
    return cleaned[:31] or "-"


def _write(sheet: Worksheet, row: int, values: list[Value], columns: list[Column]) -> None:
    for index, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=index)
        if isinstance(value, str):
            cell.value = printable(value)
            cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
        else:
            cell.value = value
        column = columns[index - 1] if index <= len(columns) else None
        if column is not None and column.number_format and not isinstance(value, str):
            cell.number_format = column.number_format
        if column is not None and column.wide:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header(sheet: Worksheet, row: int, columns: list[Column]) -> None:
    _write(sheet, row, [c.header for c in columns], [])
    for index in range(1, len(columns) + 1):
        cell = sheet.cell(row=row, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _table(workbook: Workbook, title: str, columns: list[Column], rows: list[list[Value]]) -> None:
    """A sheet that is one list: a bold, frozen header row with a filter, then ``rows``."""
    sheet: Worksheet = workbook.create_sheet(_sheet_title(title))
    _header(sheet, 1, columns)
    for number, values in enumerate(rows, start=2):
        _write(sheet, number, values, columns)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    _fit(sheet, columns)
    _header_height(sheet, 1, columns)


def _fit(sheet: Worksheet, columns: list[Column]) -> None:
    """Column widths from the longest line in each column, within sensible bounds."""
    for index, column in enumerate(columns, start=1):
        longest = 0
        for (value,) in sheet.iter_rows(min_col=index, max_col=index, values_only=True):
            if value is None or value == column.header:
                continue
            if isinstance(value, float | int):
                text = f"{value:.2f}"
            elif isinstance(value, datetime.date):
                text = "2026-01-01"
            else:
                text = max(str(value).splitlines() or [""], key=len)
            longest = max(longest, len(text))
        width = max(longest, _two_lines(column.header), 8) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(
            width, 80 if column.wide else 40
        )


def _two_lines(header: str) -> int:
    """The narrowest width at which ``header`` wraps to at most two lines, words unbroken."""
    width = max((len(word) for word in header.split()), default=0)
    while len(textwrap.wrap(header, width)) > 2:
        width += 1
    return width


def _header_height(sheet: Worksheet, row: int, columns: list[Column]) -> None:
    """A header row tall enough for its wrapped headers (Excel does not grow it by itself)."""
    lines = 1
    for index, column in enumerate(columns, start=1):
        width = sheet.column_dimensions[get_column_letter(index)].width or 10
        lines = max(lines, len(textwrap.wrap(column.header, max(int(width) - 2, 1))))
    sheet.row_dimensions[row].height = 15 * lines


def _note(notes: list[str]) -> str | None:
    return "; ".join(notes) or None


def _mean(figure: Figure) -> float | None:
    return None if figure.mean is None else _two(figure.mean)


def _summary_sheet(workbook: Workbook, results: RoundResults, language: str) -> None:
    round = results.round
    agreement = round.agreement
    sheet: Worksheet = workbook.create_sheet(_sheet_title(pgettext("sheet name", "Summary")))
    phase, why = _phase_sentence(results, language)
    closed = timezone.localtime(round.closed_at).date() if round.closed_at else None
    facts: list[tuple[str, Value, str | None]] = [
        (_("Agreement"), f"{agreement.reference} · {agreement.title}", None),
        (_("Round"), round.number, WHOLE),
        (_("Title"), round.title, None),
        (_("Closing date"), round.closes_on, DATE),
        (_("Closed"), closed if closed else _("Open: the figures may still change"), DATE),
        (_("Smallest group shown (respondents)"), results.threshold, WHOLE),
        (_("Smallest group for one statement (scores)"), results.statement_threshold, WHOLE),
        (_("Group phase"), phase or None, None),
        *(
            (
                _("Phase, %(organisation)s") % {"organisation": results.sides[side].organisation},
                _party_phase(results, side, language) if results.phase else None,
                None,
            )
            for side in SIDES
        ),
        (_("About the phase"), why, None),
    ]
    for number, (label, value, number_format) in enumerate(facts, start=1):
        _write(sheet, number, [label, value], [Column(""), Column("", number_format, wide=True)])
        sheet.cell(row=number, column=1).font = Font(bold=True)
    columns = [
        Column(pgettext("party", "Side")),
        Column(_("Organisation")),
        Column(_("Invited"), WHOLE),
        Column(_("Answered"), WHOLE),
        Column(_("Respondents in the figures"), WHOLE),
        Column(_("Overall mean (1–5)"), MEAN),
        Column(_("Net recommendation score (−100 to 100)"), SCORE),
        Column(_("Note"), wide=True),
    ]
    first = len(facts) + 2
    _header(sheet, first, columns)
    for number, side in enumerate(SIDES, start=first + 1):
        summary = results.sides[side]
        notes = []
        if summary.withheld:
            notes.append(_fewer(results))
        elif summary.nps is None:  # too few answered that one question
            notes.append(_fewer(results, _("Net recommendation score")))
        _write(
            sheet,
            number,
            [
                _side_label(side),
                summary.organisation,
                summary.invited,
                summary.answered,
                summary.shown,
                _mean(summary.overall),
                summary.nps,
                _note(notes),
            ],
            columns,
        )
    _fit(sheet, columns)
    _header_height(sheet, first, columns)


def _dimensions_sheet(workbook: Workbook, results: RoundResults, language: str) -> None:
    groups = {group.key: group.name for group in instrument.groups(language)}
    customer, supplier = _side_label("customer"), _side_label("supplier")
    columns = [
        Column(_("Area")),
        Column(_("Dimension")),
        Column(_("%(side)s, mean") % {"side": customer}, MEAN),
        Column(_("%(side)s, mean") % {"side": supplier}, MEAN),
        Column(_("Gap (customer − supplier)"), GAP),
        Column(_("Gap flagged")),
        Column(_("Note"), wide=True),
    ]
    rows: list[list[Value]] = []
    for row in results.dimensions:
        notes = [
            _fewer(results, label)
            for label, figure in ((customer, row.customer), (supplier, row.supplier))
            if figure.withheld
        ]
        rows.append(
            [
                groups.get(row.group, row.name if row.group == "own" else row.group),
                row.name,
                _mean(row.customer),
                _mean(row.supplier),
                None if row.gap is None else _two(row.gap),
                None if row.gap is None else (_("Yes") if row.flagged else _("No")),
                _note(notes),
            ]
        )
    _table(workbook, pgettext("sheet name", "Dimensions"), columns, rows)


def _statements_sheet(workbook: Workbook, results: RoundResults) -> None:
    targets = dict(Target.choices)
    columns = [Column(_("Dimension")), Column(_("Asked about")), Column(_("Statement"), wide=True)]
    for side in SIDES:
        label = _side_label(side)
        columns.append(Column(_("%(side)s, mean") % {"side": label}, MEAN))
        columns += [
            Column(_("%(side)s, share of %(score)s") % {"side": label, "score": score}, SHARE)
            for score in analysis.AGREEMENT_SCALE
        ]
    columns.append(Column(_("Note"), wide=True))
    rows: list[list[Value]] = []
    for dimension in results.dimensions:
        for statement in results.statements.get(dimension.key, []):
            values: list[Value] = [
                dimension.name,
                str(targets.get(statement.target, statement.target)),
                statement.text,
            ]
            notes = []
            for side in SIDES:
                figure: Figure = getattr(statement, side)
                values.append(_mean(figure))
                shares = figure.distribution if figure.mean is not None else None
                values += [
                    None if shares is None else round(shares.get(score, 0.0) / 100, 2)
                    for score in analysis.AGREEMENT_SCALE
                ]
                if figure.withheld:
                    notes.append(_fewer_scores(results, _side_label(side)))
            values.append(_note(notes))
            rows.append(values)
    _table(workbook, pgettext("sheet name", "Statements"), columns, rows)


def _mirror_class(key: str) -> str:
    # Each is spelled out so makemessages finds it.
    texts = {
        "agreed_strength": _("Agreed strength: both rate it high"),
        "agreed_weakness": _("Agreed weakness: both rate it low"),
        "blind_spot": _("Blind spot: rated high by itself, low by the other party"),
        "undervalued_strength": _(
            "Undervalued strength: rated higher by the other party than by itself"
        ),
    }
    return texts[key]


def _mirror_sheet(workbook: Workbook, results: RoundResults) -> None:
    self_label, other_label = _("Self-view"), _("Other party's view")
    columns = [
        Column(_("Organisation rated")),
        Column(_("Dimension")),
        Column(self_label, MEAN),
        Column(other_label, MEAN),
        Column(_("Gap (self − other)"), GAP),
        Column(_("Classification"), wide=True),
        Column(_("Note"), wide=True),
    ]
    rows: list[list[Value]] = []
    for row in results.mirror:
        notes = [
            _fewer(results, label)
            for label, figure in ((self_label, row.self_view), (other_label, row.other_view))
            if figure.withheld
        ]
        rows.append(
            [
                results.sides[row.side].organisation,
                row.name,
                _mean(row.self_view),
                _mean(row.other_view),
                None if row.gap is None else _two(row.gap),
                None if row.classification is None else _mirror_class(row.classification),
                _note(notes),
            ]
        )
    _table(workbook, pgettext("sheet name", "Mirror"), columns, rows)


def _free_text_sheet(workbook: Workbook, results: RoundResults, language: str) -> None:
    columns = [
        Column(pgettext("party", "Side")),
        Column(_("Question")),
        Column(_("Answer"), wide=True),
    ]
    rows: list[list[Value]] = []
    for side in SIDES:
        summary = results.sides[side]
        if summary.withheld:
            continue
        for question in instrument.free_text_questions(language):
            rows += [
                [summary.organisation, question.text, text]
                for text in summary.free_text.get(question.key, [])
            ]
    _table(workbook, pgettext("sheet name", "Free text"), columns, rows)


def _trend_sheet(workbook: Workbook, results: RoundResults) -> None:
    customer, supplier = _side_label("customer"), _side_label("supplier")
    columns = [
        Column(_("Round"), WHOLE),
        Column(_("Title")),
        Column(_("Closing date"), DATE),
        Column(_("%(side)s, overall mean") % {"side": customer}, MEAN),
        Column(_("%(side)s, overall mean") % {"side": supplier}, MEAN),
        Column(_("Note"), wide=True),
    ]
    rows: list[list[Value]] = []
    for point in results.trend:
        notes = [
            _("%(what)s: not shown") % {"what": label}
            for label, mean in ((customer, point.customer), (supplier, point.supplier))
            if mean is None
        ]
        rows.append(
            [
                point.round.number,
                point.round.title,
                point.round.closes_on,
                None if point.customer is None else _two(point.customer),
                None if point.supplier is None else _two(point.supplier),
                _note(notes),
            ]
        )
    _table(workbook, pgettext("sheet name", "Trend"), columns, rows)


def _interventions_sheet(workbook: Workbook, results: RoundResults, language: str) -> None:
    columns = [
        Column(_("Intervention")),
        Column(_("What to do"), wide=True),
        Column(_("Recommended for"), wide=True),
    ]
    rows: list[list[Value]] = [
        [item.title, item.description, _names(item.because, language)]
        for item in results.interventions
    ]
    _table(workbook, pgettext("sheet name", "Interventions"), columns, rows)


def _moment(results: RoundResults) -> datetime.datetime:
    """The time the file speaks for, as naive UTC (what the file formats store)."""
    round = results.round
    moment = round.closed_at or round.opened_at
    return moment.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)


def _save(workbook: Workbook, moment: datetime.datetime) -> bytes:
    workbook.properties.creator = "Samverkan"
    workbook.properties.lastModifiedBy = "Samverkan"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    written = io.BytesIO()
    # Not ``workbook.save``: it sets the modified time to now.
    ExcelWriter(workbook, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    dated = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(dated, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry))
    return dated.getvalue()


def results_workbook(results: RoundResults, *, language: str) -> bytes:
    """The round's results as an .xlsx workbook in ``language`` (see the module docstring)."""
    with translation.override(language):
        workbook = Workbook()
        workbook.remove(workbook.worksheets[0])
        _summary_sheet(workbook, results, language)
        _dimensions_sheet(workbook, results, language)
        _statements_sheet(workbook, results)
        _mirror_sheet(workbook, results)
        _free_text_sheet(workbook, results, language)
        _trend_sheet(workbook, results)
        _interventions_sheet(workbook, results, language)
        workbook.properties.title = _("Relationship health: %(round)s") % {
            "round": results.round.title
        }
        workbook.properties.language = language
        return _save(workbook, _moment(results))


# --- the one-page summary ------------------------------------------------------------


def _figure_text(figure: Figure) -> str:
    return "–" if figure.mean is None else format_decimal(figure.mean)


def _gap_text(gap: float | None, flagged: bool) -> str:
    if gap is None:
        return "–"
    text = format_decimal(gap, signed=True)
    return f"{text} {FLAG}" if flagged else text


def summary_document(results: RoundResults, *, language: str) -> Document:
    """One A4 page for the steering group: key figures, dimensions, phase, interventions."""
    with translation.override(language):
        round = results.round
        agreement = round.agreement
        customer, supplier = _side_label("customer"), _side_label("supplier")
        blocks: list[Block] = [Heading(_("Key figures"), level=2)]
        key_rows = []
        for side in SIDES:
            summary = results.sides[side]
            key_rows.append(
                [
                    f"{summary.organisation} ({_side_label(side).lower()})",
                    _("%(answered)s of %(invited)s")
                    % {
                        "answered": summary.answered,
                        "invited": summary.invited,
                    },
                    _figure_text(summary.overall),
                    "–" if summary.nps is None else format_decimal(summary.nps, 0, signed=True),
                ]
            )
        blocks.append(
            Table(
                columns=[
                    pgettext("party", "Side"),
                    _("Answered"),
                    _("Overall mean (1–5)"),
                    _("Net recommendation score"),
                ],
                rows=key_rows,
                widths=[4, 1.6, 2.8, 2.8],
            )
        )
        if results.dimensions:
            blocks.append(Heading(_("Dimensions"), level=2))
            blocks.append(
                Table(
                    columns=[_("Dimension"), customer, supplier, _("Gap")],
                    rows=[
                        [
                            row.name,
                            _figure_text(row.customer),
                            _figure_text(row.supplier),
                            _gap_text(row.gap, row.flagged),
                        ]
                        for row in results.dimensions
                    ],
                    widths=[5, 1.6, 1.6, 1.6],
                )
            )
        shown_trend = [p for p in results.trend if p.customer is not None or p.supplier is not None]
        if len(shown_trend) > 1:
            blocks.append(
                Paragraph(
                    _("Overall mean per round (%(customer)s / %(supplier)s): %(points)s")
                    % {
                        "customer": customer.lower(),
                        "supplier": supplier.lower(),
                        "points": " · ".join(
                            f"{p.round.title} "
                            + " / ".join(
                                "–" if v is None else format_decimal(v)
                                for v in (p.customer, p.supplier)
                            )
                            for p in shown_trend
                        ),
                    }
                )
            )
        phase, why = _phase_sentence(results, language)
        blocks.append(Heading(_("Group phase"), level=2))
        if phase:
            blocks.append(Paragraph(phase, style="lead"))
        if results.phase is not None:
            blocks.append(
                Paragraph(
                    " ".join(
                        _("%(organisation)s: %(phase)s.")
                        % {
                            "organisation": results.sides[side].organisation,
                            "phase": _party_phase(results, side, language),
                        }
                        for side in SIDES
                    )
                )
            )
        blocks.append(Paragraph(why))
        interventions = results.interventions[:TOP_INTERVENTIONS]
        if interventions:
            blocks.append(Heading(_("Suggested interventions"), level=2))
            blocks.append(
                BulletList(
                    [
                        _("%(title)s (for %(reasons)s)")
                        % {"title": item.title, "reasons": _names(item.because, language)}
                        for item in interventions
                    ]
                )
            )
        blocks.append(
            Paragraph(
                _(
                    "Means on a scale of 1 to 5. Gap: the customer's mean minus the supplier's; "
                    "%(flag)s marks a gap of %(limit)s or more. A dash (–) stands where fewer than "
                    "%(n)s people answered: no figure is shown for fewer than %(n)s, and nothing "
                    "shows who answered what."
                )
                % {
                    "flag": FLAG,
                    "limit": format_decimal(analysis.GAP_FLAG),
                    "n": results.threshold,
                },
                style="note",
            )
        )
        closed = timezone.localtime(round.closed_at).date() if round.closed_at else None
        when = (
            _("closed %(date)s") % {"date": closed.isoformat()}
            if closed
            else _("open until %(date)s") % {"date": round.closes_on.isoformat()}
        )
        return Document(
            title=f"{agreement.reference} · {round.title}",
            subtitle=_("Relationship health, summary for the steering group · %(when)s")
            % {"when": when},
            language=language,
            reference=f"{agreement.reference} · {agreement.title}",
            version=_("Round %(number)s") % {"number": round.number},
            date=(closed or round.closes_on).isoformat(),
            blocks=blocks,
            labels=Labels(contents=_("Contents"), page=_("Page"), of=_("of")),
            toc=False,
        )


def summary_pdf(results: RoundResults, *, language: str) -> bytes:
    """The one-page summary as PDF bytes (the same results give the same bytes)."""
    return render_pdf(summary_document(results, language=language))

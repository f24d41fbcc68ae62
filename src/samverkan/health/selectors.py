"""Reads for the health pages: the list of rounds, a round's page, its downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse

from samverkan.agreements.models import Agreement
from samverkan.core.formatting import format_decimal
from samverkan.core.links import agreement_link
from samverkan.health import analysis, charts, instrument, results, services
from samverkan.health.models import Invitation, Response, Round, SideFigures


def _count(model: type[Invitation] | type[Response], side: str) -> Coalesce:
    rows = (
        model.objects.filter(round=OuterRef("pk"), side=side)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def rounds_with_progress(*, agreement: Agreement) -> QuerySet[Round]:
    """The agreement's rounds, newest first, with invited/answered counts per side (one query)."""
    return (
        Round.objects.filter(agreement=agreement)
        .annotate(
            customer_invited=_count(Invitation, "customer"),
            supplier_invited=_count(Invitation, "supplier"),
            customer_answered=_count(Response, "customer"),
            supplier_answered=_count(Response, "supplier"),
        )
        .order_by("-number")
    )


@dataclass(frozen=True)
class RoundRow:
    round: Round
    accepts_answers: bool
    customer: tuple[int, int]  # answered, invited
    supplier: tuple[int, int]


def round_rows(*, agreement: Agreement) -> list[RoundRow]:
    rows = []
    for round in rounds_with_progress(agreement=agreement):
        round = services.close_if_due(round) if round.closed_at is None else round
        rows.append(
            RoundRow(
                round=round,
                accepts_answers=services.round_accepts_answers(round),
                customer=(round.customer_answered, round.customer_invited),  # type: ignore[attr-defined]
                supplier=(round.supplier_answered, round.supplier_invited),  # type: ignore[attr-defined]
            )
        )
    return rows


def round_charts(data: results.RoundResults, *, language: str) -> dict[str, str]:
    """The results page's charts as inline SVG, each twice: wide, and narrow for phones."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(language):
        customer = data.sides["customer"].organisation
        supplier = data.sides["supplier"].organisation
        withheld = _("fewer than %(n)s answers") % {"n": data.threshold}
        bar_rows = [
            charts.BarRow(row.name, row.customer.mean, row.supplier.mean, row.gap, row.flagged)
            for row in data.dimensions
            if row.group != instrument.OWN_DIMENSION
        ]
        bars, bars_narrow = (
            charts.dimension_bars(
                bar_rows,
                title=_("Mean per dimension, 1–5"),
                customer_label=customer,
                supplier_label=supplier,
                withheld_label=withheld,
                gap_label=_("Gap"),
                decimal_comma=language == "sv",
                narrow=narrow,
            )
            for narrow in (False, True)
        )
        trend, trend_narrow = (
            charts.trend_lines(
                [
                    point.round.title
                    if point.round.closed_at
                    else _("%(title)s (preliminary)") % {"title": point.round.title}
                    for point in data.trend
                ],
                [
                    charts.TrendSeries(customer, [p.customer for p in data.trend], "customer"),
                    charts.TrendSeries(supplier, [p.supplier for p in data.trend], "supplier"),
                ],
                title=_("Overall mean per round, 1–5"),
                decimal_comma=language == "sv",
                empty_label=_("No round has figures yet."),
                narrow=narrow,
            )
            for narrow in (False, True)
        )
    return {
        "bars": bars,
        "bars_narrow": bars_narrow,
        "trend": trend,
        "trend_narrow": trend_narrow,
    }


def round_page_context(round: Round, *, language: str) -> dict[str, Any]:
    """The results page of a round: figures, charts and the sections as lists to print."""
    data = results.round_results(round, language=language)
    context: dict[str, Any] = {
        "round": round,
        "results": data,
        "accepts_answers": services.round_accepts_answers(round),
    }
    if not (data.visible and data.any_shown):
        return context
    names = {d.key: d for d in instrument.dimensions(language)}
    phase = data.phase
    assert phase is not None
    own = {row.key: row.name for row in data.dimensions if row.group == instrument.OWN_DIMENSION}
    previous = [p for p in data.trend if p.round.pk != round.pk]
    change: dict[str, float | None] = {}
    for side in results.SIDES:
        now = data.sides[side].overall.mean
        before = next(
            (getattr(p, side) for p in reversed(previous) if getattr(p, side) is not None), None
        )
        change[side] = None if now is None or before is None else now - before
    context.update(
        scale=instrument.agreement_scale(language),
        change=change,
        charts=round_charts(data, language=language),
        phase_dimension=names.get(phase.result.phase or ""),
        phase_first=names[phase.first],
        phase_limit=format_decimal(analysis.PHASE_THRESHOLD),
        phase_deciding=[data.sides[side].organisation for side in phase.deciding],
        phase_rows=[
            (
                names[key],
                phase.parties["customer"].means[key],
                phase.parties["supplier"].means[key],
                both,
            )
            for key, both in phase.means.items()
        ],
        phase_parties=[
            (data.sides[side].organisation, names.get(party.result.phase or ""), party.result)
            for side, party in phase.parties.items()
        ],
        dimension_names={key: d.name for key, d in names.items()},
        intervention_links={
            item.key: agreement_link(round.agreement_id, item.link)
            for item in data.interventions
            if item.link
        },
        mirror_sections=[
            (data.sides[side].organisation, [row for row in data.mirror if row.side == side])
            for side in results.SIDES
        ],
        statement_sections=[
            (names[key].name if key in names else own.get(key, key), rows)
            for key, rows in data.statements.items()
        ],
        free_text_sections=[
            (
                data.sides[side].organisation,
                [
                    (question.text, data.sides[side].free_text.get(question.key, []))
                    for question in instrument.free_text_questions(language)
                ],
            )
            for side in results.SIDES
            if not data.sides[side].withheld
        ],
    )
    return context


def round_confirm_context(round: Round) -> dict[str, Any]:
    """What the question before closing or reminding says: answers so far, per side and in all."""
    counts = results.progress(round)
    sides = [(round.agreement.organisation_of(side).name, *counts[side]) for side in results.SIDES]
    answered = sum(answered for _name, answered, _invited in sides)
    invited = sum(invited for _name, _answered, invited in sides)
    return {
        "sides": sides,
        "answered": answered,
        "invited": invited,
        "pending": invited - answered,
    }


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_file(round: Round, fmt: str, *, language: str) -> tuple[bytes, str]:
    """The results as an Excel workbook (``xlsx``) or a one-page PDF summary (``pdf``).

    Returns the bytes and a file name. Raises ``ValueError`` for another format
    and ``LookupError`` while the round's results are not visible.
    """
    from samverkan.health import export

    if fmt not in EXPORT_TYPES:
        raise ValueError(fmt)
    if not round.results_visible:
        raise LookupError("the results are shown when the round closes")
    data = results.round_results(round, language=language)
    stem = "relationshalsa" if language == "sv" else "relationship-health"
    name = f"{round.agreement.reference}-{stem}-{round.number}-{language}.{fmt}"
    if fmt == "xlsx":
        return export.results_workbook(data, language=language), name
    return export.summary_pdf(data, language=language), name


def export_response(round: Round, fmt: str, *, language: str) -> HttpResponse:
    try:
        content, name = export_file(round, fmt, language=language)
    except (ValueError, LookupError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class HealthStatus:
    """The agreement overview's line on relationship health: the newest round with results."""

    round: Round | None
    open_round: Round | None
    customer: float | None  # overall mean; None when withheld
    supplier: float | None
    flagged: list[str]  # names of the dimensions whose perception gap is flagged


def health_status(*, agreement: Agreement, language: str) -> HealthStatus:
    """Two queries however many rounds: the newest five rounds, and the overall and
    per-dimension figures the newest closed one released (not its statements or texts).

    A round past its closing date is closed on the way, as on the health page.
    """
    rounds = [
        services.close_if_due(r)
        for r in Round.objects.filter(agreement=agreement).order_by("-number")[:5]
    ]
    open_round = next((r for r in rounds if services.round_accepts_answers(r)), None)
    closed = next((r for r in rounds if r.closed_at is not None), None)
    if closed is None:
        return HealthStatus(None, open_round, None, None, [])
    shown: dict[str, tuple[dict[str, Any] | None, dict[str, Any]]] = {
        side: (overall, dimensions or {})
        for side, overall, dimensions in SideFigures.objects.filter(round=closed).values_list(
            "side", "figures__overall", "figures__dimensions"
        )
    }
    customer_overall, customer_dims = shown.get("customer", (None, {}))
    supplier_overall, supplier_dims = shown.get("supplier", (None, {}))

    flagged = []
    for dimension in instrument.dimensions(language):
        a = _shown_mean(customer_dims.get(dimension.key, {}).get("all"))
        b = _shown_mean(supplier_dims.get(dimension.key, {}).get("all"))
        if a is not None and b is not None and analysis.gap_flagged(analysis.perception_gap(a, b)):
            flagged.append(dimension.name)
    return HealthStatus(
        round=closed,
        open_round=open_round,
        customer=_shown_mean(customer_overall),
        supplier=_shown_mean(supplier_overall),
        flagged=flagged,
    )


def _shown_mean(group: dict[str, Any] | None) -> float | None:
    """``results.Figure.from_json(group).mean``, without building the distribution."""
    if group is None or group.get("withheld"):
        return None
    return analysis.shown_mean(group["mean"])

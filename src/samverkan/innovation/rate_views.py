"""The innovation rate page (issue 12, point 8), and the sentences the overview panel and
the portfolio share with it.

Per side of the proposer: ideas per quarter (chart and table), share approved, share
implemented, median days to a decision and the realised effect against the expected
one, with the supplier's rate compared with what the framework (or the relationship
type's governance profile) expects. Read-only: everyone who may see the agreement sees
it; outsiders get 404. ``samverkan.innovation.rate`` says what each figure means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_for
from samverkan.agreements.models import Agreement, Side
from samverkan.core.registry import PortfolioCell
from samverkan.core.requests import request_user
from samverkan.innovation.presentation import figure
from samverkan.innovation.rate import Quarter
from samverkan.innovation.rate_selectors import (
    ALL,
    AgreementRate,
    innovation_rate,
    innovation_rates,
)
from samverkan.lib.svgchart import ColumnSeries, column_chart


def quarter_label(quarter: Quarter) -> str:
    """ "K1 2026" in Swedish, "Q1 2026" in English."""
    return _("Q%(number)s %(year)s") % {"number": quarter.number, "year": quarter.year}


def _ideas(rate: Decimal) -> int:
    """The count ngettext chooses the form by: one idea, otherwise ideas (0,5 ideas)."""
    return 1 if rate == 1 else 2


def _over(rate: AgreementRate) -> str:
    if not rate.window_completed:
        return _("so far this quarter")
    return ngettext(
        "over the last completed quarter",
        "over the last %(n)s completed quarters",
        len(rate.window),
    ) % {"n": len(rate.window)}


def rate_sentence(rate: AgreementRate) -> str:
    """The supplier's rate against the expectation, in a sentence:
    "Leverantören har föreslagit 0,25 idéer per kvartal i snitt de senaste 4 avslutade
    kvartalen; ramverket förväntar 3." """
    supplier = rate.supplier.per_quarter
    values = {
        "rate": figure(supplier),
        "over": _over(rate),
        "expected": rate.expected,
    }
    count = _ideas(supplier)
    if rate.expected is None:
        return (
            ngettext(
                "The supplier has proposed %(rate)s idea a quarter on average %(over)s; no rate "
                "is expected.",
                "The supplier has proposed %(rate)s ideas a quarter on average %(over)s; no rate "
                "is expected.",
                count,
            )
            % values
        )
    if not rate.falls_short:
        return (
            ngettext(
                "The supplier has proposed %(rate)s idea a quarter on average %(over)s, which "
                "meets the expected %(expected)s.",
                "The supplier has proposed %(rate)s ideas a quarter on average %(over)s, which "
                "meets the expected %(expected)s.",
                count,
            )
            % values
        )
    if rate.expected_from == "framework":
        return (
            ngettext(
                "The supplier has proposed %(rate)s idea a quarter on average %(over)s; the "
                "framework expects %(expected)s.",
                "The supplier has proposed %(rate)s ideas a quarter on average %(over)s; the "
                "framework expects %(expected)s.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "The supplier has proposed %(rate)s idea a quarter on average %(over)s; the "
            "relationship type's governance profile expects %(expected)s.",
            "The supplier has proposed %(rate)s ideas a quarter on average %(over)s; the "
            "relationship type's governance profile expects %(expected)s.",
            count,
        )
        % values
    )


def rate_cell_text(rate: AgreementRate) -> str:
    """The portfolio's short form: "0,25 av 3 per kvartal"."""
    if rate.expected is None:
        return _("%(rate)s a quarter") % {"rate": figure(rate.supplier.per_quarter)}
    return _("%(rate)s of %(expected)s a quarter") % {
        "rate": figure(rate.supplier.per_quarter),
        "expected": rate.expected,
    }


def _side_names(agreement: Agreement) -> dict[str, str]:
    return {
        Side.CUSTOMER.value: agreement.customer.name,
        Side.SUPPLIER.value: agreement.supplier.name,
        ALL: _("Both"),
    }


def rate_charts(rate: AgreementRate, agreement: Agreement) -> dict[str, SafeString]:
    """The chart of ideas per quarter per side against the expected line, wide and narrow."""
    names = _side_names(agreement)
    quarters = rate.chart_quarters
    series = [
        ColumnSeries(
            names[side],
            [rate.sides[side].by_quarter.get(quarter, 0) for quarter in quarters],
            side,  # type: ignore[arg-type]
        )
        for side in (Side.CUSTOMER.value, Side.SUPPLIER.value)
    ]
    reference_label = (
        _("Expected of the supplier: %(n)s a quarter") % {"n": rate.expected}
        if rate.expected is not None
        else ""
    )
    decimal_comma = (translation.get_language() or "sv").startswith("sv")
    return {
        key: SafeString(
            column_chart(
                [quarter_label(quarter) for quarter in quarters],
                series,
                title=_("Ideas proposed per quarter"),
                reference=rate.expected,
                reference_label=reference_label,
                decimal_comma=decimal_comma,
                narrow=narrow,
                cls="sv-columns innovation-rate-chart",
            )
        )
        for key, narrow in (("wide", False), ("narrow", True))
    }


def _table(rate: AgreementRate) -> list[dict[str, Any]]:
    """The chart's quarters as rows (the chart's text alternative), newest first."""
    return [
        {
            "quarter": quarter_label(quarter),
            "customer": rate.sides[Side.CUSTOMER].by_quarter.get(quarter, 0),
            "supplier": rate.sides[Side.SUPPLIER].by_quarter.get(quarter, 0),
            "current": quarter == rate.period[-1],
        }
        for quarter in reversed(rate.chart_quarters)
    ]


def _percent(value: Decimal | None, part: int, whole: int) -> str:
    if value is None:
        return "–"
    return _("%(percent)s %% (%(part)s of %(whole)s)") % {
        "percent": figure(value),
        "part": part,
        "whole": whole,
    }


def _figures(rate: AgreementRate) -> list[tuple[str, list[str]]]:
    """The figures per side (customer, supplier, both) as the page's table shows them."""
    sides = [rate.sides[side] for side in (Side.CUSTOMER, Side.SUPPLIER, ALL)]
    return [
        (_("Ideas proposed"), [str(one.ideas) for one in sides]),
        (_("Ideas per quarter"), [figure(one.per_quarter) for one in sides]),
        (
            _("Approved, of the ideas decided"),
            [_percent(one.approved_share, one.approved, one.decided) for one in sides],
        ),
        (
            _("Implemented, of the ideas approved"),
            [_percent(one.implemented_share, one.implemented, one.approved) for one in sides],
        ),
        (
            _("Median days from proposal to decision"),
            [
                "–"
                if one.median_days is None
                else ngettext("%(days)s (%(n)s idea)", "%(days)s (%(n)s ideas)", one.decisions)
                % {"days": figure(one.median_days), "n": one.decisions}
                for one in sides
            ],
        ),
        (
            _("Realised effect against expected"),
            [
                "–"
                if one.effect_percent is None
                else ngettext(
                    "%(percent)s %% (%(n)s measured idea)",
                    "%(percent)s %% (%(n)s measured ideas)",
                    one.measured,
                )
                % {"percent": figure(one.effect_percent), "n": one.measured}
                for one in sides
            ],
        ),
    ]


@login_required
def rate_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    rate = innovation_rate(access.agreement)
    names = _side_names(access.agreement)
    context = {
        "agreement": access.agreement,
        "access": access,
        "rate": rate,
        "sentence": rate_sentence(rate),
        "charts": rate_charts(rate, access.agreement),
        "quarters": _table(rate),
        # Short headings, so that four columns fit a phone; the chart names the parties.
        "names": [Side.CUSTOMER.label, Side.SUPPLIER.label, names[ALL]],
        "figures": _figures(rate),
        "window": ", ".join(quarter_label(quarter) for quarter in rate.window),
    }
    return render(request, "innovation/rate.html", context)


def rate_overview(agreement: Agreement) -> dict[str, Any] | None:
    """The overview panel's line: the rate sentence and whether it falls short; None while
    there is neither an idea nor an expectation (six queries)."""
    rate = innovation_rate(agreement)
    if rate.sides[ALL].ideas == 0 and rate.expected is None:
        return None
    return {"sentence": rate_sentence(rate), "short": rate.falls_short}


def rate_portfolio(user: User, agreements: Sequence[Agreement]) -> Mapping[int, PortfolioCell]:
    """The portfolio column: the supplier's ideas per quarter against the expectation, for
    every agreement at once (six queries); short of the expectation is a warning."""
    cells = {}
    for pk, rate in innovation_rates(agreements).items():
        if rate.sides[ALL].ideas == 0 and rate.expected is None:
            continue
        per_quarter = rate.supplier.per_quarter
        cells[pk] = PortfolioCell(
            text=rate_cell_text(rate),
            sort=per_quarter / rate.expected if rate.expected else per_quarter,
            tone="warning" if rate.falls_short else "",
            url=reverse("innovation:rate", args=[pk]),
        )
    return cells

"""Reads for what innovation achieved and what it cost: realised effects in totals per
area and year, the gain-share ledger, and the joint fund's ledger with its balance.

Each is a constant number of queries however many ideas and lines there are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from samverkan.agreements.models import Agreement, Side
from samverkan.innovation.gainshare import CENT, gain_share_ends, gain_share_split
from samverkan.innovation.models import (
    Area,
    EffectUnit,
    Framework,
    FundEntry,
    FundEntryKind,
    Funding,
    RealisedEffect,
)

ZERO = Decimal("0.00")


def unit_label(unit: str, other: str) -> str:
    if unit == EffectUnit.OTHER:
        return other
    return str(EffectUnit(unit).label) if unit in EffectUnit.values else ""


@dataclass(frozen=True)
class EffectTotal:
    """The realised effects of one area in one year, in one unit, against the expected."""

    area: str
    year: int
    unit: str
    ideas: int
    realised: Decimal
    expected: Decimal

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label)


def effect_totals(agreement: Agreement) -> list[EffectTotal]:
    """Realised and expected effect summed per area, year of measurement and unit (one
    query); ideas whose effect is in different units are never added together."""
    rows = (
        RealisedEffect.objects.filter(agreement=agreement)
        .annotate(year=ExtractYear("measured_on"))
        .values("idea__area", "year", "idea__effect_unit", "idea__effect_unit_other")
        .annotate(ideas=Count("pk"), realised_sum=Sum("realised"), expected_sum=Sum("idea__effect"))
        .order_by("year", "idea__area", "idea__effect_unit", "idea__effect_unit_other")
    )
    return [
        EffectTotal(
            area=row["idea__area"],
            year=int(row["year"]),
            unit=unit_label(row["idea__effect_unit"], row["idea__effect_unit_other"]),
            ideas=row["ideas"],
            realised=Decimal(row["realised_sum"] or 0).quantize(CENT),
            expected=Decimal(row["expected_sum"] or 0).quantize(CENT),
        )
        for row in rows
    ]


def measured_effects(agreement: Agreement) -> QuerySet[RealisedEffect]:
    """The realised effects with their ideas, in the order they were measured."""
    return (
        RealisedEffect.objects.filter(agreement=agreement)
        .select_related("idea", "recorded_by")
        .order_by("measured_on", "idea__number")
    )


# Gain-share --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GainShareLine:
    effect: RealisedEffect
    customer: Decimal
    supplier: Decimal
    within: bool  # realised within the gain-share period (otherwise nobody gets a share)


@dataclass(frozen=True)
class GainShareLedger:
    """Each measured saving or revenue in SEK, split between the parties by their shares."""

    customer_share: int
    supplier_share: int
    starts_on: datetime.date
    ends_on: datetime.date  # the first day no longer covered
    lines: list[GainShareLine]
    customer: Decimal
    supplier: Decimal
    realised: Decimal
    other_units: int  # measured ideas whose effect is not in SEK (not shared)

    @property
    def last_day(self) -> datetime.date:
        """The last day the gain-share covers."""
        return self.ends_on - datetime.timedelta(days=1)


def gain_share_ledger(framework: Framework | None) -> GainShareLedger | None:
    """The gain-share ledger of the framework's agreement; None without a complete
    gain-share (shares, months and start). Only effects in SEK per year are shared;
    a negative realised effect (a loss) gives nobody a share."""
    if (
        framework is None
        or framework.funding != Funding.GAIN_SHARE
        or framework.customer_share is None
        or framework.supplier_share is None
        or not framework.gain_share_months
        or framework.gain_share_from is None
    ):
        return None
    start, months = framework.gain_share_from, framework.gain_share_months
    shares = (framework.customer_share, framework.supplier_share)
    lines: list[GainShareLine] = []
    other_units = 0
    for effect in measured_effects(framework.agreement):
        if effect.idea.effect_unit != EffectUnit.SEK_PER_YEAR:
            other_units += 1
            continue
        if effect.realised <= 0:
            lines.append(GainShareLine(effect, ZERO, ZERO, False))
            continue
        split = gain_share_split(
            effect=effect.realised,
            customer_share=shares[0],
            supplier_share=shares[1],
            start=start,
            months=months,
            realised_on=effect.measured_on,
        )
        lines.append(GainShareLine(effect, split.customer, split.supplier, split.within))
    return GainShareLedger(
        customer_share=shares[0],
        supplier_share=shares[1],
        starts_on=start,
        ends_on=gain_share_ends(start, months),
        lines=lines,
        customer=sum((line.customer for line in lines), ZERO),
        supplier=sum((line.supplier for line in lines), ZERO),
        realised=sum((line.effect.realised for line in lines if line.within), ZERO),
        other_units=other_units,
    )


# The joint fund ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundLine:
    entry: FundEntry
    balance: int  # what the fund holds after this line


@dataclass(frozen=True)
class FundYear:
    """What each party paid in one year against its agreed yearly contribution."""

    year: int
    customer_paid: int
    supplier_paid: int
    spent: int


@dataclass
class FundLedger:
    customer_contribution: int | None
    supplier_contribution: int | None
    lines: list[FundLine] = field(default_factory=list)
    years: list[FundYear] = field(default_factory=list)
    balance: int = 0
    paid: int = 0
    spent: int = 0


def fund_ledger(framework: Framework | None) -> FundLedger | None:
    """The joint fund's ledger of the framework's agreement, oldest line first, with the
    balance after each line and each year's payments (one query); None without a fund."""
    if framework is None or framework.funding != Funding.JOINT_FUND:
        return None
    ledger = FundLedger(framework.customer_contribution, framework.supplier_contribution)
    years: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    entries = (
        FundEntry.objects.filter(agreement=framework.agreement_id)
        .select_related("idea", "recorded_by")
        .order_by("on", "pk")
    )
    for entry in entries:
        year = years[entry.on.year]
        if entry.kind == FundEntryKind.CONTRIBUTION:
            ledger.balance += entry.amount
            ledger.paid += entry.amount
            year[entry.side] += entry.amount
        else:
            ledger.balance -= entry.amount
            ledger.spent += entry.amount
            year["spent"] += entry.amount
        ledger.lines.append(FundLine(entry, ledger.balance))
    ledger.years = [
        FundYear(
            year=number,
            customer_paid=paid[Side.CUSTOMER],
            supplier_paid=paid[Side.SUPPLIER],
            spent=paid["spent"],
        )
        for number, paid in sorted(years.items())
    ]
    return ledger

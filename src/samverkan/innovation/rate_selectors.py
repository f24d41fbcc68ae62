"""Reads for the innovation rate (issue 12, point 8): per agreement and per side of the
proposer, in six queries however many agreements and ideas there are.

The database counts (ideas per quarter, per stage) and picks each idea's first decision;
the arithmetic — quarters, means, shares, the median, the effect ratio — is
``samverkan.innovation.rate``'s, which says what each figure means.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from samverkan.agreements.models import Agreement, Side
from samverkan.innovation import rate
from samverkan.innovation.models import Framework, Idea, IdeaStep, RealisedEffect, Stage
from samverkan.innovation.rate import Quarter
from samverkan.relationships.models import Relationship

DECISIONS = (Stage.APPROVED, Stage.REJECTED, Stage.PARKED)
APPROVED_ON = (Stage.APPROVED, Stage.IMPLEMENTATION, Stage.IMPLEMENTED, Stage.MEASURED)
DECIDED_ON = (*APPROVED_ON, Stage.REJECTED, Stage.PARKED)
IMPLEMENTED_ON = (Stage.IMPLEMENTED, Stage.MEASURED)
ALL = "all"  # both sides together
SIDES = (Side.CUSTOMER.value, Side.SUPPLIER.value, ALL)


@dataclass(frozen=True)
class SideRate:
    """One side's figures (or both sides', ``side == "all"``)."""

    side: str
    ideas: int  # proposed over the whole period
    by_quarter: dict[Quarter, int]
    per_quarter: Decimal  # over the rate window
    decided: int
    approved: int
    implemented: int
    approved_share: Decimal | None  # percent of decided
    implemented_share: Decimal | None  # percent of approved
    median_days: Decimal | None  # proposal to first decision
    decisions: int  # ideas with a first decision (the median's count)
    effect_percent: Decimal | None  # mean realised ÷ expected, percent
    measured: int  # measured ideas counted in effect_percent


@dataclass(frozen=True)
class AgreementRate:
    agreement_id: int
    period: list[Quarter]
    window: list[Quarter]  # the quarters ``per_quarter`` is the mean of
    window_completed: bool  # False: the current quarter alone, still in progress
    expected: int | None  # ideas per quarter expected of the supplier
    expected_from: str  # "framework", "profile" or "" (nothing expected)
    sides: dict[str, SideRate] = field(default_factory=dict)

    @property
    def supplier(self) -> SideRate:
        return self.sides[Side.SUPPLIER]

    @property
    def chart_quarters(self) -> list[Quarter]:
        return self.period[-rate.CHART_QUARTERS :]

    @property
    def falls_short(self) -> bool:
        return rate.falls_short(self.supplier.per_quarter, self.expected)


@dataclass
class _Raw:
    """What the queries found for one agreement, by side."""

    by_quarter: dict[str, dict[Quarter, int]] = field(default_factory=lambda: defaultdict(dict))
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    first_idea: datetime.datetime | None = None
    waits: dict[str, list[datetime.timedelta]] = field(default_factory=lambda: defaultdict(list))
    effects: dict[str, list[tuple[Decimal, Decimal | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def innovation_rates(
    agreements: Sequence[Agreement], today: datetime.date | None = None
) -> dict[int, AgreementRate]:
    """The innovation rate of each agreement by its id, in six queries for any number of
    agreements and ideas. ``today`` (default: today in the site's time zone) ends the
    period."""
    today = today or timezone.localdate()
    ids = [agreement.pk for agreement in agreements]
    raw: dict[int, _Raw] = {pk: _Raw() for pk in ids}
    ideas = Idea.objects.filter(agreement_id__in=ids).order_by()

    quarterly = (
        ideas.annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("agreement_id", "side", "year", "quarter")
        .annotate(count=Count("pk"))
    )
    for row in quarterly:
        raw[row["agreement_id"]].by_quarter[row["side"]][Quarter(row["year"], row["quarter"])] = (
            row["count"]
        )

    staged = ideas.values("agreement_id", "side").annotate(
        ideas=Count("pk"),
        decided=Count("pk", filter=Q(stage__in=DECIDED_ON)),
        approved=Count("pk", filter=Q(stage__in=APPROVED_ON)),
        implemented=Count("pk", filter=Q(stage__in=IMPLEMENTED_ON)),
        first=Min("created_at"),
    )
    for row in staged:
        found = raw[row["agreement_id"]]
        found.stages[row["side"]] = row
        if found.first_idea is None or row["first"] < found.first_idea:
            found.first_idea = row["first"]

    decisions = (
        IdeaStep.objects.filter(agreement_id__in=ids, to_stage__in=DECISIONS)
        .values("idea_id", "agreement_id", "idea__side", "idea__created_at")
        .annotate(decided_at=Min("at"))
        .order_by()
    )
    for row in decisions:
        raw[row["agreement_id"]].waits[row["idea__side"]].append(
            row["decided_at"] - row["idea__created_at"]
        )

    effects = RealisedEffect.objects.filter(
        agreement_id__in=ids, idea__stage=Stage.MEASURED
    ).values_list("agreement_id", "idea__side", "realised", "idea__effect")
    for agreement_id, side, realised, expected in effects:
        raw[agreement_id].effects[side].append((realised, expected))

    framework_rates = dict(
        Framework.objects.filter(agreement_id__in=ids).values_list(
            "agreement_id", "ideas_per_quarter"
        )
    )
    profile_rates = dict(
        Relationship.objects.filter(agreement_id__in=ids).values_list(
            "agreement_id", "ideas_per_quarter"
        )
    )
    return {
        agreement.pk: _agreement_rate(
            agreement,
            raw[agreement.pk],
            today,
            framework_rates.get(agreement.pk),
            profile_rates.get(agreement.pk),
        )
        for agreement in agreements
    }


def innovation_rate(agreement: Agreement, today: datetime.date | None = None) -> AgreementRate:
    """One agreement's innovation rate (six queries)."""
    return innovation_rates([agreement], today)[agreement.pk]


def _agreement_rate(
    agreement: Agreement,
    found: _Raw,
    today: datetime.date,
    framework_rate: int | None,
    profile_rate: int | None,
) -> AgreementRate:
    first_idea = timezone.localdate(found.first_idea) if found.first_idea else None
    quarters = rate.period(agreement.start_date, first_idea, today)
    window = rate.rate_window(quarters, today)
    if framework_rate is not None:
        expected, source = framework_rate, "framework"
    elif profile_rate is not None:
        expected, source = profile_rate, "profile"
    else:
        expected, source = None, ""
    sides = {
        side: _side_rate(side, found, window) for side in (Side.CUSTOMER.value, Side.SUPPLIER.value)
    }
    sides[ALL] = _side_rate(ALL, found, window)
    return AgreementRate(
        agreement_id=agreement.pk,
        period=quarters,
        window=window,
        window_completed=window[-1] < Quarter.of(today),
        expected=expected,
        expected_from=source,
        sides=sides,
    )


def _side_rate(side: str, found: _Raw, window: list[Quarter]) -> SideRate:
    chosen = (Side.CUSTOMER.value, Side.SUPPLIER.value) if side == ALL else (side,)
    by_quarter: dict[Quarter, int] = defaultdict(int)
    stages: dict[str, int] = defaultdict(int)
    waits: list[datetime.timedelta] = []
    effects: list[tuple[Decimal, Decimal | None]] = []
    for one in chosen:
        for quarter, count in found.by_quarter.get(one, {}).items():
            by_quarter[quarter] += count
        for key in ("ideas", "decided", "approved", "implemented"):
            stages[key] += found.stages.get(one, {}).get(key, 0)
        waits += found.waits.get(one, [])
        effects += found.effects.get(one, [])
    effect_percent, measured = rate.effect_ratio(effects)
    return SideRate(
        side=side,
        ideas=stages["ideas"],
        by_quarter=dict(by_quarter),
        per_quarter=rate.per_quarter(by_quarter, window),
        decided=stages["decided"],
        approved=stages["approved"],
        implemented=stages["implemented"],
        approved_share=rate.share(stages["approved"], stages["decided"]),
        implemented_share=rate.share(stages["implemented"], stages["approved"]),
        median_days=rate.median_days(waits),
        decisions=len(waits),
        effect_percent=effect_percent,
        measured=measured,
    )

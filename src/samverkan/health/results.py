"""What the results page, the exports and the API show for a round.

Built only from released ``SideFigures`` (never from answers), so whatever a
reader of ``RoundResults`` prints has already passed the threshold rules of
``figures``. A side without released figures, and every group within a side
below the threshold, is a ``Figure`` with ``withheld=True`` and no numbers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.agreements.models import Agreement, Side
from samverkan.collaboration.models import Forum, Role
from samverkan.health import analysis, instrument
from samverkan.health.models import Invitation, Response, Round, SideFigures

SIDES = (Side.CUSTOMER.value, Side.SUPPLIER.value)


@dataclass(frozen=True)
class Figure:
    respondents: int
    withheld: bool
    mean: float | None = None
    distribution: dict[int, float] | None = None

    @classmethod
    def from_json(cls, group: dict[str, Any] | None, respondents: int = 0) -> Figure:
        if group is None:
            return cls(respondents=respondents, withheld=True)
        if group.get("withheld"):
            return cls(respondents=0, withheld=True)  # how few is not said: it would help subtract
        return cls(
            respondents=group["respondents"],
            withheld=False,
            mean=group["mean"],
            distribution={int(k): v for k, v in group["distribution"].items()},
        )


WITHHELD = Figure(respondents=0, withheld=True)


@dataclass(frozen=True)
class DimensionRow:
    key: str
    name: str
    group: str
    description: str
    customer: Figure
    supplier: Figure
    gap: float | None
    flagged: bool


@dataclass(frozen=True)
class StatementRow:
    key: str
    dimension: str
    target: str
    text: str
    customer: Figure
    supplier: Figure


@dataclass(frozen=True)
class MirrorRow:
    """An organisation's view of itself against the other party's view of it."""

    side: str  # whose behaviour is rated
    dimension: str
    name: str
    self_view: Figure
    other_view: Figure
    gap: float | None  # self minus other
    classification: analysis.MirrorClass | None

    @property
    def flagged(self) -> bool:
        return self.gap is not None and analysis.gap_flagged(self.gap)


@dataclass(frozen=True)
class SideSummary:
    side: str
    organisation: str
    invited: int
    answered: int
    shown: int  # respondents behind the figures shown (0: none released)
    withheld: bool
    nps: float | None
    nps_respondents: int
    overall: Figure
    free_text: dict[str, list[str]]

    @property
    def late(self) -> int:
        """Answers not in the figures: fewer than the threshold came after the last release."""
        return self.answered - self.shown if not self.withheld else 0


@dataclass(frozen=True)
class PhaseView:
    result: analysis.PhaseResult
    means: dict[str, float | None]
    reset_reasons: list[str]


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    customer: float | None
    supplier: float | None


@dataclass
class RoundResults:
    round: Round
    threshold: int
    visible: bool  # whether figures may be shown at all (closed, or live)
    sides: dict[str, SideSummary]
    dimensions: list[DimensionRow] = field(default_factory=list)
    statements: dict[str, list[StatementRow]] = field(default_factory=dict)
    mirror: list[MirrorRow] = field(default_factory=list)
    phase: PhaseView | None = None
    interventions: list[instrument.Intervention] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    dimension_trend: dict[str, list[analysis.TrendStep]] = field(default_factory=dict)

    @property
    def any_shown(self) -> bool:
        return any(not s.withheld for s in self.sides.values())

    def dimension_rows(self, group: str) -> list[DimensionRow]:
        return [row for row in self.dimensions if row.group == group]


def _gap(customer: Figure, supplier: Figure) -> float | None:
    if customer.mean is None or supplier.mean is None:
        return None
    return analysis.perception_gap(customer.mean, supplier.mean)


def progress(round: Round) -> dict[str, tuple[int, int]]:
    """Per side: (answered, invited). Counts only; never who."""
    invited = dict(
        Invitation.objects.filter(round=round)
        .order_by()
        .values_list("side")
        .annotate(n=Count("id"))
    )
    answered = dict(
        Response.objects.filter(round=round).order_by().values_list("side").annotate(n=Count("id"))
    )
    return {side: (answered.get(side, 0), invited.get(side, 0)) for side in SIDES}


def reset_reasons(agreement: Agreement, since: datetime.datetime) -> list[str]:
    """What changed the group's membership or task after ``since``, from the audit trail.

    ``"forum_members"``: a forum created, removed or given other members;
    ``"role_holders"``: a role created, removed or given to other people;
    ``"agreement_status"``: the agreement's status changed (a new phase of it).
    One query.
    """
    types = ContentType.objects.get_for_models(Forum, Role, Agreement)
    kinds = {types[Forum].pk: "forum", types[Role].pk: "role", types[Agreement].pk: "agreement"}
    reasons: set[str] = set()
    for content_type, action, changes in LogEntry.objects.filter(
        additional_data__agreement_id=agreement.pk,
        timestamp__gt=since,
        content_type__in=list(kinds),
    ).values_list("content_type_id", "action", "changes"):
        kind = kinds[content_type]
        changed = set(changes or {})
        added_or_removed = action in (LogEntry.Action.CREATE, LogEntry.Action.DELETE)
        if kind == "forum" and (added_or_removed or "members" in changed):
            reasons.add("forum_members")
        elif kind == "role" and (added_or_removed or "holders" in changed):
            reasons.add("role_holders")
        elif kind == "agreement" and "status" in changed:
            reasons.add("agreement_status")
    return [r for r in ("forum_members", "role_holders", "agreement_status") if r in reasons]


def round_results(round: Round, *, language: str, with_trend: bool = True) -> RoundResults:
    """Everything the results page shows for ``round``, in ``language``."""
    agreement = round.agreement
    counts = progress(round)
    released = (
        {f.side: f for f in SideFigures.objects.filter(round=round)}
        if round.results_visible
        else {}
    )
    threshold = round.min_group
    sides: dict[str, SideSummary] = {}
    data: dict[str, dict[str, Any]] = {}
    for side in SIDES:
        shown = released.get(side)
        figures = shown.figures if shown else {}
        data[side] = figures
        recommend = figures.get("recommend", {})
        sides[side] = SideSummary(
            side=side,
            organisation=agreement.organisation_of(side).name,
            invited=counts[side][1],
            answered=counts[side][0],
            shown=shown.respondents if shown else 0,
            withheld=shown is None,
            nps=recommend.get("nps"),
            nps_respondents=recommend.get("respondents", 0),
            overall=Figure.from_json(figures.get("overall")),
            free_text=figures.get("free_text", {}) if shown else {},
        )
    results = RoundResults(
        round=round, threshold=threshold, visible=round.results_visible, sides=sides
    )
    if not round.results_visible:
        return results

    def group(side: str, section: str, key: str, target: str) -> Figure:
        return Figure.from_json(data[side].get(section, {}).get(key, {}).get(target))

    own_dimension = instrument.Dimension(
        key=instrument.OWN_DIMENSION,
        group=instrument.OWN_DIMENSION,
        name=_own_name(language),
        description="",
    )
    dims = instrument.dimensions(language) + ([own_dimension] if round.own_statements else [])
    for dim in dims:
        customer = group("customer", "dimensions", dim.key, "all")
        supplier = group("supplier", "dimensions", dim.key, "all")
        gap = _gap(customer, supplier)
        results.dimensions.append(
            DimensionRow(
                key=dim.key,
                name=dim.name,
                group=dim.group,
                description=dim.description,
                customer=customer,
                supplier=supplier,
                gap=gap,
                flagged=gap is not None and analysis.gap_flagged(gap),
            )
        )
    for statement in instrument.statements(language):
        for target, text in statement.texts.items():
            results.statements.setdefault(statement.dimension, []).append(
                StatementRow(
                    key=statement.key,
                    dimension=statement.dimension,
                    target=target,
                    text=text,
                    customer=group("customer", "statements", statement.key, target),
                    supplier=group("supplier", "statements", statement.key, target),
                )
            )
    for own in round.own_statements:
        results.statements.setdefault(instrument.OWN_DIMENSION, []).append(
            StatementRow(
                key=own["key"],
                dimension=instrument.OWN_DIMENSION,
                target="relationship",
                text=own["text"],
                customer=group("customer", "statements", own["key"], "relationship"),
                supplier=group("supplier", "statements", own["key"], "relationship"),
            )
        )
    mirrored = {s.dimension for s in instrument.statements(language) if s.mirror}
    for side, other in (("customer", "supplier"), ("supplier", "customer")):
        for dim in dims:
            if dim.key not in mirrored:
                continue
            self_view = group(side, "dimensions", dim.key, "self")
            other_view = group(other, "dimensions", dim.key, "other")
            both = self_view.mean is not None and other_view.mean is not None
            results.mirror.append(
                MirrorRow(
                    side=side,
                    dimension=dim.key,
                    name=dim.name,
                    self_view=self_view,
                    other_view=other_view,
                    gap=analysis.perception_gap(self_view.mean, other_view.mean)  # type: ignore[arg-type]
                    if both
                    else None,
                    classification=analysis.mirror_classification(
                        self_view.mean,  # type: ignore[arg-type]
                        other_view.mean,  # type: ignore[arg-type]
                    )
                    if both
                    else None,
                )
            )
    results.phase = _phase(results, round, data)
    results.weak = analysis.weak_dimensions(
        {
            row.key: _weaker(row.customer, row.supplier)
            for row in results.dimensions
            if row.group not in ("phase", instrument.OWN_DIMENSION)
        }
    )
    results.interventions = instrument.interventions_for(
        dimensions=_priorities(results), language=language
    )
    if with_trend:
        _trend(results, round, language)
    return results


def _priorities(results: RoundResults) -> list[str]:
    """What the interventions address, most pressing first.

    Flagged perception gaps (largest first: the parties see it differently, so
    talking about it comes before anything else), then the group's phase when it
    is still to be passed or the group is back at Tillhöra (a phase that is
    reached is no problem), then the weak dimensions, weakest first.
    """
    flagged = sorted(
        (
            row
            for row in results.dimensions
            if row.flagged and row.group not in ("phase", instrument.OWN_DIMENSION)
        ),
        key=lambda row: -abs(row.gap or 0),
    )
    keys = [row.key for row in flagged]
    phase = results.phase.result if results.phase else None
    if phase and phase.phase and phase.reason in ("below_threshold", "reset"):
        keys.append(phase.phase)
    keys += [key for key in results.weak if key not in keys]
    return keys


def _own_name(language: str) -> str:
    with translation.override(language):
        return _("Own statements")


def _weaker(customer: Figure, supplier: Figure) -> float | None:
    means = [f.mean for f in (customer, supplier) if f.mean is not None]
    return min(means) if means else None


def _phase(results: RoundResults, round: Round, data: dict[str, dict[str, Any]]) -> PhaseView:
    """The group's phase from both sides' answers together (only when both are shown)."""
    means: dict[str, float | None] = {}
    for key in instrument.phases():
        groups = [data[side].get("dimensions", {}).get(key, {}).get("all") for side in SIDES]
        if any(g is None or g.get("withheld") for g in groups):
            means[key] = None  # a combined figure beside one side's would reveal the other
            continue
        answers = sum(g["answers"] for g in groups)
        means[key] = sum(g["mean"] * g["answers"] for g in groups) / answers
    latest = (
        Round.objects.filter(agreement=round.agreement)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    reasons: list[str] = []
    if latest == round.pk:
        reasons = reset_reasons(round.agreement, round.closed_at or round.opened_at)
    return PhaseView(
        result=analysis.current_phase(means, reset=bool(reasons)),
        means=means,
        reset_reasons=reasons,
    )


def _trend(results: RoundResults, round: Round, language: str) -> None:
    rounds = list(
        Round.objects.filter(agreement=round.agreement, number__lte=round.number)
        .filter(Q(closed_at__isnull=False) | Q(pk=round.pk))
        .order_by("number")
    )
    stored = SideFigures.objects.filter(round__in=rounds).values_list("round_id", "side", "figures")
    by_round: dict[tuple[int, str], dict[str, Any]] = {(r, s): f for r, s, f in stored}

    def mean(r: Round, side: str, dimension: str | None) -> float | None:
        figures = by_round.get((r.pk, side))
        if figures is None:
            return None
        group = (
            figures.get("overall")
            if dimension is None
            else figures.get("dimensions", {}).get(dimension, {}).get("all")
        )
        return None if group is None or group.get("withheld") else group["mean"]

    results.trend = [
        TrendPoint(r, mean(r, "customer", None), mean(r, "supplier", None)) for r in rounds
    ]
    for dim in instrument.dimensions(language):
        for side in SIDES:
            results.dimension_trend[f"{dim.key}:{side}"] = analysis.trend(
                [(str(r.number), mean(r, side, dim.key)) for r in rounds]
            )

"""What the results page, the exports and the API show for a round.

Built only from released ``SideFigures`` (never from answers), so whatever a
reader of ``RoundResults`` prints has already passed the threshold rules of
``figures``. A side without released figures, and every group within a side
below the threshold, is a ``Figure`` with ``withheld=True`` and no numbers.

Every mean here is the reported one (``analysis.shown_mean``: one decimal), and
gaps, flags, mirror classes, weak dimensions and phases are all computed from
those, so the page, the exports and the API never show a gap that is not the
difference of the two means beside it. Shares of a spread and the
recommendation score are whole numbers (``analysis.shown_whole``), as the page
prints them; nothing here is more exact than what a reader of the page sees.

One statement's own figure is shown only from ``Round.statement_min_group``
scores (``figures`` explains why), and no figure below the side says how many
people are behind it (``Figure.respondents`` is ``None``): the count of one
statement would tell how many answered "don't know".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
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
    respondents: int | None  # only for a side's overall figure (its ``shown``); else None
    withheld: bool
    mean: float | None = None
    distribution: dict[int, float] | None = None

    @classmethod
    def from_json(cls, group: dict[str, Any] | None, *, at_least: int = 0) -> Figure:
        """A stored group as reported; withheld below ``at_least`` respondents too."""
        if group is None or group.get("withheld") or group["respondents"] < at_least:
            return WITHHELD  # how few is not said: it would help subtract
        return cls(
            respondents=None,
            withheld=False,
            mean=analysis.shown_mean(group["mean"]),
            distribution={
                int(k): analysis.shown_whole(v) for k, v in group["distribution"].items()
            },
        )


WITHHELD = Figure(respondents=None, withheld=True)


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
    shown: int  # respondents with a score in the figures shown (0: none released)
    released: int  # respondents when the figures were last released
    withheld: bool
    nps: float | None  # a whole number, as printed
    nps_respondents: int | None
    overall: Figure
    free_text: dict[str, list[str]]

    @property
    def late(self) -> int:
        """Answers not in the figures: fewer than the threshold came after the last release."""
        return self.answered - self.released if not self.withheld else 0

    @property
    def unscored(self) -> int:
        """Respondents of the last release with no score in the figures.

        They answered only "don't know", only the 0–10 question or the free texts,
        or scored only statements too few others scored.
        """
        return self.released - self.shown if not self.withheld else 0


@dataclass(frozen=True)
class ModelChange:
    """A change to the collaboration model that puts a group back at its first phase."""

    reason: str  # "forum_members", "role_holders" or "agreement_status"
    action: str  # "create", "update" or "delete"
    name: str  # the forum's or role's name; the agreement's reference
    at: datetime.datetime
    actor: str  # who made it; "" when the system did

    @property
    def text(self) -> str:
        """What changed, in the active language, without date or person ("The forum … was added")."""
        texts = {
            ("forum_members", "create"): _("The forum “%(name)s” was added"),
            ("forum_members", "delete"): _("The forum “%(name)s” was removed"),
            ("forum_members", "update"): _("The members of the forum “%(name)s” changed"),
            ("role_holders", "create"): _("The role “%(name)s” was added"),
            ("role_holders", "delete"): _("The role “%(name)s” was removed"),
            ("role_holders", "update"): _("The people holding the role “%(name)s” changed"),
        }
        text = texts.get((self.reason, self.action))
        if text is None:
            return _("The agreement's status changed")
        return text % {"name": self.name}


@dataclass(frozen=True)
class PartyPhase:
    """One party's phase, from its own answers only."""

    side: str
    result: analysis.PhaseResult
    means: dict[str, float | None]  # per phase, in order; None when withheld


@dataclass(frozen=True)
class PhaseView:
    """The group's phase in a round: each party's, and the earlier of the two for the group.

    ``result`` is what the round's answers say and never changes afterwards.
    ``changes`` (the agreement's newest round only) are the changes to the
    collaboration model since the round that put the group back at the first
    phase now; ``back_to`` names that phase when there are any.
    """

    result: analysis.PhaseResult
    parties: dict[str, PartyPhase]
    means: dict[str, float | None]  # both parties: the mean of the two parties' means, as shown
    changes: list[ModelChange]
    first: str  # the first phase, where a changed group starts over

    @property
    def deciding(self) -> tuple[str, ...]:
        """The parties whose phase is the group's (both when they are in the same one)."""
        if self.result.phase is None:
            return ()
        return tuple(
            side for side, party in self.parties.items() if party.result.phase == self.result.phase
        )

    @property
    def back_to(self) -> str | None:
        return self.first if self.changes else None

    @property
    def reset_reasons(self) -> list[str]:
        reasons = {change.reason for change in self.changes}
        return [r for r in RESET_REASONS if r in reasons]


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    customer: float | None
    supplier: float | None


@dataclass
class RoundResults:
    round: Round
    threshold: int
    statement_threshold: int  # the smallest group for one statement's own figure
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


RESET_REASONS = ("forum_members", "role_holders", "agreement_status")
_ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
}


def model_changes(agreement: Agreement, since: datetime.datetime) -> list[ModelChange]:
    """What changed the group's membership or task after ``since``, from the audit trail.

    ``"forum_members"``: a forum created, removed or given other members;
    ``"role_holders"``: a role created, removed or given to other people;
    ``"agreement_status"``: the agreement's status changed (a new phase of it).
    Oldest first; one entry per reason, action and object, dated by its latest
    change. One query.
    """
    types = ContentType.objects.get_for_models(Forum, Role, Agreement)
    kinds = {types[Forum].pk: "forum", types[Role].pk: "role", types[Agreement].pk: "agreement"}
    found: dict[tuple[str, str, str], ModelChange] = {}
    for content_type, action, changes, name, at, full_name, email in (
        LogEntry.objects.filter(
            additional_data__agreement_id=agreement.pk,
            timestamp__gt=since,
            content_type__in=list(kinds),
        )
        .order_by("timestamp", "pk")
        .values_list(
            "content_type_id",
            "action",
            "changes",
            "object_repr",
            "timestamp",
            "actor__full_name",
            "actor__email",
        )
    ):
        kind = kinds[content_type]
        changed = set(changes or {})
        added_or_removed = action in (LogEntry.Action.CREATE, LogEntry.Action.DELETE)
        if kind == "forum" and (added_or_removed or "members" in changed):
            reason = "forum_members"
        elif kind == "role" and (added_or_removed or "holders" in changed):
            reason = "role_holders"
        elif kind == "agreement" and "status" in changed:
            reason = "agreement_status"
        else:
            continue
        verb = _ACTIONS.get(action, "update")
        found.pop((reason, verb, name), None)  # keep the latest, in order of time
        found[(reason, verb, name)] = ModelChange(
            reason=reason, action=verb, name=name, at=at, actor=full_name or email or ""
        )
    return list(found.values())


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
        nps = recommend.get("nps")
        behind = figures.get("shown", shown.respondents) if shown else 0
        overall = Figure.from_json(figures.get("overall"))
        sides[side] = SideSummary(
            side=side,
            organisation=agreement.organisation_of(side).name,
            invited=counts[side][1],
            answered=counts[side][0],
            shown=behind,
            released=shown.respondents if shown else 0,
            withheld=shown is None,
            nps=None if nps is None else analysis.shown_whole(nps),
            nps_respondents=recommend.get("respondents", 0),
            overall=overall if overall.withheld else replace(overall, respondents=behind),
            free_text=figures.get("free_text", {}) if shown else {},
        )
    results = RoundResults(
        round=round,
        threshold=threshold,
        statement_threshold=round.statement_min_group,
        visible=round.results_visible,
        sides=sides,
    )
    if not round.results_visible:
        return results

    def group(side: str, section: str, key: str, target: str) -> Figure:
        return Figure.from_json(data[side].get(section, {}).get(key, {}).get(target))

    def alone(side: str, key: str, target: str) -> Figure:
        stored = data[side].get("statements", {}).get(key, {}).get(target)
        return Figure.from_json(stored, at_least=round.statement_min_group)

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
                    customer=alone("customer", statement.key, target),
                    supplier=alone("supplier", statement.key, target),
                )
            )
    for own in round.own_statements:
        results.statements.setdefault(instrument.OWN_DIMENSION, []).append(
            StatementRow(
                key=own["key"],
                dimension=instrument.OWN_DIMENSION,
                target="relationship",
                text=own["text"],
                customer=alone("customer", own["key"], "relationship"),
                supplier=alone("supplier", own["key"], "relationship"),
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
    is still to be passed or the group is back at Tillhöra since (a phase that is
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
    if results.phase is not None:
        if results.phase.back_to is not None:
            keys.append(results.phase.back_to)
        result = results.phase.result
        if result.phase and result.reason == "below_threshold" and result.phase not in keys:
            keys.append(result.phase)
    keys += [key for key in results.weak if key not in keys]
    return keys


def _own_name(language: str) -> str:
    with translation.override(language):
        return _("Own statements")


def _weaker(customer: Figure, supplier: Figure) -> float | None:
    means = [f.mean for f in (customer, supplier) if f.mean is not None]
    return min(means) if means else None


def _phase(results: RoundResults, round: Round, data: dict[str, dict[str, Any]]) -> PhaseView:
    """Each party's phase from its own answers; the group's is the earlier of the two.

    The "both parties" mean of a phase is the plain mean of the two parties'
    reported means (each party counts the same), shown only when both are.
    Changes to the model since the round are looked up for the agreement's newest
    round only, so an older round's page never changes when the model does.
    """
    order = instrument.phases()
    parties: dict[str, PartyPhase] = {}
    for side in SIDES:
        dimensions = data[side].get("dimensions", {})
        means = {key: Figure.from_json(dimensions.get(key, {}).get("all")).mean for key in order}
        parties[side] = PartyPhase(side=side, result=analysis.current_phase(means), means=means)
    both: dict[str, float | None] = {}
    for key in order:
        customer, supplier = (parties[side].means[key] for side in SIDES)
        both[key] = (
            None
            if customer is None or supplier is None
            else analysis.shown_mean(analysis.parties_mean(customer, supplier))
        )
    latest = (
        Round.objects.filter(agreement=round.agreement)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    changes: list[ModelChange] = []
    if latest == round.pk:
        changes = model_changes(round.agreement, round.closed_at or round.opened_at)
    return PhaseView(
        result=analysis.group_phase([parties[side].result for side in SIDES], order),
        parties=parties,
        means=both,
        changes=changes,
        first=order[0],
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
        return Figure.from_json(group).mean

    results.trend = [
        TrendPoint(r, mean(r, "customer", None), mean(r, "supplier", None)) for r in rounds
    ]
    for dim in instrument.dimensions(language):
        for side in SIDES:
            results.dimension_trend[f"{dim.key}:{side}"] = analysis.trend(
                [(str(r.number), mean(r, side, dim.key)) for r in rounds]
            )

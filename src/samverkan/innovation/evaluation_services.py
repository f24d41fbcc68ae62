"""An idea's evaluation: who scores it, their scores, closing it, and what is shown.

**Who scores.** Editors and owners of either side choose the evaluators among the
editors and owners of both sides. Viewers are never chosen: a viewer changes nothing
in Samverkan, and a score is a change (make the person an editor first). Evaluators
are chosen while the idea is proposed or under evaluation and its evaluation is open;
one who has already scored stays on the list.

**Scoring.** A chosen evaluator scores the idea on every criterion of the framework at
once (1–5), and may change their own scores until the evaluation closes. Each
evaluator writes only their own rows, so there is no version to pass: two evaluators
scoring at the same time do not disturb each other.

**Closing.** The evaluation closes when someone closes it explicitly (so that the
deciding forum sees the scores before it decides) or when the idea leaves "under
evaluation". Until then, nobody sees anyone else's scores — only their own and how
many have scored — so that nobody anchors on another's score. Taking a parked idea up
for evaluation again reopens it.

**Figures.** An evaluator's weighted score is Σ weight × score / 100 (1–5, as the
weights add up to 100). The idea's weighted score is Σ weight × mean score / 100 —
the mean of the evaluators' weighted scores, since each scores every criterion. The
spread is the highest evaluator's weighted score minus the lowest: how far apart the
evaluators are, on the same 1–5 scale (0 for one evaluator).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Participant, ParticipantRole
from samverkan.innovation.idea_services import _claim
from samverkan.innovation.models import Criterion, Evaluator, Idea, Score, Stage
from samverkan.lib import limits

SCORE_MIN, SCORE_MAX = 1, 5
CHOOSING = (Stage.PROPOSED, Stage.EVALUATION)
OPEN = (Stage.PROPOSED, Stage.EVALUATION, Stage.PARKED)  # awaiting a decision
HUNDREDTH = Decimal("0.01")


def eligible_evaluators(idea: Idea) -> QuerySet[Participant]:
    """The participants who may be chosen: editors and owners of both sides."""
    return (
        Participant.objects.filter(agreement_id=idea.agreement_id)
        .exclude(role=ParticipantRole.VIEWER)
        .select_related("user")
        .order_by("side", "user__full_name", "pk")
    )


def _criteria(idea: Idea) -> list[Criterion]:
    return list(Criterion.objects.filter(agreement_id=idea.agreement_id).order_by("position", "pk"))


def _editor(idea: Idea, actor: User | None) -> None:
    if actor is None:
        return
    if not (
        Participant.objects.filter(agreement_id=idea.agreement_id, user=actor)
        .exclude(role=ParticipantRole.VIEWER)
        .exists()
    ):
        raise PermissionDenied(_("Only editors and owners of the agreement do this."))


def evaluation_is_open(idea: Idea) -> bool:
    return idea.stage in CHOOSING and idea.evaluation_closed_at is None


@transaction.atomic
def evaluators_choose(
    *, idea: Idea, actor: User | None, users: Sequence[User], version: int | None
) -> list[Evaluator]:
    """Make ``users`` the idea's evaluators (adding and removing to match).

    Refused when the evaluation is closed, when someone is not an editor or owner of
    the agreement, when more than ``limits.EVALUATORS_MAX`` are chosen, or when an
    evaluator who has already scored would be removed. A stale ``version`` raises
    ``StaleEditError``.
    """
    _editor(idea, actor)
    idea.refresh_from_db(fields=["stage", "version", "evaluation_closed_at"])
    if not evaluation_is_open(idea):
        raise ValidationError(
            {"evaluators": _("Evaluators are chosen while the evaluation is open.")},
            code="closed",
        )
    chosen = {user.pk: user for user in users}
    if len(chosen) > limits.EVALUATORS_MAX:
        raise ValidationError(
            {
                "evaluators": _("Choose at most %(most)s evaluators.")
                % {"most": limits.EVALUATORS_MAX}
            },
            code="too_many",
        )
    eligible = set(eligible_evaluators(idea).values_list("user_id", flat=True))
    if not set(chosen) <= eligible:
        raise ValidationError(
            {
                "evaluators": _(
                    "Evaluators are chosen among the editors and owners of both sides; "
                    "a viewer cannot be chosen."
                )
            },
            code="not_eligible",
        )
    scored = set(Score.objects.filter(idea=idea).values_list("evaluator_id", flat=True))
    kept = scored - set(chosen)
    if kept:
        raise ValidationError(
            {
                "evaluators": _("%(names)s has already scored the idea and stays an evaluator.")
                % {
                    "names": ", ".join(
                        user.get_full_name() or user.email
                        for user in User.objects.filter(pk__in=kept).order_by("full_name")
                    )
                }
            },
            code="scored",
        )
    _claim(idea, version)
    current = set(Evaluator.objects.filter(idea=idea).values_list("user_id", flat=True))
    for evaluator in Evaluator.objects.filter(idea=idea).exclude(user_id__in=list(chosen)):
        evaluator.delete()  # one by one, so that the audit trail records each removal
    for user_id in chosen:
        if user_id not in current:
            Evaluator.objects.create(
                idea=idea, agreement_id=idea.agreement_id, user=chosen[user_id], chosen_by=actor
            )
    return list(Evaluator.objects.filter(idea=idea).select_related("user"))


@transaction.atomic
def evaluation_score(*, idea: Idea, actor: User, scores: Mapping[str, int]) -> list[Score]:
    """Record ``actor``'s scores of the idea, one per criterion key of the framework.

    ``PermissionDenied`` when ``actor`` is not one of the chosen evaluators;
    ``ValidationError`` (by criterion key) when the idea is not under evaluation, the
    evaluation is closed, a criterion is missing or unknown, or a score is not 1–5.
    """
    idea.refresh_from_db(fields=["stage", "evaluation_closed_at"])
    if not Evaluator.objects.filter(idea=idea, user=actor).exists():
        raise PermissionDenied(_("Only the evaluators chosen for this idea score it."))
    if idea.stage != Stage.EVALUATION or idea.evaluation_closed_at is not None:
        raise ValidationError(
            _("An idea is scored while it is under evaluation and the evaluation is open."),
            code="closed",
        )
    criteria = _criteria(idea)
    if not criteria:
        raise ValidationError(
            _("The innovation framework has no evaluation criteria to score against."),
            code="no_criteria",
        )
    problems: dict[str, list[str]] = {}
    for key in sorted(set(scores) - {criterion.key for criterion in criteria}):
        problems[key] = [_("There is no criterion with this key.")]
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None:
            problems[criterion.key] = [_("Score every criterion.")]
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SCORE_MIN <= value <= SCORE_MAX
        ):
            problems[criterion.key] = [_("Enter a whole number from 1 to 5.")]
    if problems:
        raise ValidationError(problems)
    saved = []
    for criterion in criteria:
        score, made = Score.objects.get_or_create(
            idea=idea,
            evaluator=actor,
            criterion=criterion,
            defaults={"agreement_id": idea.agreement_id, "score": scores[criterion.key]},
        )
        if not made and score.score != scores[criterion.key]:
            score.score = scores[criterion.key]
            score.full_clean(exclude=["idea", "agreement", "evaluator", "criterion"])
            score.save(update_fields=["score", "at"])
        saved.append(score)
    return saved


@transaction.atomic
def evaluation_close(*, idea: Idea, actor: User | None, version: int | None) -> Idea:
    """Close the evaluation of an idea under evaluation: the scores become visible to both
    parties and can no longer be changed. Refused when it is not open."""
    _editor(idea, actor)
    idea.refresh_from_db(fields=["stage", "version", "evaluation_closed_at"])
    if idea.stage != Stage.EVALUATION or idea.evaluation_closed_at is not None:
        raise ValidationError(
            _("Only an open evaluation of an idea under evaluation is closed."), code="closed"
        )
    _claim(idea, version)
    idea.evaluation_closed_at = timezone.now()
    idea.save(update_fields=["evaluation_closed_at"])
    return idea


# Reads ------------------------------------------------------------------------------------


def weighted(scores: Mapping[int, int], weights: Mapping[int, int]) -> Decimal:
    """Σ weight × score / 100 over the criteria (ids), exact."""
    return Decimal(sum(weights[c] * s for c, s in scores.items() if c in weights)) / 100


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EvaluatorRow:
    user: User
    scored: bool
    weighted: Decimal | None  # shown only once the evaluation is closed
    scores: dict[int, int]  # criterion id → score; only when visible


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    mean: Decimal | None
    own: int | None


@dataclass(frozen=True)
class Evaluation:
    """What ``viewer`` may see of the idea's evaluation.

    ``visible`` is true once the evaluation is closed: then ``score``, ``spread`` and
    every evaluator's scores are filled in. Before that only ``scored`` (how many have
    scored), who is chosen, and the viewer's own scores (``criteria[].own``).
    """

    closed: bool
    visible: bool
    criteria: list[CriterionRow]
    evaluators: list[EvaluatorRow]
    scored: int
    score: Decimal | None
    spread: Decimal | None
    is_evaluator: bool
    can_score: bool

    @property
    def waiting_for(self) -> list[User]:
        return [row.user for row in self.evaluators if not row.scored]


def evaluation_of(idea: Idea, viewer: User | None) -> Evaluation:
    """The idea's evaluation as ``viewer`` may see it (three queries)."""
    criteria = _criteria(idea)
    weights = {c.pk: c.weight for c in criteria}
    evaluators = list(Evaluator.objects.filter(idea=idea).select_related("user"))
    by_person: dict[int, dict[int, int]] = {}
    for evaluator_id, criterion_id, value in Score.objects.filter(idea=idea).values_list(
        "evaluator_id", "criterion_id", "score"
    ):
        by_person.setdefault(evaluator_id, {})[criterion_id] = value
    closed = idea.evaluation_closed_at is not None or idea.stage not in CHOOSING
    complete = {person: given for person, given in by_person.items() if set(weights) <= set(given)}
    visible = closed
    rows = [
        EvaluatorRow(
            user=e.user,
            scored=e.user_id in complete,
            weighted=_rounded(weighted(complete[e.user_id], weights))
            if visible and e.user_id in complete
            else None,
            scores=by_person.get(e.user_id, {}) if visible else {},
        )
        for e in evaluators
    ]
    totals = [weighted(given, weights) for given in complete.values()]
    own = by_person.get(viewer.pk, {}) if viewer is not None else {}
    criterion_rows = []
    for criterion in criteria:
        values = [given[criterion.pk] for given in complete.values()]
        mean = _rounded(Decimal(sum(values)) / len(values)) if visible and values else None
        criterion_rows.append(CriterionRow(criterion, mean, own.get(criterion.pk)))
    is_evaluator = viewer is not None and any(e.user_id == viewer.pk for e in evaluators)
    return Evaluation(
        closed=closed,
        visible=visible,
        criteria=criterion_rows,
        evaluators=rows,
        scored=len(complete),
        score=_rounded(sum(totals, Decimal(0)) / len(totals)) if visible and totals else None,
        spread=_rounded(max(totals) - min(totals)) if visible and totals else None,
        is_evaluator=is_evaluator,
        can_score=is_evaluator and idea.stage == Stage.EVALUATION and not closed,
    )


@dataclass(frozen=True)
class Ranked:
    idea: Idea
    score: Decimal | None  # None while the evaluation is open or nobody has scored
    evaluators: int


def ideas_ranked(agreement_id: int, among: Sequence[int] | None = None) -> list[Ranked]:
    """The open ideas (proposed, under evaluation, parked; of ``among``, ids, when given),
    best weighted score first;
    ideas whose evaluation is still open (scores hidden) or unscored come last, by number.

    One query: Σ score × weight / (100 × evaluators) in SQL, which equals Σ weight × mean
    score / 100 as each evaluator scores every criterion.
    """
    ideas = (
        Idea.objects.filter(agreement_id=agreement_id, stage__in=OPEN)
        .annotate(
            points=Sum(F("scores__score") * F("scores__criterion__weight")),
            people=Count("scores__evaluator", distinct=True),
        )
        .order_by("number")
    )
    if among is not None:
        ideas = ideas.filter(pk__in=list(among))
    ranked = []
    for idea in ideas:
        visible = idea.evaluation_closed_at is not None or idea.stage not in CHOOSING
        score = None
        if visible and idea.people:
            score = _rounded(Decimal(idea.points) / (100 * idea.people))
        ranked.append(Ranked(idea, score, idea.people))
    ranked.sort(key=lambda row: (row.score is None, -(row.score or 0), row.idea.number))
    return ranked

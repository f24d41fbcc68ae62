"""Relationship-health figures, computed from numbers that are already aggregated.

Every function here is pure: no database, no settings, no data files. The
caller aggregates in SQL (answers counted per score, grouped by side, dimension
or statement, and target) and passes those counts or means in; these functions
turn them into the figures the results page shows and decide what must be
withheld.

Conventions a caller may rely on:

- ``counts`` is a mapping score → number of answers with that score. Means come
  from counts (sum of score × count over the total), never from lists of answers.
- Suppression is decided on **respondents**, the number of distinct people behind
  a figure, which the caller passes separately: two people answering three
  statements of a dimension give six answers but are still two respondents.
- The threshold is never below ``THRESHOLD`` (3): every function that takes one
  passes it through ``min_group_size`` first, so a misconfigured 1 cannot leak an
  individual answer.
- A withheld figure is ``None``. Functions that combine figures skip or propagate
  ``None``; none of them invents a value for a withheld group.
- Figures are compared at nine decimals (``_DECIMALS``), so float noise from a
  subtraction or an SQL average never moves a value across a boundary:
  ``perception_gap(3.3, 2.3)`` is exactly ``1.0`` and is flagged.
- All means are on the 1–5 agreement scale, where higher is always better (the
  instrument has no reversed statements).
- A mean is reported with one decimal (``shown_mean``, rounded half up like the
  pages and documents print it), and everything a reader sees beside means — a
  gap, a flag, a class, a phase, the mean of both parties — is computed from the
  reported means, so the figures on a page always add up: 3,4 beside 3,3 is a
  gap of +0,1, never +0,2.

How the figures fit the survey (``instrument.py``): a side's mean for a dimension
is the mean of all that side's answers to the dimension's statements, for every
target (its view of the relationship as a whole); the perception gap compares
the two sides' means. For a mirror statement, an organisation's *self-view* is
its own respondents' answers about themselves (target ``self``), its *other
view* the counterpart's answers about it (target ``other``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

THRESHOLD = 3  # the smallest group whose figures are ever shown
STATEMENT_THRESHOLD = 5  # the default smallest group for one statement's own figure
STATEMENT_MARGIN = 2  # one statement's figure needs at least this many more than the round's
GAP_FLAG = 1.0  # a perception gap of this size or more is flagged
PHASE_THRESHOLD = 3.5  # a phase whose mean is below this is the group's current phase
WEAK_BELOW = 3.5  # a dimension whose mean is below this is weak
MIRROR_HIGH = 3.5  # a self-view or other view at or above this is high
TREND_FLAT = 0.1  # a change of at most this size between rounds is flat
AGREEMENT_SCALE = (1, 2, 3, 4, 5)
RECOMMEND_SCALE = tuple(range(11))
PROMOTERS = (9, 10)
DETRACTORS = (0, 1, 2, 3, 4, 5, 6)

_DECIMALS = 9

MirrorClass = Literal["agreed_strength", "agreed_weakness", "blind_spot", "undervalued_strength"]
PhaseReason = Literal["below_threshold", "all_passed", "reset", "withheld"]
Direction = Literal["up", "down", "flat"]


def _round(value: float) -> float:
    return round(value, _DECIMALS)


def shown_mean(value: float) -> float:
    """A mean as it is reported: one decimal, rounded half up from its shortest decimal form.

    The same rounding as the pages' and documents' "3,8" (Django's ``floatformat``),
    so a figure computed from reported means matches the means printed beside it:
    ``shown_mean(3.25)`` is 3.3, ``shown_mean(3.449)`` is 3.4.
    """
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def shown_whole(value: float) -> float:
    """A share in percent or a recommendation score as reported: a whole number, half up.

    The pages print shares as "33 %" and the score as "+33"; the API and the
    exports give the same, never ``33.333333333333336``.
    """
    return float(Decimal(repr(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# --- suppression --------------------------------------------------------------------


def min_group_size(configured: int | None = None) -> int:
    """The threshold to apply: the configured one, but never below ``THRESHOLD``.

    ``None`` (nothing configured) gives ``THRESHOLD``.
    """
    if configured is None:
        return THRESHOLD
    return max(THRESHOLD, configured)


def statement_min_group(threshold: int | None = None, configured: int | None = None) -> int:
    """The smallest group for one statement's own figure (mean and spread).

    ``configured`` (the setting ``HEALTH_STATEMENT_THRESHOLD``, ``STATEMENT_THRESHOLD``
    when ``None``), but never fewer than ``STATEMENT_MARGIN`` more than the round's
    threshold: 5 for the default threshold of 3, 7 for a round that asks for 5.

    One statement is the most exposed figure there is: each respondent gives it
    one score, so people who pool their own scores need only subtract them from
    the mean to learn the rest. A side's figures and a dimension's pool several
    statements and keep the round's threshold.
    """
    floor = min_group_size(threshold) + STATEMENT_MARGIN
    return max(floor, STATEMENT_THRESHOLD if configured is None else configured)


def suppressed(count: int, threshold: int | None = THRESHOLD) -> bool:
    """Whether a figure from ``count`` respondents must be withheld.

    True when ``count`` is below ``min_group_size(threshold)``, including 0.
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    return count < min_group_size(threshold)


# --- means and distributions ---------------------------------------------------


def _total(counts: Mapping[int, int], scale: Sequence[int] | None = None) -> int:
    for score, count in counts.items():
        if count < 0:
            raise ValueError(f"negative count for score {score}")
        if scale is not None and score not in scale:
            raise ValueError(f"score {score} is outside the scale {tuple(scale)}")
    return sum(counts.values())


def answer_count(counts: Mapping[int, int]) -> int:
    """The number of answers behind ``counts`` (not the number of respondents)."""
    return _total(counts)


def mean(counts: Mapping[int, int]) -> float | None:
    """The mean score from counts per score; ``None`` when there are no answers.

    ``mean({5: 2, 4: 1, 2: 1})`` is (10 + 4 + 2) / 4 = 4.0.
    """
    total = _total(counts)
    if total == 0:
        return None
    return sum(score * count for score, count in counts.items()) / total


def distribution(
    counts: Mapping[int, int], scale: Sequence[int] = AGREEMENT_SCALE
) -> dict[int, float]:
    """Percent of answers per score, for every score of ``scale`` (zeros included).

    The percentages sum to 100 (up to rounding) unless there are no answers, when
    they are all 0. Scores outside ``scale`` raise ``ValueError``.
    """
    total = _total(counts, scale)
    return {score: (100 * counts.get(score, 0) / total if total else 0.0) for score in scale}


@dataclass(frozen=True)
class ScoreSummary:
    """A group's figures, or the reason there are none.

    When ``withheld``, ``mean`` and ``distribution`` are ``None`` and the page
    says that fewer than ``threshold`` people answered instead.
    """

    respondents: int
    threshold: int
    withheld: bool
    mean: float | None
    distribution: dict[int, float] | None


def summarise(
    counts: Mapping[int, int],
    *,
    respondents: int,
    threshold: int | None = THRESHOLD,
    scale: Sequence[int] = AGREEMENT_SCALE,
) -> ScoreSummary:
    """Mean and distribution of ``counts``, withheld when ``respondents`` is too few."""
    limit = min_group_size(threshold)
    if suppressed(respondents, limit):
        _total(counts, scale)  # still reject malformed input
        return ScoreSummary(respondents, limit, True, None, None)
    return ScoreSummary(respondents, limit, False, mean(counts), distribution(counts, scale))


# --- gaps and mirrors ---------------------------------------------------------------


def perception_gap(customer_mean: float, supplier_mean: float) -> float:
    """The customer's mean minus the supplier's, at nine decimals.

    Positive: the customer rates the dimension higher than the supplier does.
    ``perception_gap(4.2, 3.0)`` is 1.2. When either side is withheld there is no
    gap: do not call this with a stand-in value.
    """
    return _round(customer_mean - supplier_mean)


def parties_mean(customer_mean: float, supplier_mean: float) -> float:
    """The mean of both parties: the plain mean of the two parties' means, at nine decimals.

    Each party counts the same however many of its people answered (ten customer
    respondents do not outweigh three supplier ones), and a reader can check it
    from the two means shown: 3.3 and 4.4 give 3.85, printed 3,9.
    """
    return _round((customer_mean + supplier_mean) / 2)


def gap_flagged(gap: float, limit: float = GAP_FLAG) -> bool:
    """Whether a perception gap is large enough to flag: ``abs(gap) >= limit``."""
    return _round(abs(gap)) >= limit


def mirror_classification(
    self_view: float, other_view: float, high: float = MIRROR_HIGH
) -> MirrorClass:
    """Set an organisation's view of itself against the counterpart's view of it.

    A view is *high* when it is at or above ``high`` and *low* when below it
    (with the default 3.5: 3.5 is high, 3.49 is low):

    - self high, other high: ``agreed_strength``;
    - self low, other low: ``agreed_weakness``;
    - self high, other low: ``blind_spot`` (we rate ourselves high, they rate us low);
    - self low, other high: ``undervalued_strength`` (they rate us higher than we do).

    The class says on which side of the line each view falls, not how far apart
    they are: 3.5 against 3.4 is a blind spot. Show ``perception_gap`` beside it
    for the size.
    """
    self_high = _round(self_view) >= high
    other_high = _round(other_view) >= high
    if self_high and other_high:
        return "agreed_strength"
    if not self_high and not other_high:
        return "agreed_weakness"
    return "blind_spot" if self_high else "undervalued_strength"


def weak_dimensions(means: Mapping[str, float | None], threshold: float = WEAK_BELOW) -> list[str]:
    """The dimensions whose mean is below ``threshold``, weakest first.

    Withheld dimensions (``None``) are left out; ties keep the mapping's order.
    Pass the result to ``instrument.interventions_for(dimensions=…)``.
    """
    weak = [
        (value, key)
        for key, value in means.items()
        if value is not None and _round(value) < threshold
    ]
    return [key for value, key in sorted(weak, key=lambda pair: pair[0])]


# --- recommendation ----------------------------------------------------------------


def net_recommendation_score(
    counts: Mapping[int, int], threshold: int | None = THRESHOLD
) -> float | None:
    """Promoters (9–10) minus detractors (0–6), in percent of all who answered.

    ``counts`` maps each score 0–10 to the number of respondents who gave it; each
    respondent answers the question once, so their total is the number of
    respondents. ``None`` when that is below ``min_group_size(threshold)``.
    The result lies between -100 and 100: {10: 2, 9: 1, 8: 2, 7: 1, 6: 1, 3: 1}
    has 3 promoters and 2 detractors of 8, which gives 12.5.
    """
    total = _total(counts, RECOMMEND_SCALE)
    if suppressed(total, threshold):
        return None
    promoters = sum(counts.get(score, 0) for score in PROMOTERS)
    detractors = sum(counts.get(score, 0) for score in DETRACTORS)
    return 100 * (promoters - detractors) / total


# --- group phase -------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseResult:
    """The group's current phase and why.

    ``phase`` is what to show (``None`` only when withheld). ``measured`` is the
    phase the answers point to regardless of a reset, so a page can say "the
    answers suggest Rollsökning, but the forum's members changed, so the group
    is back at Tillhöra".

    ``reason``:
      - ``below_threshold``: ``phase`` is the first phase whose mean is below the threshold;
      - ``all_passed``: every phase passed, so the last phase is reached;
      - ``reset``: membership or task changed, so the group is back at the first phase;
      - ``withheld``: a phase mean needed for the decision is withheld.
    """

    phase: str | None
    reason: PhaseReason
    measured: str | None


def current_phase(
    phase_means: Mapping[str, float | None],
    threshold: float = PHASE_THRESHOLD,
    reset: bool = False,
) -> PhaseResult:
    """The group's current phase from its phase means.

    ``phase_means`` is ordered as the group passes the phases (tillhora →
    rollsokning → oppenhet); a mean of ``None`` is withheld. The phases are
    passed in order: the current phase is the first whose mean is below
    ``threshold`` (3.49 is below 3.5, 3.5 is not); when all pass, the last phase
    is reached. A withheld mean before that point leaves the phase unknown.

    ``reset`` (the group's membership or task has changed: a forum's members
    changed, a new agreement phase started) puts the group back at the first
    phase whatever the means say; ``measured`` still reports them.
    """
    if not phase_means:
        raise ValueError("no phases given")
    measured: str | None = None
    reason: PhaseReason = "all_passed"
    for key, value in phase_means.items():
        if value is None:
            reason = "withheld"
            break
        if _round(value) < threshold:
            measured, reason = key, "below_threshold"
            break
    else:
        measured = list(phase_means)[-1]
    if reset:
        return PhaseResult(phase=next(iter(phase_means)), reason="reset", measured=measured)
    return PhaseResult(phase=measured, reason=reason, measured=measured)


def group_phase(parties: Sequence[PhaseResult], phases: Sequence[str]) -> PhaseResult:
    """The group's phase from its parties' phases: the earliest of them.

    A group is only as far as both of its parties: when the customer is still in
    Tillhöra and the supplier has passed every phase, the group is in Tillhöra.
    ``phases`` gives the order (tillhora → rollsokning → oppenhet); each party's
    result comes from ``current_phase`` over that party's own phase means.

    The result's reason is ``all_passed`` only when every party has passed every
    phase, and otherwise that of the earliest party (``below_threshold``). When a
    party's phase is unknown (withheld), so is the group's — unless another party
    is already at the first phase, which the group cannot be before.
    """
    if not parties:
        raise ValueError("no parties given")
    order = {key: index for index, key in enumerate(phases)}
    known = [p for p in parties if p.phase is not None]
    if len(known) < len(parties):
        first = next((p for p in known if order[p.phase or ""] == 0), None)
        return first if first is not None else PhaseResult(None, "withheld", None)
    return min(known, key=lambda p: (order[p.phase or ""], p.reason == "all_passed"))


# --- trend -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendStep:
    """The change from one shown round to the next shown round.

    ``skipped`` names the rounds in between whose value was withheld.
    """

    start: str
    end: str
    change: float
    direction: Direction
    skipped: tuple[str, ...] = ()


def trend(series: Sequence[tuple[str, float | None]]) -> list[TrendStep]:
    """The direction of each step of a series of rounds, oldest first.

    Withheld rounds (``None``) are skipped: each step runs from one shown round
    to the next shown one. A change of at most ``TREND_FLAT`` (0.1) either way
    is ``flat``; above is ``up``, below is ``down``. Fewer than two shown rounds
    give no steps.
    """
    steps: list[TrendStep] = []
    previous: tuple[str, float] | None = None
    skipped: list[str] = []
    for label, value in series:
        if value is None:
            if previous is not None:
                skipped.append(label)
            continue
        if previous is not None:
            change = _round(value - previous[1])
            direction: Direction = (
                "flat" if abs(change) <= TREND_FLAT else ("up" if change > 0 else "down")
            )
            steps.append(TrendStep(previous[0], label, change, direction, tuple(skipped)))
        previous, skipped = (label, value), []
    return steps


# --- live results ------------------------------------------------------------------------


def release_live_figures(
    last_shown_count: int, current_count: int, threshold: int | None = THRESHOLD
) -> bool:
    """Whether live figures may be updated from ``last_shown_count`` to ``current_count``.

    Only once at least ``min_group_size(threshold)`` new answers have arrived
    since the figures now shown, so no single answer can be read off by comparing
    two versions of a figure. ``last_shown_count`` is 0 when nothing is shown yet,
    which makes the first release the ordinary threshold.

    Apply it per shown group (each side separately, with that side's respondents):
    a side's figures must not move because of one new answer from that side,
    whatever the other side did.
    Closing a round is a release too: final figures that differ from live ones by
    fewer than the threshold expose the late answers the same way.
    """
    if last_shown_count < 0 or current_count < last_shown_count:
        raise ValueError("answers are only ever added")
    return current_count - last_shown_count >= min_group_size(threshold)

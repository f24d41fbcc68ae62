"""The relationship-health analysis, with every expectation computed by hand."""

from __future__ import annotations

import pytest

from samverkan.health import analysis
from samverkan.health.analysis import PhaseResult, TrendStep

PHASES_IN_ORDER = ("tillhora", "rollsokning", "oppenhet")


def _phases(
    tillhora: float | None, rollsokning: float | None, oppenhet: float | None
) -> dict[str, float | None]:
    return dict(zip(PHASES_IN_ORDER, (tillhora, rollsokning, oppenhet), strict=True))


# --- suppression ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "expected"), [(None, 3), (0, 3), (1, 3), (2, 3), (3, 3), (5, 5), (10, 10)]
)
def test_the_group_size_is_never_below_three(configured: int | None, expected: int) -> None:
    assert analysis.min_group_size(configured) == expected


@pytest.mark.parametrize(
    ("count", "hidden"), [(0, True), (1, True), (2, True), (3, False), (40, False)]
)
def test_fewer_than_three_respondents_are_withheld(count: int, hidden: bool) -> None:
    assert analysis.suppressed(count) is hidden
    assert analysis.suppressed(count, 3) is hidden


def test_a_threshold_configured_below_three_still_withholds_two() -> None:
    assert analysis.suppressed(2, threshold=1) is True
    assert analysis.suppressed(2, threshold=None) is True
    assert analysis.suppressed(3, threshold=1) is False


def test_a_higher_threshold_withholds_more() -> None:
    assert analysis.suppressed(4, threshold=5) is True
    assert analysis.suppressed(5, threshold=5) is False


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        analysis.suppressed(-1)


# --- means and distributions ---------------------------------------------------------------


def test_the_mean_is_computed_from_counts_per_score() -> None:
    # (5·2 + 4·1 + 2·1) / 4 = 16 / 4
    assert analysis.mean({5: 2, 4: 1, 2: 1}) == 4.0
    # (1·1 + 2·2) / 3 = 5 / 3
    assert analysis.mean({1: 1, 2: 2, 3: 0}) == pytest.approx(5 / 3)
    assert analysis.answer_count({1: 1, 2: 2, 3: 0}) == 3


def test_no_answers_have_no_mean() -> None:
    assert analysis.mean({}) is None
    assert analysis.mean({3: 0, 4: 0}) is None


def test_the_distribution_gives_percent_for_every_score_of_the_scale() -> None:
    # 8 answers: 2, 4, 2 of them at 3, 4, 5
    assert analysis.distribution({3: 2, 4: 4, 5: 2}) == {1: 0.0, 2: 0.0, 3: 25.0, 4: 50.0, 5: 25.0}
    assert analysis.distribution({}) == dict.fromkeys((1, 2, 3, 4, 5), 0.0)


def test_a_score_outside_the_scale_or_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the scale"):
        analysis.distribution({6: 1})
    with pytest.raises(ValueError, match="negative"):
        analysis.mean({4: -1})


def test_a_summary_of_three_respondents_is_shown() -> None:
    # three people, two statements: six answers, mean (4·3 + 5·2 + 2·1) / 6 = 24 / 6
    summary = analysis.summarise({4: 3, 5: 2, 2: 1}, respondents=3)
    assert summary.withheld is False
    assert summary.mean == 4.0
    assert summary.distribution == {1: 0.0, 2: 100 / 6, 3: 0.0, 4: 50.0, 5: 200 / 6}


def test_a_summary_of_two_respondents_is_withheld_whatever_the_answer_count() -> None:
    # two people, three statements: six answers, but still two people
    summary = analysis.summarise({4: 3, 5: 3}, respondents=2, threshold=1)
    assert summary == analysis.ScoreSummary(
        respondents=2, threshold=3, withheld=True, mean=None, distribution=None
    )


# --- perception gap --------------------------------------------------------------------------


def test_the_gap_is_the_customer_mean_minus_the_supplier_mean() -> None:
    assert analysis.perception_gap(4.2, 3.0) == 1.2
    assert analysis.perception_gap(3.0, 4.2) == -1.2
    assert analysis.perception_gap(3.75, 3.75) == 0.0


def test_a_gap_of_exactly_one_is_flagged_despite_float_noise() -> None:
    # 3.3 - 2.3 is 0.9999999999999998 in floating point
    gap = analysis.perception_gap(3.3, 2.3)
    assert gap == 1.0
    assert analysis.gap_flagged(gap) is True
    assert analysis.gap_flagged(analysis.perception_gap(2.3, 3.3)) is True


@pytest.mark.parametrize(
    ("customer", "supplier", "flagged"),
    [(4.0, 3.0, True), (4.0, 3.01, False), (2.5, 4.0, True), (3.6, 2.7, False), (5.0, 1.0, True)],
)
def test_gaps_of_one_or_more_either_way_are_flagged(
    customer: float, supplier: float, flagged: bool
) -> None:
    assert analysis.gap_flagged(analysis.perception_gap(customer, supplier)) is flagged


# --- mirror classification ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("self_view", "other_view", "expected"),
    [
        (4.5, 4.0, "agreed_strength"),
        (3.5, 3.5, "agreed_strength"),  # the boundary is high
        (3.49, 3.49, "agreed_weakness"),
        (2.0, 1.0, "agreed_weakness"),
        (4.5, 2.0, "blind_spot"),  # we rate ourselves high, they rate us low
        (3.5, 3.49, "blind_spot"),
        (2.5, 4.0, "undervalued_strength"),  # they rate us higher than we do
        (3.49, 3.5, "undervalued_strength"),
    ],
)
def test_mirror_classes(self_view: float, other_view: float, expected: str) -> None:
    assert analysis.mirror_classification(self_view, other_view) == expected


def test_mirror_classes_follow_the_chosen_line() -> None:
    assert analysis.mirror_classification(4.0, 3.9, high=4.0) == "blind_spot"
    assert analysis.mirror_classification(4.0, 4.0, high=4.0) == "agreed_strength"


def test_a_mean_a_hair_below_the_line_from_float_noise_counts_as_on_it() -> None:
    assert analysis.mirror_classification(3.4999999999999996, 3.5) == "agreed_strength"


def test_weak_dimensions_are_listed_weakest_first_without_withheld_ones() -> None:
    means = {
        "samarbete": 3.2,
        "kommunikation": 2.4,
        "ledarskap": None,
        "feedback": 3.5,
        "samsyn": 3.2,
    }
    assert analysis.weak_dimensions(means) == ["kommunikation", "samarbete", "samsyn"]


# --- net recommendation score -------------------------------------------------------------------------


def test_the_recommendation_score_is_promoters_minus_detractors_in_percent() -> None:
    # 8 respondents: promoters 10,10,9 = 3; passives 8,8,7 = 3; detractors 6,3 = 2
    counts = {10: 2, 9: 1, 8: 2, 7: 1, 6: 1, 3: 1}
    assert analysis.net_recommendation_score(counts) == 12.5  # (3 - 2) / 8 · 100


def test_recommendation_score_extremes() -> None:
    assert analysis.net_recommendation_score({10: 3, 9: 1}) == 100.0
    assert analysis.net_recommendation_score({0: 2, 6: 2}) == -100.0
    assert analysis.net_recommendation_score({7: 2, 8: 3}) == 0.0
    # 1 promoter, 2 detractors of 3: (1 - 2) / 3 · 100
    assert analysis.net_recommendation_score({9: 1, 5: 2}) == pytest.approx(-100 / 3)


def test_the_recommendation_score_of_two_respondents_is_withheld() -> None:
    assert analysis.net_recommendation_score({10: 2}) is None
    assert analysis.net_recommendation_score({10: 2}, threshold=1) is None
    assert analysis.net_recommendation_score({}) is None
    assert analysis.net_recommendation_score({10: 4}, threshold=5) is None


def test_a_recommendation_outside_zero_to_ten_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the scale"):
        analysis.net_recommendation_score({11: 3})


# --- group phase ------------------------------------------------------------------------------------


def test_the_current_phase_is_the_first_below_the_threshold() -> None:
    result = analysis.current_phase(_phases(3.8, 3.1, 2.4))
    assert result == PhaseResult(
        phase="rollsokning", reason="below_threshold", measured="rollsokning"
    )


def test_a_group_below_the_threshold_in_belonging_is_in_belonging_whatever_comes_later() -> None:
    # the phases are passed in order: high openness does not skip a weak belonging
    result = analysis.current_phase(_phases(3.0, 4.5, 4.8))
    assert result.phase == "tillhora"
    assert result.reason == "below_threshold"


def test_a_mean_exactly_at_the_threshold_passes_the_phase() -> None:
    assert analysis.current_phase(_phases(3.5, 3.49, 4.0)).phase == "rollsokning"


def test_when_every_phase_passes_openness_is_reached() -> None:
    assert analysis.current_phase(_phases(4.0, 3.9, 3.5)) == PhaseResult(
        phase="oppenhet", reason="all_passed", measured="oppenhet"
    )


def test_a_reset_puts_the_group_back_at_belonging_and_says_why() -> None:
    result = analysis.current_phase(_phases(4.0, 3.9, 3.2), reset=True)
    assert result == PhaseResult(phase="tillhora", reason="reset", measured="oppenhet")


def test_a_reset_needs_no_figures() -> None:
    result = analysis.current_phase(_phases(None, None, None), reset=True)
    assert result == PhaseResult(phase="tillhora", reason="reset", measured=None)


def test_a_withheld_phase_before_the_decision_leaves_the_phase_unknown() -> None:
    assert analysis.current_phase(_phases(3.9, None, 2.0)) == PhaseResult(
        phase=None, reason="withheld", measured=None
    )
    # a withheld phase after the first weak one does not matter
    assert analysis.current_phase(_phases(3.0, None, None)).phase == "tillhora"


def test_the_phase_threshold_can_be_chosen() -> None:
    assert analysis.current_phase(_phases(3.8, 3.9, 4.2), threshold=4.0).phase == "tillhora"


def test_no_phases_is_an_error() -> None:
    with pytest.raises(ValueError, match="no phases"):
        analysis.current_phase({})


# --- trend -----------------------------------------------------------------------------------------


def test_the_trend_gives_a_direction_per_step() -> None:
    steps = analysis.trend(
        [("2024 H1", 3.0), ("2024 H2", 3.4), ("2025 H1", 3.45), ("2025 H2", 3.1)]
    )
    assert steps == [
        TrendStep("2024 H1", "2024 H2", 0.4, "up"),
        TrendStep("2024 H2", "2025 H1", 0.05, "flat"),
        TrendStep("2025 H1", "2025 H2", -0.35, "down"),
    ]


def test_a_change_of_exactly_a_tenth_is_flat_and_just_over_it_is_not() -> None:
    # 3.4 - 3.3 is 0.10000000000000009 in floating point
    assert [s.direction for s in analysis.trend([("a", 3.3), ("b", 3.4), ("c", 3.3)])] == [
        "flat",
        "flat",
    ]
    assert [s.direction for s in analysis.trend([("a", 3.3), ("b", 3.41), ("c", 3.3)])] == [
        "up",
        "down",
    ]


def test_withheld_rounds_are_skipped_and_named() -> None:
    steps = analysis.trend(
        [("R0", None), ("R1", 2.5), ("R2", None), ("R3", None), ("R4", 3.0), ("R5", None)]
    )
    assert steps == [TrendStep("R1", "R4", 0.5, "up", skipped=("R2", "R3"))]


def test_fewer_than_two_shown_rounds_give_no_trend() -> None:
    assert analysis.trend([]) == []
    assert analysis.trend([("R1", 3.0)]) == []
    assert analysis.trend([("R1", None), ("R2", 4.0), ("R3", None)]) == []


# --- live results -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_shown", "current", "release"),
    [
        (0, 0, False),
        (0, 2, False),  # nothing shown yet: two answers are withheld
        (0, 3, True),  # the first figures, at the threshold
        (3, 4, False),  # one new answer could be read off by difference
        (3, 5, False),
        (3, 6, True),  # three new answers since the figures shown
        (6, 20, True),
    ],
)
def test_live_figures_move_only_after_three_new_answers(
    last_shown: int, current: int, release: bool
) -> None:
    assert analysis.release_live_figures(last_shown, current) is release


def test_live_figures_never_move_on_fewer_than_three_new_answers_whatever_is_configured() -> None:
    assert analysis.release_live_figures(3, 4, threshold=1) is False
    assert analysis.release_live_figures(3, 7, threshold=5) is False
    assert analysis.release_live_figures(3, 8, threshold=5) is True


def test_answers_cannot_disappear() -> None:
    with pytest.raises(ValueError, match="only ever added"):
        analysis.release_live_figures(6, 5)

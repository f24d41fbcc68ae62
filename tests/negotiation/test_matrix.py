"""The options matrix ranks options by the weighted total (hand-computed values)."""

from __future__ import annotations

from decimal import Decimal

from samverkan.negotiation.matrix import Ranked, ranking, weighted_total

# Interests by id with their priorities: price 5, exit 3, innovation 2 (Σ = 10).
PRIORITIES = {1: 5, 2: 3, 3: 2}


def test_the_weighted_total_weighs_each_score_by_its_interests_priority() -> None:
    # (5·4 + 3·2 + 2·5) / 10 = 36 / 10 = 3.60
    assert weighted_total(PRIORITIES, {1: 4, 2: 2, 3: 5}) == Decimal("3.60")
    # (5·3 + 3·5 + 2·1) / 10 = 32 / 10 = 3.20
    assert weighted_total(PRIORITIES, {1: 3, 2: 5, 3: 1}) == Decimal("3.20")
    # (5·2 + 3·3 + 2·4) / 10 = 27 / 10 = 2.70; and a third: (1·1 + 1·2 + 1·2)/3 = 1.666… → 1.67
    assert weighted_total(PRIORITIES, {1: 2, 2: 3, 3: 4}) == Decimal("2.70")
    assert weighted_total({1: 1, 2: 1, 3: 1}, {1: 1, 2: 2, 3: 2}) == Decimal("1.67")


def test_an_option_not_scored_on_every_interest_has_no_total() -> None:
    assert weighted_total(PRIORITIES, {1: 4, 2: 2}) is None
    assert weighted_total({}, {}) is None


def test_the_ranking_orders_by_total_shares_ties_and_puts_unscored_last() -> None:
    scores = {
        (10, 1): 2, (10, 2): 3, (10, 3): 4,  # 2.70
        (20, 1): 4, (20, 2): 2, (20, 3): 5,  # 3.60
        (30, 1): 3, (30, 2): 5, (30, 3): 1,  # 3.20
        (40, 1): 5,  # not scored against every interest
        (50, 1): 4, (50, 2): 2, (50, 3): 5,  # 3.60, tied with 20
    }  # fmt: skip
    assert ranking([10, 20, 30, 40, 50], PRIORITIES, scores) == [
        Ranked(20, Decimal("3.60"), 1),
        Ranked(50, Decimal("3.60"), 1),
        Ranked(30, Decimal("3.20"), 3),
        Ranked(10, Decimal("2.70"), 4),
        Ranked(40, None, None),
    ]

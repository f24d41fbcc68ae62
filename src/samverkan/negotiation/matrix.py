"""The options matrix's arithmetic (pure, no Django): each option scored against every
interest, weighted by the interests' priorities, and ranked.

    weighted total = Σ priority × score / Σ priority      (on the scores' 1–5 scale)

An option not yet scored against every interest has no total and ranks after those
that have one (in their order). Ties share a rank ("1, 1, 3").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Ranked:
    option: int  # the option's id
    total: Decimal | None  # None: not scored against every interest
    rank: int | None


def weighted_total(priorities: Mapping[int, int], scores: Mapping[int, int]) -> Decimal | None:
    """The weighted total of one option: ``priorities`` by interest id, ``scores`` by
    interest id; None when an interest has no score (or there are no interests)."""
    if not priorities or any(interest not in scores for interest in priorities):
        return None
    weight = sum(priorities.values())
    points = sum(priorities[interest] * scores[interest] for interest in priorities)
    return (Decimal(points) / Decimal(weight)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def ranking(
    options: Sequence[int],
    priorities: Mapping[int, int],
    scores: Mapping[tuple[int, int], int],
) -> list[Ranked]:
    """The options by weighted total, highest first; ``scores`` by (option, interest)."""
    totals = {
        option: weighted_total(
            priorities,
            {interest: score for (opt, interest), score in scores.items() if opt == option},
        )
        for option in options
    }
    scored = sorted(
        (option for option in options if totals[option] is not None),
        key=lambda option: -(totals[option] or 0),
    )
    ranked: list[Ranked] = []
    for position, option in enumerate(scored, start=1):
        total = totals[option]
        tied = ranked[-1].rank if ranked and ranked[-1].total == total else position
        ranked.append(Ranked(option, total, tied))
    ranked.extend(Ranked(option, None, None) for option in options if totals[option] is None)
    return ranked

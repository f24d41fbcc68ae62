"""The innovation rate's arithmetic (pure, no Django): quarters, the rate per quarter,
shares, the median decision time and the realised effect against the expected one.

What the figures mean, so that the page, the API, the overview and the portfolio say
the same:

- **Quarters.** An agreement's period runs from the quarter of its start (or of its
  first idea, if that is earlier, or of today when it has neither) to the current
  quarter. The chart shows the last ``CHART_QUARTERS`` of them.
- **Ideas per quarter** (the rate compared with the expectation): the mean number of
  ideas proposed per quarter over the last ``RATE_QUARTERS`` *completed* quarters of
  the period; while no quarter is completed yet, the current quarter alone. A quarter
  in progress would pull the mean down early in every quarter.
- **Share approved**: of the ideas decided (approved, rejected or parked, or further on
  from approved), those approved or further on. **Share implemented**: of those
  approved, the ones implemented or with their effect measured.
- **Median days to decision**: from an idea's proposal to its first decision (the first
  step into approved, rejected or parked), in days of 24 hours.
- **Realised against expected effect**: for every measured idea with an expected effect
  other than zero, realised ÷ expected (in the idea's own unit, so that ideas in hours,
  kronor and NPS points can be put together); the mean of those ratios, in percent.
- **Falls short** when the supplier's ideas per quarter are below the expectation (the
  framework's, or else the governance profile's; it counts the supplier's ideas).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATE_QUARTERS = 4
CHART_QUARTERS = 8
SECONDS_A_DAY = 86_400

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def key(self) -> str:
        """The name the API gives a quarter: "2026-Q1"."""
        return f"{self.year}-Q{self.number}"


def quarters(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from ``first`` to ``last``, both included (empty if ``last`` is earlier)."""
    out = []
    quarter = first
    while quarter <= last:
        out.append(quarter)
        quarter = quarter.next()
    return out


def period(
    start: datetime.date | None, first_idea: datetime.date | None, today: datetime.date
) -> list[Quarter]:
    """The agreement's quarters so far: from its start, or its first idea if earlier, to
    today's quarter. A start in the future counts from today."""
    known = [day for day in (start, first_idea) if day is not None and day <= today]
    return quarters(Quarter.of(min(known, default=today)), Quarter.of(today))


def rate_window(
    period: Sequence[Quarter], today: datetime.date, size: int = RATE_QUARTERS
) -> list[Quarter]:
    """The quarters the rate is averaged over: the last ``size`` completed quarters of the
    period, or the current quarter alone while none is completed."""
    current = Quarter.of(today)
    completed = [quarter for quarter in period if quarter < current]
    return completed[-size:] if completed else [current]


def per_quarter(counts: Mapping[Quarter, int], window: Sequence[Quarter]) -> Decimal:
    """The mean number of ideas per quarter over ``window`` (two decimals)."""
    if not window:
        return Decimal(0)
    total = sum(counts.get(quarter, 0) for quarter in window)
    return (Decimal(total) / len(window)).quantize(HUNDREDTH, ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal; None when ``whole`` is nothing."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, ROUND_HALF_UP)


def median_days(durations: Iterable[datetime.timedelta]) -> Decimal | None:
    """The median of the durations in days (one decimal); None when there are none."""
    seconds = [duration.total_seconds() for duration in durations]
    if not seconds:
        return None
    middle = Decimal(repr(statistics.median(seconds))) / SECONDS_A_DAY
    return middle.quantize(TENTH, ROUND_HALF_UP)


def effect_ratio(pairs: Iterable[tuple[Decimal, Decimal | None]]) -> tuple[Decimal | None, int]:
    """The mean of realised ÷ expected over the (realised, expected) pairs whose expected
    effect is given and not zero, in percent with no decimals, and how many pairs counted."""
    ratios = [Decimal(realised) / Decimal(expected) for realised, expected in pairs if expected]
    if not ratios:
        return None, 0
    mean = sum(ratios, Decimal(0)) * 100 / len(ratios)
    return mean.quantize(Decimal(1), ROUND_HALF_UP), len(ratios)


def falls_short(rate: Decimal, expected: int | None) -> bool:
    """Whether ``rate`` ideas per quarter are below what is expected (nothing expected:
    nothing falls short)."""
    return expected is not None and expected > 0 and rate < expected

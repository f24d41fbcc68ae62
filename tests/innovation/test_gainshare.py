"""The gain-share calculator with hand-computed values."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from samverkan.innovation.gainshare import gain_share_ends, gain_share_split

START = datetime.date(2026, 1, 1)


def split(effect: str, customer: int, supplier: int, on: datetime.date, months: int = 36):  # type: ignore[no-untyped-def]
    return gain_share_split(
        effect=Decimal(effect),
        customer_share=customer,
        supplier_share=supplier,
        start=START,
        months=months,
        realised_on=on,
    )


def test_an_even_split_halves_the_effect() -> None:
    result = split("1200000", 50, 50, datetime.date(2026, 6, 30))
    assert (result.customer, result.supplier, result.within) == (
        Decimal("600000.00"),
        Decimal("600000.00"),
        True,
    )


def test_a_70_30_split_of_an_odd_amount_rounds_the_customer_half_up_and_adds_up() -> None:
    # 333 333,33 × 0,70 = 233 333,331 → 233 333,33; the supplier gets 100 000,00.
    result = split("333333.33", 70, 30, datetime.date(2027, 3, 1))
    assert result.customer == Decimal("233333.33")
    assert result.supplier == Decimal("100000.00")
    # 0,05 × 0,50 = 0,025 → 0,03 half up; the supplier 0,02.
    tiny = split("0.05", 50, 50, datetime.date(2027, 3, 1))
    assert (tiny.customer, tiny.supplier) == (Decimal("0.03"), Decimal("0.02"))


def test_nothing_is_shared_after_the_time_limit_or_before_the_start() -> None:
    # 36 months from 1 January 2026 end on 1 January 2029: 31 December 2028 is the last day.
    assert gain_share_ends(START, 36) == datetime.date(2029, 1, 1)
    last = split("100000", 40, 60, datetime.date(2028, 12, 31))
    assert (last.customer, last.supplier) == (Decimal("40000.00"), Decimal("60000.00"))
    after = split("100000", 40, 60, datetime.date(2029, 1, 1))
    assert (after.customer, after.supplier, after.within) == (Decimal(0), Decimal(0), False)
    before = split("100000", 40, 60, datetime.date(2025, 12, 31))
    assert (before.customer, before.supplier, before.within) == (Decimal(0), Decimal(0), False)


def test_a_period_from_the_end_of_a_month_ends_at_the_end_of_a_month() -> None:
    assert gain_share_ends(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("effect", "customer", "supplier", "months"),
    [("-1", 50, 50, 12), ("100", 60, 50, 12), ("100", 50, 50, 0), ("100", -10, 110, 12)],
)
def test_impossible_inputs_are_refused(
    effect: str, customer: int, supplier: int, months: int
) -> None:
    with pytest.raises(ValueError):
        split(effect, customer, supplier, datetime.date(2026, 2, 1), months)

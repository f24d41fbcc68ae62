"""The gain-share calculator: each party's part of a realised effect (pure, no Django).

A gain-share splits a realised saving or revenue between the parties by their shares
(in percent, adding up to 100) for a limited time: from ``start`` for ``months``
months. An effect realised outside that period gives nobody anything.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Split:
    customer: Decimal
    supplier: Decimal
    within: bool  # whether the effect was realised within the gain-share period
    ends_on: datetime.date  # the first day no longer covered


def gain_share_ends(start: datetime.date, months: int) -> datetime.date:
    """The first day after a period of ``months`` months from ``start`` (31 Jan + 1 → 29 Feb)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def gain_share_split(
    *,
    effect: Decimal,
    customer_share: int,
    supplier_share: int,
    start: datetime.date,
    months: int,
    realised_on: datetime.date,
) -> Split:
    """Each party's amount of ``effect`` realised on ``realised_on``, to the öre.

    The customer's part is rounded half up and the supplier gets the rest, so the
    parts always add up to the effect. Zero for both before ``start`` and from the
    end of the period on. Raises ``ValueError`` for a negative effect, shares that do
    not add up to 100 or a period shorter than a month.
    """
    if effect < 0:
        raise ValueError("the effect cannot be negative")
    if customer_share < 0 or supplier_share < 0 or customer_share + supplier_share != 100:
        raise ValueError("the shares must add up to 100")
    if months < 1:
        raise ValueError("the period must be at least a month")
    ends_on = gain_share_ends(start, months)
    if not start <= realised_on < ends_on:
        return Split(
            customer=Decimal("0.00"), supplier=Decimal("0.00"), within=False, ends_on=ends_on
        )
    effect = effect.quantize(CENT, rounding=ROUND_HALF_UP)
    customer = (effect * customer_share / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return Split(customer=customer, supplier=effect - customer, within=True, ends_on=ends_on)

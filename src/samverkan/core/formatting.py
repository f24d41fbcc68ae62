"""Amounts as people read them, in the active language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation


def format_money(value: Decimal | int | float | None, currency: str = "SEK") -> str:
    """An amount in whole units, grouped for the active language: "1 250 000 kr" / "SEK 1,250,000"."""
    if value is None or value == "":
        return "–"
    try:
        # Round, not truncate: 1 249 999,60 is shown as 1 250 000.
        whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    amount = formats.number_format(whole, decimal_pos=0, use_l10n=True, force_grouping=True)
    if translation.get_language() == "sv":
        return f"{amount}\xa0kr" if currency == "SEK" else f"{amount}\xa0{currency}"
    return f"{currency}\xa0{amount}"

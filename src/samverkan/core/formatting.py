"""Amounts and figures as people read them, in the active language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.template.defaultfilters import floatformat
from django.utils import formats, translation


def format_money(
    value: Decimal | int | float | None, currency: str = "SEK", *, exact: bool = False
) -> str:
    """An amount in whole units, grouped for the active language: "1 250 000 kr" / "SEK 1,250,000".

    ``exact`` keeps the öre/cents when there are any ("1 250 000,50 kr"), for the
    audit trail, where a change of 0,40 must not read as no change.
    """
    if value is None or value == "":
        return "–"
    try:
        # Round, not truncate: 1 249 999,60 is shown as 1 250 000.
        whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        cents = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    if exact and cents != whole:
        amount = formats.number_format(cents, decimal_pos=2, use_l10n=True, force_grouping=True)
    else:
        amount = formats.number_format(whole, decimal_pos=0, use_l10n=True, force_grouping=True)
    if translation.get_language() == "sv":
        return f"{amount}\xa0kr" if currency == "SEK" else f"{amount}\xa0{currency}"
    return f"{currency}\xa0{amount}"


def format_decimal(value: float, decimals: int = 1, *, signed: bool = False) -> str:
    """``value`` rounded half up, in the active language: "3,8" in Swedish, "3.8" in English.

    Django's ``floatformat`` does the rounding and the language; a negative value gets
    a true minus sign ("−0,4"), and ``signed`` adds "+" before a positive one (a gap,
    a score of −100 to 100). Zero is never signed: "0,0".
    """
    text = str(floatformat(value, decimals)).lstrip("-")
    if not any(digit in text for digit in "123456789"):
        return text
    if value < 0:
        return f"−{text}"
    return f"+{text}" if signed else text


def plain_decimal(value: Decimal) -> Decimal:
    """A stored figure without trailing zeros, never in exponent form: 10.00 → 10,
    12.50 → 12.5 (``Decimal.normalize`` alone would give 1E+1)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()

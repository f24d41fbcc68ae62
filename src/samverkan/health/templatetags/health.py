"""Number formatting for the health pages: one decimal, signed gaps, in the page's language."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """A mean with one decimal ("3,8" in Swedish); "–" when there is none."""
    return "–" if value is None else str(floatformat(value, 1))


@register.filter
def signed(value: float | None, decimals: int = 1) -> str:
    """A gap or a score with its sign: "+1,2", "−0,4", "0,0"; ``signed:0`` for "+60"."""
    if value is None:
        return "–"
    text = str(floatformat(abs(value), decimals))
    if text.strip("0,.") == "":
        return text
    return f"+{text}" if value > 0 else f"−{text}"


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{floatformat(value, 0)} %"

"""Figures on the health pages: one decimal, signed gaps, in the page's language."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

from samverkan.core.formatting import format_decimal

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """A mean with one decimal ("3,8" in Swedish); "–" when there is none."""
    return "–" if value is None else format_decimal(value)


@register.filter
def signed(value: float | None, decimals: int = 1) -> str:
    """A gap or a score with its sign: "+1,2", "−0,4", "0,0"; ``signed:0`` for "+60"."""
    return "–" if value is None else format_decimal(value, decimals, signed=True)


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{floatformat(value, 0)} %"

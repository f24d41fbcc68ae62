"""Numbers and amounts formatted for the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from samverkan.core.templatetags.samverkan import money, query_with


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("sv", "SEK", "1\xa0250\xa0000\xa0kr"),
        ("en", "SEK", "SEK\xa01,250,000"),
        ("sv", "EUR", "1\xa0250\xa0000\xa0EUR"),
        ("en", "EUR", "EUR\xa01,250,000"),
    ],
)
def test_money_is_grouped_for_the_language(language: str, currency: str, expected: str) -> None:
    with translation.override(language):
        assert money(Decimal("1250000.00"), currency) == expected


def test_money_rounds_to_whole_units() -> None:
    with translation.override("sv"):
        assert money(Decimal("1249999.60")) == "1\xa0250\xa0000\xa0kr"
        assert money(Decimal("1249999.40")) == "1\xa0249\xa0999\xa0kr"
        assert money(0) == "0\xa0kr"


def test_missing_amount_is_a_dash() -> None:
    assert money(None) == "–"


def test_money_filter_in_a_template_defaults_to_kronor() -> None:
    template = Template("{% load samverkan %}{{ value|money }}")
    with translation.override("sv"):
        assert template.render(Context({"value": Decimal("8400000")})) == "8\xa0400\xa0000\xa0kr"


def test_query_with_replaces_one_parameter_and_keeps_the_filters() -> None:
    request = RequestFactory().get("/agreements/", {"q": "drift", "status": "active", "page": "2"})
    result = query_with({"request": request}, page=3)
    assert result.startswith("?")
    assert sorted(result[1:].split("&")) == ["page=3", "q=drift", "status=active"]
    assert query_with({"request": request}, page=None, q="") == "?status=active"

"""Amounts are typed the way people write them: "100 000", "100 000,50", "1 000 000 kr".

One form field (``AmountField``) reads every amount of every form, in Swedish and in
English, and shows a saved amount again in a way that it reads back unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from samverkan.agreements.forms import AgreementForm
from samverkan.collaboration import services
from samverkan.collaboration.forms import ForumForm, RoleForm
from samverkan.collaboration.models import Forum, Role
from samverkan.core.forms import AmountField
from tests.conftest import World

NBSP, NNBSP = "\u00a0", "\u202f"

SPELLINGS = [
    ("100 000", Decimal("100000")),
    (f"100{NBSP}000", Decimal("100000")),
    (f"100{NNBSP}000", Decimal("100000")),
    ("100 000,50", Decimal("100000.50")),
    (f"100{NBSP}000,50", Decimal("100000.50")),
    (f"100{NNBSP}000,50", Decimal("100000.50")),
    ("100000.50", Decimal("100000.50")),
    ("100000,50", Decimal("100000.50")),
    ("1 000 000 kr", Decimal("1000000")),
    (f"1{NBSP}000{NBSP}000{NBSP}kr", Decimal("1000000")),
    (f"1{NNBSP}000{NNBSP}000 kr", Decimal("1000000")),
    ("1 000 000 SEK", Decimal("1000000")),
    ("SEK 1,000,000", Decimal("1000000")),
    ("1 000 000:-", Decimal("1000000")),
    ("1,000,000.50", Decimal("1000000.50")),
    ("1.000.000", Decimal("1000000")),
    ("  250000  ", Decimal("250000")),
    ("0", Decimal("0")),
]
GARBAGE = [
    "abc",
    "100 000 000 kronor och lite till",
    "12 34",
    "1,2,3",
    "100,,5",
    "kr",
    "1e6",
    "--5",
]


class _Form(forms.Form):
    amount = AmountField(required=False)
    limit = AmountField(required=False, whole=True)


def _clean(text: str, language: str, field: str = "amount") -> Any:
    with translation.override(language):
        form = _Form({field: text})
        assert form.is_valid(), form.errors
        return form.cleaned_data[field]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("text", "expected"), SPELLINGS)
def test_every_spelling_is_read_in_both_languages(
    text: str, expected: Decimal, language: str
) -> None:
    assert _clean(text, language) == expected


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_gets_a_clear_message(text: str, language: str) -> None:
    with translation.override(language):
        form = _Form({"amount": text})
        assert not form.is_valid()
        message = form.errors["amount"][0]
    expected = {"sv": "Ange ett belopp", "en": "Enter an amount"}[language]
    assert message.startswith(expected), message


def test_a_comma_between_thousands_is_grouping_in_english_and_a_decimal_in_swedish() -> None:
    assert _clean("1,250", "en") == Decimal("1250")
    assert _clean("1,25", "sv") == Decimal("1.25")
    with translation.override("sv"):
        assert not _Form({"amount": "1,250"}).is_valid()  # 1,250 kr has three decimals


def test_negative_amounts_are_refused() -> None:
    with translation.override("en"):
        assert not _Form({"amount": "-100"}).is_valid()
        assert not _Form({"amount": "−100"}).is_valid()


def test_whole_amounts_take_no_oere_but_accept_zero_decimals() -> None:
    assert _clean("2 000 000,00", "sv", "limit") == 2_000_000
    with translation.override("sv"):
        form = _Form({"limit": "100 000,50"})
        assert not form.is_valid()
        assert "hela kronor" in form.errors["limit"][0]


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("sv", Decimal("12500000.00"), f"12{NBSP}500{NBSP}000"),
        ("sv", Decimal("12500000.50"), f"12{NBSP}500{NBSP}000,50"),
        ("en", Decimal("12500000.00"), "12,500,000"),
        ("en", Decimal("12500000.50"), "12,500,000.50"),
        ("sv", 2000000, f"2{NBSP}000{NBSP}000"),
    ],
)
def test_a_saved_amount_is_shown_in_the_users_way_and_reads_back_the_same(
    language: str, value: Any, shown: str
) -> None:
    with translation.override(language):
        form = _Form(initial={"amount": value})
        assert form["amount"].value() == shown
        assert 'inputmode="decimal"' in str(form["amount"])
        assert 'type="number"' not in str(form["amount"])
    assert _clean(shown, language) == Decimal(value)


def test_a_refused_amount_is_shown_again_as_typed() -> None:
    with translation.override("sv"):
        form = _Form({"amount": "hundra tusen"})
        assert not form.is_valid()
        assert 'value="hundra tusen"' in str(form["amount"])


# Every amount field of every form ---------------------------------------------------------


def test_agreement_value_is_an_amount_field() -> None:
    assert isinstance(AgreementForm().fields["annual_value"], AmountField)


def test_mandate_and_decision_right_limits_are_amount_fields() -> None:
    assert isinstance(RoleForm().fields["m0_limit"], AmountField)
    assert isinstance(ForumForm(roles=Role.objects.none()).fields["m0_limit"], AmountField)


class _FormValues(HTMLParser):
    """What a browser would submit for each form of a page, as the page fills it in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.values: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.values = {}
            self.forms.append(self.values)
        if "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox"):
            self.values[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.values.setdefault(a["name"], []).append(a.get("value", "on"))
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(a["name"], [] if "multiple" in a else "")
        elif tag == "option" and self._select and "selected" in a:
            current = self.values[self._select]
            if isinstance(current, list):
                current.append(a.get("value", ""))
            else:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def _edit_page_inputs(body: str) -> dict[str, Any]:
    """The values of the page's largest form (not the language switch in the header)."""
    parser = _FormValues()
    parser.feed(body)
    values = max(parser.forms, key=len)
    for name, value in values.items():
        if isinstance(value, str) and value.startswith("\n") and name not in ("m0_limit",):
            values[name] = value[1:]  # Django puts a newline after <textarea>
    return values


@pytest.mark.parametrize("language", ["sv", "en"])
def test_agreement_value_typed_the_swedish_way_is_saved_and_edits_again_unchanged(
    world: World, client_for: Any, language: str
) -> None:
    world.customer_owner.language = language
    world.customer_owner.save()
    client = client_for(world.customer_owner)
    url = reverse("agreements:edit", args=[world.agreement.pk])
    page = _edit_page_inputs(client.get(url).content.decode())
    data = {**page, "annual_value": "13 500 000,50"}
    assert client.post(url, data).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.annual_value == Decimal("13500000.50")

    again = _edit_page_inputs(client.get(url).content.decode())
    assert (
        again["annual_value"] == {"sv": f"13{NBSP}500{NBSP}000,50", "en": "13,500,000.50"}[language]
    )
    # Saved again from the page as it now reads (with the agreement's new version).
    assert client.post(url, again).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.annual_value == Decimal("13500000.50")


def test_garbage_agreement_value_is_shown_again_with_the_message(
    world: World, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    url = reverse("agreements:edit", args=[world.agreement.pk])
    data = {**_edit_page_inputs(client.get(url).content.decode()), "annual_value": "mycket"}
    body = client.post(url, data).content.decode()
    assert 'id="id_annual_value_error"' in body
    assert "Ange ett belopp" in body
    assert 'value="mycket"' in body


@pytest.mark.parametrize("kind", ["roles", "forums"])
def test_limits_typed_the_swedish_way_are_saved_and_edit_again_unchanged(
    world: World, client_for: Any, kind: str
) -> None:
    services.model_seed(agreement=world.agreement)
    if kind == "forums":
        part: Any = services.forum_from_template(
            agreement=world.agreement, actor=None, template="steering-group"
        )
    else:
        part = Role.objects.filter(agreement=world.agreement).first()
    client = client_for(world.customer_owner)
    url = reverse(
        "collaboration:part_edit",
        kwargs={"pk": world.agreement.pk, "kind": kind, "part_pk": part.pk},
    )
    page = client.get(url).content.decode()
    data = _edit_page_inputs(page)
    data.update({"m0_decision": "budget", "m0_limit": f"2{NNBSP}500{NNBSP}000 kr"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    field = "mandate" if kind == "forums" else "decision_rights"
    model = Forum if kind == "forums" else Role
    saved = getattr(model.objects.get(pk=part.pk), field)
    assert saved[0]["limit"] == 2_500_000
    assert isinstance(saved[0]["limit"], int)

    again = _edit_page_inputs(client.get(url).content.decode())
    assert again["m0_limit"] == f"2{NBSP}500{NBSP}000"
    data.update({"m0_limit": again["m0_limit"], "version": again["version"]})
    assert client.post(url, data).status_code == 302
    assert getattr(model.objects.get(pk=part.pk), field)[0]["limit"] == 2_500_000


def test_a_figure_reads_grouped_decimal_and_negative_numbers() -> None:
    from samverkan.core.forms import FigureField

    class Form(forms.Form):
        figure = FigureField(required=False)

    with translation.override("sv"):
        for typed, read in (("600 000", "600000"), ("12,5", "12.5"), ("-3", "-3"), ("", None)):
            form = Form({"figure": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["figure"] == (None if read is None else Decimal(read))
        form = Form({"figure": "sex"})
        assert not form.is_valid()
        assert form.errors["figure"] == ["Ange ett tal, till exempel 600 000 eller 12,5."]
        assert 'type="text"' in str(Form()["figure"]) and 'inputmode="decimal"' in str(
            Form()["figure"]
        )

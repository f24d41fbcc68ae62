from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, error)
    else:
        form.add_error(None, exc)


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (and wants a partial, not a whole page)."""
    return bool(getattr(request, "htmx", False))


# Amounts ------------------------------------------------------------------------------------

# What people and programs put between thousands: space, no-break space (U+00A0), narrow
# no-break space (U+202F), thin space (U+2009) and figure space (U+2007).
_SPACE = "[ \t\u00a0\u202f\u2009\u2007]"
_CURRENCY = r"(?:kr\.?|:-|sek|eur|nok|dkk|usd|€|\$)"
_AROUND = re.compile(rf"^{_CURRENCY}?{_SPACE}*(?P<number>.*?){_SPACE}*{_CURRENCY}?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:\|\d{3})+")


def parse_amount(text: str, *, decimal_separator: str) -> Decimal:
    """An amount as people write it, or ``ValueError``.

    Reads "100 000", "100 000,50", "100000.50", "1 000 000 kr", "SEK 1,000,000" and
    "1 000 000:-", with any of the spaces above between thousands, in either language.
    A lone comma is the decimal sign, except that where the language writes decimals
    with a point (English) a comma followed by exactly three digits groups thousands
    ("1,250"). Groups are of three digits: "12 34" is refused, never read as 1234.
    """
    match = _AROUND.match(text.strip())
    number = match["number"] if match else ""
    sign = ""
    if number[:1] in ("-", "−"):
        sign, number = "-", number[1:]
    decimal = ""
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
    elif number.count(",") == 1:
        grouping = decimal_separator == "." and re.fullmatch(r"\d{1,3},\d{3}", number)
        decimal = "" if grouping else ","
    elif number.count(".") == 1:
        decimal = "."
    whole, fraction = number.rsplit(decimal, 1) if decimal else (number, "")
    if decimal and decimal in whole:  # "1.000,000.50": two decimal signs
        raise ValueError(text)
    whole = re.sub(rf"{_SPACE}+|[,.]", "|", whole)
    if not (_DIGITS.fullmatch(whole) or _GROUPED.fullmatch(whole)):
        raise ValueError(text)
    if decimal and not _DIGITS.fullmatch(fraction):
        raise ValueError(text)
    return Decimal(sign + whole.replace("|", "") + (f".{fraction}" if decimal else ""))


def format_amount_input(value: Decimal | int) -> str:
    """An amount for a form field, grouped as the active language writes it ("12 500 000,50").

    Whole amounts without decimals; ``parse_amount`` reads the result back unchanged.
    """
    amount = Decimal(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)


class AmountField(forms.DecimalField):
    """An amount of money, typed the way people write it (see ``parse_amount``).

    ``whole=True`` for amounts in whole kronor (mandate limits): the cleaned value is
    then a Decimal without decimals. A text input, not a number input: browsers refuse
    "100 000" in a number input before the form ever sees it.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount, like 100,000 or 100,000.50."),
        "whole": _("Enter the amount in whole kronor, like 100,000."),
    }

    def __init__(self, *, whole: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("decimal_places", 0 if whole else 2)
        kwargs.pop("localize", None)  # this field always reads and shows the user's way
        self.whole = whole
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric" if self.whole else "decimal"
        attrs["autocomplete"] = "off"
        return attrs

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            amount = Decimal(value)
        else:
            try:
                amount = parse_amount(
                    str(value), decimal_separator=str(formats.get_format("DECIMAL_SEPARATOR"))
                )
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if self.whole:
            if amount != amount.to_integral_value():
                raise ValidationError(self.error_messages["whole"], code="whole")
            amount = amount.quantize(Decimal(1))
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_amount_input(value)
        return value


class FigureField(AmountField):
    """A figure in any unit (hours per month, SEK per year, NPS points), typed the way
    people write it — "600 000", "12,5", "-3" — in a text input (a number input refuses
    "600 000" before the form sees it). Negative figures are allowed unless ``min_value``
    says otherwise."""

    default_error_messages = {
        "invalid": _("Enter a number, like 600,000 or 12.5."),
        "whole": _("Enter a whole number."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", None)
        kwargs.setdefault("max_digits", 15)
        super().__init__(whole=False, **kwargs)

"""The limits of ``lib/limits.py`` (docs/limits.md) as pydantic types, stated once.

The API's schemas and the agreement file's schema are built from these, so the
OpenAPI document, the JSON Schema of the file and the validation of both say the
same numbers. The forms declare the same numbers from ``lib/limits.py``.

``Clean`` adds the control-character rule of ``core/validation.py`` to a text type;
the file uses it in the schema, the API leaves it to the services (which answer
400 naming the field).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Annotated, get_args

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from samverkan.core.validation import text_problem
from samverkan.lib import limits

# Texts --------------------------------------------------------------------------------------
Reference = Annotated[str, Field(max_length=limits.REFERENCE_MAX)]
Title = Annotated[str, Field(max_length=limits.TITLE_MAX)]
Name = Annotated[str, Field(max_length=limits.NAME_MAX)]
PersonName = Annotated[str, Field(min_length=1, max_length=limits.PERSON_MAX)]
Email = Annotated[str, Field(max_length=limits.EMAIL_MAX)]
Line = Annotated[str, Field(max_length=limits.LINE_MAX)]
Note = Annotated[str, Field(max_length=limits.NOTE_MAX)]
Text = Annotated[str, Field(max_length=limits.TEXT_MAX)]

# Lists --------------------------------------------------------------------------------------
Lines = Annotated[list[Line], Field(max_length=limits.ITEMS_MAX)]

# Numbers ------------------------------------------------------------------------------------
Amount = Annotated[int, Field(ge=0, le=limits.AMOUNT_MAX)]
EscalationDays = Annotated[int, Field(ge=1, le=limits.ESCALATION_DAYS_MAX)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

# Dates --------------------------------------------------------------------------------------
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only what ``format: date`` allows: pydantic alone also reads a number as seconds
    since 1970 (``0`` ended an agreement on 1 January 1970) and takes a date-time."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    raise PydanticCustomError("iso_date", "Enter a date as YYYY-MM-DD.")


# A calendar date, YYYY-MM-DD.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


# Control characters -------------------------------------------------------------------------


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is ours, already in the person's language.

    Raised by a validator; whoever reports the errors shows ``message`` as it is.
    """
    return PydanticCustomError("samverkan", "{message}", {"message": message})


def _clean(value: str) -> str:
    if text_problem(value) is not None:
        raise problem(_("must not contain NUL or other control characters"))
    return value


# A text without NUL, other control characters or lone surrogates (``text_problem``).
Clean = AfterValidator(_clean)


# Errors at a place ----------------------------------------------------------------------------

_BUILT_IN = frozenset(get_args(ErrorType))


def located(title: str, problems: Sequence[tuple[tuple[str | int, ...], str]]) -> ValidationError:
    """A ValidationError with our ``problems``, each at its place under the validated value.

    Raised from a model's or a list's validator, the places are prefixed with the
    value's own place, as pydantic does for its own errors.
    """
    return combined(title, [], problems)


def combined(
    title: str,
    errors: Sequence[ErrorDetails],
    problems: Sequence[tuple[tuple[str | int, ...], str]],
) -> ValidationError:
    """``errors`` (as pydantic gave them) together with our ``problems``."""
    details: list[InitErrorDetails] = []
    for error in errors:
        ctx = dict(error.get("ctx") or {})
        kind: str | PydanticCustomError = error["type"]
        if kind == "samverkan":
            kind = problem(str(ctx.pop("message", "")))
        elif kind not in _BUILT_IN:
            kind = PydanticCustomError(str(kind), error["msg"])
        detail = InitErrorDetails(type=kind, loc=tuple(error["loc"]), input=error.get("input"))
        if ctx and isinstance(kind, str):
            detail["ctx"] = ctx
        details.append(detail)
    for loc, message in problems:
        details.append(InitErrorDetails(type=problem(message), loc=loc, input=None))
    return ValidationError.from_exception_data(title, details)

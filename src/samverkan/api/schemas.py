"""Schemas every router shares: the error body and the error statuses."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator

from samverkan.lib import limits

# The limits of lib/limits.py as schema types, so the OpenAPI document states them.
Text = Annotated[str, Field(max_length=limits.TEXT_MAX)]
Line = Annotated[str, Field(max_length=limits.LINE_MAX)]
Lines = Annotated[list[Line], Field(max_length=limits.ITEMS_MAX)]
Note = Annotated[str, Field(max_length=limits.NOTE_MAX)]
PersonName = Annotated[str, Field(min_length=1, max_length=limits.PERSON_MAX)]
Email = Annotated[str, Field(max_length=limits.EMAIL_MAX)]
Amount = Annotated[int, Field(ge=0, le=limits.AMOUNT_MAX)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only what ``format: date`` allows: pydantic alone also reads a number as seconds
    since 1970 (``0`` ended an agreement on 1 January 1970) and takes a date-time."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD.")


# A calendar date, YYYY-MM-DD, in a body or a query.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


class FieldErrorOut(Schema):
    """One problem with one part of the request: ``path`` as in ``roles[3].level``."""

    path: str
    message: str


class ErrorOut(Schema):
    """Every error: ``detail`` is always one readable sentence; ``errors`` lists field problems."""

    detail: str
    errors: list[FieldErrorOut] = []


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def patch_changes(
    payload: Schema, *, empty: Mapping[str, object], nullable: Iterable[str] = ()
) -> dict[str, Any]:
    """The fields a PATCH sets. An explicit ``null`` empties a field that may be empty
    (``empty`` gives its empty value, as ``""`` or ``[]``), means "none" on a ``nullable``
    one (a forum without a chair), and is refused, naming the field, on any other."""
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    allowed = set(nullable)
    for field, value in changes.items():
        if value is not None or field in allowed:
            continue
        if field not in empty:
            raise ValidationError({field: _("This field cannot be null.")})
        changes[field] = empty[field]
    return changes

"""Schemas every router shares: the error body and the error statuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema

# The limits of lib/limits.py as schema types (stated once, in core/fields.py, and shared
# with the agreement file's schema), so the OpenAPI document states them; the routers
# import them from here.
from samverkan.core.fields import Amount, Email, Id, IsoDate, Line, Lines, Note, PersonName, Text

__all__ = [
    "ERRORS",
    "Amount",
    "Email",
    "ErrorOut",
    "FieldErrorOut",
    "Id",
    "IsoDate",
    "Line",
    "Lines",
    "Note",
    "PersonName",
    "Text",
    "patch_changes",
]


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

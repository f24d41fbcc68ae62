"""Schemas every router shares: the error body and the error statuses."""

from __future__ import annotations

from ninja import Schema


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

"""Schemas every router shares: the error body and the error statuses."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    detail: object


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

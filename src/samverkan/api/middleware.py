"""What every API request body must be, checked before any endpoint sees it.

A body is a JSON object (``Content-Type: application/json``) or, for the
agreement-file import only, YAML text (an idea's attachment: multipart/form-data,
checked by its endpoint); it is at most ``API_MAX_BODY_BYTES``; and
no string in it holds a NUL or another control character (tab, newline and
carriage return excepted) or a lone surrogate, which PostgreSQL cannot store and
no person types. Anything else is answered here, in the API's error shape, with
413, 415 or 400 and the reason, so no endpoint can half-accept it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from samverkan.core.validation import text_problem
from samverkan.lib import limits

API_PREFIX = "/api/v1/"
YAML_PATHS = ("/api/v1/agreements/import",)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
# File uploads (multipart/form-data, one file): the body is not read here but by the
# endpoint, whose service checks the file; a body declared larger than the file limit
# and some room for the form's parts is refused (413) before it is read.
UPLOAD_PATHS = re.compile(r"^/api/v1/agreements/\d+/innovation/ideas/\d+/attachments$")
UPLOAD_SLACK_BYTES = 64 * 1024


def _error(status: int, detail: str, path: str = "") -> JsonResponse:
    errors = [{"path": path, "message": detail}] if path else []
    return JsonResponse({"detail": detail, "errors": errors}, status=status)


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a parsed JSON value, keys included, with its path (``roles[3].name``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}" if path else str(key), str(key)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _empty_form(body: bytes) -> bool:
    """A form body without a single field: blank, or only multipart's closing boundary.

    Anything more is refused (415) rather than parsed as a form: django-ninja reads the
    body as JSON whatever its declared type, so a form type must never carry one past.
    """
    text = body.strip()
    return not text or (text.startswith(b"--") and text.endswith(b"--") and b"\n" not in text)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


class ApiBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method in ("POST", "PUT", "PATCH"):
            refusal = self._check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        limit: int = settings.API_MAX_BODY_BYTES
        if request.method == "POST" and UPLOAD_PATHS.match(request.path):
            return self._check_upload(request)
        too_big = _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(400, _("The Content-Length header is not a number."))
        if declared > limit:
            return _error(413, too_big)
        try:
            body = request.body
        except RequestDataTooBig:
            return _error(413, too_big)
        if len(body) > limit:
            return _error(413, too_big)
        if not body:
            return None
        content_type = request.content_type or ""
        if content_type in FORM_TYPES and _empty_form(body):
            return None  # a bodiless POST as some clients send it: no fields, nothing to read
        if request.path in YAML_PATHS:
            if content_type not in YAML_TYPES:
                return _error(415, _("Send the agreement file as application/yaml."))
            return None
        if content_type != "application/json":
            return _error(415, _("Send the body as JSON with Content-Type: application/json."))
        try:
            data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        except UnicodeDecodeError:
            return _error(400, _("The body is not UTF-8 text."))
        except (ValueError, RecursionError) as exc:
            return _error(400, _("The body is not valid JSON: %(reason)s") % {"reason": exc})
        if not isinstance(data, dict):
            return _error(400, _("The body must be a JSON object, {…}."))
        for path, text in _strings(data):
            problem = text_problem(text)
            if problem is not None:
                return _error(400, f"{path}: {problem}", path)
        return None

    def _check_upload(self, request: HttpRequest) -> HttpResponse | None:
        if (request.content_type or "") != "multipart/form-data":
            return _error(415, _("Send the file as multipart/form-data, in the field “file”."))
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(400, _("The Content-Length header is not a number."))
        if declared > limits.ATTACHMENT_BYTES_MAX + UPLOAD_SLACK_BYTES:
            most = f"{limits.ATTACHMENT_BYTES_MAX // (1024 * 1024)} MB"
            return _error(413, _("A file may be at most %(limit)s.") % {"limit": most})
        return None

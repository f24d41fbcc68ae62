"""The product's own error pages while DEBUG is on, for the demo.

With ``DEBUG`` on, Django answers a missing page or a crash with its debug
pages, which list every URL and the code. Developers want that; a person
walking the demo must see what users see. ``DEBUG_ERROR_PAGES=0`` (what
``make demo`` sets) swaps them for the templates ``404.html`` and ``500.html``.
Without ``DEBUG`` Django uses those templates itself and this does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


class ErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not settings.DEBUG
            or settings.DEBUG_ERROR_PAGES
            or response.status_code not in (404, 500)
            or not response.get("Content-Type", "").startswith("text/html")
            or request.path.startswith("/api/")
        ):
            return response
        if response.status_code == 404:
            body = loader.render_to_string("404.html", request=request)
        else:
            body = loader.render_to_string("500.html")
        return HttpResponse(body, status=response.status_code)


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every answer of the app that does not set its own.

    Pages, exports and API answers carry one organisation's data, and survey pages a
    personal link: no shared cache and no browser history may keep a copy. Static
    files never get here (WhiteNoise answers them first, with their own headers).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):  # never_cache's own header also forbids it
            response["Cache-Control"] = "private, no-store"
        return response

"""A document too large to write in time: a page that says so, never a killed worker."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from samverkan.documents.bounded import DocumentTooLargeError


class DocumentTooLargeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DocumentTooLargeError):
            return None
        referer = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return render(
            request,
            "documents/too_large.html",
            {
                "busy": exception.busy,
                "seconds": exception.seconds,
                "pages": max(1, exception.characters // 3000),  # about 3,000 characters a page
                "back": referer if safe else "/",
            },
            status=422,
        )

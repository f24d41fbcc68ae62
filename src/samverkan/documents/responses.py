"""One HTTP response for a document in any of its three formats."""

from __future__ import annotations

import re
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from samverkan.documents.bounded import render_bounded
from samverkan.documents.html import render_html
from samverkan.documents.model import Document

Format = Literal["docx", "pdf", "html"]

CONTENT_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}

# The HTML page is self-contained: no scripts, nothing fetched, only its inline styles.
HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def document_response(document: Document, fmt: Format, filename_stem: str) -> HttpResponse:
    """The document as a download (docx, pdf) or an inline page (html).

    Word and PDF are written within ``DOCUMENT_TIMEOUT_SECONDS``; past it
    ``DocumentTooLargeError`` is raised for the caller to explain (the worker is free).
    """
    body: bytes | str
    if fmt == "docx" or fmt == "pdf":
        body = render_bounded(document, fmt, seconds=settings.DOCUMENT_TIMEOUT_SECONDS)
    elif fmt == "html":
        body = render_html(document)
    else:
        raise ValueError(f"unknown document format: {fmt!r}")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    disposition = content_disposition_header(
        as_attachment=fmt != "html", filename=f"{_safe_stem(filename_stem)}.{fmt}"
    )
    assert disposition is not None  # there is always a filename
    response["Content-Disposition"] = disposition
    if fmt == "html":
        response["Content-Security-Policy"] = HTML_POLICY
    return response


def _safe_stem(stem: str) -> str:
    """The stem without path separators or control characters; "document" if nothing is left."""
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\]+", "-", stem).strip(" .-")
    return cleaned or "document"

"""The brief's download: Word or PDF, for members of the case only (404 for everyone else)."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from samverkan.core.requests import request_user
from samverkan.documents.responses import document_response
from samverkan.negotiation.access import case_for
from samverkan.negotiation.brief import brief_filename, brief_language, case_brief

FORMATS: dict[str, Literal["docx", "pdf"]] = {"docx": "docx", "pdf": "pdf"}


@login_required
def brief_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """``?language=sv|en``; by default the person's own language."""
    user = request_user(request)
    access = case_for(user, pk)
    if fmt not in FORMATS:
        raise Http404
    language = brief_language(request.GET.get("language"), user)
    return document_response(
        case_brief(access, user=user, language=language),
        FORMATS[fmt],
        brief_filename(access, language),
    )

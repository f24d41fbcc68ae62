"""The documents of a case's preparation: add a file, download one, remove one.

Served here and only here, after the case's access module: anyone not on the case gets
404; every member adds, downloads and removes. A file is always downloaded, never shown
in the browser (``core.files.download_response``). The upload is guarded while it
streams in (``core.uploads``), so a file past the limit is refused by name without
being received whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from samverkan.core import files
from samverkan.core.requests import request_user
from samverkan.core.uploads import SizeLimitedUploads, limit_uploads
from samverkan.lib import limits
from samverkan.negotiation import document_services
from samverkan.negotiation.access import CaseAccess, case_for
from samverkan.negotiation.forms import DocumentForm
from samverkan.negotiation.models import Document
from samverkan.negotiation.selectors import CaseContent


@dataclass(frozen=True)
class DocumentSection:
    """What the preparation step's documents section shows."""

    documents: list[Document]
    full: bool
    problem: str = ""
    accept: str = files.ACCEPT
    types: str = field(default_factory=files.accepted_types)
    limit: str = field(default_factory=files.size_limit)
    most: int = document_services.DOCUMENTS_MAX


def document_section(content: CaseContent, problem: str = "") -> DocumentSection:
    return DocumentSection(
        documents=content.documents,
        full=len(content.documents) >= document_services.DOCUMENTS_MAX,
        problem=problem,
    )


def _document(access: CaseAccess, pk: int) -> Document:
    """The case's document by id (404 for any other, an unknown one or another case's)."""
    found = Document.objects.filter(case=access.case, pk=pk).first()
    if found is None:
        raise Http404
    return found


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("negotiation:step", args=[pk, "preparation"]) + "#documents")


def _refused(request: HttpRequest, access: CaseAccess, problem: str) -> HttpResponse:
    from samverkan.negotiation.selectors import case_content
    from samverkan.negotiation.views import render_step

    content = case_content(access.case)
    section = document_section(content, problem)
    return render_step(
        request, access, "preparation", content=content, documents=section, status=400
    )


@csrf_exempt  # the size guard must be in place before the CSRF check reads the form
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    guard = limit_uploads(request, limits.ATTACHMENT_BYTES_MAX)
    return _document_add(request, pk, guard)


@csrf_protect
@login_required
def _document_add(request: HttpRequest, pk: int, guard: SizeLimitedUploads) -> HttpResponse:
    user = request_user(request)
    access = case_for(user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if guard.refused:
        return _refused(request, access, files.too_large(guard.refused[0]))
    if not form.is_valid():
        return _refused(request, access, _("Choose a file to add."))
    try:
        document = document_services.document_add(
            case=access.case, actor=user, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        return _refused(request, access, " ".join(exc.messages))
    messages.success(request, _("“%(name)s” has been added.") % {"name": document.name})
    return _back(pk)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document: int) -> FileResponse:
    found = _document(case_for(request_user(request), pk), document)
    return files.download_response(found.file, name=found.name, content_type=found.content_type)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    found = _document(case_for(request_user(request), pk), document)
    document_services.document_remove(document=found)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": found.name})
    return _back(pk)

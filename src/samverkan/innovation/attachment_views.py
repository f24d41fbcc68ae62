"""An idea's attachments on its page: attach a file, download one, remove one.

Every file is served here and only here, after the access module: outsiders get 404,
participants of both sides (viewers too) download, editors and owners of either side
attach, and the person who attached a file or an editor of that person's side removes
it (see ``attachment_services``). A file is always downloaded, never shown in the
browser: ``Content-Disposition: attachment`` with its own name, the content type of its
accepted kind, ``nosniff`` and a sandboxing Content-Security-Policy.
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

from samverkan.accounts.models import User
from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part_numbered,
)
from samverkan.core import files
from samverkan.core.requests import request_user
from samverkan.core.uploads import SizeLimitedUploads, limit_uploads
from samverkan.innovation import attachment_services
from samverkan.innovation.idea_forms import AttachmentForm
from samverkan.innovation.models import Attachment, Idea
from samverkan.innovation.selectors import attachments_of
from samverkan.lib import limits


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    removable: bool


@dataclass(frozen=True)
class AttachmentSection:
    """What the idea page's attachments section shows."""

    rows: list[AttachmentRow]
    can_add: bool
    full: bool
    problem: str = ""
    accept: str = attachment_services.ACCEPT
    types: str = field(default_factory=attachment_services.accepted_types)
    limit: str = field(default_factory=attachment_services.size_limit)
    most: int = limits.ATTACHMENTS_MAX


def attachment_section(access: AgreementAccess, idea: Idea, problem: str = "") -> AttachmentSection:
    """The section for the person ``access`` is for: the files (one query) and what they may do."""
    user_id = access.participant.user_id if access.participant is not None else None
    side = access.side if access.can_edit else None
    rows = [
        AttachmentRow(
            attachment,
            access.can_edit
            and attachment_services.may_remove(
                actor_id=user_id,
                actor_side=side,
                uploader_id=attachment.uploaded_by_id,
                side=getattr(attachment, "uploader_side", None),
            ),
        )
        for attachment in attachments_of(idea)
    ]
    return AttachmentSection(
        rows=rows,
        can_add=access.can_edit,
        full=len(rows) >= limits.ATTACHMENTS_MAX,
        problem=problem,
    )


def attachment_of(idea: Idea, pk: int) -> Attachment:
    """The idea's attachment by id (404 for any other, an unknown one or one of another idea)."""
    found = Attachment.objects.filter(idea=idea, pk=pk).select_related("uploaded_by").first()
    if found is None:
        raise Http404
    return found


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download under its own name (``core.files.download_response``)."""
    return files.download_response(
        attachment.file, name=attachment.name, content_type=attachment.content_type
    )


def _back(pk: int, number: int) -> HttpResponse:
    return redirect(reverse("innovation:idea", args=[pk, number]) + "#attachments")


def _refused(
    request: HttpRequest, access: AgreementAccess, idea: Idea, problem: str
) -> HttpResponse:
    from samverkan.innovation.idea_views import render_idea_page

    section = attachment_section(access, idea, problem)
    return render_idea_page(request, access, idea, attachments=section, status=400)


@csrf_exempt  # the size guard must be in place before the CSRF check reads the form
@require_POST
def idea_attachment_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    guard = limit_uploads(request, limits.ATTACHMENT_BYTES_MAX)
    return _attachment_add(request, pk, number, guard)


@csrf_protect
@login_required
def _attachment_add(
    request: HttpRequest, pk: int, number: int, guard: SizeLimitedUploads
) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    form = AttachmentForm(request.POST, request.FILES)
    if guard.refused:
        return _refused(request, access, idea, attachment_services.too_large(guard.refused[0]))
    if not form.is_valid():
        return _refused(request, access, idea, _("Choose a file to attach."))
    upload = form.cleaned_data["file"]
    try:
        attachment = attachment_services.attachment_add(idea=idea, actor=user, upload=upload)
    except ValidationError as exc:
        return _refused(request, access, idea, " ".join(exc.messages))
    messages.success(request, _("“%(name)s” has been attached.") % {"name": attachment.name})
    return _back(pk, number)


@login_required
@require_GET
def idea_attachment(request: HttpRequest, pk: int, number: int, attachment: int) -> FileResponse:
    access = agreement_for(request_user(request), pk)
    idea = agreement_part_numbered(access, Idea, number)
    return attachment_response(attachment_of(idea, attachment))


@login_required
@require_POST
def idea_attachment_remove(
    request: HttpRequest, pk: int, number: int, attachment: int
) -> HttpResponse:
    user: User = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    found = attachment_of(idea, attachment)
    attachment_services.attachment_remove(attachment=found, actor=user)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": found.name})
    return _back(pk, number)

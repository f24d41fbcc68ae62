"""An idea's attachments in the API: list, upload (multipart), download, delete.

The same services and access rules as the idea page: participants of both sides list
and download, editors and owners of either side upload, the person who attached a file
or an editor of that person's side deletes it. A refused file answers 400 naming the
file and the limit or the accepted types; a body past the size limit 413 (before it is
read, see ``samverkan.api.middleware``); an unknown file 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from samverkan.agreements.access import Need, agreement_for, agreement_part_numbered
from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user
from samverkan.innovation import attachment_services
from samverkan.innovation.attachment_views import attachment_of, attachment_response
from samverkan.innovation.models import Attachment, Idea
from samverkan.innovation.selectors import attachments_of

router = Router(tags=["innovation"])
PATH = "/agreements/{agreement_id}/innovation/ideas/{number}/attachments"


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="The file's own name, as it was attached.")
    content_type: str = Field(description="Served as; from the accepted type of file.")
    size: int = Field(description="Bytes.")
    uploaded_by: str | None = Field(description="E-mail address of who attached it.")
    at: datetime.datetime


def _out(attachment: Attachment) -> dict[str, Any]:
    who = attachment.uploaded_by
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_by": who.email if who is not None else None,
        "at": attachment.at,
    }


def _idea(request: HttpRequest, agreement_id: int, number: int, need: Need) -> Idea:
    access = agreement_for(request_user(request), agreement_id, need)
    return agreement_part_numbered(access, Idea, number)


@router.get(PATH, response={200: list[AttachmentOut], **ERRORS}, url_name="innovation_attachments")
def list_attachments(request: HttpRequest, agreement_id: int, number: int) -> list[dict[str, Any]]:
    """The idea's attached files, oldest first."""
    idea = _idea(request, agreement_id, number, Need.VIEW)
    return [_out(attachment) for attachment in attachments_of(idea)]


@router.post(PATH, response={201: AttachmentOut, **ERRORS}, url_name="innovation_attachment_upload")
def upload_attachment(
    request: HttpRequest, agreement_id: int, number: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Attach one file (multipart/form-data, field ``file``): PDF, Word, Excel, PowerPoint,
    OpenDocument, text, CSV, PNG, JPEG or e-mail, at most 10 MiB, at most 20 an idea."""
    idea = _idea(request, agreement_id, number, Need.EDIT)
    attachment = attachment_services.attachment_add(
        idea=idea, actor=request_user(request), upload=file
    )
    return Status(201, _out(attachment))


@router.get(
    PATH + "/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="innovation_attachment",
)
def download_attachment(
    request: HttpRequest, agreement_id: int, number: int, attachment_id: int
) -> FileResponse:
    """The file itself, as a download under its own name."""
    idea = _idea(request, agreement_id, number, Need.VIEW)
    return attachment_response(attachment_of(idea, attachment_id))


@router.delete(
    PATH + "/{attachment_id}",
    response={204: None, **ERRORS},
    url_name="innovation_attachment_delete",
)
def delete_attachment(
    request: HttpRequest, agreement_id: int, number: int, attachment_id: int
) -> Status[None]:
    """Remove the file (who attached it, or an editor of their side)."""
    idea = _idea(request, agreement_id, number, Need.EDIT)
    attachment_services.attachment_remove(
        attachment=attachment_of(idea, attachment_id), actor=request_user(request)
    )
    return Status(204, None)

"""Appendix endpoints: completeness, versions, publishing, approving, documents and diff."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Router, Schema, Status

from samverkan.agreements.access import Need, agreement_for, agreement_part_numbered
from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.api.schemas import ERRORS
from samverkan.appendix import completeness, selectors, services
from samverkan.appendix.diff import snapshot_diff
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.views import draft_document, version_document
from samverkan.core.requests import request_user
from samverkan.documents.responses import document_response
from samverkan.lib import limits

router = Router(tags=["collaboration appendix"])

FormatT = Literal["docx", "pdf", "html"]
LanguageT = Literal["sv", "en"]

# The document endpoints answer the file itself, in the Content-Type its format has.
_FILE = {"schema": {"type": "string", "format": "binary"}}
DOCUMENT_RESPONSES: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "application/pdf": _FILE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _FILE,
                "text/html": {"schema": {"type": "string"}},
            }
        }
    }
}


class FindingOut(Schema):
    rule_id: str
    severity: str
    title: str
    passed: bool
    details: list[str]


class ApprovalOut(Schema):
    side: str
    user: str | None
    approved_at: datetime.datetime


class VersionOut(Schema):
    number: int
    status: str
    change_summary: str
    published_by: str | None
    published_at: datetime.datetime
    published_with_errors: bool
    snapshot_sha256: str = Field(
        description="SHA-256 of the version's snapshot as canonical JSON (sorted keys, no "
        "spaces, UTF-8), as printed on the approval page of its document."
    )
    approvals: list[ApprovalOut]


class PublishIn(Schema):
    change_summary: str = Field(min_length=1, max_length=limits.TEXT_MAX)
    accept_errors: bool = Field(
        default=False, description="Publish even though error-level checks fail."
    )


class FieldChangeOut(Schema):
    field: str
    label: str = Field(default="", description="The field's name in the request's language.")
    before: str
    after: str


class ChangeOut(Schema):
    section: str
    key: str
    name: str
    change: str
    fields: list[FieldChangeOut]


def _version_out(row: selectors.VersionRow) -> dict[str, Any]:
    version = row.version
    return {
        "number": version.number,
        "status": row.status,
        "change_summary": version.change_summary,
        "published_by": version.published_by.get_full_name() if version.published_by else None,
        "published_at": version.published_at,
        "published_with_errors": version.published_with_errors,
        "snapshot_sha256": version.snapshot_digest,
        "approvals": [
            {
                "side": a.side,
                "user": a.user.get_full_name() if a.user else None,
                "approved_at": a.approved_at,
            }
            for a in version.approvals.all()
        ],
    }


def _get_version(
    agreement_id: int, number: int, request: HttpRequest, need: Need = Need.VIEW
) -> tuple[Any, AppendixVersion]:
    access = agreement_for(request_user(request), agreement_id, need)
    return access, agreement_part_numbered(access, AppendixVersion, number)


@router.get(
    "/agreements/{agreement_id}/appendix/check",
    response={200: list[FindingOut], **ERRORS},
    url_name="appendix_check",
)
def check(request: HttpRequest, agreement_id: int) -> list[Any]:
    """The completeness check of the current model."""
    agreement = agreement_for(request_user(request), agreement_id).agreement
    return list(
        completeness.check(agreement_snapshot(agreement), translation.get_language() or "sv")
    )


@router.get(
    "/agreements/{agreement_id}/appendix/versions",
    response={200: list[VersionOut], **ERRORS},
    url_name="appendix_versions",
)
def versions(request: HttpRequest, agreement_id: int) -> list[dict[str, Any]]:
    agreement = agreement_for(request_user(request), agreement_id).agreement
    return [_version_out(row) for row in selectors.version_rows(agreement=agreement)]


@router.post(
    "/agreements/{agreement_id}/appendix/versions",
    response={201: VersionOut, **ERRORS},
    url_name="appendix_publish",
)
def publish(request: HttpRequest, agreement_id: int, payload: PublishIn) -> Status[dict[str, Any]]:
    """Publish the current model as the next version; the owners of both sides are e-mailed.

    400 when nothing has changed since the newest version, and when required checks
    fail, unless accepted.
    """
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    version = services.appendix_publish(
        agreement=access.agreement,
        actor=user,
        change_summary=payload.change_summary,
        accept_errors=payload.accept_errors,
    )
    row = next(
        r for r in selectors.version_rows(agreement=access.agreement) if r.version.pk == version.pk
    )
    return Status(201, _version_out(row))


@router.post(
    "/agreements/{agreement_id}/appendix/versions/{number}/approve",
    response={200: VersionOut, **ERRORS},
    url_name="appendix_approve",
)
def approve(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """Approve the newest version for your side (owners only)."""
    access, version = _get_version(agreement_id, number, request, Need.OWN)
    services.appendix_approve(version=version, access=access, actor=request_user(request))
    row = next(
        r for r in selectors.version_rows(agreement=access.agreement) if r.version.pk == version.pk
    )
    return _version_out(row)


@router.get(
    "/agreements/{agreement_id}/appendix/versions/{number}/document",
    response={200: str, **ERRORS},
    url_name="appendix_version_document",
    openapi_extra=DOCUMENT_RESPONSES,
)
def version_file(
    request: HttpRequest,
    agreement_id: int,
    number: int,
    format: FormatT = "pdf",
    lang: LanguageT = "sv",
) -> HttpResponse:
    """A published version's document, rebuilt from its snapshot."""
    access, version = _get_version(agreement_id, number, request)
    return document_response(
        version_document(version, lang),
        format,
        f"{access.agreement.reference}-samverkansbilaga-v{number}-{lang}",
    )


@router.get(
    "/agreements/{agreement_id}/appendix/draft",
    response={200: str, **ERRORS},
    url_name="appendix_draft_document",
    openapi_extra=DOCUMENT_RESPONSES,
)
def draft_file(
    request: HttpRequest, agreement_id: int, format: FormatT = "pdf", lang: LanguageT = "sv"
) -> HttpResponse:
    """The appendix of the current model, not yet published."""
    agreement = agreement_for(request_user(request), agreement_id).agreement
    return document_response(
        draft_document(agreement, lang),
        format,
        f"{agreement.reference}-samverkansbilaga-utkast-{lang}",
    )


@router.get(
    "/agreements/{agreement_id}/appendix/diff",
    response={200: list[ChangeOut], **ERRORS},
    url_name="appendix_diff",
)
def diff(request: HttpRequest, agreement_id: int, a: int, b: int) -> list[Any]:
    """What changed from version a to version b."""
    _access, old = _get_version(agreement_id, a, request)
    _access, new = _get_version(agreement_id, b, request)
    return list(snapshot_diff(old.snapshot, new.snapshot))

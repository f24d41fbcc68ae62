"""Appendix pages: the live draft with its completeness check, versions, approvals, diff, downloads."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.access import (
    AgreementAccess,
    Need,
    agreement_for,
    agreement_part_numbered,
)
from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.agreements.models import Agreement
from samverkan.appendix import completeness, selectors, services
from samverkan.appendix.diff import section_label, snapshot_diff
from samverkan.appendix.document import VersionRecord, appendix_document
from samverkan.appendix.forms import ApproveForm, PublishForm
from samverkan.appendix.models import AppendixVersion
from samverkan.core.forms import add_service_errors
from samverkan.core.links import agreement_link
from samverkan.core.requests import request_user
from samverkan.documents.html import render_html_fragment
from samverkan.documents.model import Document
from samverkan.documents.responses import document_response

FORMATS: dict[str, Literal["docx", "pdf", "html"]] = {"docx": "docx", "pdf": "pdf", "html": "html"}


def _language(request: HttpRequest, agreement: Agreement) -> str:
    language = request.GET.get("lang") or agreement.language
    return language if language in ("sv", "en") else "sv"


def _version(access: AgreementAccess, number: int) -> AppendixVersion:
    return agreement_part_numbered(access, AppendixVersion, number)


def draft_document(agreement: Agreement, language: str) -> Document:
    with translation.override(language):
        label = _("Draft")
    return appendix_document(
        agreement_snapshot(agreement),
        language=language,
        version=label,
        date=timezone.localdate().isoformat(),
    )


def version_document(version: AppendixVersion, language: str) -> Document:
    """A published version's document: rebuilt from its unchanged snapshot, with an
    approval page from its approval records and the snapshot's digest."""
    with translation.override(language):
        label = _("Version %(number)s") % {"number": version.number}
    return appendix_document(
        version.snapshot,
        language=language,
        version=label,
        date=timezone.localdate(version.published_at).isoformat(),
        record=VersionRecord.of(version),
    )


def findings_with_links(agreement: Agreement, snapshot: dict[str, Any]) -> list[tuple[Any, str]]:
    language = translation.get_language() or "sv"
    result = []
    for finding in completeness.check(snapshot, language):
        result.append((finding, agreement_link(agreement.pk, finding.fix)))
    return result


def _page(
    request: HttpRequest, access: AgreementAccess, form: PublishForm, status: int = 200
) -> HttpResponse:
    """The appendix page: completeness of the live model, versions, and the publish form."""
    findings = findings_with_links(access.agreement, agreement_snapshot(access.agreement))
    return render(
        request,
        "appendix/appendix.html",
        {
            "access": access,
            "agreement": access.agreement,
            "findings": findings,
            "failing": [f for f, _link in findings if not f.passed],
            "has_errors": any(not f.passed and f.severity == "error" for f, _link in findings),
            "rows": selectors.version_rows(agreement=access.agreement),
            "form": form,
        },
        status=status,
    )


@login_required
def appendix_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, agreement_for(request_user(request), pk), PublishForm())


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.EDIT)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.appendix_publish(
                agreement=access.agreement,
                actor=user,
                change_summary=form.cleaned_data["change_summary"],
                accept_errors=form.cleaned_data["accept_errors"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s has been published. It takes effect when an owner on each side has approved it."
                )
                % {"number": version.number},
            )
            return redirect("appendix:version", pk=pk, number=version.number)
    return _page(request, access, form, status=400)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    language = _language(request, access.agreement)
    document = draft_document(access.agreement, language)
    return render(
        request,
        "appendix/document.html",
        {
            "access": access,
            "agreement": access.agreement,
            "html": render_html_fragment(document),
            "language": language,
            "version": None,
        },
    )


@login_required
def draft_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    access = agreement_for(request_user(request), pk)
    language = _language(request, access.agreement)
    document = draft_document(access.agreement, language)
    return document_response(
        document, FORMATS[fmt], f"{access.agreement.reference}-samverkansbilaga-utkast-{language}"
    )


def _version_page(
    request: HttpRequest,
    access: AgreementAccess,
    version: AppendixVersion,
    form: ApproveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A published version: its approval state for this person, and its document."""
    language = _language(request, access.agreement)
    rows = selectors.version_rows(agreement=access.agreement)
    row = next(r for r in rows if r.version.pk == version.pk)
    state = selectors.approval_state(row=row, access=access, newest=rows[0].version.number)
    if form is None and state.you == "can_approve":
        form = _approve_form(access, version)
    return render(
        request,
        "appendix/document.html",
        {
            "access": access,
            "agreement": access.agreement,
            "version": row.version,
            "row": row,
            "state": state,
            "form": form if state.you == "can_approve" else None,
            "html": render_html_fragment(version_document(row.version, language)),
            "language": language,
        },
        status=status,
    )


def _approve_form(
    access: AgreementAccess, version: AppendixVersion, data: Any = None
) -> ApproveForm:
    side = access.side or "customer"
    return ApproveForm(
        data,
        number=version.number,
        side=selectors.side_the(side),
        organisation=access.agreement.organisation_of(side).name,
    )


@login_required
def version_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    return _version_page(request, access, _version(access, number))


@login_required
def version_download(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    access = agreement_for(request_user(request), pk)
    version = _version(access, number)
    language = _language(request, access.agreement)
    return document_response(
        version_document(version, language),
        FORMATS[fmt],
        f"{access.agreement.reference}-samverkansbilaga-v{number}-{language}",
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request_user(request)
    access = agreement_for(user, pk, Need.OWN)
    version = _version(access, number)
    form = _approve_form(access, version, request.POST)
    if not form.is_valid():
        return _version_page(request, access, version, form, status=400)
    try:
        services.appendix_approve(version=version, access=access, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You have approved version %(number)s for your side.") % {"number": number}
        )
    return redirect("appendix:version", pk=pk, number=number)


@login_required
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    access = agreement_for(request_user(request), pk)
    versions = list(AppendixVersion.objects.filter(agreement=access.agreement).order_by("number"))
    numbers = [v.number for v in versions]
    try:
        a = int(request.GET.get("a") or (numbers[-2] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b") or (numbers[-1] if numbers else 0))
    except ValueError as exc:
        raise Http404 from exc
    by_number = {v.number: v for v in versions}
    old, new = by_number.get(a), by_number.get(b)
    changes = snapshot_diff(old.snapshot, new.snapshot) if old and new else []
    return render(
        request,
        "appendix/diff.html",
        {
            "access": access,
            "agreement": access.agreement,
            "numbers": numbers,
            "a": a,
            "b": b,
            "old": old,
            "new": new,
            "changes": [(change, section_label(change.section)) for change in changes],
        },
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "appendix/rules.html",
        {"rules": completeness.rules(translation.get_language() or "sv")},
    )

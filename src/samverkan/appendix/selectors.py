"""Reads for appendix versions: the newest, the one in effect, and each version's status."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from samverkan.agreements.models import Agreement
from samverkan.appendix.models import AppendixVersion, VersionStatus


def versions_of(*, agreement: Agreement) -> QuerySet[AppendixVersion]:
    """Newest first, approvals and publishers loaded."""
    return (
        AppendixVersion.objects.filter(agreement=agreement)
        .select_related("published_by")
        .prefetch_related("approvals__user")
        .annotate(sides_approved=Count("approvals__side", distinct=True))
        .order_by("-number")
    )


def latest_version(*, agreement: Agreement) -> AppendixVersion | None:
    return AppendixVersion.objects.filter(agreement=agreement).order_by("-number").first()


def version_in_effect(*, agreement: Agreement) -> AppendixVersion | None:
    """The newest version approved by both sides."""
    return (
        AppendixVersion.objects.filter(agreement=agreement)
        .annotate(sides=Count("approvals__side", distinct=True, filter=Q(approvals__isnull=False)))
        .filter(sides=2)
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class VersionRow:
    version: AppendixVersion
    status: str
    status_label: str
    customer_approval: object | None
    supplier_approval: object | None


def version_rows(*, agreement: Agreement) -> list[VersionRow]:
    """Every version with its status: in effect, awaiting approval (only the newest) or superseded."""
    versions = list(versions_of(agreement=agreement))
    effective = next((v.number for v in versions if v.sides_approved == 2), None)  # type: ignore[attr-defined]
    newest = versions[0].number if versions else None
    rows = []
    for version in versions:
        if version.number == effective:
            status = VersionStatus.IN_EFFECT
        elif version.number == newest and (effective is None or version.number > effective):
            status = VersionStatus.AWAITING
        else:
            status = VersionStatus.SUPERSEDED
        approvals = {approval.side: approval for approval in version.approvals.all()}
        rows.append(
            VersionRow(
                version=version,
                status=status.value,
                status_label=str(status.label),
                customer_approval=approvals.get("customer"),
                supplier_approval=approvals.get("supplier"),
            )
        )
    return rows


@dataclass(frozen=True)
class AppendixStatus:
    passed: int
    total: int
    errors: int
    in_effect: int | None
    awaiting: int | None


def appendix_status(*, agreement: Agreement, language: str) -> AppendixStatus:
    """The completeness of the live model and the versions in effect and awaiting approval."""
    from samverkan.appendix import completeness
    from samverkan.collaboration.agreement_file import agreement_snapshot

    findings = completeness.check(agreement_snapshot(agreement), language)
    rows = version_rows(agreement=agreement)
    return AppendixStatus(
        passed=sum(1 for f in findings if f.passed),
        total=len(findings),
        errors=sum(1 for f in findings if not f.passed and f.severity == "error"),
        in_effect=next((r.version.number for r in rows if r.status == "in_effect"), None),
        awaiting=next((r.version.number for r in rows if r.status == "awaiting"), None),
    )

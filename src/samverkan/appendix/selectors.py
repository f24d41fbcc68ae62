"""Reads for appendix versions: the newest, the one in effect, each version's status, and
who may approve it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess, agreement_access, visible_agreements
from samverkan.agreements.models import Agreement, Participant, ParticipantRole, Side
from samverkan.appendix.models import AppendixVersion, Approval, VersionStatus
from samverkan.appendix.revisions import snapshot_revision
from samverkan.core import registry

_SIDE_THE: dict[str, Promise] = {
    Side.CUSTOMER: pgettext_lazy("definite", "the customer"),
    Side.SUPPLIER: pgettext_lazy("definite", "the supplier"),
}


def side_the(side: str) -> str:
    """The side as a definite noun in the active language: "the customer", "leverantören"."""
    return str(_SIDE_THE[side])


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
    customer_approval: Approval | None
    supplier_approval: Approval | None


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


# The completeness summary is kept per process (the default cache, local memory), under
# the agreement's snapshot revision read from the database on every view: a change in any
# process gives a new revision, so no process shows a figure older than the data. The
# rules are part of the key too: a capability may register more (tests do, at run time).
_SUMMARY_KEY = "appendix:completeness:{agreement}:{revision}:{rules}"
_SUMMARY_SECONDS = 24 * 3600


def completeness_summary(*, agreement: Agreement, language: str) -> tuple[int, int, int]:
    """Passed, total and failing error-severity rules of the live model's completeness check.

    One query while the model is unchanged since the last call in this process (its
    revision); otherwise the snapshot is read and checked again. The figures do not
    depend on the language (only the findings' texts do), so they are kept for all.
    """
    from samverkan.agreements.agreement_file import agreement_snapshot
    from samverkan.appendix import completeness

    contributed = ",".join(rule.id for rule in registry.completeness_rules())
    rules = hashlib.sha256(contributed.encode()).hexdigest()[:12]
    revision = snapshot_revision(agreement)
    key = _SUMMARY_KEY.format(agreement=agreement.pk, revision=revision, rules=rules)
    if (kept := cache.get(key)) is not None:
        passed, total, errors = kept
        return passed, total, errors
    findings = completeness.check(agreement_snapshot(agreement), language)
    summary = (
        sum(1 for f in findings if f.passed),
        len(findings),
        sum(1 for f in findings if not f.passed and f.severity == "error"),
    )
    cache.set(key, summary, _SUMMARY_SECONDS)
    return summary


def version_numbers(*, agreement: Agreement) -> tuple[int | None, int | None]:
    """The version in effect and the one awaiting approval, as ``version_rows`` tells them,
    in one query (numbers only, no snapshots)."""
    sides = dict(
        AppendixVersion.objects.filter(agreement=agreement)
        .annotate(sides=Count("approvals__side", distinct=True))
        .values_list("number", "sides")
    )
    in_effect = max((number for number, n in sides.items() if n == 2), default=None)
    newest = max(sides, default=None)
    awaiting = newest if newest is not None and newest != in_effect else None
    return in_effect, awaiting


def appendix_status(*, agreement: Agreement, language: str) -> AppendixStatus:
    """The completeness of the live model and the versions in effect and awaiting approval.

    Two queries while the model is unchanged (``completeness_summary``), whatever the
    number of versions.
    """
    passed, total, errors = completeness_summary(agreement=agreement, language=language)
    in_effect, awaiting = version_numbers(agreement=agreement)
    return AppendixStatus(
        passed=passed, total=total, errors=errors, in_effect=in_effect, awaiting=awaiting
    )


# Who approves -----------------------------------------------------------------------


def appendix_approvers(*, agreement: Agreement, side: str) -> list[User]:
    """The people who may approve a version of ``agreement`` for ``side``, by name.

    The agreement's owners of that side, each confirmed by the access module (so an
    inactive account, or one that can no longer see the agreement, is left out).
    """
    candidates = (
        Participant.objects.filter(agreement=agreement, side=side, role=ParticipantRole.OWNER)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    approvers = []
    for participant in candidates:
        access = agreement_access(participant.user, agreement)
        if access is not None and access.is_owner and access.side == side:
            approvers.append(participant.user)
    return approvers


@dataclass(frozen=True)
class SideApproval:
    """One side of a version: its approval, or who may still give it."""

    side: str
    label: str  # "Customer"
    the: str  # "the customer"
    organisation: str
    approval: Approval | None
    awaiting: bool  # the version waits for this side
    approvers: list[User] = field(default_factory=list)  # only while awaiting


@dataclass(frozen=True)
class ApprovalState:
    """What the version page tells one person about approving one version."""

    you: str  # can_approve | approved | cannot | in_effect | superseded
    your_side: str | None
    your_the: str  # the person's side as "the customer", or ""
    newer: int | None  # the version that replaced this one
    sides: list[SideApproval]


def approval_state(*, row: VersionRow, access: AgreementAccess, newest: int) -> ApprovalState:
    """Whether ``access``'s person can approve ``row``'s version, and each side's state."""
    agreement = access.agreement
    approvals = {"customer": row.customer_approval, "supplier": row.supplier_approval}
    awaiting = row.status == VersionStatus.AWAITING
    sides = [
        SideApproval(
            side=side,
            label=str(label),
            the=side_the(side),
            organisation=agreement.organisation_of(side).name,
            approval=approvals[side],
            awaiting=awaiting and approvals[side] is None,
            approvers=appendix_approvers(agreement=agreement, side=side)
            if awaiting and approvals[side] is None
            else [],
        )
        for side, label in Side.choices
    ]
    side = access.participant.side if access.participant is not None else None
    if row.status == VersionStatus.SUPERSEDED:
        you = "superseded"
    elif row.status == VersionStatus.IN_EFFECT:
        you = "in_effect"
    elif not access.is_owner:
        you = "cannot"
    elif side is not None and approvals[side] is not None:
        you = "approved"
    else:
        you = "can_approve"
    newer = row.version.number + 1 if row.version.number < newest else None
    return ApprovalState(
        you=you,
        your_side=side,
        your_the=side_the(side) if side else "",
        newer=newer,
        sides=sides,
    )


def versions_awaiting_approval(user: User) -> QuerySet[AppendixVersion]:
    """Versions waiting for the approval of ``user``'s side, on every agreement they own.

    For each agreement the user may see (the access module) and is an owner of: its
    newest version, when the user's side has not approved it yet. One query however
    many agreements; each version carries ``awaiting_side`` (the user's side) and its
    agreement with both parties. Oldest first, the longest waiting on top.
    """
    if not user.is_authenticated or not user.is_active:
        return AppendixVersion.objects.none()
    newest = (
        AppendixVersion.objects.filter(agreement=OuterRef("agreement"))
        .order_by("-number")
        .values("number")[:1]
    )
    approved = Approval.objects.filter(version=OuterRef("pk"), side=OuterRef("awaiting_side"))
    return (
        AppendixVersion.objects.filter(
            agreement__in=visible_agreements(user),
            # One participant row per person and agreement, so no duplicates.
            agreement__participants__user=user,
            agreement__participants__role=ParticipantRole.OWNER,
        )
        .annotate(awaiting_side=F("agreement__participants__side"))
        .filter(number=Subquery(newest))
        .exclude(Exists(approved))
        .select_related("agreement__customer", "agreement__supplier", "published_by")
        .order_by("published_at", "pk")
    )

"""Publishing and approving versions of the collaboration appendix."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Agreement, ParticipantRole
from samverkan.appendix import completeness
from samverkan.appendix.models import AppendixVersion, Approval
from samverkan.appendix.selectors import latest_version
from samverkan.collaboration.agreement_file import agreement_snapshot


class IncompleteAppendixError(ValidationError):
    """Publishing would freeze an appendix that fails error-level completeness rules."""


@transaction.atomic
def appendix_publish(
    *, agreement: Agreement, actor: User | None, change_summary: str, accept_errors: bool = False
) -> AppendixVersion:
    """Freeze the live model as the next version. With failing error rules, only when accepted."""
    summary = change_summary.strip()
    if not summary:
        raise ValidationError({"change_summary": _("Say briefly what changed in this version.")})
    snapshot = agreement_snapshot(agreement)
    findings = completeness.check(snapshot, agreement.language)
    errors = completeness.has_errors(findings)
    if errors and not accept_errors:
        raise IncompleteAppendixError(
            _("The appendix fails %(count)s required checks. Publish anyway only if you mean to.")
            % {"count": sum(1 for f in findings if not f.passed and f.severity == "error")},
            code="incomplete",
        )
    # Lock the agreement row so two publishers cannot take the same number.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    number = (
        AppendixVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return AppendixVersion.objects.create(
        agreement=agreement,
        number=number,
        snapshot=snapshot,
        change_summary=summary,
        published_by=actor,
        published_at=timezone.now(),
        published_with_errors=errors,
    )


@transaction.atomic
def appendix_approve(*, version: AppendixVersion, access: AgreementAccess, actor: User) -> Approval:
    """Approve a version for the actor's side. Only an owner of that side, only the newest version."""
    participant = access.participant
    if participant is None or participant.role != ParticipantRole.OWNER:
        raise PermissionDenied(_("Only an owner of the agreement can approve the appendix."))
    latest = latest_version(agreement=version.agreement)
    if latest is None or latest.pk != version.pk:
        raise ValidationError(
            _(
                "Version %(number)s has been superseded by a newer version; approve that one instead."
            )
            % {"number": version.number}
        )
    if version.approvals.filter(side=participant.side).exists():
        raise ValidationError(_("Your side has already approved this version."))
    return Approval.objects.create(
        version=version, side=participant.side, user=actor, approved_at=timezone.now()
    )

"""Publishing and approving versions of the collaboration appendix."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.agreements.models import Agreement, ParticipantRole, Side
from samverkan.appendix import completeness
from samverkan.appendix.diff import snapshot_diff
from samverkan.appendix.models import AppendixVersion, Approval
from samverkan.appendix.selectors import appendix_approvers, latest_version, side_the
from samverkan.core.validation import text_within


class IncompleteAppendixError(ValidationError):
    """Publishing would freeze an appendix that fails error-level completeness rules."""


@transaction.atomic
def appendix_publish(
    *, agreement: Agreement, actor: User | None, change_summary: str, accept_errors: bool = False
) -> AppendixVersion:
    """Freeze the live model as the next version and ask both sides' owners to approve it.

    Refused when nothing has changed since the newest version (as ``snapshot_diff``
    sees it: a mere re-ordering of a forum's members is no change), and, with
    failing error rules, unless accepted. The owners are e-mailed after the commit,
    through the task queue (``tasks.send_approval_requests``).
    """
    summary = text_within(change_summary, "change_summary")
    if not summary:
        raise ValidationError({"change_summary": _("Say briefly what changed in this version.")})
    # Lock the agreement row so two publishers cannot take the same number or
    # publish the same content twice.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    snapshot = agreement_snapshot(agreement)
    previous = latest_version(agreement=agreement)
    if previous is not None and not snapshot_diff(previous.snapshot, snapshot):
        raise ValidationError(
            _(
                "Nothing has changed since version %(number)s: change the model before you "
                "publish a new version."
            )
            % {"number": previous.number},
            code="unchanged",
        )
    findings = completeness.check(snapshot, agreement.language)
    errors = completeness.has_errors(findings)
    if errors and not accept_errors:
        raise IncompleteAppendixError(
            _("The appendix fails %(count)s required checks. Publish anyway only if you mean to.")
            % {"count": sum(1 for f in findings if not f.passed and f.severity == "error")},
            code="incomplete",
        )
    number = (
        AppendixVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = AppendixVersion.objects.create(
        agreement=agreement,
        number=number,
        snapshot=snapshot,
        change_summary=summary,
        published_by=actor,
        published_at=timezone.now(),
        published_with_errors=errors,
    )
    from samverkan.appendix import tasks

    transaction.on_commit(lambda: tasks.send_approval_requests.enqueue(version.pk))
    return version


def version_url(version: AppendixVersion) -> str:
    """The version page's full address, for e-mails."""
    path = reverse(
        "appendix:version", kwargs={"pk": version.agreement_id, "number": version.number}
    )
    return f"{settings.SAMVERKAN_BASE_URL}{path}"


def approval_requests_send(*, version: AppendixVersion) -> int:
    """E-mail each person who may approve ``version`` for a side that has not; the number sent.

    The recipients are ``appendix_approvers`` of each side (the access module's
    owners), each in their own language. Nothing is sent once a newer version exists:
    its own e-mails replace these.
    """
    newest = latest_version(agreement=version.agreement)
    if newest is None or newest.pk != version.pk:
        return 0
    agreement = (
        Agreement.objects.select_related("customer", "supplier")
        .filter(pk=version.agreement_id)
        .get()
    )
    approved = set(version.approvals.values_list("side", flat=True))
    url = version_url(version)
    sent = 0
    for side in Side.values:
        if side in approved:
            continue
        for person in appendix_approvers(agreement=agreement, side=side):
            with translation.override(person.language):
                context = {
                    "person": person,
                    "version": version,
                    "agreement": agreement,
                    "publisher": version.published_by.get_full_name()
                    if version.published_by
                    else "",
                    "side": side_the(side),
                    "organisation": agreement.organisation_of(side).name,
                    "url": url,
                }
                body = render_to_string("appendix/email/approval_request.txt", context)
                subject = _(
                    "Version %(number)s of the collaboration appendix for %(reference)s awaits approval"
                ) % {"number": version.number, "reference": agreement.reference}
            send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False
            )
            sent += 1
    return sent


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

"""What the collaboration appendix asks of a person on "Mitt arbete" (see ``core/work.py``).

- A version awaiting their side's approval, where they are an owner of that side
  (only an owner approves, and only the newest version: ``appendix_approve``).
- Required completeness checks that fail on the live model of an agreement they
  own: the owners answer for the appendix being complete before it is published.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.agreement_file import agreement_snapshots
from samverkan.agreements.models import Agreement, AgreementStatus, ParticipantRole
from samverkan.appendix import completeness
from samverkan.appendix.selectors import versions_awaiting_approval
from samverkan.core.work import WorkItem

DETAILS_SHOWN = 3  # failing checks named on the item; the appendix page lists them all


def work_items(user: User) -> list[WorkItem]:
    return _approvals(user) + _failing_checks(user)


def _approvals(user: User) -> list[WorkItem]:
    items = []
    versions = (
        versions_awaiting_approval(user)
        .prefetch_related("approvals")
        .defer("snapshot")  # the whole model as JSON: not needed to say what waits
    )
    for version in versions:
        agreement = version.agreement
        side = version.awaiting_side  # type: ignore[attr-defined]
        other = agreement.organisation_of("supplier" if side == "customer" else "customer")
        reason = _(
            "It takes effect when an owner on each side has approved it. You are an owner "
            "for %(organisation)s and can approve it for your side."
        ) % {"organisation": agreement.organisation_of(side).name}
        if any(approval.side != side for approval in version.approvals.all()):
            reason += " " + _("%(organisation)s has already approved it.") % {
                "organisation": other.name
            }
        items.append(
            WorkItem(
                kind="appendix.approval",
                label=_("Approval"),
                title=_("Approve version %(number)s of the collaboration appendix")
                % {"number": version.number},
                reason=reason,
                url=reverse(
                    "appendix:version", kwargs={"pk": agreement.pk, "number": version.number}
                ),
                action=_("Review and approve"),
                agreement=str(agreement),
                since=timezone.localdate(version.published_at),
                details=(_("What changed: %(summary)s") % {"summary": version.change_summary},),
            )
        )
    return items


def _failing_checks(user: User) -> list[WorkItem]:
    owned = list(
        visible_agreements(user)
        .filter(participants__user=user, participants__role=ParticipantRole.OWNER)
        .exclude(status=AgreementStatus.ENDED)
        .select_related("customer", "supplier")
        .order_by("reference")
    )
    snapshots = agreement_snapshots(owned)
    language = translation.get_language() or "sv"
    items = []
    for agreement in owned:
        failing = [
            finding
            for finding in completeness.check(snapshots[agreement.pk], language)
            if not finding.passed and finding.severity == "error"
        ]
        if failing:
            items.append(_failing_item(agreement, [_not_met(finding) for finding in failing]))
    return items


def _not_met(finding: completeness.Finding) -> str:
    """ "Not met: The four standard roles are present (Business developer)"."""
    what = ", ".join(finding.details[:DETAILS_SHOWN])
    if len(finding.details) > DETAILS_SHOWN:
        what += " …"
    return _("Not met: %(check)s (%(what)s)") % {"check": finding.title, "what": what}


def _failing_item(agreement: Agreement, lines: list[str]) -> WorkItem:
    count = len(lines)
    details = lines[:DETAILS_SHOWN]
    if count > DETAILS_SHOWN:
        details.append(
            ngettext("and %(count)s more", "and %(count)s more", count - DETAILS_SHOWN)
            % {"count": count - DETAILS_SHOWN}
        )
    return WorkItem(
        kind="appendix.completeness",
        label=_("Completeness"),
        title=ngettext(
            "%(count)s required check of the appendix is not met",
            "%(count)s required checks of the appendix are not met",
            count,
        )
        % {"count": count},
        reason=_(
            "The collaboration appendix lacks something the article or good practice "
            "requires. You are an owner of the agreement; publishing a version like this "
            "must be confirmed."
        ),
        url=reverse("appendix:appendix", kwargs={"pk": agreement.pk}) + "#check",
        action=_("See the checks"),
        agreement=str(agreement),
        when=_("Before the next version is published"),
        details=tuple(details),
    )

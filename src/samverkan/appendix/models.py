"""Published versions of the collaboration appendix and their approvals.

A version freezes the agreement's whole model as a snapshot (the agreement-file
data), so its document can be rebuilt later, whatever has changed since. It
takes effect when an owner on each side has approved it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, Side


class VersionStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting approval")
    IN_EFFECT = "in_effect", _("In effect")
    SUPERSEDED = "superseded", _("Superseded")


class AppendixVersion(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="appendix_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    change_summary = models.TextField(_("change summary"))
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published"))
    published_with_errors = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("appendix version")
        verbose_name_plural = _("appendix versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="appendix_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} v{self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

    @property
    def snapshot_digest(self) -> str:
        """SHA-256 of the snapshot as canonical JSON (keys sorted, no spaces, UTF-8).

        Printed on the version's approval page, so that a document can be tied to
        the exact content that was approved. Key order is sorted because not every
        database keeps the order of a JSON object's keys.
        """
        canonical = json.dumps(
            self.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class Approval(models.Model):
    version = models.ForeignKey(AppendixVersion, on_delete=models.CASCADE, related_name="approvals")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="approval_one_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.side}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.version.agreement_id}


class SnapshotChange(models.Model):
    """One change to what an agreement's snapshot (``agreement_snapshot``) holds.

    Every change appends a row in the change's transaction (``appendix.revisions``); the
    number of an agreement's rows and the latest time are its snapshot's revision, so a
    figure computed from the snapshot can be kept under the revision it was computed at.
    Rows are only ever added (no writer waits for another's lock), and go with the
    agreement. No foreign key: a part deleted with its agreement may still append one.
    """

    agreement_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["agreement_id", "at"], name="appendix_change_agreement")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.at:%Y-%m-%d %H:%M:%S.%f}"

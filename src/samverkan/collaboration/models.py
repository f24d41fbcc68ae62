"""The collaboration model (samverkansmodell) of an agreement.

Levels, roles with responsibilities and authorities, forums with a decision
mandate a program can check, joint processes with RACI, and the escalation
path. Lists of short texts (responsibilities, agenda items, steps …) are JSON
lists of strings; mandates are JSON lists of ``{decision, limit, note}``.
Every editable row carries a ``version`` for optimistic locking.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement

# The shared governance vocabulary, also named here for the model's readers.
from samverkan.core.governance import Cadence as Cadence
from samverkan.core.governance import Level as Level


class RoleSide(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")
    JOINT = "joint", _("Joint")


class Orientation(models.TextChoices):
    BUSINESS = "business", _("Toward the business")
    IT = "it", _("Toward IT")


class Raci(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class ModelPart(models.Model):
    """What every part of the model shares: its agreement, a key, an order and a version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class Objective(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField(_("objective"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class Role(ModelPart):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("name"), max_length=120)
    side = models.CharField(_("side"), max_length=16, choices=RoleSide.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    orientation = models.CharField(_("orientation"), max_length=16, choices=Orientation.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    responsibilities = models.JSONField(_("responsibilities"), default=list, blank=True)
    authorities = models.JSONField(_("authorities"), default=list, blank=True)
    decision_rights = models.JSONField(_("decision rights"), default=list, blank=True)
    holders = models.JSONField(_("holders"), default=list, blank=True)

    class Meta(ModelPart.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="role_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Forum(ModelPart):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    chair = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_forums",
        verbose_name=_("chair"),
    )
    members = models.ManyToManyField(
        Role, blank=True, related_name="forums", verbose_name=_("members")
    )
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices, blank=True)
    agenda = models.JSONField(_("standing agenda"), default=list, blank=True)
    inputs = models.JSONField(_("inputs"), default=list, blank=True)
    outputs = models.JSONField(_("outputs"), default=list, blank=True)
    mandate = models.JSONField(_("decision mandate"), default=list, blank=True)

    class Meta(ModelPart.Meta):
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="forum_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Process(ModelPart):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    owner = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_processes",
        verbose_name=_("owner"),
    )
    steps = models.JSONField(_("steps"), default=list, blank=True)

    class Meta(ModelPart.Meta):
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="process_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RaciAssignment(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="raci")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="raci")
    letter = models.CharField(_("RACI"), max_length=1, choices=Raci.choices)

    class Meta:
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        constraints = [
            models.UniqueConstraint(fields=["process", "role"], name="raci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.process} / {self.role}: {self.letter}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.process.agreement_id}


class EscalationStep(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="escalation_steps"
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="escalation_steps", verbose_name=_("forum")
    )
    resolve_within_days = models.PositiveIntegerField(_("resolve within (days)"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.forum}: {self.resolve_within_days}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

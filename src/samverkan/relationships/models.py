"""An agreement's relationship type and the governance profile it sets."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement


class RelationshipType(models.TextChoices):
    UTILITY = "utility", "Utility Outsourcing"
    BUSINESS_ENHANCEMENT = "business_enhancement", "Business Enhancement"
    FRONTIER = "frontier", "Frontier Relationship"


class FocusCategory(models.TextChoices):
    PRICE = "price", _("Price")
    SERVICE_LEVEL = "service_level", _("Service level")
    SATISFACTION = "satisfaction", _("Customer satisfaction")
    RELATIONSHIP = "relationship", _("Relationship")
    SHARED_VISION = "shared_vision", _("Shared vision")
    INNOVATION = "innovation", _("Innovation")


class InnovationExpectation(models.TextChoices):
    REACTIVE = "reactive", _("Reactive: on request")
    PROACTIVE = "proactive", _("Proactive: proposals every quarter")
    JOINT = "joint", _("Joint: shared roadmap and budget or gain-share")


class Relationship(models.Model):
    """The chosen type, the questionnaire behind it, and the governance profile in force."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="relationship"
    )
    type = models.CharField(
        _("relationship type"), max_length=32, choices=RelationshipType.choices, blank=True
    )
    rationale = models.TextField(_("rationale"), blank=True)
    answers = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    recommended_type = models.CharField(max_length=32, choices=RelationshipType.choices, blank=True)
    # The governance profile: defaults from the type, editable per agreement.
    profile_type = models.CharField(max_length=32, choices=RelationshipType.choices, blank=True)
    scorecard_weights = models.JSONField(_("scorecard weights"), default=dict, blank=True)
    forum_cadence = models.JSONField(_("forum cadence"), default=dict, blank=True)
    innovation = models.CharField(
        _("expected innovation"), max_length=16, choices=InnovationExpectation.choices, blank=True
    )
    ideas_per_quarter = models.PositiveSmallIntegerField(
        _("ideas per quarter"), null=True, blank=True
    )
    health_check = models.CharField(_("health check cadence"), max_length=16, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")

    def __str__(self) -> str:
        return self.get_type_display() or "–"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

    def profile(self) -> dict[str, Any]:
        return {
            "scorecard_weights": dict(self.scorecard_weights),
            "forum_cadence": dict(self.forum_cadence),
            "innovation": self.innovation,
            "ideas_per_quarter": self.ideas_per_quarter,
            "health_check": self.health_check,
        }

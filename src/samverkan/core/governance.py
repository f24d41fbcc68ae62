"""The governance vocabulary several capabilities share: the three levels of the
collaboration (strategisk, taktisk, operativ nivå) and how often a forum meets.

The collaboration model's roles and forums, the relationship type's profile
(a forum cadence per level) and, later, meetings and the scorecard speak of these;
keeping them here lets those capabilities share words without importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")
    OPERATIONAL = "operational", _("Operational")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every other week")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Twice a year")
    ANNUAL = "annual", _("Annually")

"""A negotiation case: one organisation's private preparation for a negotiation.

The case walks the eight fundamentals of the seed (grundbultarna): good preparation;
understand the context and background; define the challenge; be clear about what you
want, your interests; evaluate and assess the alternatives; check them against the
interests and the goals set; prepare fallback plans; execute the plan (who, what, how).

Privacy is the point: a case belongs to one organisation and only its members
(``Member``) see it — people of the owning organisation the owner added, and people of
an adviser organisation the owner invited. Nothing of a case is linked into the
agreement's history or any shared surface; its rows carry the case, not the agreement,
in their audit data.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Organisation
from samverkan.agreements.models import Agreement


class Kind(models.TextChoices):
    NEW = "new", _("New agreement")
    RENEWAL = "renewal", _("Renewal")
    CHANGE = "change", _("Change")
    DISPUTE = "dispute", _("Dispute")


class Case(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    number = models.PositiveIntegerField(_("number"))  # per organisation
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement"),
    )
    # 1. Preparation
    timeline = models.TextField(_("timeline"), blank=True)
    # 2. Context and background
    history = models.TextField(_("history of the relationship"), blank=True)
    market = models.TextField(_("market situation"), blank=True)
    previous_agreements = models.TextField(_("previous agreements"), blank=True)
    counterparty = models.TextField(_("the counterparty's situation"), blank=True)
    # 3. The challenge
    problem = models.TextField(_("problem statement"), blank=True)
    success = models.TextField(_("what success looks like"), blank=True)
    # 7. Fallback plans
    batna = models.TextField(_("our best alternative without an agreement"), blank=True)
    walk_away = models.TextField(_("walk-away point"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("negotiation case")
        verbose_name_plural = _("negotiation cases")
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="negotiation_case_number"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"case_id": self.pk}


class CasePart(models.Model):
    """What every row of a case shares: the case, and an order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def get_additional_data(self) -> dict[str, Any]:
        return {"case_id": self.case_id}


class Member(CasePart):
    """A person who may see and work on the case, with their role in the negotiation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("role in the negotiation"), max_length=200, blank=True)
    owner = models.BooleanField(_("case owner"), default=False)

    class Meta(CasePart.Meta):
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="negotiation_member_unique")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class Side(models.TextChoices):
    OURS = "ours", _("Ours")
    THEIRS = "theirs", _("Theirs (our view)")


class Relation(models.TextChoices):
    SHARED = "shared", _("Shared")
    CONFLICTING = "conflicting", _("Conflicting")


class Interest(CasePart):
    """An interest, ours or our view of theirs, with a priority (its weight, 1–5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interests")
    side = models.CharField(_("whose"), max_length=8, choices=Side.choices)
    text = models.CharField(_("interest"), max_length=500)
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relation = models.CharField(_("shared or conflicting"), max_length=12, choices=Relation.choices)

    class Meta(CasePart.Meta):
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return self.text


class Option(CasePart):
    """An alternative the team weighs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(CasePart.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.name


class OptionScore(models.Model):
    """How well an option serves an interest, 1 (poorly) to 5 (fully)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("score of an option")
        verbose_name_plural = _("scores of options")
        constraints = [
            models.UniqueConstraint(
                fields=["option", "interest"], name="negotiation_option_score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="negotiation_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option} / {self.interest}: {self.score}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"case_id": self.case_id}


class Goal(CasePart):
    """A goal set for the negotiation, that every option is checked against."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)

    class Meta(CasePart.Meta):
        verbose_name = _("goal of the negotiation")
        verbose_name_plural = _("goals of the negotiation")

    def __str__(self) -> str:
        return self.text


class GoalCheck(models.Model):
    """Whether an option meets a goal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="checks")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="checks")
    meets = models.BooleanField(_("meets the goal"))

    class Meta:
        verbose_name = _("check of an option against a goal")
        verbose_name_plural = _("checks of options against goals")
        constraints = [
            models.UniqueConstraint(fields=["option", "goal"], name="negotiation_goal_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.option} / {self.goal}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"case_id": self.case_id}


class FallbackPlan(CasePart):
    """Plan B for a critical issue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="fallbacks")
    issue = models.CharField(_("critical issue"), max_length=500)
    plan = models.TextField(_("plan B"))

    class Meta(CasePart.Meta):
        verbose_name = _("fallback plan")
        verbose_name_plural = _("fallback plans")

    def __str__(self) -> str:
        return self.issue


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDERWAY = "underway", _("Under way")
    DONE = "done", _("Done")


class Action(CasePart):
    """A step of the plan: who does what, how, and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    who = models.CharField(_("who"), max_length=200)
    what = models.CharField(_("what"), max_length=500)
    how = models.TextField(_("how"), blank=True)
    when = models.DateField(_("when"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    class Meta(CasePart.Meta):
        verbose_name = _("action of the plan")
        verbose_name_plural = _("actions of the plan")

    def __str__(self) -> str:
        return self.what


def document_path(instance: Document, filename: str) -> str:
    """Stored under a random name: the original name is kept in ``name`` only."""
    return f"negotiation/{instance.case_id}/{uuid.uuid4().hex}"


class Document(CasePart):
    """A document of the preparation, stored through Django's storage API and served only
    to the case's members."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta(CasePart.Meta):
        verbose_name = _("document of the preparation")
        verbose_name_plural = _("documents of the preparation")

    def __str__(self) -> str:
        return self.name

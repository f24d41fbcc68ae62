"""An agreement's innovation framework (innovation under avtalsperioden).

What the parties want to achieve (measurable goals), how ideas are judged (weighted
criteria), who decides (a forum of the collaboration model), who leads it on each side
(roles), where continuous improvement ends and innovation begins, how many ideas are
expected, how often the framework is reviewed, and how innovation is paid for: not at
all, from a joint fund, or by sharing the realised gain for a time.

Goals and criteria have stable keys, so that ideas (a later part of the capability)
can name the goals they serve and be scored per criterion.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, Side
from samverkan.collaboration.models import Forum, Role
from samverkan.core.governance import Cadence


class Funding(models.TextChoices):
    NONE = "none", _("No separate funding")
    JOINT_FUND = "joint_fund", _("Joint innovation fund")
    GAIN_SHARE = "gain_share", _("Gain-share")


class Framework(models.Model):
    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="innovation_framework"
    )
    deciding_forum = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding forum"),
    )
    customer_lead = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer's innovation lead"),
    )
    supplier_lead = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier's innovation lead"),
    )
    improvement_line = models.TextField(_("continuous improvement and innovation"), blank=True)
    # None: the governance profile's expectation holds.
    ideas_per_quarter = models.PositiveSmallIntegerField(
        _("expected ideas per quarter"), null=True, blank=True
    )
    review_cadence = models.CharField(
        _("review cadence"), max_length=16, choices=Cadence.choices, blank=True
    )
    funding = models.CharField(
        _("funding"), max_length=16, choices=Funding.choices, default=Funding.NONE
    )
    customer_contribution = models.PositiveBigIntegerField(
        _("customer's yearly contribution"), null=True, blank=True
    )
    supplier_contribution = models.PositiveBigIntegerField(
        _("supplier's yearly contribution"), null=True, blank=True
    )
    customer_share = models.PositiveSmallIntegerField(_("customer's share"), null=True, blank=True)
    supplier_share = models.PositiveSmallIntegerField(_("supplier's share"), null=True, blank=True)
    gain_share_months = models.PositiveSmallIntegerField(
        _("gain-share period (months)"), null=True, blank=True
    )
    gain_share_from = models.DateField(_("gain-share from"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("innovation framework")
        verbose_name_plural = _("innovation frameworks")

    def __str__(self) -> str:
        return str(_("innovation framework"))

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class FrameworkPart(models.Model):
    """What goals and criteria share: the framework, its agreement, a stable key, an order."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class Goal(FrameworkPart):
    """A measurable goal: from ``baseline`` to ``target`` (in ``unit``) by ``due``."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="goals")
    what = models.CharField(_("goal"), max_length=500)
    baseline = models.DecimalField(_("baseline"), max_digits=15, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=15, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60)
    due = models.DateField(_("by"))

    class Meta(FrameworkPart.Meta):
        verbose_name = _("innovation goal")
        verbose_name_plural = _("innovation goals")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="innovation_goal_key_unique")
        ]

    def __str__(self) -> str:
        return self.what


class Criterion(FrameworkPart):
    """An evaluation criterion and its weight in percent (the weights add up to 100)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta(FrameworkPart.Meta):
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "key"], name="innovation_criterion_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


# Ideas (issue 12, points 2 and 3) ------------------------------------------------------


class Area(models.TextChoices):
    """The four areas innovation may concern (the seed's list)."""

    BUSINESS = "business", _("Business development")
    PROCESSES = "processes", _("Processes")
    EMPLOYEES = "employees", _("Employees")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")


class Stage(models.TextChoices):
    """Where an idea is in the pipeline; approved, rejected and parked are the decided stage."""

    PROPOSED = "proposed", _("Proposed")
    EVALUATION = "evaluation", _("Under evaluation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PARKED = "parked", _("Parked")
    IMPLEMENTATION = "implementation", _("In implementation")
    IMPLEMENTED = "implemented", _("Implemented")
    MEASURED = "measured", _("Effect measured")


class EffectUnit(models.TextChoices):
    HOURS_PER_MONTH = "hours_per_month", _("hours per month")
    SEK_PER_YEAR = "sek_per_year", _("SEK per year")
    INCIDENTS_PER_QUARTER = "incidents_per_quarter", _("incidents per quarter")
    NPS_POINTS = "nps_points", _("NPS points")
    OTHER = "other", _("other unit")


class Idea(models.Model):
    """An idea from either party, numbered within its agreement, and where it is now.

    ``deciding_forum`` is empty while the framework's deciding forum decides; an idea
    referred up the escalation path names the forum it was referred to.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="ideas")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    problem = models.TextField(_("problem"))
    proposal = models.TextField(_("proposal"))
    effect = models.DecimalField(
        _("expected effect"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    effect_unit = models.CharField(
        _("unit of the effect"), max_length=24, choices=EffectUnit.choices, blank=True
    )
    effect_unit_other = models.CharField(_("other unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    effort_days = models.DecimalField(
        _("estimated effort (person-days)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    cost = models.PositiveBigIntegerField(_("estimated cost"), null=True, blank=True)
    proposer = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposer"),
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    goals = models.ManyToManyField(Goal, blank=True, related_name="ideas", verbose_name=_("goals"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default="proposed")
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    deciding_forum = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when the evaluation closes (explicitly, or when the idea leaves evaluation);
    # the scores are shown to both parties from then on.
    evaluation_closed_at = models.DateTimeField(_("evaluation closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="innovation_idea_number")
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

    @property
    def unit_label(self) -> str:
        if self.effect_unit == EffectUnit.OTHER:
            return self.effect_unit_other
        return str(EffectUnit(self.effect_unit).label) if self.effect_unit else ""


class IdeaStep(models.Model):
    """One step of an idea's way through the pipeline (append-only): a move from one
    stage to another with its reason, or a referral to a forum (``referred_to``)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="steps")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    forum = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forum"),
    )
    referred = models.BooleanField(_("referred"), default=False)
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step of an idea")
        verbose_name_plural = _("steps of ideas")
        ordering = ["idea", "pk"]

    def __str__(self) -> str:
        return self.idea.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


# Evaluation (issue 12, point 4) ---------------------------------------------------------


class Evaluator(models.Model):
    """A participant chosen to score an idea (an editor or owner of either side)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evaluators")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("evaluator")
    )
    chosen_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluator of an idea")
        verbose_name_plural = _("evaluators of ideas")
        ordering = ["idea", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="innovation_evaluator_unique")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class Score(models.Model):
    """One evaluator's score (1–5) of an idea on one criterion of the framework."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    evaluator = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("evaluator")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score of an idea")
        verbose_name_plural = _("scores of ideas")
        ordering = ["idea", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "evaluator", "criterion"], name="innovation_score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="innovation_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


# People impact (issue 12, point 5: Medarbetare) -----------------------------------------


class Resistance(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PeopleImpact(models.Model):
    """Whom an approved idea changes, how much resistance to expect and why.

    Where strategy and routines are questioned, conflict and resistance arise and must
    be handled; an idea with high resistance and no engagement action is flagged.
    """

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="people_impact")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    affected_groups = models.TextField(_("affected groups"), blank=True)
    resistance = models.CharField(
        _("expected resistance"), max_length=8, choices=Resistance.choices, blank=True
    )
    resistance_reason = models.TextField(_("reason for the resistance"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("people impact of an idea")
        verbose_name_plural = _("people impacts of ideas")

    def __str__(self) -> str:
        return self.idea.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class EngagementAction(models.Model):
    """An action that engages the people an idea changes, with its owner and date."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="engagement_actions")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("engagement action")
        verbose_name_plural = _("engagement actions")
        ordering = ["idea", "position", "pk"]

    def __str__(self) -> str:
        return self.action

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


# Realised effect (issue 12, point 6) ------------------------------------------------------


class RealisedEffect(models.Model):
    """What an implemented idea achieved, in the unit of its expected effect, measured on
    a date, with the evidence; required before the idea's effect counts as measured."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="realised_effect")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    realised = models.DecimalField(_("realised effect"), max_digits=15, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    evidence = models.TextField(_("evidence"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("realised effect")
        verbose_name_plural = _("realised effects")

    def __str__(self) -> str:
        return self.idea.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


# The joint innovation fund's ledger (issue 12, point 1) -----------------------------------


class FundEntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Contribution")
    SPENDING = "spending", _("Spending")


class FundEntry(models.Model):
    """One line of a joint innovation fund's ledger: a party's contribution paid in, or
    money the fund paid out (for an idea, or for something else named in the text)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=FundEntryKind.choices)
    side = models.CharField(_("side"), max_length=16, choices=Side.choices, blank=True)
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_entries",
        verbose_name=_("idea"),
    )
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount"))
    text = models.CharField(_("text"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["agreement", "on", "pk"]

    def __str__(self) -> str:
        return self.text or str(FundEntryKind(self.kind).label)

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


# Attachments (issue 12, point 2) ------------------------------------------------------------


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the original name is kept in ``name`` only."""
    return f"innovation/{instance.agreement_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an idea, stored through Django's storage API and served only
    through the access module (never from a public URL)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["idea", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}

"""Relationship-health rounds, the invitations that let people answer, and the answers.

The anonymity of the survey rests on how these tables relate:

- ``Invitation`` knows the person (to send the link and the reminder) but holds
  only the SHA-256 of the link's token, and whether it has been used.
- ``Response`` and ``Answer`` know the round and the side, never the person:
  no foreign key to an invitation, a user or a participant, and no timestamp.
  Responses and free texts have random UUID keys, and the product never reads
  rows in the order they were written. While a round is open the database keeps
  roughly that order (SQLite's rowid, PostgreSQL's physical order, the answers'
  serial ids); when it closes, ``services.answers_shuffle`` writes the answers
  again in random order. ``samverkan serve`` leaves the survey out of its access
  log (``core.accesslog``); the README tells operators about proxies' logs.
- Using a link rewrites every invitation of the round in the answer's own
  transaction, so on PostgreSQL no single invitation shares the answer's
  transaction id (``xmin``).
- ``SideFigures`` holds the figures a side's results page shows, computed in SQL
  and released only when ``analysis.release_live_figures`` allows it; which of
  them are shown, and why no difference of two gives away one statement or a
  "don't know", is ``figures``'s docstring.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, Side
from samverkan.health import analysis


class Target(models.TextChoices):
    SELF = "self", _("Own organisation")
    OTHER = "other", _("The other party")
    RELATIONSHIP = "relationship", _("The collaboration")


class Round(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="health_rounds")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    closes_on = models.DateField(_("closing date"))
    live_results = models.BooleanField(
        _("show results while the round is open"),
        default=False,
        help_text=_(
            "Figures are then updated only after at least the threshold number of new "
            "answers from a side, so that no single answer can be read off."
        ),
    )
    threshold = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=analysis.THRESHOLD,
        help_text=_("No figure is shown for fewer respondents than this (never fewer than 3)."),
    )
    statement_threshold = models.PositiveSmallIntegerField(
        _("smallest group for one statement"),
        default=analysis.STATEMENT_THRESHOLD,
        help_text=_(
            "One statement's own figure needs at least this many who gave it a score; "
            "set from HEALTH_STATEMENT_THRESHOLD when the round opens."
        ),
    )
    edition = models.PositiveSmallIntegerField(_("survey edition"))
    own_statements = models.JSONField(_("own statements"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("health round")
        verbose_name_plural = _("health rounds")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="health_round_number"),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=analysis.THRESHOLD),
                name="health_round_threshold_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} #{self.number} {self.title}"

    def clean(self) -> None:
        if self.threshold is not None and self.threshold < analysis.THRESHOLD:
            raise ValidationError(
                {
                    "threshold": _("The smallest group shown cannot be below %(n)s.")
                    % {"n": analysis.THRESHOLD}
                }
            )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def min_group(self) -> int:
        return analysis.min_group_size(self.threshold)

    @property
    def statement_min_group(self) -> int:
        """The smallest group for one statement's figure, as recorded when the round opened."""
        return analysis.statement_min_group(self.threshold, self.statement_threshold)

    @property
    def results_visible(self) -> bool:
        """Whether anyone may see figures now: after closing, or live when the round allows it."""
        return not self.is_open or self.live_results

    def get_additional_data(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id}


class Invitation(models.Model):
    """A person's single-use link to a round. Never joined to an answer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_invitations"
    )
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="health_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.side}"


class Response(models.Model):
    """One person's answers to a round: the side they answered for, nothing about who."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    recommend = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["round", "side"], name="health_response_side")]

    def __str__(self) -> str:
        return f"{self.round} ({self.side})"


class Answer(models.Model):
    """One score: a statement, answered for one target. ``score`` is NULL for "don't know".

    ``round``, ``side`` and ``dimension`` repeat what the response and the
    instrument know, so that results aggregate with one GROUP BY and no join.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=16, choices=Side.choices)
    statement = models.CharField(max_length=60)
    dimension = models.CharField(max_length=40)
    target = models.CharField(max_length=16, choices=Target.choices)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # Covers the one GROUP BY that results start from (figures.side_figures), so
            # aggregation reads only the index: 17 ms for 100,000 answers.
            models.Index(
                fields=["round", "side", "statement", "target", "score"],
                name="health_answer_statement",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement", "target"], name="health_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}/{self.target}"


class FreeText(models.Model):
    """A free-text answer, stored apart from its response so it cannot be joined to scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="free_texts")
    side = models.CharField(max_length=16, choices=Side.choices)
    question = models.CharField(max_length=40)
    text = models.TextField()

    def __str__(self) -> str:
        return f"{self.round} ({self.side}, {self.question})"


class SideFigures(models.Model):
    """The figures of one side of a round as last released (see ``selectors.round_results``)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="side_figures")
    side = models.CharField(max_length=16, choices=Side.choices)
    respondents = models.PositiveIntegerField()
    figures = models.JSONField()
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "side"], name="health_side_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} ({self.side}, {self.respondents})"

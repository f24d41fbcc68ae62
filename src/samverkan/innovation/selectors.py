"""Reads for the innovation framework and its ideas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from samverkan.agreements.models import Agreement, Participant
from samverkan.innovation.models import (
    Attachment,
    Criterion,
    Framework,
    Goal,
    Idea,
    IdeaStep,
)
from samverkan.relationships.models import Relationship


def _frameworks() -> QuerySet[Framework]:
    return Framework.objects.select_related(
        "deciding_forum", "customer_lead", "supplier_lead"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
        Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk")),
    )


def framework_of(agreement: Agreement) -> Framework | None:
    """The agreement's framework with its forum, leads, goals and criteria (three queries),
    or None when the parties have not set one up."""
    return _frameworks().filter(agreement=agreement).first()


def frameworks_of(agreements: Sequence[Agreement]) -> dict[int, Framework]:
    """The frameworks of several agreements by agreement id, in three queries."""
    return {
        framework.agreement_id: framework
        for framework in _frameworks().filter(agreement__in=[a.pk for a in agreements])
    }


def profile_ideas_per_quarter(agreement: Agreement) -> int | None:
    """The governance profile's expected ideas per quarter (the framework's default)."""
    return (
        Relationship.objects.filter(agreement=agreement)
        .values_list("ideas_per_quarter", flat=True)
        .first()
    )


@dataclass(frozen=True)
class FrameworkSummary:
    funding: str
    goals: int


def framework_summary(agreement: Agreement) -> FrameworkSummary | None:
    """What the overview shows, in one query."""
    row = (
        Framework.objects.filter(agreement=agreement)
        .annotate(goal_count=Count("goals", distinct=True))
        .values("funding", "goal_count")
        .first()
    )
    if row is None:
        return None
    return FrameworkSummary(funding=row["funding"], goals=row["goal_count"])


# Ideas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaFilter:
    """What the ideas list is narrowed to; empty strings mean "all"."""

    area: str = ""
    side: str = ""
    stage: str = ""
    text: str = ""


def ideas_of(agreement: Agreement, filters: IdeaFilter | None = None) -> QuerySet[Idea]:
    """The agreement's ideas, newest first, with their proposer, forum and goals (two
    queries however many there are), narrowed by ``filters`` (text: title, problem and
    proposal, ignoring case)."""
    ideas = (
        Idea.objects.filter(agreement=agreement)
        .select_related("proposer", "deciding_forum")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")))
        .order_by("-number")
    )
    if filters is None:
        return ideas
    if filters.area:
        ideas = ideas.filter(area=filters.area)
    if filters.side:
        ideas = ideas.filter(side=filters.side)
    if filters.stage:
        ideas = ideas.filter(stage=filters.stage)
    if filters.text:
        ideas = ideas.filter(
            Q(title__icontains=filters.text)
            | Q(problem__icontains=filters.text)
            | Q(proposal__icontains=filters.text)
        )
    return ideas


def idea_steps(idea: Idea) -> QuerySet[IdeaStep]:
    """The idea's way through the pipeline, oldest first, with who and which forum."""
    return IdeaStep.objects.filter(idea=idea).select_related("actor", "forum").order_by("pk")


# Attachments --------------------------------------------------------------------------


def attachments_of(idea: Idea) -> QuerySet[Attachment]:
    """The idea's attachments, oldest first, with who attached each and the side that
    person takes part for now (``uploader_side``, None when they no longer do): one query."""
    side = Participant.objects.filter(
        agreement=OuterRef("agreement_id"), user=OuterRef("uploaded_by_id")
    ).values("side")[:1]
    return (
        Attachment.objects.filter(idea=idea)
        .select_related("uploaded_by")
        .annotate(uploader_side=Subquery(side))
        .order_by("pk")
    )

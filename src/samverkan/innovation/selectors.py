"""Reads for the innovation framework."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from samverkan.agreements.models import Agreement
from samverkan.innovation.models import Criterion, Framework, Goal
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

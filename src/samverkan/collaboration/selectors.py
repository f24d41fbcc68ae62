"""Reads for the collaboration model: the whole model of an agreement in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import (
    EscalationStep,
    Forum,
    Objective,
    Process,
    RaciAssignment,
    Role,
)


@dataclass
class CollaborationModel:
    agreement: Agreement
    objectives: list[Objective]
    roles: list[Role]
    forums: list[Forum]
    processes: list[Process]
    escalation: list[EscalationStep]
    roles_by_level: dict[str, list[Role]] = field(default_factory=dict)


def roles_of(agreement: Agreement) -> QuerySet[Role]:
    return Role.objects.filter(agreement=agreement).order_by("position", "pk")


def forums_of(agreement: Agreement) -> QuerySet[Forum]:
    return _forums().filter(agreement=agreement)


def _forums() -> QuerySet[Forum]:
    return (
        Forum.objects.select_related("chair")
        .prefetch_related(Prefetch("members", queryset=Role.objects.order_by("position", "pk")))
        .order_by("position", "pk")
    )


def processes_of(agreement: Agreement) -> QuerySet[Process]:
    return _processes().filter(agreement=agreement)


def _processes() -> QuerySet[Process]:
    return (
        Process.objects.select_related("owner")
        .prefetch_related(
            Prefetch(
                "raci",
                queryset=RaciAssignment.objects.select_related("role").order_by(
                    "role__position", "role__pk"
                ),
            )
        )
        .order_by("position", "pk")
    )


def collaboration_model(*, agreement: Agreement) -> CollaborationModel:
    """The whole model; the number of queries does not grow with its size."""
    roles = list(roles_of(agreement))
    model = CollaborationModel(
        agreement=agreement,
        objectives=list(Objective.objects.filter(agreement=agreement).order_by("position", "pk")),
        roles=roles,
        forums=list(forums_of(agreement)),
        processes=list(processes_of(agreement)),
        escalation=list(
            EscalationStep.objects.filter(agreement=agreement)
            .select_related("forum")
            .order_by("position", "pk")
        ),
    )
    for level in ("strategic", "tactical", "operational"):
        model.roles_by_level[level] = [role for role in roles if role.level == level]
    return model


def collaboration_models(*, agreements: Sequence[Agreement]) -> dict[int, CollaborationModel]:
    """The whole model of each agreement (by id), in the same number of queries however many.

    Each model holds what ``collaboration_model`` gives, in the same order.
    """
    ids = [agreement.pk for agreement in agreements]
    parts: dict[str, defaultdict[int, list[Any]]] = {}
    for name, queryset in (
        ("objectives", Objective.objects.order_by("position", "pk")),
        ("roles", Role.objects.order_by("position", "pk")),
        ("forums", _forums()),
        ("processes", _processes()),
        ("escalation", EscalationStep.objects.select_related("forum").order_by("position", "pk")),
    ):
        parts[name] = defaultdict(list)
        for row in queryset.filter(agreement_id__in=ids):
            parts[name][row.agreement_id].append(row)
    models = {}
    for agreement in agreements:
        roles = parts["roles"][agreement.pk]
        models[agreement.pk] = CollaborationModel(
            agreement=agreement,
            objectives=parts["objectives"][agreement.pk],
            roles=roles,
            forums=parts["forums"][agreement.pk],
            processes=parts["processes"][agreement.pk],
            escalation=parts["escalation"][agreement.pk],
            roles_by_level={
                level: [role for role in roles if role.level == level]
                for level in ("strategic", "tactical", "operational")
            },
        )
    return models


@dataclass
class RaciMatrix:
    roles: list[Role]
    rows: list[tuple[Process, list[str]]]


def raci_matrix(*, agreement: Agreement) -> RaciMatrix:
    """Processes × roles, each cell R, A, C, I or empty; only roles that appear in some RACI."""
    processes = list(processes_of(agreement))
    used = {assignment.role_id for process in processes for assignment in process.raci.all()}
    roles = [role for role in roles_of(agreement) if role.pk in used]
    rows = []
    for process in processes:
        letters = {assignment.role_id: assignment.letter for assignment in process.raci.all()}
        rows.append((process, [letters.get(role.pk, "") for role in roles]))
    return RaciMatrix(roles=roles, rows=rows)

"""The demo's ideas: every stage and area on the frontier and enhancement agreements, a
few on the utility agreement (its supplier proposes little), decisions recorded by the
customer's side with their reasons, and loading the demo again changes nothing."""

from __future__ import annotations

import pytest

from samverkan.core import demo
from samverkan.innovation.models import Area, Idea, IdeaStep, Stage

pytestmark = pytest.mark.django_db


def test_the_demo_has_ideas_in_every_stage_and_area_and_loads_twice_unchanged() -> None:
    demo.load()
    counts = (Idea.objects.count(), IdeaStep.objects.count())
    for reference in ("DEMO-FRONTIER", "DEMO-ENHANCEMENT"):
        ideas = Idea.objects.filter(agreement__reference=reference)
        assert set(ideas.values_list("stage", flat=True)) == set(Stage.values), reference
        assert set(ideas.values_list("area", flat=True)) == set(Area.values), reference
        assert set(ideas.values_list("side", flat=True)) == {"customer", "supplier"}
    utility = Idea.objects.filter(agreement__reference="DEMO-UTILITY")
    assert 0 < utility.count() <= 3
    assert utility.filter(side="supplier").count() == 1
    assert utility.filter(side="supplier", title__icontains="patchning").exists()
    frontier = Idea.objects.get(
        agreement__reference="DEMO-FRONTIER", title="Prisförslag i realtid i kundportalen"
    )
    assert frontier.stage == "implemented" and frontier.side == "supplier"
    decisions = IdeaStep.objects.filter(to_stage__in=["approved", "rejected", "parked"])
    assert decisions.exists()
    for step in decisions.select_related("idea__agreement", "actor"):
        assert step.reason, step.idea.title
        assert step.actor is not None
        assert step.idea.agreement.participants.get(user=step.actor).side == "customer"
    demo.load()
    assert (Idea.objects.count(), IdeaStep.objects.count()) == counts


def test_the_demo_has_evaluations_closed_and_open() -> None:
    from samverkan.innovation.models import Evaluator, Score

    demo.load()
    decided = Idea.objects.get(title="Schemalagd drift av testmiljöerna")
    assert decided.evaluation_closed_at is not None
    assert Score.objects.filter(idea=decided).count() == 10  # two evaluators, five criteria
    open_one = Idea.objects.get(title="Kapacitetsprognos för kundplattformen")
    assert open_one.stage == "evaluation" and open_one.evaluation_closed_at is None
    assert Evaluator.objects.filter(idea=open_one).count() == 2
    assert Score.objects.filter(idea=open_one).values("evaluator").distinct().count() == 1

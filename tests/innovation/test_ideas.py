"""Ideas and their pipeline: proposing, every allowed and refused step, approval within
the deciding forum's mandate (hand-checked limits), referral up the escalation path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samverkan.agreements.models import Participant
from samverkan.collaboration.models import Forum
from samverkan.collaboration.services import escalation_set, forum_create
from samverkan.core.errors import StaleEditError
from samverkan.innovation.effect_services import effect_record
from samverkan.innovation.idea_services import (
    NEXT,
    approval_check,
    idea_propose,
    idea_refer,
    idea_transition,
    next_stages,
    referral_target,
)
from samverkan.innovation.models import Goal, Idea, IdeaStep, Stage
from samverkan.innovation.services import framework_save
from tests.conftest import World
from tests.innovation.conftest import forum, framework_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(name="idea_world")
def idea_world_fixture(framework_world: World) -> World:
    """The framework decided by the council (innovation approval up to 250 000 SEK), and the
    escalation path operations meeting → council → architecture board (300 000) → steering
    group (1 000 000)."""
    w = framework_world
    Participant.objects.filter(agreement=w.agreement, user=w.supplier_owner).update(role="editor")
    framework_save(agreement=w.agreement, actor=None, version=0, **framework_fields(w))
    operations = forum_create(
        agreement=w.agreement, actor=None, name="Operativt möte", level="operational"
    )
    board = forum_create(
        agreement=w.agreement,
        actor=None,
        name="Arkitekturråd",
        level="tactical",
        mandate=[{"decision": "innovation_approval", "limit": 300000}],
    )
    steering = forum(w, "steering-group")
    Forum.objects.filter(pk=steering.pk).update(
        mandate=[{"decision": "budget"}, {"decision": "innovation_approval", "limit": 1000000}]
    )
    escalation_set(
        agreement=w.agreement,
        actor=None,
        steps=[(operations, 5), (forum(w), 10), (board, 10), (steering, 20)],
    )
    return w


def propose(w: World, *, cost: int = 100000, actor: Any = None, **fields: Any) -> Idea:
    values: dict[str, Any] = {
        "title": "Automatisera prisändringar",
        "area": "processes",
        "problem": "Prisändringar görs för hand och tar tio dagar.",
        "proposal": "Ett flöde som läser prislistan och uppdaterar portalen.",
        "effect": "40",
        "effect_unit": "hours_per_month",
        "baseline": "60",
        "effort_days": "12.5",
    }
    values.update(fields)
    return idea_propose(agreement=w.agreement, actor=actor or w.supplier_owner, cost=cost, **values)


def move(idea: Idea, actor: Any, to: str, reason: str = "") -> Idea:
    """One step on; "effect measured" is reached by recording the realised effect."""
    idea.refresh_from_db()
    if to == "measured" and idea.stage == "implemented":
        effect_record(
            idea=idea,
            actor=actor,
            realised="35",
            measured_on=timezone.localdate(),
            evidence="Tidrapporterna för oktober.",
            version=idea.version,
        )
        idea.refresh_from_db()
        return idea
    return idea_transition(idea=idea, actor=actor, to=to, reason=reason, version=idea.version)


# Proposing ----------------------------------------------------------------------------------


def test_an_idea_is_numbered_and_takes_its_side_from_the_proposers_participation(
    idea_world: World,
) -> None:
    w = idea_world
    goal = Goal.objects.filter(agreement=w.agreement).first()
    assert goal is not None
    first = propose(w, goals=[goal])
    second = propose(w, actor=w.customer_owner, title="Självservice för behörigheter")
    assert (first.number, first.side, first.stage) == (1, "supplier", "proposed")
    assert (second.number, second.side) == (2, "customer")
    assert list(first.goals.all()) == [goal]
    assert first.unit_label == "hours per month"
    assert str(first.effort_days) == "12.5"


def test_a_proposal_with_problems_is_refused_naming_every_field(idea_world: World) -> None:
    w = idea_world
    with pytest.raises(ValidationError) as caught:
        idea_propose(
            agreement=w.agreement,
            actor=w.supplier_owner,
            title="",
            area="marketing",
            problem="x",
            proposal="",
            cost=-1,
            effect="40",
            effect_unit="",
            effort_days="200000",
        )
    assert set(caught.value.message_dict) == {
        "title",
        "area",
        "proposal",
        "cost",
        "effect_unit",
        "effort_days",
    }


def test_an_other_unit_needs_its_name_and_a_goal_must_be_the_agreements(
    idea_world: World,
) -> None:
    w = idea_world
    with pytest.raises(ValidationError) as caught:
        propose(w, effect_unit="other", effect_unit_other="")
    assert "effect_unit_other" in caught.value.message_dict
    idea = propose(w, effect_unit="other", effect_unit_other="ärenden per vecka")
    assert idea.unit_label == "ärenden per vecka"


def test_someone_without_a_participation_cannot_propose(idea_world: World) -> None:
    with pytest.raises(PermissionDenied):
        propose(idea_world, actor=idea_world.org_admin)


# The pipeline ----------------------------------------------------------------------------


def test_the_whole_way_from_proposed_to_effect_measured(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    move(idea, w.customer_owner, "approved", "Ryms i budgeten för 2027.")
    move(idea, w.supplier_owner, "implementation")
    move(idea, w.supplier_owner, "implemented")
    with pytest.raises(ValidationError) as caught:  # not without the realised effect
        idea_transition(idea=idea, actor=w.customer_owner, to="measured", version=idea.version)
    assert "Record the realised effect" in caught.value.message_dict["to"][0]
    move(idea, w.customer_owner, "measured")
    idea.refresh_from_db()
    assert idea.stage == "measured"
    assert idea.realised_effect.realised == Decimal("35.00")
    assert idea.decision_reason == "Ryms i budgeten för 2027."
    steps = list(IdeaStep.objects.filter(idea=idea).values_list("from_stage", "to_stage"))
    assert steps == [
        ("proposed", "evaluation"),
        ("evaluation", "approved"),
        ("approved", "implementation"),
        ("implementation", "implemented"),
        ("implemented", "measured"),
    ]
    approval = IdeaStep.objects.get(idea=idea, to_stage="approved")
    assert approval.forum == forum(w)
    assert idea.version == 6


@pytest.mark.parametrize("decision", ["rejected", "parked"])
def test_rejecting_and_parking_need_a_reason(idea_world: World, decision: str) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    with pytest.raises(ValidationError) as caught:
        move(idea, w.customer_owner, decision, "  ")
    assert "Give the reason for the decision" in caught.value.message_dict["reason"][0]
    move(idea, w.customer_owner, decision, "Inte nu.")
    idea.refresh_from_db()
    assert (idea.stage, idea.decision_reason) == (decision, "Inte nu.")


def test_a_parked_idea_can_be_evaluated_again_and_a_rejected_one_goes_no_further(
    idea_world: World,
) -> None:
    w = idea_world
    parked = propose(w)
    move(parked, w.supplier_owner, "evaluation")
    move(parked, w.customer_owner, "parked", "Vänta på nya portalen.")
    move(parked, w.supplier_owner, "evaluation")
    parked.refresh_from_db()
    assert (parked.stage, parked.decision_reason) == ("evaluation", "")
    rejected = propose(w)
    move(rejected, w.supplier_owner, "evaluation")
    move(rejected, w.customer_owner, "rejected", "Löses i standardprodukten.")
    with pytest.raises(ValidationError) as caught:
        move(rejected, w.customer_owner, "evaluation")
    assert caught.value.message_dict["to"] == ["An idea that is “Rejected” goes no further."]


# Every stage against every target: only the next stages pass.
ALL = [stage.value for stage in Stage]


def _reach(w: World, stage: str) -> Idea:
    idea = propose(w)
    path = {
        "proposed": [],
        "evaluation": ["evaluation"],
        "approved": ["evaluation", "approved"],
        "rejected": ["evaluation", "rejected"],
        "parked": ["evaluation", "parked"],
        "implementation": ["evaluation", "approved", "implementation"],
        "implemented": ["evaluation", "approved", "implementation", "implemented"],
        "measured": ["evaluation", "approved", "implementation", "implemented", "measured"],
    }[stage]
    for to in path:
        move(idea, w.customer_owner, to, "Skäl.")
    return idea


@pytest.mark.parametrize("stage", ALL)
def test_every_step_that_is_not_next_is_refused_naming_the_next_stages(
    idea_world: World, stage: str
) -> None:
    w = idea_world
    idea = _reach(w, stage)
    for to in ALL:
        if to in NEXT[stage]:
            continue
        with pytest.raises(ValidationError) as caught:
            move(idea, w.customer_owner, to, "Skäl.")
        message = caught.value.message_dict["to"][0]
        for allowed in NEXT[stage]:
            assert f"“{Stage(allowed).label}”" in message
    idea.refresh_from_db()
    assert idea.stage == stage
    for to in NEXT[stage]:  # and each next stage passes
        fresh = _reach(w, stage)
        move(fresh, w.customer_owner, to, "Skäl.")
        fresh.refresh_from_db()
        assert fresh.stage == to


def test_a_skip_names_the_allowed_stage(idea_world: World) -> None:
    idea = propose(idea_world)
    with pytest.raises(ValidationError) as caught:
        move(idea, idea_world.customer_owner, "implementation")
    assert caught.value.message_dict["to"] == [
        "An idea that is “Proposed” can only go to “Under evaluation”, one stage at a time."
    ]


def test_the_supplier_moves_ideas_on_but_does_not_record_decisions(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    idea.refresh_from_db()
    assert next_stages(idea, "supplier") == []
    assert next_stages(idea, "customer") == ["approved", "rejected", "parked"]
    with pytest.raises(PermissionDenied):
        move(idea, w.supplier_owner, "approved", "Vi tycker det.")


def test_a_stale_version_is_refused(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    with pytest.raises(StaleEditError):
        idea_transition(idea=idea, actor=w.supplier_owner, to="evaluation", version=7)
    idea.refresh_from_db()
    assert idea.stage == "proposed"


# Approval within the mandate ----------------------------------------------------------------


def _evaluated(w: World, cost: int) -> Idea:
    idea = propose(w, cost=cost)
    move(idea, w.supplier_owner, "evaluation")
    idea.refresh_from_db()
    return idea


def test_approval_at_the_limit_passes_and_above_it_is_refused_naming_limit_forum_and_next(
    idea_world: World,
) -> None:
    w = idea_world
    at_limit = _evaluated(w, 250000)
    move(at_limit, w.customer_owner, "approved", "Inom rådets mandat.")
    above = _evaluated(w, 400000)
    with pytest.raises(ValidationError) as caught:
        move(above, w.customer_owner, "approved", "Vi vill.")
    # Hand-checked: the council may approve up to SEK 250,000; the board's 300,000 does
    # not cover 400,000, so the steering group (1,000,000) is the next that does.
    assert caught.value.message_dict["to"] == [
        "Samverkansråd may approve innovations costing at most SEK\xa0250,000; this idea is "
        "estimated at SEK\xa0400,000. Refer it to Styrgrupp, the next forum in the "
        "escalation path whose mandate covers it."
    ]
    above.refresh_from_db()
    assert above.stage == "evaluation"


def test_refer_picks_the_next_forum_whose_mandate_covers_the_cost(idea_world: World) -> None:
    w = idea_world
    idea = _evaluated(w, 280000)  # the board (300 000) covers it; it comes first
    assert idea_refer(idea=idea, actor=w.supplier_owner, version=idea.version).name == (
        "Arkitekturråd"
    )
    idea.refresh_from_db()
    assert idea.deciding_forum is not None and idea.deciding_forum.name == "Arkitekturråd"
    step = IdeaStep.objects.get(idea=idea, referred=True)
    assert (step.forum, step.actor) == (idea.deciding_forum, w.supplier_owner)
    move(idea, w.customer_owner, "approved", "Arkitekturrådet godkände.")
    assert IdeaStep.objects.get(idea=idea, to_stage="approved").forum == idea.deciding_forum

    expensive = _evaluated(w, 900000)  # past the board to the steering group
    assert idea_refer(idea=expensive, actor=None, version=expensive.version).name == "Styrgrupp"


def test_refer_is_refused_within_the_mandate_nowhere_to_go_or_outside_evaluation(
    idea_world: World,
) -> None:
    w = idea_world
    small = _evaluated(w, 1000)
    with pytest.raises(ValidationError, match="may approve this idea itself"):
        idea_refer(idea=small, actor=None, version=small.version)
    huge = _evaluated(w, 5000000)
    check = approval_check(huge, huge.agreement.innovation_framework)
    assert check.refer_to is None
    assert "No forum further up the escalation path" in str(check.problem)
    with pytest.raises(ValidationError, match=r"5,000,000\. No forum further up"):
        idea_refer(idea=huge, actor=None, version=huge.version)
    proposed = propose(w, cost=900000)
    with pytest.raises(ValidationError, match="Only an idea under evaluation"):
        idea_refer(idea=proposed, actor=None, version=proposed.version)


def test_a_forum_without_innovation_approval_in_its_mandate_is_named(
    idea_world: World,
) -> None:
    w = idea_world
    Forum.objects.filter(pk=forum(w).pk).update(mandate=[{"decision": "priority"}])
    idea = _evaluated(w, 1000)
    check = approval_check(idea, idea.agreement.innovation_framework)
    assert check.problem is not None
    assert check.problem.startswith("Samverkansråd has no mandate to approve innovations")
    assert referral_target(idea, idea.agreement.innovation_framework) == Forum.objects.get(
        name="Arkitekturråd"
    )


def test_without_a_framework_or_deciding_forum_approval_says_what_to_set_up(
    idea_world: World,
) -> None:
    w = idea_world
    idea = _evaluated(w, 1000)
    framework = w.agreement.innovation_framework
    framework.deciding_forum = None
    framework.save()
    with pytest.raises(ValidationError, match="names no deciding forum"):
        move(idea, w.customer_owner, "approved", "Ja.")
    framework.delete()
    with pytest.raises(ValidationError, match="needs an innovation framework"):
        move(idea, w.customer_owner, "approved", "Ja.")

"""An idea's evaluation: choosing evaluators, scoring, closing; the weighted score and the
spread with hand-computed values; scores hidden until the evaluation closes (service,
page and API); the ranking of open ideas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from samverkan.innovation.evaluation_services import (
    evaluation_close,
    evaluation_of,
    evaluation_score,
    evaluators_choose,
    ideas_ranked,
)
from samverkan.innovation.models import Idea
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


# Weights: business-value 30, feasibility 20, cost 15, risk 15, strategic-fit 20.
KAREN = {"business-value": 5, "feasibility": 4, "cost": 3, "risk": 2, "strategic-fit": 4}
PETER = {"business-value": 3, "feasibility": 2, "cost": 5, "risk": 4, "strategic-fit": 2}
# Karin: (150 + 80 + 45 + 30 + 80) / 100 = 3.85
# Peter: (90 + 40 + 75 + 60 + 40) / 100 = 3.05
# Idea:  means 4, 3, 4, 3, 3 → (120 + 60 + 60 + 45 + 60) / 100 = 3.45 (= mean of 3.85 and 3.05)
# Spread: 3.85 − 3.05 = 0.80


def under_evaluation(w: World, **fields: Any) -> Idea:
    idea = propose(w, **fields)
    idea = move(idea, w.supplier_owner, "evaluation")
    evaluators_choose(
        idea=idea,
        actor=w.supplier_owner,
        users=[w.customer_owner, w.supplier_owner],
        version=idea.version,
    )
    idea.refresh_from_db()
    return idea


def test_weighted_score_and_spread_are_shown_after_the_evaluation_closes(
    idea_world: World,
) -> None:
    w = idea_world
    idea = under_evaluation(w)
    evaluation_score(idea=idea, actor=w.customer_owner, scores=KAREN)
    before = evaluation_of(idea, w.customer_owner)
    assert (before.visible, before.scored, before.score, before.spread) == (False, 1, None, None)
    assert [row.own for row in before.criteria] == [5, 4, 3, 2, 4]
    assert [u.email for u in before.waiting_for] == [w.supplier_owner.email]
    evaluation_score(idea=idea, actor=w.supplier_owner, scores=PETER)
    evaluation_close(idea=idea, actor=w.customer_owner, version=idea.version)
    after = evaluation_of(idea, w.supplier_viewer)
    assert after.visible and after.scored == 2
    assert after.score == Decimal("3.45")
    assert after.spread == Decimal("0.80")
    assert [row.weighted for row in after.evaluators] == [Decimal("3.85"), Decimal("3.05")]
    assert [row.mean for row in after.criteria] == [
        Decimal("4.00"),
        Decimal("3.00"),
        Decimal("4.00"),
        Decimal("3.00"),
        Decimal("3.00"),
    ]


def test_another_evaluators_scores_are_hidden_before_the_close(idea_world: World) -> None:
    w = idea_world
    idea = under_evaluation(w)
    evaluation_score(idea=idea, actor=w.customer_owner, scores=KAREN)
    seen = evaluation_of(idea, w.supplier_owner)
    assert [row.own for row in seen.criteria] == [None] * 5
    assert all(row.scores == {} and row.weighted is None for row in seen.evaluators)
    assert all(row.mean is None for row in seen.criteria)


def test_leaving_evaluation_closes_it(idea_world: World) -> None:
    w = idea_world
    idea = under_evaluation(w)
    evaluation_score(idea=idea, actor=w.customer_owner, scores=KAREN)
    idea = move(idea, w.customer_owner, "parked", "Vänta på budget")
    assert idea.evaluation_closed_at is not None
    seen = evaluation_of(idea, w.supplier_owner)
    assert seen.visible and seen.score == Decimal("3.85") and seen.spread == Decimal("0.00")
    with pytest.raises(ValidationError):
        evaluation_score(idea=idea, actor=w.customer_owner, scores=PETER)
    idea = move(idea, w.customer_owner, "evaluation")  # taken up again: open once more
    assert idea.evaluation_closed_at is None
    assert evaluation_of(idea, w.supplier_owner).score is None


def test_a_person_not_chosen_cannot_score(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    idea = move(idea, w.supplier_owner, "evaluation")
    evaluators_choose(
        idea=idea, actor=w.supplier_owner, users=[w.supplier_owner], version=idea.version
    )
    with pytest.raises(PermissionDenied):
        evaluation_score(idea=idea, actor=w.customer_owner, scores=KAREN)


def test_a_viewer_cannot_be_chosen_and_a_scorer_stays(idea_world: World) -> None:
    w = idea_world
    idea = under_evaluation(w)
    with pytest.raises(ValidationError) as caught:
        evaluators_choose(
            idea=idea, actor=w.customer_owner, users=[w.supplier_viewer], version=idea.version
        )
    assert "viewer" in caught.value.messages[0]
    evaluation_score(idea=idea, actor=w.customer_owner, scores=KAREN)
    with pytest.raises(ValidationError) as caught:
        evaluators_choose(
            idea=idea, actor=w.customer_owner, users=[w.supplier_owner], version=idea.version
        )
    assert "Karin Lindqvist has already scored" in caught.value.messages[0]


def test_scores_must_cover_every_criterion_from_1_to_5(idea_world: World) -> None:
    w = idea_world
    idea = under_evaluation(w)
    with pytest.raises(ValidationError) as caught:
        evaluation_score(
            idea=idea,
            actor=w.customer_owner,
            scores={**KAREN, "risk": 6, "strategic-fit": 0, "colour": 3},
        )
    assert set(caught.value.message_dict) == {"risk", "strategic-fit", "colour"}
    with pytest.raises(ValidationError):
        evaluation_score(idea=idea, actor=w.customer_owner, scores={"risk": 3})


def test_the_ranking_orders_closed_evaluations_by_weighted_score(idea_world: World) -> None:
    w = idea_world
    first = under_evaluation(w, title="Först")
    evaluation_score(idea=first, actor=w.customer_owner, scores=PETER)  # 3.05
    evaluation_close(idea=first, actor=w.customer_owner, version=first.version)
    second = under_evaluation(w, title="Andra")
    evaluation_score(idea=second, actor=w.customer_owner, scores=KAREN)  # 3.85
    evaluation_close(idea=second, actor=w.customer_owner, version=second.version)
    third = under_evaluation(w, title="Tredje")
    evaluation_score(idea=third, actor=w.customer_owner, scores=KAREN)  # open: hidden
    ranked = ideas_ranked(w.agreement.pk)
    assert [(r.idea.title, r.score, r.evaluators) for r in ranked] == [
        ("Andra", Decimal("3.85"), 1),
        ("Först", Decimal("3.05"), 1),
        ("Tredje", None, 1),
    ]


def test_the_page_hides_scores_until_the_close_and_then_shows_them(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = under_evaluation(w)
    url = reverse("innovation:idea", args=[w.agreement.pk, idea.number])
    karin = client_for(w.customer_owner)
    response = karin.post(
        reverse("innovation:idea_score", args=[w.agreement.pk, idea.number]),
        {f"score-{key}": str(value) for key, value in KAREN.items()},
    )
    assert response.status_code == 302
    peter_page = client_for(w.supplier_owner).get(url).content.decode()
    assert 'id="evaluation-progress"' in peter_page
    assert "3,85" not in peter_page and "evaluation-table" not in peter_page
    assert 'id="score-form"' in peter_page
    viewer_page = client_for(w.supplier_viewer).get(url).content.decode()
    assert 'id="score-form"' not in viewer_page and 'id="evaluators-form"' not in viewer_page
    response = karin.post(
        reverse("innovation:idea_evaluation_close", args=[w.agreement.pk, idea.number]),
        {"version": Idea.objects.get(pk=idea.pk).version},
    )
    assert response.status_code == 302
    viewer_page = client_for(w.supplier_viewer).get(url).content.decode()
    assert "evaluation-table" in viewer_page and "3,85" in viewer_page  # Swedish decimals


def test_the_page_refuses_a_person_not_chosen(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = propose(w)
    idea = move(idea, w.supplier_owner, "evaluation")
    response = client_for(w.customer_owner).post(
        reverse("innovation:idea_score", args=[w.agreement.pk, idea.number]),
        {f"score-{key}": str(value) for key, value in KAREN.items()},
    )
    assert response.status_code == 403


def test_the_api_hides_scores_until_the_close(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = propose(w)
    idea = move(idea, w.supplier_owner, "evaluation")
    base = reverse("api:innovation_idea_evaluation", args=[w.agreement.pk, idea.number])
    karin, peter = client_for(w.customer_owner), client_for(w.supplier_owner)
    chosen = karin.put(
        base + "/evaluators",
        {"evaluators": [w.customer_owner.email, w.supplier_owner.email], "version": idea.version},
        content_type="application/json",
    )
    assert chosen.status_code == 200, chosen.content
    scored = karin.put(base + "/scores", {"scores": KAREN}, content_type="application/json")
    assert scored.status_code == 200 and scored.json()["criteria"][0]["own"] == 5
    seen = peter.get(base).json()
    assert seen["scored"] == 1 and seen["weighted_score"] is None
    assert all(e["scores"] == {} for e in seen["evaluators"])
    assert (
        peter.put(base + "/scores", {"scores": PETER}, content_type="application/json").status_code
        == 200
    )
    viewer = client_for(w.supplier_viewer)
    assert (
        viewer.put(base + "/scores", {"scores": PETER}, content_type="application/json").status_code
        == 403
    )
    closed = peter.post(
        base + "/close", {"version": seen["version"]}, content_type="application/json"
    )
    assert closed.status_code == 200, closed.content
    seen = viewer.get(base).json()
    assert (seen["weighted_score"], seen["spread"]) == ("3.45", "0.80")

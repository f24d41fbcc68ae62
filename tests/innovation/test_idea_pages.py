"""The ideas pages as people use them: the list with every filter, the new-idea form, the
idea page's buttons (only the allowed ones), a refused decision, a referral; the list's
query count does not grow with the ideas; and the API (201, 400, 409, 403, refer)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.innovation.models import Goal, Idea, IdeaStep
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

pytestmark = pytest.mark.django_db


def _url(w: World, name: str, idea: Idea | None = None) -> str:
    args = [w.agreement.pk] + ([idea.number] if idea else [])
    return reverse(f"innovation:{name}", args=args)


def test_the_list_filters_by_area_side_stage_and_text(idea_world: World, client_for: Any) -> None:
    w = idea_world
    a = propose(w, title="Automatisera prisändringar", area="processes")
    b = propose(w, actor=w.customer_owner, title="Mentorprogram för förvaltare", area="employees")
    move(b, w.customer_owner, "evaluation")
    client = client_for(w.supplier_viewer)

    def titles(**query: str) -> list[str]:
        page = client.get(_url(w, "ideas"), query)
        assert page.status_code == 200
        return [i for i in (a.title, b.title) if i in page.content.decode()]

    assert titles() == [a.title, b.title]
    assert titles(area="employees") == [b.title]
    assert titles(side="supplier") == [a.title]
    assert titles(stage="evaluation") == [b.title]
    assert titles(text="AUTOMATISERA") == [a.title]
    page = client.get(_url(w, "ideas"), {"text": "inget sådant"})
    assert 'id="no-ideas"' in page.content.decode()
    assert 'id="new-idea"' not in page.content.decode()  # a viewer proposes nothing


def test_the_lists_query_count_is_the_same_for_5_and_50_ideas(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    goals = list(Goal.objects.filter(agreement=w.agreement))
    client = client_for(w.customer_owner)

    def count(n: int) -> int:
        while Idea.objects.filter(agreement=w.agreement).count() < n:
            propose(w, goals=goals)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(w, "ideas")).status_code == 200
        return len(queries)

    assert count(5) == count(50)


def test_an_editor_proposes_an_idea_with_every_field(idea_world: World, client_for: Any) -> None:
    w = idea_world
    goal = Goal.objects.filter(agreement=w.agreement).first()
    assert goal is not None
    client = client_for(w.supplier_owner)
    form = client.get(_url(w, "idea_new"))
    assert form.status_code == 200 and 'name="goals"' in form.content.decode()
    response = client.post(
        _url(w, "idea_new"),
        {
            "title": "Självservice för behörigheter",
            "area": "infrastructure",
            "problem": "Behörigheter beställs via e-post.",
            "proposal": "Ett formulär i portalen.",
            "effect": "30",
            "effect_unit": "other",
            "effect_unit_other": "ärenden per vecka",
            "baseline": "45",
            "effort_days": "8.5",
            "cost": "120 000",
            "goals": [goal.pk],
        },
    )
    idea = Idea.objects.get(agreement=w.agreement)
    assert response.status_code == 302
    assert response["Location"] == _url(w, "idea", idea)
    assert (idea.side, idea.cost, idea.unit_label, str(idea.effort_days)) == (
        "supplier",
        120000,
        "ärenden per vecka",
        "8.5",
    )
    assert list(idea.goals.all()) == [goal]


def test_a_new_idea_with_problems_is_shown_again_with_them(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    response = client_for(w.customer_owner).post(
        _url(w, "idea_new"),
        {
            "title": "X",
            "area": "processes",
            "problem": "P",
            "proposal": "Q",
            "cost": "1",
            "effect": "5",
        },
    )
    assert response.status_code == 200
    assert "Välj den enhet effekten mäts i." in response.content.decode()
    assert not Idea.objects.exists()


def test_the_idea_page_offers_only_the_allowed_steps(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = propose(w)
    supplier = client_for(w.supplier_owner)
    text = supplier.get(_url(w, "idea", idea)).content.decode()
    assert 'data-to="evaluation"' in text and 'id="decision-form"' not in text
    response = supplier.post(
        _url(w, "idea_transition", idea), {"to": "evaluation", "version": idea.version}
    )
    assert response.status_code == 302
    text = supplier.get(_url(w, "idea", idea)).content.decode()
    assert 'id="decision-form"' not in text and 'id="decision-elsewhere"' in text
    customer = client_for(w.customer_owner)
    text = customer.get(_url(w, "idea", idea)).content.decode()
    for value in ("approved", "rejected", "parked"):
        assert f'value="{value}"' in text
    viewer = client_for(w.supplier_viewer).get(_url(w, "idea", idea)).content.decode()
    assert 'id="next-steps"' not in viewer
    assert "Under utvärdering" in viewer  # its history


def test_a_decision_without_reason_is_refused_on_the_page(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    idea.refresh_from_db()
    client = client_for(w.customer_owner)
    url = _url(w, "idea_transition", idea)
    refused = client.post(url, {"to": "rejected", "reason": "", "version": idea.version})
    assert refused.status_code == 200
    assert "Ange skälet till beslutet" in refused.content.decode()
    stale = client.post(url, {"to": "rejected", "reason": "Nej.", "version": 1})
    assert "Någon annan ändrade detta" in stale.content.decode()
    done = client.post(url, {"to": "rejected", "reason": "Nej.", "version": idea.version})
    assert done.status_code == 302
    idea.refresh_from_db()
    assert idea.stage == "rejected"
    # a supplier editor posting a decision by hand is refused
    other = propose(w)
    move(other, w.supplier_owner, "evaluation")
    other.refresh_from_db()
    response = client_for(w.supplier_owner).post(
        _url(w, "idea_transition", other),
        {"to": "approved", "reason": "Ja.", "version": other.version},
    )
    assert response.status_code == 403


def test_above_the_mandate_the_page_names_the_limit_and_refers_in_one_step(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w, cost=400000)
    move(idea, w.supplier_owner, "evaluation")
    idea.refresh_from_db()
    client = client_for(w.customer_owner)
    text = client.get(_url(w, "idea", idea)).content.decode()
    assert 'id="mandate-problem"' in text
    assert "250\xa0000\xa0kr" in text and "Styrgrupp" in text
    assert 'value="approved"' not in text  # approval is not offered
    refused = client.post(
        _url(w, "idea_transition", idea),
        {"to": "approved", "reason": "Ja.", "version": idea.version},
    )
    assert 'id="refusal"' in refused.content.decode()
    response = client.post(_url(w, "idea_refer", idea), {"version": idea.version})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.deciding_forum is not None and idea.deciding_forum.name == "Styrgrupp"
    text = client.get(_url(w, "idea", idea)).content.decode()
    assert 'value="approved"' in text and "Styrgrupp" in text
    assert IdeaStep.objects.filter(idea=idea, referred=True).count() == 1


# API ------------------------------------------------------------------------------------


def _api(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_api_creates_lists_moves_and_refers_ideas(idea_world: World, client_for: Any) -> None:
    w = idea_world
    supplier, customer = client_for(w.supplier_owner), client_for(w.customer_owner)
    ideas = reverse("api:innovation_ideas", args=[w.agreement.pk])
    goal = Goal.objects.filter(agreement=w.agreement).first()
    assert goal is not None
    body = {
        "title": "Automatisera prisändringar",
        "area": "processes",
        "problem": "För hand.",
        "proposal": "Ett flöde.",
        "effect": 40,
        "effect_unit": "hours_per_month",
        "baseline": 60,
        "effort_days": 12.5,
        "cost": 400000,
        "goals": [goal.key],
    }
    created = _api(supplier, ideas, body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["number"], out["side"], out["stage"], out["goals"]) == (
        1,
        "supplier",
        "proposed",
        [goal.key],
    )
    assert _api(supplier, ideas, {**body, "goals": ["nope"]}).status_code == 400
    assert _api(supplier, ideas, {**body, "area": "marketing"}).status_code == 422
    listed = client_for(w.supplier_viewer).get(ideas, {"stage": "proposed", "text": "pris"})
    assert [i["number"] for i in listed.json()] == [1]
    assert listed.json()[0]["next_stages"] == []  # a viewer moves nothing

    moves = reverse("api:innovation_idea_transition", args=[w.agreement.pk, 1])
    skipped = _api(supplier, moves, {"to": "implemented", "version": 1})
    assert skipped.status_code == 400
    assert "”Under utvärdering”" in skipped.json()["detail"]
    assert _api(supplier, moves, {"to": "evaluation", "version": 1}).status_code == 200
    assert _api(supplier, moves, {"to": "evaluation", "version": 1}).status_code == 409
    no_reason = _api(customer, moves, {"to": "parked", "version": 2})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["path"] == "reason"
    assert _api(supplier, moves, {"to": "approved", "reason": "Ja", "version": 2}).status_code == (
        403
    )
    above = _api(customer, moves, {"to": "approved", "reason": "Ja", "version": 2})
    assert above.status_code == 400 and "250\xa0000\xa0kr" in above.json()["detail"]
    refer = reverse("api:innovation_idea_refer", args=[w.agreement.pk, 1])
    referred = _api(supplier, refer, {"version": 2})
    assert referred.status_code == 200 and referred.json()["deciding_forum"] == "steering-group"
    approved = _api(
        customer, moves, {"to": "approved", "reason": "Styrgruppen sa ja", "version": 3}
    )
    assert approved.status_code == 200
    one = customer.get(reverse("api:innovation_idea", args=[w.agreement.pk, 1])).json()
    assert [s["to_stage"] for s in one["steps"]] == ["evaluation", "evaluation", "approved"]
    assert one["steps"][2]["forum"] == "steering-group"
    assert one["next_stages"] == ["implementation"]

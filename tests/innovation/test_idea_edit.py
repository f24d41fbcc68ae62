"""Editing an idea after it is proposed: editors of either side change what it says while
it is proposed, under evaluation or parked, checked as a new idea is; refused once decided,
on a stale version and to outsiders; the new cost counts in the mandate check at once; the
history tells each changed field (the cost as money); the page (prefilled, saved, cancelled,
stale with the input kept) and the API's PUT (200, 400, 409, 403, 404)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from samverkan.agreements.access import agreement_for
from samverkan.agreements.history import HistoryFilter, history_all
from samverkan.core.audit import audit_action
from samverkan.core.errors import StaleEditError
from samverkan.innovation.idea_services import approval_check, idea_edit
from samverkan.innovation.models import Goal, Idea
from samverkan.innovation.selectors import framework_of
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {
    "title": "Automatisera prisändringar i portalen",
    "area": "infrastructure",
    "problem": "Prisändringar görs för hand och tar tio arbetsdagar.",
    "proposal": "Ett flöde som läser prislistan och publicerar den.",
    "effect": "55",
    "effect_unit": "other",
    "effect_unit_other": "timmar per kvartal",
    "baseline": "80",
    "effort_days": "20",
    "cost": 300000,
}


def edit(idea: Idea, actor: Any, **changes: Any) -> Idea:
    idea.refresh_from_db()
    fields = {**FIELDS, "goals": list(idea.goals.all()), **changes}
    fields.setdefault("version", idea.version)
    return idea_edit(idea=idea, actor=actor, **fields)


def _url(w: World, name: str, idea: Idea) -> str:
    return reverse(f"innovation:{name}", args=[w.agreement.pk, idea.number])


# The service --------------------------------------------------------------------------------


def test_an_editor_of_either_side_changes_every_field_and_the_version_moves_on(
    idea_world: World,
) -> None:
    w = idea_world
    first, second = Goal.objects.filter(agreement=w.agreement).order_by("position")
    idea = propose(w, goals=[first])
    version = idea.version
    edited = edit(idea, w.customer_owner, goals=[second])  # the other side's editor
    edited.refresh_from_db()
    assert edited.version == version + 1
    assert (edited.title, edited.area, edited.cost) == (
        "Automatisera prisändringar i portalen",
        "infrastructure",
        300000,
    )
    assert (str(edited.effect), edited.unit_label, str(edited.baseline)) == (
        "55.00",
        "timmar per kvartal",
        "80.00",
    )
    assert str(edited.effort_days) == "20.0"
    assert list(edited.goals.all()) == [second]
    # Who proposed it, for which side, and where it is stay.
    assert (edited.proposer, edited.side, edited.stage) == (
        w.supplier_owner,
        "supplier",
        "proposed",
    )


def test_an_edit_is_checked_as_a_new_idea_is(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    foreign = Goal.objects.create(
        framework=w.agreement.innovation_framework,  # type: ignore[attr-defined]
        agreement=w.agreement,
        key="x",
        what="x",
        baseline=1,
        target=2,
        unit="st",
        due="2027-01-01",
    )
    Goal.objects.filter(pk=foreign.pk).update(agreement=w.other_agreement)
    foreign.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        edit(
            idea,
            w.supplier_owner,
            title=" ",
            area="marketing",
            cost=-5,
            effect="12",
            effect_unit="",
            goals=[foreign],
        )
    assert caught.value.message_dict == {
        "title": ["This field is required."],
        "area": ["Choose one of the four areas."],
        "cost": ["Enter the estimated cost as a whole amount in SEK."],
        "effect_unit": ["Choose the unit the effect is measured in."],
        "goals": ["Choose goals of this agreement's innovation framework."],
    }
    idea.refresh_from_db()
    assert idea.title == "Automatisera prisändringar" and idea.version == 1


def test_a_stale_edit_is_refused_and_changes_nothing(idea_world: World) -> None:
    w = idea_world
    idea = propose(w)
    edit(idea, w.supplier_owner, title="Första ändringen")
    with pytest.raises(StaleEditError):
        edit(idea, w.customer_owner, title="Den andra", version=1)
    idea.refresh_from_db()
    assert idea.title == "Första ändringen"


def test_a_decided_idea_is_no_longer_edited_but_one_under_evaluation_or_parked_is(
    idea_world: World,
) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    edit(idea, w.supplier_owner, title="Under utvärdering")
    move(idea, w.customer_owner, "parked", "Vänta på budgeten.")
    edit(idea, w.supplier_owner, title="Parkerad", cost=100000)
    move(idea, w.customer_owner, "evaluation")
    move(idea, w.customer_owner, "approved", "Ja.")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        edit(idea, w.supplier_owner, title="Efter beslutet")
    assert caught.value.messages == [
        "An idea that is “Approved” is no longer edited: the decision was taken on what it "
        "said then. Propose a new idea if the scope has changed."
    ]
    rejected = propose(w)
    move(rejected, w.supplier_owner, "evaluation")
    move(rejected, w.customer_owner, "rejected", "Nej.")
    with pytest.raises(ValidationError):
        edit(rejected, w.customer_owner)


def test_only_participants_edit(idea_world: World) -> None:
    w = idea_world
    with pytest.raises(PermissionDenied):
        edit(propose(w), w.other_supplier_user)


def test_a_new_cost_counts_in_the_mandate_check_at_once(idea_world: World) -> None:
    w = idea_world
    idea = propose(w, cost=200000)
    move(idea, w.supplier_owner, "evaluation")
    framework = framework_of(w.agreement)
    idea.refresh_from_db()
    assert approval_check(idea, framework).problem is None  # the council: up to 250 000
    edit(idea, w.supplier_owner, cost=400000)
    idea.refresh_from_db()
    with translation.override("sv"):
        check = approval_check(idea, framework)
    assert check.problem is not None and "250\xa0000\xa0kr" in check.problem
    assert check.refer_to is not None and check.refer_to.name == "Styrgrupp"


def test_the_history_tells_each_changed_field_the_cost_as_money(idea_world: World) -> None:
    w = idea_world
    idea = propose(w, cost=100000, title="Automatisera prisändringar")
    with audit_action(actor=w.customer_owner):
        edit(
            idea,
            w.customer_owner,
            **{
                **{
                    field: getattr(idea, field)
                    for field in FIELDS
                    if field not in ("effect", "baseline", "effort_days")
                },
                "effect": "40",
                "baseline": "60",
                "effort_days": "12.5",
                "cost": 150000,
            },
        )
    with audit_action(actor=w.supplier_owner):
        edit(idea, w.supplier_owner, **{**FIELDS, "title": "Automatisera prisändringar"})
    access = agreement_for(w.customer_owner, w.agreement.pk)
    with translation.override("sv"):
        entries = list(history_all(access=access, filters=HistoryFilter()))
    assert entries[1].summary == (
        "Karin Lindqvist ändrade beräknad kostnad för idén ”Automatisera prisändringar” "
        "från 100\xa0000\xa0kr till 150\xa0000\xa0kr"
    )
    assert entries[0].summary.startswith("Peter Nyström ändrade ")
    details = "\n".join(entries[0].details)
    assert "Beräknad kostnad: från 150\xa0000\xa0kr till 300\xa0000\xa0kr" in details
    assert "Förväntad effekt: från 40 till 55" in details  # figures as typed, not 40,00
    assert "Beräknad insats (persondagar): från 12,5 till 20" in details


# The page -----------------------------------------------------------------------------------


def test_the_edit_form_is_filled_in_as_the_idea_reads(idea_world: World, client_for: Any) -> None:
    w = idea_world
    goal = Goal.objects.filter(agreement=w.agreement).first()
    idea = propose(w, goals=[goal], cost=120000)
    page = client_for(w.customer_owner).get(_url(w, "idea_edit", idea))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="Automatisera prisändringar"' in text
    assert 'name="effect" value="40"' in text and 'name="effort_days" value="12.5"' in text
    assert 'name="version" value="1"' in text
    assert f'value="{goal.pk}" class="form-check-input" id="id_goals_0" checked' in text  # type: ignore[union-attr]
    assert f'href="{_url(w, "idea", idea)}" id="edit-cancel"' in text


def test_saving_the_form_changes_the_idea_and_returns_to_it(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    client = client_for(w.supplier_owner)
    assert 'id="edit-idea"' in client.get(_url(w, "idea", idea)).content.decode()
    response = client.post(
        _url(w, "idea_edit", idea), {**FIELDS, "cost": "300 000", "version": idea.version}
    )
    assert response.status_code == 302 and response["Location"] == _url(w, "idea", idea)
    idea.refresh_from_db()
    assert (idea.title, idea.cost, idea.version) == (FIELDS["title"], 300000, 2)
    assert "Idén har sparats." in client.get(_url(w, "idea", idea)).content.decode()


def test_a_stale_form_is_shown_again_with_the_input_kept(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    edit(idea, w.customer_owner, title="Kundens ändring")
    response = client_for(w.supplier_owner).post(
        _url(w, "idea_edit", idea), {**FIELDS, "title": "Min ändring", "version": 1}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Någon annan ändrade detta medan du redigerade" in text
    assert 'value="Min ändring"' in text
    idea.refresh_from_db()
    assert idea.title == "Kundens ändring"


def test_an_invalid_form_is_shown_again_with_its_problems(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    response = client_for(w.supplier_owner).post(
        _url(w, "idea_edit", idea),
        {**FIELDS, "effect_unit": "", "version": idea.version},
    )
    assert response.status_code == 200
    assert "Välj den enhet effekten mäts i." in response.content.decode()


def test_a_decided_idea_has_no_edit_button_and_its_form_says_why(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = propose(w)
    move(idea, w.supplier_owner, "evaluation")
    move(idea, w.customer_owner, "approved", "Ja.")
    client = client_for(w.customer_owner)
    assert 'id="edit-idea"' not in client.get(_url(w, "idea", idea)).content.decode()
    page = client.get(_url(w, "idea_edit", idea)).content.decode()
    assert 'id="not-editable"' in page and 'id="idea-form"' not in page
    idea.refresh_from_db()
    refused = client.post(_url(w, "idea_edit", idea), {**FIELDS, "version": idea.version})
    assert refused.status_code == 200 and "inte längre" in refused.content.decode()


def test_viewers_and_outsiders_do_not_edit(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = propose(w)
    viewer = client_for(w.supplier_viewer)
    assert 'id="edit-idea"' not in viewer.get(_url(w, "idea", idea)).content.decode()
    assert viewer.get(_url(w, "idea_edit", idea)).status_code == 403
    assert viewer.post(_url(w, "idea_edit", idea), {**FIELDS, "version": 1}).status_code == 403
    outsider = client_for(w.other_supplier_user)
    assert outsider.get(_url(w, "idea_edit", idea)).status_code == 404
    idea.refresh_from_db()
    assert idea.version == 1


# The API ------------------------------------------------------------------------------------


def _put(client: Any, w: World, idea: Idea, body: dict[str, Any]) -> Any:
    url = f"/api/v1/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}"
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_the_api_replaces_what_the_idea_says(idea_world: World, client_for: Any) -> None:
    w = idea_world
    goal = Goal.objects.filter(agreement=w.agreement).first()
    assert goal is not None
    idea = propose(w)
    client = client_for(w.customer_owner)
    body = {**FIELDS, "effect": 55, "baseline": 80, "effort_days": 20, "goals": [goal.key]}
    response = _put(client, w, idea, {**body, "version": 1})
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["title"], out["cost"], out["effect"], out["goals"], out["version"]) == (
        FIELDS["title"],
        300000,
        "55",
        [goal.key],
        2,
    )
    assert (out["side"], out["proposer"], out["stage"]) == (
        "supplier",
        w.supplier_owner.email,
        "proposed",
    )
    stale = _put(client, w, idea, {**body, "version": 1})
    assert stale.status_code == 409
    unknown = _put(client, w, idea, {**body, "goals": ["nope"], "version": 2})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["path"] == "goals"
    bad = _put(client, w, idea, {**body, "effect_unit": None, "version": 2})
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "effect_unit"
    assert _put(client_for(w.supplier_viewer), w, idea, {**body, "version": 2}).status_code == 403
    assert (
        _put(client_for(w.other_supplier_user), w, idea, {**body, "version": 2}).status_code == 404
    )
    move(idea, w.supplier_owner, "evaluation")
    move(idea, w.customer_owner, "rejected", "Nej.")
    idea.refresh_from_db()
    decided = _put(client, w, idea, {**body, "version": idea.version})
    assert decided.status_code == 400
    assert (
        client.get(
            f"/api/v1/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}"
        ).status_code
        == 200
    )

"""People impact of approved ideas (Medarbetare) as people use it: affected groups and
expected resistance with its reason, engagement actions with owners and dates (added,
changed, marked done, removed), recorded from approval on by editors of either side,
refused on a stale version; the warning for high resistance without any engagement
action on the idea's page, the board and the overview (queries that do not grow); the
API; the history telling every change."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.agreements.access import agreement_for
from samverkan.agreements.history import HistoryFilter, history_all
from samverkan.core.audit import audit_action
from samverkan.core.errors import StaleEditError
from samverkan.innovation import people_services
from samverkan.innovation.models import EngagementAction, Idea, PeopleImpact
from samverkan.innovation.people_services import (
    engagement_action_add,
    engagement_action_mark,
    engagement_action_remove,
    engagement_action_update,
    ideas_needing_engagement,
    people_impact_replace,
    people_impact_save,
    people_of,
    with_people_warning,
)
from samverkan.lib import limits
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 15)
GROUPS = "Skadehandläggarna i fyra grupper, omkring 120 personer."
REASON = "Handläggarna har inte fått vara med i tidigare förändringar."


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def approved(w: World, title: str = "Handläggarråd före release", **fields: Any) -> Idea:
    idea = propose(w, actor=w.customer_owner, title=title, area="employees", **fields)
    move(idea, w.customer_owner, "evaluation")
    move(idea, w.customer_owner, "approved", "Handläggarnas engagemang avgör effekten.")
    idea.refresh_from_db()
    return idea


def impact(w: World, idea: Idea, resistance: str = "high", actor: Any = None) -> PeopleImpact:
    return people_impact_save(
        idea=idea,
        actor=actor or w.customer_owner,
        affected_groups=GROUPS,
        resistance=resistance,
        resistance_reason=REASON,
        version=people_of(idea).version,
    )


def add(w: World, idea: Idea, text: str = "Workshop med gruppcheferna", **fields: Any) -> Any:
    values: dict[str, Any] = {
        "owner": w.customer_owner,
        "due": DAY,
        "actor": w.supplier_owner,
        "version": people_of(idea).version,
    }
    values.update(fields)
    return engagement_action_add(idea=idea, action=text, **values)


# Services -------------------------------------------------------------------------------------


def test_the_people_impact_is_recorded_from_approval_on(idea_world: World) -> None:
    w = idea_world
    early = propose(w)
    with pytest.raises(ValidationError) as caught:
        impact(w, early)
    assert caught.value.code == "not_approved" and "Proposed" in caught.value.messages[0]
    idea = approved(w)
    recorded = impact(w, idea, actor=w.supplier_owner)  # editors of either side
    assert (recorded.resistance, recorded.version, recorded.affected_groups) == ("high", 1, GROUPS)
    for stage in ("implementation", "implemented"):
        move(idea, w.supplier_owner, stage)
        assert impact(w, idea, "low").version > 1  # and on, through the pipeline


def test_every_problem_of_the_people_impact_is_named_at_once(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    with pytest.raises(ValidationError) as caught:
        people_impact_save(
            idea=idea,
            actor=w.customer_owner,
            affected_groups="  ",
            resistance="huge",
            resistance_reason="",
            version=0,
        )
    assert set(caught.value.message_dict) == {"affected_groups", "resistance"}
    with pytest.raises(ValidationError) as caught:
        people_impact_save(
            idea=idea,
            actor=w.customer_owner,
            affected_groups=GROUPS,
            resistance="medium",
            resistance_reason="",
            version=0,
        )
    assert caught.value.message_dict == {
        "resistance_reason": ["Say why you expect this resistance."]
    }
    low = people_impact_save(
        idea=idea, actor=w.customer_owner, affected_groups=GROUPS, resistance="low", version=0
    )
    assert low.resistance_reason == ""  # low resistance needs no reason
    with pytest.raises(ValidationError) as caught:
        people_impact_save(
            idea=idea,
            actor=w.customer_owner,
            affected_groups="x" * (limits.TEXT_MAX + 1),
            resistance="low",
            version=1,
        )
    assert "affected_groups" in caught.value.message_dict


def test_viewers_and_outsiders_change_nothing(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    for person in (w.supplier_viewer, w.other_supplier_user):
        with pytest.raises(PermissionDenied):
            impact(w, idea, actor=person)
    assert not PeopleImpact.objects.exists()


def test_a_stale_version_is_refused_for_the_impact_and_every_action(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    impact(w, idea)
    with pytest.raises(StaleEditError):  # someone recorded it first
        people_impact_save(
            idea=idea, actor=w.customer_owner, affected_groups=GROUPS, resistance="low", version=0
        )
    action = add(w, idea)
    seen = people_of(idea).version
    add(w, idea, "Pilotgrupp")  # someone else changes it meanwhile
    calls = [
        lambda: engagement_action_update(
            idea=idea,
            actor=w.customer_owner,
            action_id=action.pk,
            action="Ny text",
            owner=w.customer_owner,
            due=DAY,
            version=seen,
        ),
        lambda: engagement_action_mark(
            idea=idea, actor=w.customer_owner, action_id=action.pk, done=True, version=seen
        ),
        lambda: engagement_action_remove(
            idea=idea, actor=w.customer_owner, action_id=action.pk, version=seen
        ),
        lambda: add(w, idea, "Tredje", version=seen),
    ]
    for call in calls:
        with pytest.raises(StaleEditError):
            call()
    action.refresh_from_db()
    assert (action.action, action.done) == ("Workshop med gruppcheferna", False)
    assert EngagementAction.objects.filter(idea=idea).count() == 2


def test_engagement_actions_are_added_changed_marked_and_removed(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    with pytest.raises(ValidationError) as caught:  # the impact comes first
        add(w, idea)
    assert caught.value.code == "no_impact"
    impact(w, idea)
    first = add(w, idea, owner=w.supplier_viewer)  # a viewer may own an action
    second = add(w, idea, "Pilotgrupp med fem handläggare")
    assert [a.action for a in people_of(idea).actions] == [first.action, second.action]
    with pytest.raises(ValidationError) as caught:
        add(w, idea, "", owner=w.other_supplier_user, due=None)
    assert set(caught.value.message_dict) == {"action", "owner", "due"}
    assert "take part in the agreement" in caught.value.message_dict["owner"][0]
    changed = engagement_action_update(
        idea=idea,
        actor=w.customer_owner,
        action_id=first.pk,
        action="Workshop med gruppcheferna och skyddsombuden",
        owner=w.supplier_owner,
        due=DAY + datetime.timedelta(days=7),
        version=people_of(idea).version,
    )
    assert (changed.owner, changed.due) == (w.supplier_owner, datetime.date(2027, 3, 22))
    done = engagement_action_mark(
        idea=idea,
        actor=w.supplier_owner,
        action_id=first.pk,
        done=True,
        version=people_of(idea).version,
    )
    assert done.done
    engagement_action_remove(
        idea=idea, actor=w.customer_owner, action_id=second.pk, version=people_of(idea).version
    )
    assert [a.pk for a in people_of(idea).actions] == [first.pk]
    # Another idea's action is not this idea's.
    other = approved(w, "Mentorprogram")
    impact(w, other)
    with pytest.raises(ValidationError) as caught:
        engagement_action_remove(
            idea=other, actor=w.customer_owner, action_id=first.pk, version=people_of(other).version
        )
    assert caught.value.code == "no_action"


def test_an_idea_has_at_most_the_limit_of_engagement_actions(
    idea_world: World, monkeypatch: Any
) -> None:
    w = idea_world
    monkeypatch.setattr(limits, "ENGAGEMENT_ACTIONS_MAX", 2)
    idea = approved(w)
    impact(w, idea)
    add(w, idea, "Ett")
    add(w, idea, "Två")
    with pytest.raises(ValidationError) as caught:
        add(w, idea, "Tre")
    assert caught.value.message_dict["action"] == ["An idea has at most 2 engagement actions."]


def test_replacing_keeps_changes_adds_and_removes_actions_in_order(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    impact(w, idea)
    kept, dropped = add(w, idea, "Behålls"), add(w, idea, "Tas bort")
    replaced = people_impact_replace(
        idea=idea,
        actor=w.supplier_owner,
        affected_groups="Kundtjänst",
        resistance="medium",
        resistance_reason="Nya arbetssätt.",
        actions=[
            {"action": "Ny först", "owner": w.supplier_owner, "due": DAY, "done": False},
            {
                "id": kept.pk,
                "action": "Behålls",
                "owner": w.customer_owner,
                "due": DAY,
                "done": True,
            },
        ],
        version=people_of(idea).version,
    )
    assert (replaced.resistance, replaced.affected_groups) == ("medium", "Kundtjänst")
    rows = people_of(idea).actions
    assert [(a.action, a.done) for a in rows] == [("Ny först", False), ("Behålls", True)]
    assert rows[1].pk == kept.pk and not EngagementAction.objects.filter(pk=dropped.pk).exists()
    with pytest.raises(ValidationError) as caught:
        people_impact_replace(
            idea=idea,
            actor=w.supplier_owner,
            affected_groups="Kundtjänst",
            resistance="high",
            resistance_reason="",
            actions=[
                {"id": dropped.pk, "action": "X", "owner": w.customer_owner, "due": DAY},
                {"action": "Y", "owner": w.other_supplier_user, "due": "imorgon"},
            ],
            version=people_of(idea).version,
        )
    assert set(caught.value.message_dict) == {
        "resistance_reason",
        "actions[0].id",
        "actions[1].owner",
        "actions[1].due",
    }


# The warning --------------------------------------------------------------------------------


def test_the_warning_is_high_resistance_without_any_engagement_action(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    assert not people_of(idea).warning  # nothing recorded yet
    impact(w, idea, "medium")
    assert not people_of(idea).warning
    impact(w, idea, "high")
    assert people_of(idea).warning
    assert ideas_needing_engagement(w.agreement.pk) == [
        people_services.IdeaRef(idea.number, idea.title)
    ]
    action = add(w, idea)
    engagement_action_mark(
        idea=idea, actor=w.customer_owner, action_id=action.pk, done=True, version=3
    )
    assert not people_of(idea).warning  # an action done still engaged the people
    assert ideas_needing_engagement(w.agreement.pk) == []
    flags = dict(
        with_people_warning(Idea.objects.filter(agreement=w.agreement)).values_list(
            "number", "people_warning"
        )
    )
    assert flags == {idea.number: False}


# Pages ------------------------------------------------------------------------------------------


def _page(w: World, idea: Idea) -> str:
    return reverse("innovation:idea", args=[w.agreement.pk, idea.number])


def _url(w: World, idea: Idea, name: str, *more: int) -> str:
    return reverse(f"innovation:{name}", args=[w.agreement.pk, idea.number, *more])


def test_the_idea_page_shows_the_section_to_each_persona(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    early = propose(w, title="Tidig idé")
    text = client_for(w.customer_owner).get(_page(w, early)).content.decode()
    assert 'id="people-later"' in text and 'id="people-form"' not in text
    idea = approved(w)
    text = client_for(w.customer_owner).get(_page(w, idea)).content.decode()
    assert 'id="people-form"' in text and 'id="people-warning"' not in text
    assert " open>" in text.split('id="people-edit"')[1][:20]  # nothing yet: the form is open
    impact(w, idea)
    for person in (w.customer_owner, w.supplier_owner, w.supplier_viewer):
        text = client_for(person).get(_page(w, idea)).content.decode()
        assert 'id="people-warning"' in text and GROUPS in text and REASON in text
    viewer = client_for(w.supplier_viewer).get(_page(w, idea)).content.decode()
    assert 'id="people-form"' not in viewer and "/people/" not in viewer
    assert client_for(w.other_supplier_user).get(_page(w, idea)).status_code == 404


def test_the_section_saves_and_shows_a_refusal_with_the_input_kept(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    idea = approved(w)
    client = client_for(w.supplier_owner)
    url = _url(w, idea, "idea_people")
    refused = client.post(
        url,
        {
            "people-affected_groups": "Kundtjänst",
            "people-resistance": "high",
            "people-resistance_reason": "",
            "people-version": 0,
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 200 and "Kundtjänst" in text
    assert "Beskriv varför ni förväntar er det här motståndet." in text
    saved = client.post(
        url,
        {
            "people-affected_groups": GROUPS,
            "people-resistance": "high",
            "people-resistance_reason": REASON,
            "people-version": 0,
        },
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#people")
    # A second tab still holding version 0: refused, what was typed kept.
    stale = client.post(
        url,
        {
            "people-affected_groups": "Min egen text",
            "people-resistance": "low",
            "people-resistance_reason": "",
            "people-version": 0,
        },
    )
    text = stale.content.decode()
    assert stale.status_code == 200 and "Någon annan ändrade detta" in text
    assert "Min egen text" in text
    assert PeopleImpact.objects.get(idea=idea).resistance == "high"
    # Viewers post nothing; outsiders do not find it.
    assert client_for(w.supplier_viewer).post(url, {}).status_code == 403
    assert client_for(w.other_supplier_user).post(url, {}).status_code == 404


def test_the_action_forms_add_edit_mark_and_remove(idea_world: World, client_for: Any) -> None:
    w = idea_world
    idea = approved(w)
    impact(w, idea)
    client = client_for(w.customer_owner)
    added = client.post(
        _url(w, idea, "idea_people_action_add"),
        {
            "new-action": "Workshop med gruppcheferna",
            "new-owner": w.supplier_owner.pk,
            "new-due": "2027-03-15",
            "new-version": 1,
        },
    )
    assert added.status_code == 302 and added["Location"].endswith("#people-actions")
    action = EngagementAction.objects.get(idea=idea)
    assert (action.owner, action.due) == (w.supplier_owner, DAY)
    text = client.get(_page(w, idea)).content.decode()
    assert 'id="people-warning"' not in text and "Workshop med gruppcheferna" in text
    prefix = f"action-{action.pk}"
    edit = _url(w, idea, "idea_people_action_edit", action.pk)
    refused = client.post(
        edit,
        {
            f"{prefix}-action": "Workshop med alla",
            f"{prefix}-owner": w.other_supplier_user.pk,  # not a choice
            f"{prefix}-due": "15/3",
            f"{prefix}-version": 2,
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 200 and "Workshop med alla" in text
    assert f'id="{prefix}"' not in text or " open>" in text
    changed = client.post(
        edit,
        {
            f"{prefix}-action": "Workshop med alla",
            f"{prefix}-owner": w.customer_owner.pk,
            f"{prefix}-due": "2027-04-01",
            f"{prefix}-version": 2,
        },
    )
    assert changed.status_code == 302
    action.refresh_from_db()
    assert (action.action, action.owner, action.due) == (
        "Workshop med alla",
        w.customer_owner,
        datetime.date(2027, 4, 1),
    )
    mark = _url(w, idea, "idea_people_action_mark", action.pk)
    assert client.post(mark, {"version": 3, "done": "on"}).status_code == 302
    action.refresh_from_db()
    assert action.done
    # A button on a page someone else has changed since: refused, told so, shown anew.
    stale = client.post(mark, {"version": 3})
    assert stale.status_code == 200
    assert "Någon annan har ändrat påverkan på medarbetarna" in stale.content.decode()
    assert client.post(mark, {"version": 4}).status_code == 302
    action.refresh_from_db()
    assert not action.done
    remove = _url(w, idea, "idea_people_action_remove", action.pk)
    assert client_for(w.supplier_viewer).post(remove, {"version": 5}).status_code == 403
    assert client.post(remove, {"version": 5}).status_code == 302
    assert not EngagementAction.objects.exists()
    assert 'id="people-warning"' in client.get(_page(w, idea)).content.decode()


def test_the_history_tells_every_change_in_plain_words(idea_world: World) -> None:
    w = idea_world
    idea = approved(w)
    with audit_action(actor=w.customer_owner):
        impact(w, idea, "medium")
    with audit_action(actor=w.customer_owner):
        impact(w, idea, "high")
    with audit_action(actor=w.supplier_owner):
        action = add(w, idea)
    with audit_action(actor=w.supplier_owner):
        engagement_action_mark(
            idea=idea, actor=w.supplier_owner, action_id=action.pk, done=True, version=3
        )
    with audit_action(actor=w.customer_owner):
        engagement_action_remove(idea=idea, actor=w.customer_owner, action_id=action.pk, version=4)
    access = agreement_for(w.customer_owner, w.agreement.pk)
    summaries = [entry.summary for entry in history_all(access=access, filters=HistoryFilter())]
    title = idea.title
    assert summaries[:5] == [
        "Karin Lindqvist removed the engagement action “Workshop med gruppcheferna”",
        "Peter Nyström changed status of the engagement action “Workshop med gruppcheferna” "
        "from not done to done",
        "Peter Nyström added the engagement action “Workshop med gruppcheferna”",
        f"Karin Lindqvist changed expected resistance of the people impact of the idea “{title}” "
        "from medium to high",
        f"Karin Lindqvist recorded the people impact of the idea “{title}”",
    ]


# Board and overview --------------------------------------------------------------------------


def _flag_every_third(w: World, n: int) -> None:
    """Ideas up to ``n``; every third approved with high resistance and no action."""
    while Idea.objects.filter(agreement=w.agreement).count() < n:
        idea = propose(w)
        if idea.number % 3 == 0:
            Idea.objects.filter(pk=idea.pk).update(stage="approved")
            PeopleImpact.objects.create(
                idea=idea, agreement=w.agreement, affected_groups=GROUPS, resistance="high"
            )


def test_the_board_flags_the_cards_in_the_same_queries(idea_world: World, client_for: Any) -> None:
    w = idea_world
    client = client_for(w.supplier_viewer)
    url = reverse("innovation:board", args=[w.agreement.pk])

    def count(n: int) -> tuple[int, str]:
        _flag_every_third(w, n)
        with CaptureQueriesContext(connection) as queries:
            text = client.get(url).content.decode()
        return len(queries), text

    few, text = count(10)
    assert text.count("Högt motstånd, ingen åtgärd planerad") == 3
    many, text = count(60)
    assert text.count("Högt motstånd, ingen åtgärd planerad") == 20
    assert few == many
    assert f'href="{reverse("innovation:idea", args=[w.agreement.pk, 3])}#people"' in text


def test_the_overview_names_and_links_the_flagged_ideas_in_the_same_queries(
    idea_world: World, client_for: Any
) -> None:
    w = idea_world
    client = client_for(w.supplier_viewer)
    url = reverse("agreements:detail", args=[w.agreement.pk])
    assert 'id="innovation-engagement"' not in client.get(url).content.decode()
    _flag_every_third(w, 3)
    with CaptureQueriesContext(connection) as one:
        text = client.get(url).content.decode()
    assert "1 godkänd idé väntas möta högt motstånd" in text
    assert f'href="{reverse("innovation:idea", args=[w.agreement.pk, 3])}#people"' in text
    _flag_every_third(w, 24)
    with CaptureQueriesContext(connection) as eight:
        text = client.get(url).content.decode()
    assert "8 godkända idéer väntas möta högt motstånd" in text
    assert "och 3 till på tavlan" in text and text.count("#people") == 5
    assert len(one) == len(eight)


# API ----------------------------------------------------------------------------------------------


def _api(w: World, idea: Idea) -> str:
    return reverse("api:innovation_idea_people", args=[w.agreement.pk, idea.number])


def _put(client: Any, w: World, idea: Idea, body: dict[str, Any]) -> Any:
    return client.put(_api(w, idea), data=json.dumps(body), content_type="application/json")


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "affected_groups": GROUPS,
        "resistance": "high",
        "resistance_reason": REASON,
        "actions": [],
        "version": 0,
    }
    body.update(changes)
    return body


def test_the_api_reads_and_replaces_the_people_impact(idea_world: World, client_for: Any) -> None:
    w = idea_world
    early = propose(w, title="Tidig idé")
    client = client_for(w.supplier_owner)
    empty = client.get(_api(w, early)).json()
    assert (empty["recordable"], empty["recorded"], empty["version"]) == (False, False, 0)
    refused = _put(client, w, early, _body())
    assert refused.status_code == 400 and "godkänts" in refused.json()["detail"]
    idea = approved(w)
    flagged = _put(client, w, idea, _body())
    assert flagged.status_code == 200
    assert (flagged.json()["warning"], flagged.json()["version"]) == (True, 1)
    idea_url = reverse("api:innovation_idea", args=[w.agreement.pk, idea.number])
    assert client.get(idea_url).json()["people_warning"] is True
    listed = client.get(reverse("api:innovation_ideas", args=[w.agreement.pk])).json()
    assert {row["number"]: row["people_warning"] for row in listed} == {
        early.number: False,
        idea.number: True,
    }
    action = {"action": "Workshop", "owner": w.customer_owner.email.upper(), "due": "2027-03-15"}
    saved = _put(client, w, idea, _body(actions=[action], version=1))
    out = saved.json()
    assert saved.status_code == 200 and out["warning"] is False
    assert out["actions"][0] | {"id": 0} == {
        "id": 0,
        "action": "Workshop",
        "owner": w.customer_owner.email,
        "owner_name": "Karin Lindqvist",
        "due": "2027-03-15",
        "done": False,
    }
    assert client.get(idea_url).json()["people_warning"] is False
    stale = _put(client, w, idea, _body(version=1))
    assert stale.status_code == 409
    unknown = _put(
        client,
        w,
        idea,
        _body(actions=[{**action, "owner": w.other_supplier_user.email}], version=2),
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["path"] == "actions[0].owner"
    missing = _put(client, w, idea, _body(resistance_reason="", version=2))
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["path"] == "resistance_reason"
    assert _put(client_for(w.supplier_viewer), w, idea, _body(version=2)).status_code == 403
    assert client_for(w.other_supplier_user).get(_api(w, idea)).status_code == 404
    assert client_for(w.supplier_viewer).get(_api(w, idea)).json()["actions"][0]["action"] == (
        "Workshop"
    )


def test_the_openapi_document_has_the_people_endpoints(db: None, client: Any) -> None:
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    people = paths["/api/v1/agreements/{agreement_id}/innovation/ideas/{number}/people"]
    assert set(people) == {"get", "put"}


# Demo -----------------------------------------------------------------------------------------


def test_the_demo_shows_people_impact_and_exactly_one_warning(db: None) -> None:
    from samverkan.core import demo

    demo.load()
    counts = (PeopleImpact.objects.count(), EngagementAction.objects.count())
    flagged = [
        (agreement, ref.title)
        for agreement in ("DEMO-FRONTIER", "DEMO-ENHANCEMENT", "DEMO-UTILITY")
        for ref in ideas_needing_engagement(
            Idea.objects.filter(agreement__reference=agreement).values_list(
                "agreement_id", flat=True
            )[0]
        )
    ]
    assert flagged == [("DEMO-FRONTIER", "Schemalagd drift av testmiljöerna")]
    council = Idea.objects.get(
        agreement__reference="DEMO-ENHANCEMENT",
        title="Handläggarråd som provar nya funktioner före release",
    )
    people = people_of(council)
    assert council.area == "employees" and people.impact is not None
    assert people.impact.resistance == "high" and not people.warning
    assert len(people.actions) == 3 and all(a.owner is not None for a in people.actions)
    assert [a.done for a in people.actions] == [True, False, False]
    for action in people.actions:  # every owner takes part in the agreement
        assert council.agreement.participants.filter(user=action.owner).exists()
    demo.load()
    assert (PeopleImpact.objects.count(), EngagementAction.objects.count()) == counts

"""Editing the collaboration model: services, the HTMX pages and the API, as users meet them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.collaboration import services
from samverkan.collaboration.models import Forum, Process, Role
from samverkan.collaboration.selectors import raci_matrix
from samverkan.core.errors import StaleEditError
from samverkan.relationships.services import relationship_of
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def model_world(world: World) -> World:
    services.model_seed(agreement=world.agreement)
    return world


def _role(world: World, key: str) -> Role:
    return Role.objects.get(agreement=world.agreement, key=key)


def test_new_agreement_starts_with_the_four_standard_roles_and_counterparts(world: World) -> None:
    services.model_seed(agreement=world.agreement)
    roles = {role.key: role for role in world.agreement.roles.all()}
    for key in ("strategic-partner", "business-developer", "it-supplier", "it-entrepreneur"):
        assert roles[key].side == "supplier"
        assert roles[key].responsibilities and roles[key].authorities
    assert roles["strategic-partner"].orientation == "business"
    assert roles["it-entrepreneur"].orientation == "it"
    assert roles["strategic-partner"].name == "Strategisk partner"
    assert {r.side for r in roles.values()} == {"customer", "supplier"}


def test_english_agreement_gets_english_starter_roles(world: World) -> None:
    world.agreement.language = "en"
    world.agreement.save()
    services.model_seed(agreement=world.agreement)
    names = set(world.agreement.roles.values_list("name", flat=True))
    assert {"Strategic partner", "Business developer", "IT supplier", "IT entrepreneur"} <= names


def test_stale_role_edit_is_refused_and_the_first_edit_kept(model_world: World) -> None:
    role = _role(model_world, "it-supplier")
    version = role.version
    services.role_update(
        role=role, actor=model_world.customer_owner, version=version, name="Leveranschef"
    )
    stale = Role.objects.get(pk=role.pk)
    with pytest.raises(StaleEditError):
        services.role_update(
            role=stale, actor=model_world.supplier_owner, version=version, name="Driftchef"
        )
    assert Role.objects.get(pk=role.pk).name == "Leveranschef"


def test_mandate_accepts_only_known_decision_types_and_sensible_limits(model_world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.forum_create(
            agreement=model_world.agreement,
            actor=None,
            name="Styrgrupp",
            level="strategic",
            mandate=[{"decision": "buy_everything"}],
        )
    assert "mandate" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.forum_create(
            agreement=model_world.agreement,
            actor=None,
            name="Styrgrupp",
            level="strategic",
            mandate=[{"decision": "budget", "limit": -5}],
        )
    forum = services.forum_create(
        agreement=model_world.agreement,
        actor=None,
        name="Styrgrupp",
        level="strategic",
        mandate=[{"decision": "budget", "limit": "2000000", "note": "Per år"}],
    )
    assert forum.mandate == [{"decision": "budget", "limit": 2000000, "note": "Per år"}]


def test_forum_cannot_use_a_role_of_another_agreement(model_world: World) -> None:
    services.model_seed(agreement=model_world.other_agreement)
    foreign = Role.objects.filter(agreement=model_world.other_agreement).first()
    with pytest.raises(ValidationError):
        services.forum_create(
            agreement=model_world.agreement,
            actor=None,
            name="Samverkansråd",
            level="tactical",
            chair=foreign,
        )


def test_process_template_binds_owner_and_raci_to_the_agreements_roles(model_world: World) -> None:
    process = services.process_from_template(
        agreement=model_world.agreement, actor=None, template="change-management"
    )
    assert process.name == "Ändringshantering"
    assert process.owner == _role(model_world, "supplier-manager")
    letters = {a.role.key: a.letter for a in process.raci.all()}
    assert letters["supplier-manager"] == "A"
    matrix = raci_matrix(agreement=model_world.agreement)
    row = dict((p.name, letters_) for p, letters_ in matrix.rows)["Ändringshantering"]
    assert "A" in row and "R" in row


def test_escalation_path_refuses_a_forum_twice_and_missing_days(model_world: World) -> None:
    forum = services.forum_from_template(
        agreement=model_world.agreement, actor=None, template="operations-meeting"
    )
    with pytest.raises(ValidationError):
        services.escalation_set(
            agreement=model_world.agreement, actor=None, steps=[(forum, 5), (forum, 10)]
        )
    with pytest.raises(ValidationError):
        services.escalation_set(agreement=model_world.agreement, actor=None, steps=[(forum, 0)])


def test_moving_a_role_keeps_it_within_its_level(model_world: World) -> None:
    tactical = list(
        Role.objects.filter(agreement=model_world.agreement, level="tactical").order_by("position")
    )
    services.part_move(part=tactical[1], actor=None, offset=-1)
    reordered = list(
        Role.objects.filter(agreement=model_world.agreement, level="tactical").order_by("position")
    )
    assert reordered[0].pk == tactical[1].pk and reordered[1].pk == tactical[0].pk


# Pages -----------------------------------------------------------------------------------


def test_editor_adds_a_role_inline_and_sees_the_section_update(
    model_world: World, client_for: Any
) -> None:
    client = client_for(model_world.customer_owner)
    url = reverse(
        "collaboration:part_add", kwargs={"pk": model_world.agreement.pk, "kind": "roles"}
    )
    response = client.post(
        url,
        {
            "name": "Informationssäkerhetsansvarig",
            "side": "customer",
            "level": "tactical",
            "orientation": "it",
            "responsibilities": "Äga riskanalysen\nFölja upp incidenter",
            "authorities": "Stoppa osäkra ändringar",
            "holders": "Eva Nordin <eva.nordin@norrlandia.example>",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "model-changed"
    assert "Informationssäkerhetsansvarig" in response.content.decode()
    role = Role.objects.get(agreement=model_world.agreement, name="Informationssäkerhetsansvarig")
    assert role.responsibilities == ["Äga riskanalysen", "Följa upp incidenter"]
    assert role.holders == [{"name": "Eva Nordin", "email": "eva.nordin@norrlandia.example"}]


def test_invalid_role_form_is_shown_again_in_place_with_the_values_kept(
    model_world: World, client_for: Any
) -> None:
    client = client_for(model_world.customer_owner)
    url = reverse(
        "collaboration:part_add", kwargs={"pk": model_world.agreement.pk, "kind": "roles"}
    )
    response = client.post(
        url,
        {
            "name": "",
            "side": "customer",
            "level": "tactical",
            "orientation": "it",
            "purpose": "Ska inte försvinna",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response["HX-Retarget"] == "#form-roles-new"
    assert "Ska inte försvinna" in body
    assert "is-invalid" in body


def test_stale_edit_in_the_browser_shows_a_message_and_keeps_the_users_text(
    model_world: World, client_for: Any
) -> None:
    role = _role(model_world, "it-supplier")
    url = reverse(
        "collaboration:part_edit",
        kwargs={"pk": model_world.agreement.pk, "kind": "roles", "part_pk": role.pk},
    )
    data = {
        "version": role.version,
        "name": role.name,
        "side": role.side,
        "level": role.level,
        "orientation": role.orientation,
        "purpose": "Min nya beskrivning",
    }
    services.role_update(
        role=role, actor=None, version=role.version, purpose="Någon annans ändring"
    )
    model_world.supplier_owner.language = "en"
    model_world.supplier_owner.save()
    response = client_for(model_world.supplier_owner).post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Min nya beskrivning" in body
    assert "changed this while you were editing" in body
    assert Role.objects.get(pk=role.pk).purpose == "Någon annans ändring"


def test_viewer_sees_the_model_but_no_edit_buttons(model_world: World, client_for: Any) -> None:
    response = client_for(model_world.supplier_viewer).get(
        reverse("collaboration:model", kwargs={"pk": model_world.agreement.pk})
    )
    body = response.content.decode()
    assert "Strategisk partner" in body
    assert "/edit/" not in body


@pytest.mark.parametrize("kind", ["objectives", "roles", "forums", "processes", "escalation"])
def test_every_section_refreshes_from_its_own_url_for_every_reader(
    model_world: World, client_for: Any, kind: str
) -> None:
    """The refresh after a change elsewhere gets the section, never that section's edit form.

    The objectives and escalation refreshes once fetched ``objectives/`` and
    ``escalation/``, the edit forms: the lists went blank, and a viewer got 403.
    """
    services.objectives_set(agreement=model_world.agreement, actor=None, texts=["Driftstabilitet"])
    url = reverse("collaboration:section", kwargs={"pk": model_world.agreement.pk, "kind": kind})
    for user in (model_world.customer_owner, model_world.supplier_viewer):
        response = client_for(user).get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        assert f'id="{kind}-body"' in body
        assert "<textarea" not in body
        if kind == "objectives":
            assert "<li>Driftstabilitet</li>" in body


@pytest.mark.parametrize("extra", [0, 45])
def test_model_page_query_count_does_not_grow_with_roles(
    model_world: World, client_for: Any, extra: int, django_assert_max_num_queries: Any
) -> None:
    agreement = model_world.agreement
    for i in range(extra):
        services.role_create(
            agreement=agreement,
            actor=None,
            name=f"Specialist {i}",
            side="supplier",
            level="operational",
            orientation="it",
            responsibilities=["Drift"],
            authorities=["Inga"],
        )
    forum = services.forum_from_template(
        agreement=agreement, actor=None, template="collaboration-council"
    )
    forum.members.set(Role.objects.filter(agreement=agreement))
    services.process_from_template(agreement=agreement, actor=None, template="change-management")
    client = client_for(model_world.customer_owner)
    url = reverse("collaboration:model", kwargs={"pk": agreement.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    counts = getattr(test_model_page_query_count_does_not_grow_with_roles, "counts", {})
    counts[extra] = len(queries)
    test_model_page_query_count_does_not_grow_with_roles.counts = counts  # type: ignore[attr-defined]
    assert Role.objects.filter(agreement=agreement).count() >= 5 + extra
    assert len(queries) <= 25


def test_model_page_queries_are_the_same_for_5_and_50_roles(world: World, client_for: Any) -> None:
    counts = []
    for total in (5, 50):
        agreement = world.agreement
        Role.objects.filter(agreement=agreement).delete()
        Forum.objects.filter(agreement=agreement).delete()
        Process.objects.filter(agreement=agreement).delete()
        roles = [
            services.role_create(
                agreement=agreement,
                actor=None,
                name=f"Roll {i}",
                side="supplier" if i % 2 else "customer",
                level=("strategic", "tactical", "operational")[i % 3],
                orientation="it",
                responsibilities=["Ansvar"],
                authorities=["Befogenhet"],
                decision_rights=[{"decision": "budget", "limit": 1000}],
            )
            for i in range(total)
        ]
        forum = services.forum_create(
            agreement=agreement,
            actor=None,
            name="Samverkansråd",
            level="tactical",
            chair=roles[0],
            members=roles,
        )
        services.escalation_set(agreement=agreement, actor=None, steps=[(forum, 5)])
        services.process_create(
            agreement=agreement,
            actor=None,
            name="Ändringshantering",
            owner=roles[0],
            raci={role: "C" for role in roles},
        )
        client = client_for(world.customer_owner)
        url = reverse("collaboration:model", kwargs={"pk": agreement.pk})
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# API -------------------------------------------------------------------------------------


def test_api_stale_update_answers_409_with_a_reason(model_world: World, client_for: Any) -> None:
    role = _role(model_world, "it-supplier")
    client = client_for(model_world.customer_owner)
    url = f"/api/v1/agreements/{model_world.agreement.pk}/roles/{role.pk}"
    first = client.patch(
        url,
        json.dumps({"version": role.version, "name": "Leveranschef"}),
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == role.version + 1
    second = client.patch(
        url,
        json.dumps({"version": role.version, "name": "Driftchef"}),
        content_type="application/json",
    )
    assert second.status_code == 409
    assert "detail" in second.json()


def test_api_forum_with_a_foreign_role_is_a_400_naming_the_field(
    model_world: World, client_for: Any
) -> None:
    services.model_seed(agreement=model_world.other_agreement)
    foreign = Role.objects.filter(agreement=model_world.other_agreement).first()
    assert foreign is not None
    response = client_for(model_world.customer_owner).post(
        f"/api/v1/agreements/{model_world.agreement.pk}/forums",
        json.dumps({"name": "Styrgrupp", "level": "strategic", "chair_id": foreign.pk}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "chair_id" in response.json()["detail"]


def test_api_model_lists_everything_the_page_shows(model_world: World, client_for: Any) -> None:
    services.objectives_set(
        agreement=model_world.agreement, actor=None, texts=["Hög kvalitet och driftstabilitet"]
    )
    forum = services.forum_from_template(
        agreement=model_world.agreement, actor=None, template="steering-group"
    )
    services.escalation_set(agreement=model_world.agreement, actor=None, steps=[(forum, 20)])
    data = (
        client_for(model_world.supplier_viewer)
        .get(f"/api/v1/agreements/{model_world.agreement.pk}/model")
        .json()
    )
    assert data["objectives"] == ["Hög kvalitet och driftstabilitet"]
    assert len(data["roles"]) == 8
    assert data["forums"][0]["mandate"][0]["decision"] == "budget"
    assert data["escalation"] == [{"forum_id": forum.pk, "resolve_within_days": 20}]
    relationship_of(model_world.agreement)

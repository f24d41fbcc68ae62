"""Objectives and the escalation path refuse stale edits, like roles, forums and processes.

Two people (or scripts) who read the same list and both save used to see both
saves acknowledged while the first one's change was gone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samverkan.collaboration import services
from samverkan.collaboration.models import EscalationStep, Forum
from samverkan.core.errors import StaleEditError
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world: World) -> World:
    services.model_seed(agreement=world.agreement)
    services.forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    services.forum_from_template(
        agreement=world.agreement, actor=None, template="collaboration-council"
    )
    services.objectives_set(agreement=world.agreement, actor=None, texts=["Driftstabilitet"])
    return world


def _forums(world: World) -> list[Forum]:
    return list(Forum.objects.filter(agreement=world.agreement).order_by("position"))


def test_a_stale_objectives_version_writes_nothing(listed: World) -> None:
    read = services.objectives_version(listed.agreement)
    services.objectives_set(
        agreement=listed.agreement,
        actor=None,
        texts=["Driftstabilitet", "Innovation"],
        version=read,
    )
    with pytest.raises(StaleEditError):
        services.objectives_set(
            agreement=listed.agreement, actor=None, texts=["Kostnadskontroll"], version=read
        )
    texts = [o.text for o in listed.agreement.objectives.order_by("position")]
    assert texts == ["Driftstabilitet", "Innovation"]


def test_api_second_put_from_the_same_read_is_409_and_the_first_kept(listed: World) -> None:
    url = f"/api/v1/agreements/{listed.agreement.pk}/objectives"
    karin, peter = Api(listed.customer_owner), Api(listed.supplier_owner)
    model = karin.get(f"/api/v1/agreements/{listed.agreement.pk}/model").json()
    assert model["objectives"] == ["Driftstabilitet"]
    first = karin.client.put(
        url,
        {"version": model["objectives_version"], "objectives": ["Driftstabilitet", "Karins mål"]},
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["version"] != model["objectives_version"]
    second = peter.client.put(
        url,
        {"version": model["objectives_version"], "objectives": ["Driftstabilitet", "Peters mål"]},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert "medan du redigerade" in second.json()["detail"]
    assert [o.text for o in listed.agreement.objectives.order_by("position")] == [
        "Driftstabilitet",
        "Karins mål",
    ]
    # With the version the first answer gave, the next save goes through.
    third = peter.client.put(
        url,
        {"version": first.json()["version"], "objectives": ["Driftstabilitet", "Peters mål"]},
        content_type="application/json",
    )
    assert third.status_code == 200


def test_api_escalation_refuses_a_stale_version(listed: World) -> None:
    url = f"/api/v1/agreements/{listed.agreement.pk}/escalation"
    steering, council = _forums(listed)
    api = Api(listed.customer_owner)
    read = api.get(f"/api/v1/agreements/{listed.agreement.pk}/model").json()["escalation_version"]
    first = api.client.put(
        url,
        {"version": read, "steps": [{"forum_id": council.pk, "resolve_within_days": 10}]},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = api.client.put(
        url,
        {"version": read, "steps": [{"forum_id": steering.pk, "resolve_within_days": 3}]},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert list(
        EscalationStep.objects.filter(agreement=listed.agreement).values_list(
            "forum_id", "resolve_within_days"
        )
    ) == [(council.pk, 10)]


def test_api_list_bodies_must_be_objects_with_a_version(listed: World) -> None:
    response = Api(listed.customer_owner).client.put(
        f"/api/v1/agreements/{listed.agreement.pk}/objectives",
        ["Bara en lista"],
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert [o.text for o in listed.agreement.objectives.all()] == ["Driftstabilitet"]


def test_stale_objectives_form_keeps_the_users_text_and_says_why(
    listed: World, client_for: Any
) -> None:
    url = reverse("collaboration:objectives", kwargs={"pk": listed.agreement.pk})
    client = client_for(listed.supplier_owner)
    read = services.objectives_version(listed.agreement)
    assert f'value="{read}"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    services.objectives_set(
        agreement=listed.agreement, actor=None, texts=["Någon annans mål"], version=read
    )
    response = client.post(
        url, {"version": read, "objectives": "Mitt eget mål"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Mitt eget mål" in body
    assert "ändrade detta medan du redigerade" in body
    assert [o.text for o in listed.agreement.objectives.all()] == ["Någon annans mål"]


def test_stale_escalation_form_keeps_the_users_rows_and_says_why(
    listed: World, client_for: Any
) -> None:
    steering, council = _forums(listed)
    url = reverse("collaboration:escalation", kwargs={"pk": listed.agreement.pk})
    read = services.escalation_version(listed.agreement)
    services.escalation_set(
        agreement=listed.agreement, actor=None, steps=[(steering, 30)], version=read
    )
    response = client_for(listed.customer_owner).post(
        url,
        {"version": read, "s0_forum": str(council.pk), "s0_days": "7"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'value="7"' in body
    assert "ändrade detta medan du redigerade" in body
    assert list(
        EscalationStep.objects.filter(agreement=listed.agreement).values_list(
            "forum_id", "resolve_within_days"
        )
    ) == [(steering.pk, 30)]

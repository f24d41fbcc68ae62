"""The relationship endpoints: the same services and access rules as the page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.relationships import catalogue
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import relationship_of
from tests.conftest import World
from tests.relationships.test_relationship_pages import CUSTOM_WEIGHTS, FRONTIER_ANSWERS

pytestmark = pytest.mark.django_db


def _url(name: str, world: World) -> str:
    return reverse(f"api:{name}", kwargs={"agreement_id": world.agreement.pk})


def _send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    return call(url, data=json.dumps(data or {}), content_type="application/json")


def _profile(version: int, weights: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "scorecard_weights": weights or CUSTOM_WEIGHTS,
        "forum_cadence": {"strategic": "quarterly", "tactical": "monthly", "operational": "weekly"},
        "innovation": "joint",
        "ideas_per_quarter": 5,
        "health_check": "quarterly",
        "version": version,
    }


@pytest.fixture
def owner(world: World, client_for: Any) -> Client:
    client: Client = client_for(world.customer_owner)
    return client


def test_blank_relationship_reads_without_writing(world: World, owner: Client) -> None:
    response = owner.get(_url("relationship", world))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] is None
    assert body["recommendation"] is None
    assert body["version"] == 1
    assert not Relationship.objects.filter(agreement=world.agreement).exists()


def test_questionnaire_then_type_then_profile(world: World, owner: Client) -> None:
    response = _send(
        owner, "post", _url("relationship_questionnaire", world), {"answers": FRONTIER_ANSWERS}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"]["key"] == "frontier"
    assert len(body["reasons"]) == 8
    assert body["scores"] == catalogue.recommend(FRONTIER_ANSWERS, "sv").scores

    response = _send(
        owner, "put", _url("relationship_update", world), {"type": "utility", "version": 1}
    )
    assert response.status_code == 400
    assert "rationale" in response.json()["detail"]

    response = _send(
        owner,
        "put",
        _url("relationship_update", world),
        {"type": "utility", "rationale": "Standardtjänster.", "version": 1},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"]["key"] == "utility"
    assert body["defaults_applied"] is True
    assert (
        body["profile"]["scorecard_weights"] == catalogue.defaults("utility")["scorecard_weights"]
    )
    assert body["recommendation"]["type"]["key"] == "frontier"

    response = _send(owner, "put", _url("relationship_profile", world), _profile(body["version"]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["profile"]["customised"] is True
    assert body["profile"]["scorecard_weights"] == CUSTOM_WEIGHTS

    response = _send(
        owner,
        "put",
        _url("relationship_update", world),
        {"type": "frontier", "version": body["version"]},
    )
    assert response.json()["defaults_applied"] is False
    assert response.json()["profile"]["scorecard_weights"] == CUSTOM_WEIGHTS

    response = _send(owner, "post", _url("relationship_apply_defaults", world))
    assert response.status_code == 200
    assert (
        response.json()["profile"]["scorecard_weights"]
        == (catalogue.defaults("frontier")["scorecard_weights"])
    )


def test_weights_must_add_up_to_100(world: World, owner: Client) -> None:
    _send(owner, "put", _url("relationship_update", world), {"type": "frontier", "version": 1})
    version = relationship_of(world.agreement).version
    weights = {**CUSTOM_WEIGHTS, "price": 5}
    response = _send(owner, "put", _url("relationship_profile", world), _profile(version, weights))
    assert response.status_code == 400
    assert "scorecard_weights" in response.json()["detail"]


def test_stale_version_answers_conflict(world: World, owner: Client) -> None:
    _send(owner, "put", _url("relationship_update", world), {"type": "frontier", "version": 1})
    response = _send(
        owner, "put", _url("relationship_update", world), {"type": "utility", "version": 1}
    )
    assert response.status_code == 409
    assert relationship_of(world.agreement).type == "frontier"


def test_unknown_answers_are_refused(world: World, owner: Client) -> None:
    response = _send(
        owner,
        "post",
        _url("relationship_questionnaire", world),
        {"answers": {**FRONTIER_ANSWERS, "criticality": "enormous"}},
    )
    assert response.status_code == 400
    assert [error["path"] for error in response.json()["errors"]] == ["criticality"]


def test_viewer_reads_but_cannot_write(world: World, client_for: Any) -> None:
    viewer = client_for(world.supplier_viewer)
    assert viewer.get(_url("relationship", world)).status_code == 200
    response = _send(
        viewer, "put", _url("relationship_update", world), {"type": "frontier", "version": 1}
    )
    assert response.status_code == 403
    response = _send(viewer, "post", _url("relationship_apply_defaults", world))
    assert response.status_code == 403


def test_outsider_does_not_learn_the_agreement_exists(world: World, client_for: Any) -> None:
    outsider = client_for(world.other_supplier_user)
    assert outsider.get(_url("relationship", world)).status_code == 404
    response = _send(
        outsider, "put", _url("relationship_update", world), {"type": "frontier", "version": 1}
    )
    assert response.status_code == 404

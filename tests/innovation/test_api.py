"""The innovation framework's API: GET and PUT with a version; 409, 400 with paths, 422."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.innovation.models import Framework
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "goals": [
            {
                "what": "Halvera tiden för prisändringar i kundportalen",
                "baseline": 10,
                "target": 5,
                "unit": "arbetsdagar",
                "due": "2027-06-30",
            }
        ],
        "criteria": [
            {"key": "business-value", "name": "Affärsnytta", "weight": 40},
            {"key": "feasibility", "name": "Genomförbarhet", "weight": 30},
            {"key": "risk", "name": "Risk", "weight": 30},
        ],
        "deciding_forum": "collaboration-council",
        "customer_lead": "business-owner",
        "supplier_lead": "business-developer",
        "improvement_line": "Förbättringar ingår.",
        "ideas_per_quarter": 4,
        "review_cadence": "quarterly",
        "funding": {
            "model": "gain_share",
            "customer_share": 60,
            "supplier_share": 40,
            "months": 24,
            "start": "2026-01-01",
        },
        "version": 0,
    }
    body.update(changes)
    return body


def _put(client: Client, w: World, body: dict[str, Any]) -> Any:
    url = reverse("api:innovation_framework_update", args=[w.agreement.pk])
    return client.put(url, data=json.dumps(body), content_type="application/json")


def test_get_without_a_framework_says_so(framework_world: World, client_for: Any) -> None:
    w = framework_world
    response = client_for(w.supplier_viewer).get(
        reverse("api:innovation_framework", args=[w.agreement.pk])
    )
    assert response.status_code == 200
    assert response.json() == {"exists": False, "version": 0, "expected_ideas_per_quarter": None}


def test_put_then_get_gives_the_framework_back(framework_world: World, client_for: Any) -> None:
    w = framework_world
    response = _put(client_for(w.customer_owner), w, _body())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["version"] == 1 and data["weights_total"] == 100 and data["weights_problem"] is None
    assert data["goals"][0]["key"] == "halvera-tiden-for-prisandringar-i-kundportalen"
    assert data["funding"]["months"] == 24 and data["deciding_forum"] == "collaboration-council"
    again = client_for(w.supplier_viewer).get(
        reverse("api:innovation_framework", args=[w.agreement.pk])
    )
    assert again.json() == data


def test_a_stale_version_answers_409(framework_world: World, client_for: Any) -> None:
    w = framework_world
    client = client_for(w.customer_owner)
    assert _put(client, w, _body()).status_code == 200
    assert _put(client, w, _body(version=0)).status_code == 409
    assert _put(client, w, _body(version=1)).status_code == 200


def test_bad_input_answers_400_with_paths(framework_world: World, client_for: Any) -> None:
    w = framework_world
    body = _body(
        criteria=[{"name": "Affärsnytta", "weight": 50}, {"name": "Risk", "weight": 40}],
        funding={"model": "gain_share", "customer_share": 70, "supplier_share": 40, "months": 24},
        customer_lead="business-developer",
    )
    response = _put(client_for(w.customer_owner), w, body)
    assert response.status_code == 400, response.content
    errors = {e["path"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"criteria", "funding.supplier_share", "customer_lead"}
    assert "90" in errors["criteria"] and "10" in errors["criteria"]
    unknown = _put(client_for(w.customer_owner), w, _body(deciding_forum="nope"))
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["path"] == "deciding_forum"
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"criteria": [{"name": "x", "weight": "mycket"}]},
        {"funding": {"model": "lottery"}},
        {"goals": [{"what": "x"}]},
        {"version": -1},
        {"goals": "inte en lista"},
    ],
)
def test_a_body_outside_the_schema_answers_422_never_500(
    framework_world: World, client_for: Any, changes: dict[str, Any]
) -> None:
    w = framework_world
    response = _put(client_for(w.customer_owner), w, _body(**changes))
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["path"]


def test_a_viewer_cannot_put_and_an_outsider_gets_404(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    assert _put(client_for(w.supplier_viewer), w, _body()).status_code == 403
    assert _put(client_for(w.other_supplier_user), w, _body()).status_code == 404


def test_figures_come_back_as_plain_exact_decimals(framework_world: World, client_for: Any) -> None:
    """A baseline of 10 reads "10", never "1E+1"; 12.5 reads "12.5" (strings: exact)."""
    w = framework_world
    goal = {"what": "Färre incidenter", "unit": "incidenter", "due": "2027-12-31"}
    body = _body(goals=[{**goal, "baseline": 10, "target": "12.50"}])
    data = _put(client_for(w.customer_owner), w, body).json()
    assert (data["goals"][0]["baseline"], data["goals"][0]["target"]) == ("10", "12.5")

"""Every API error is JSON of one shape: ``detail`` a string, field problems in ``errors``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _shape(body: dict[str, Any]) -> None:
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"path", "message"}
        assert isinstance(error["path"], str) and isinstance(error["message"], str)


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/agreements/", "/api/v1/agreements/1/", "/api/v1/no-such-thing"]
)
def test_unknown_paths_and_trailing_slashes_answer_json_404(
    world: World, method: str, path: str
) -> None:
    api = Api(world.customer_owner)
    response = getattr(api.client, method)(path, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    _shape(body)
    if path.endswith("/"):
        assert f"try {path.rstrip('/')}" in body["detail"]


def test_schema_errors_name_each_field_by_path(world: World) -> None:
    response = Api(world.customer_owner).post(
        "/api/v1/agreements", {"reference": "X-1", "start_date": "2026-13-45"}
    )
    assert response.status_code == 422
    body = response.json()
    _shape(body)
    paths = {error["path"] for error in body["errors"]}
    assert "start_date" in paths
    assert "start_date" in body["detail"]


def test_model_validation_errors_are_a_sentence_and_a_list(world: World) -> None:
    response = Api(world.customer_owner).post(
        f"/api/v1/agreements/{world.agreement.pk}/relationship/questionnaire",
        {"answers": {"criticality": "enormous"}},
    )
    assert response.status_code == 400
    body = response.json()
    _shape(body)
    assert "criticality" in {error["path"] for error in body["errors"]}


def test_agreement_file_problems_keep_their_paths(world: World) -> None:
    api = Api(world.customer_owner)
    response = api.client.post(
        "/api/v1/agreements/import",
        data="samverkan: 1\nagreement: {reference: X}\nroles: [{key: a, level: nowhere}]\n",
        content_type="application/yaml",
    )
    assert response.status_code == 400
    body = response.json()
    _shape(body)
    assert len(body["errors"]) >= 2
    assert any(error["path"].startswith("roles[0]") for error in body["errors"])


def test_not_found_and_forbidden_are_strings_too(world: World) -> None:
    outsider = Api(world.other_supplier_user)
    missing = outsider.get(f"/api/v1/agreements/{world.agreement.pk}")
    assert missing.status_code == 404
    _shape(missing.json())
    viewer = Api(world.supplier_viewer)
    refused = viewer.patch(
        f"/api/v1/agreements/{world.agreement.pk}/processes/999999", {"version": 1}
    )
    assert refused.status_code in (403, 404)
    _shape(refused.json())

"""The HTTP API under /api/v1/: token auth, the same access rules as the UI, JSON errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from samverkan.accounts.models import ApiToken, User
from samverkan.accounts.services import token_create, token_revoke
from samverkan.agreements.models import Agreement, Participant
from tests.conftest import World

API = "/api/v1/agreements"


class Api:
    """A client that sends a personal API token with every request."""

    def __init__(self, user: User) -> None:
        self.token, raw = token_create(user=user, name="Integration")
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, data: object) -> Any:
        return self.client.post(path, data=json.dumps(data), content_type="application/json")

    def patch(self, path: str, data: object) -> Any:
        return self.client.patch(path, data=json.dumps(data), content_type="application/json")

    def delete(self, path: str) -> Any:
        return self.client.delete(path)


@pytest.fixture
def api_for() -> Any:
    return Api


def _new_agreement(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "own_organisation_id": world.customer.pk,
        "counterpart_name": "Molnbro Digital AB",
        "reference": "MOLN-2026",
        "title": "Kundplattform",
        "start_date": "2026-01-01",
        "end_date": "2029-12-31",
        "annual_value": "1250000",
    }
    data.update(overrides)
    return data


def _missing_pk() -> int:
    return Agreement.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000


# Authentication -------------------------------------------------------------------


def test_bearer_token_authenticates(world: World, api_for: Any) -> None:
    response = api_for(world.supplier_owner).get(API)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_missing_token_is_401_json(world: World) -> None:
    response = Client().get(API)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_revoked_token_is_refused_with_401_json(world: World, api_for: Any) -> None:
    api = api_for(world.customer_owner)
    assert api.get(API).status_code == 200
    token_revoke(token=api.token)
    response = api.get(API)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_made_up_token_is_refused(world: World) -> None:
    client = Client(headers={"Authorization": "Bearer svk_not-a-real-token"})
    assert client.get(API).status_code == 401


def test_token_of_deactivated_user_is_refused(world: World, api_for: Any) -> None:
    api = api_for(world.customer_owner)
    world.customer_owner.is_active = False
    world.customer_owner.save()
    assert api.get(API).status_code == 401


def test_signed_in_browser_session_may_use_the_api(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get(API)
    assert response.status_code == 200
    assert {item["reference"] for item in response.json()} == {"DRIFT-2025", "APP-2025"}


def test_token_use_is_recorded(world: World, api_for: Any) -> None:
    api = api_for(world.customer_owner)
    api.get(API)
    assert ApiToken.objects.get(pk=api.token.pk).last_used_at is not None


# Reading -------------------------------------------------------------------------


def test_list_items_have_id_and_reference(world: World, api_for: Any) -> None:
    items = api_for(world.customer_owner).get(API).json()
    assert {(item["id"], item["reference"]) for item in items} == {
        (world.agreement.pk, "DRIFT-2025"),
        (world.other_agreement.pk, "APP-2025"),
    }
    drift = next(item for item in items if item["reference"] == "DRIFT-2025")
    assert drift["customer"]["name"] == "Norrlandia Försäkring AB"
    assert drift["supplier"]["name"] == "Driftpartner Norden AB"


def test_supplier_cannot_list_other_suppliers_agreements(world: World, api_for: Any) -> None:
    items = api_for(world.other_supplier_user).get(API).json()
    assert [item["reference"] for item in items] == ["APP-2025"]


def test_list_filters_by_search_status_and_party(world: World, api_for: Any) -> None:
    world.other_agreement.status = "draft"
    world.other_agreement.save()
    api = api_for(world.customer_owner)
    assert [i["reference"] for i in api.get(f"{API}?q=datacenter").json()] == ["DRIFT-2025"]
    assert [i["reference"] for i in api.get(f"{API}?status=draft").json()] == ["APP-2025"]
    assert [i["reference"] for i in api.get(f"{API}?party={world.supplier.pk}").json()] == [
        "DRIFT-2025"
    ]


def test_list_with_unknown_status_is_422_not_500(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).get(f"{API}?status=exploded")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_participant_reads_one_agreement(world: World, api_for: Any) -> None:
    response = api_for(world.supplier_viewer).get(f"{API}/{world.agreement.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["reference"], body["status"]) == (
        world.agreement.pk,
        "DRIFT-2025",
        "active",
    )


def test_org_admin_reads_agreement_without_participant_row(world: World, api_for: Any) -> None:
    assert api_for(world.org_admin).get(f"{API}/{world.agreement.pk}").status_code == 200


def test_supplier_cannot_read_or_guess_other_suppliers_agreement(
    world: World, api_for: Any
) -> None:
    api = api_for(world.other_supplier_user)
    existing = api.get(f"{API}/{world.agreement.pk}")
    missing = api.get(f"{API}/{_missing_pk()}")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    assert "DRIFT" not in existing.content.decode()


def test_outsider_cannot_read_participants_of_other_suppliers_agreement(
    world: World, api_for: Any
) -> None:
    response = api_for(world.other_supplier_user).get(f"{API}/{world.agreement.pk}/participants")
    assert response.status_code == 404


def test_participants_list_shows_both_sides(world: World, api_for: Any) -> None:
    rows = api_for(world.supplier_viewer).get(f"{API}/{world.agreement.pk}/participants").json()
    assert {(row["email"], row["side"], row["role"]) for row in rows} == {
        ("karin@norrlandia.example", "customer", "owner"),
        ("peter@driftpartner.example", "supplier", "owner"),
        ("lena@driftpartner.example", "supplier", "viewer"),
    }


# Writing -------------------------------------------------------------------------


def test_create_returns_201_and_makes_caller_owner(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).post(API, _new_agreement(world))
    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == "MOLN-2026"
    assert body["supplier"]["name"] == "Molnbro Digital AB"
    assert Participant.objects.get(agreement_id=body["id"]).user == world.customer_owner


def test_create_with_duplicate_reference_is_400_naming_the_field(
    world: World, api_for: Any
) -> None:
    response = api_for(world.customer_owner).post(
        API, _new_agreement(world, reference="drift-2025")
    )
    assert response.status_code == 400
    assert "reference" in response.json()["detail"]


def test_create_with_end_before_start_is_400_naming_the_field(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).post(
        API, _new_agreement(world, start_date="2026-06-01", end_date="2026-01-01")
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["detail"]


def test_create_with_invalid_date_is_422_with_reason(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).post(
        API, _new_agreement(world, start_date="2026-13-45")
    )
    assert response.status_code == 422
    assert "start_date" in {error["path"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    "bad",
    [
        {"reference": ""},
        {"title": "x" * 201},
        {"annual_value": "-5"},
        {"annual_value": "lots"},
        {"currency": "BTC"},
        {"status": "exploded"},
        {"own_organisation_id": "norrlandia"},
    ],
    ids=lambda bad: next(iter(bad)),
)
def test_create_with_bad_field_is_4xx_json_never_500(
    world: World, api_for: Any, bad: dict[str, Any]
) -> None:
    response = api_for(world.customer_owner).post(API, _new_agreement(world, **bad))
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()


def test_create_with_malformed_json_is_4xx(world: World, api_for: Any) -> None:
    api = api_for(world.customer_owner)
    response = api.client.post(API, data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_create_for_someone_elses_organisation_is_refused(world: World, api_for: Any) -> None:
    response = api_for(world.other_supplier_user).post(
        API, _new_agreement(world, counterpart_name="Fjällbanken AB")
    )
    assert response.status_code == 400
    assert "own_organisation_id" in response.json()["detail"]
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()


def test_owner_patches_agreement(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).patch(
        f"{API}/{world.agreement.pk}",
        {"version": 1, "title": "Drift och nätverk", "annual_value": "900000"},
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Drift och nätverk"
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift och nätverk"
    assert world.agreement.reference == "DRIFT-2025"  # untouched fields stay


def test_patch_by_viewer_is_403(world: World, api_for: Any) -> None:
    response = api_for(world.supplier_viewer).patch(
        f"{API}/{world.agreement.pk}", {"version": 1, "title": "Kapat"}
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift av datacenter"


def test_patch_by_outsider_is_404_like_a_missing_id(world: World, api_for: Any) -> None:
    api = api_for(world.other_supplier_user)
    existing = api.patch(f"{API}/{world.agreement.pk}", {"version": 1, "title": "Kapat"})
    missing = api.patch(f"{API}/{_missing_pk()}", {"version": 1, "title": "Kapat"})
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


def test_patch_to_taken_reference_is_400(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).patch(
        f"{API}/{world.agreement.pk}", {"version": 1, "reference": "APP-2025"}
    )
    assert response.status_code == 400
    assert "reference" in response.json()["detail"]


def test_end_by_owner_and_refused_for_editor(world: World, api_for: Any) -> None:
    assert (
        api_for(world.supplier_viewer).post(f"{API}/{world.agreement.pk}/end", {}).status_code
        == 403
    )
    # The customer's owner: ending changes the status, which is the customer's (test_terms.py).
    response = api_for(world.customer_owner).post(
        f"{API}/{world.agreement.pk}/end", {"end_date": "2026-06-30"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["end_date"]) == ("ended", "2026-06-30")


def test_owner_adds_participant_from_own_organisation(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).post(
        f"{API}/{world.agreement.pk}/participants",
        {"email": "LARS@norrlandia.example", "side": "customer", "role": "editor"},
    )
    assert response.status_code == 201
    assert response.json()["email"] == "lars@norrlandia.example"


def test_owner_cannot_add_people_to_the_other_side(world: World, api_for: Any) -> None:
    response = api_for(world.customer_owner).post(
        f"{API}/{world.agreement.pk}/participants",
        {"email": "sara@kodkraft.example", "side": "supplier", "role": "viewer"},
    )
    assert response.status_code == 403


def test_adding_someone_outside_the_organisation_is_404(world: World, api_for: Any) -> None:
    response = api_for(world.supplier_owner).post(
        f"{API}/{world.agreement.pk}/participants",
        {"email": "sara@kodkraft.example", "side": "supplier", "role": "viewer"},
    )
    assert response.status_code == 404
    assert not Participant.objects.filter(
        agreement=world.agreement, user=world.other_supplier_user
    ).exists()


def test_removing_the_last_owner_is_400_with_reason(world: World, api_for: Any) -> None:
    owner = world.participant(world.supplier_owner)
    response = api_for(world.supplier_owner).delete(
        f"{API}/{world.agreement.pk}/participants/{owner.pk}"
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Participant.objects.filter(pk=owner.pk).exists()


def test_owner_changes_role_and_removes_participant(world: World, api_for: Any) -> None:
    api = api_for(world.supplier_owner)
    viewer = world.participant(world.supplier_viewer)
    url = f"{API}/{world.agreement.pk}/participants/{viewer.pk}"
    assert api.patch(url, {"role": "editor"}).json()["role"] == "editor"
    assert api.delete(url).status_code == 204
    assert not Participant.objects.filter(pk=viewer.pk).exists()


# OpenAPI -------------------------------------------------------------------------


def test_openapi_document_lists_the_agreement_paths(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Samverkan API"
    assert "/api/v1/agreements" in document["paths"]
    assert "/api/v1/agreements/{agreement_id}" in document["paths"]
    assert {"get", "post"} <= set(document["paths"]["/api/v1/agreements"])
    assert "patch" in document["paths"]["/api/v1/agreements/{agreement_id}"]


def test_interactive_docs_are_served_without_a_cdn(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200

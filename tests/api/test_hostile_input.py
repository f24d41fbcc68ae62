"""Bodies an attacker sends: each answered 4xx with a reason, and nothing written.

The reproductions are those of the hardening walk (issue 10): a JSON string that
renamed an agreement, ``[null, null]`` that ended one, NUL and control characters
stored in titles and names, a lone surrogate, an oversized body.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings

from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Role
from samverkan.collaboration.services import model_seed
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _send(api: Api, method: str, path: str, body: bytes | str, content_type: str) -> Any:
    return getattr(api.client, method)(path, data=body, content_type=content_type)


def _assert_refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert isinstance(body["detail"], str)
    assert words in body["detail"], body["detail"]


def test_a_json_string_does_not_rename_the_agreement(world: World) -> None:
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    response = _send(api, "patch", path, '"hello world, UPPER"', "application/json")
    _assert_refused(response, 400, "JSON-objekt")
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift av datacenter"


def test_a_json_array_does_not_end_the_agreement(world: World) -> None:
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}/end"
    response = _send(api, "post", path, "[null,null]", "application/json")
    _assert_refused(response, 400, "JSON-objekt")
    world.agreement.refresh_from_db()
    assert world.agreement.status != "ended"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_json_needs_its_content_type(world: World, content_type: str) -> None:
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    response = api.client.generic(
        "PATCH", path, json.dumps({"title": "Nytt namn"}), content_type=content_type
    )
    _assert_refused(response, 415, "application/json")
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift av datacenter"


@pytest.mark.parametrize(
    "raw, words",
    [
        ("{", "inte giltig JSON"),
        ('{"title": NaN}', "inte giltig JSON"),
        (b'{"title": "\xff\xfe"}', "UTF-8"),
    ],
    ids=["truncated", "nan", "latin1"],
)
def test_malformed_json_is_400_with_the_reason(world: World, raw: Any, words: str) -> None:
    api = Api(world.customer_owner)
    response = _send(
        api, "patch", f"/api/v1/agreements/{world.agreement.pk}", raw, "application/json"
    )
    _assert_refused(response, 400, words)


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "Drift\x00av datacenter"),
        ("reference", "DRIFT\x1b[2J"),
        ("description", "Beskrivning \ud800x"),
    ],
    ids=["nul-in-title", "escape-in-reference", "lone-surrogate"],
)
def test_control_characters_and_lone_surrogates_are_refused(
    world: World, field: str, value: str
) -> None:
    api = Api(world.customer_owner)
    body = json.dumps({field: value})  # ensure_ascii: "\\u0000", "\\ud800" as JSON escapes
    response = _send(
        api, "patch", f"/api/v1/agreements/{world.agreement.pk}", body, "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == field
    assert Agreement.objects.get(pk=world.agreement.pk).title == "Drift av datacenter"


def test_nul_in_a_role_name_is_refused_and_tab_and_newline_are_kept(world: World) -> None:
    model_seed(agreement=world.agreement)
    role = Role.objects.filter(agreement=world.agreement).first()
    assert role is not None
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}/roles/{role.pk}"
    refused = api.patch(path, {"version": role.version, "name": "IT\u0000-leverantör"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["path"] == "name"
    kept = api.patch(path, {"version": role.version, "purpose": "Rad ett\n\tRad två"})
    assert kept.status_code == 200
    assert Role.objects.get(pk=role.pk).purpose == "Rad ett\n\tRad två"


@override_settings(API_MAX_BODY_BYTES=10_000)
def test_an_oversized_body_is_413_before_any_work(world: World) -> None:
    api = Api(world.customer_owner)
    body = json.dumps({"description": "x" * 20_000})
    response = _send(
        api, "patch", f"/api/v1/agreements/{world.agreement.pk}", body, "application/json"
    )
    _assert_refused(response, 413, "10000")
    world.agreement.refresh_from_db()
    assert world.agreement.description != "x" * 20_000


def test_the_agreement_file_import_takes_yaml_only(world: World) -> None:
    api = Api(world.customer_owner)
    response = _send(
        api, "post", "/api/v1/agreements/import", '{"samverkan": 1}', "application/json"
    )
    _assert_refused(response, 415, "application/yaml")


# 500s of the walk, each now a 4xx with a reason -----------------------------------------


@pytest.fixture
def modelled(world: World) -> World:
    from samverkan.collaboration.services import forum_from_template, process_from_template

    model_seed(agreement=world.agreement)
    forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    process_from_template(agreement=world.agreement, actor=None, template="change-management")
    return world


def _part(world: World, kind: str) -> Any:
    from samverkan.collaboration.models import Forum, Process

    model = {"roles": Role, "forums": Forum, "processes": Process}[kind]
    return model.objects.filter(agreement=world.agreement).first()


@pytest.mark.parametrize(
    "kind, field",
    [
        ("roles", "purpose"),
        ("roles", "decision_rights"),
        ("roles", "holders"),
        ("forums", "purpose"),
        ("forums", "cadence"),
        ("forums", "mandate"),
        ("processes", "purpose"),
    ],
)
def test_explicit_null_clears_a_field_instead_of_a_500(
    modelled: World, kind: str, field: str
) -> None:
    part = _part(modelled, kind)
    response = Api(modelled.customer_owner).patch(
        f"/api/v1/agreements/{modelled.agreement.pk}/{kind}/{part.pk}",
        {"version": part.version, field: None},
    )
    assert response.status_code == 200, response.content[:300]
    part.refresh_from_db()
    assert getattr(part, field) in ("", [])


@pytest.mark.parametrize("field", ["description", "services"])
def test_explicit_null_on_the_agreement_clears_it(world: World, field: str) -> None:
    response = Api(world.customer_owner).patch(
        f"/api/v1/agreements/{world.agreement.pk}", {"version": 1, field: None}
    )
    assert response.status_code == 200, response.content[:300]
    world.agreement.refresh_from_db()
    assert getattr(world.agreement, field) in ("", [])


def test_a_null_name_is_refused(modelled: World) -> None:
    part = _part(modelled, "roles")
    response = Api(modelled.customer_owner).patch(
        f"/api/v1/agreements/{modelled.agreement.pk}/roles/{part.pk}",
        {"version": part.version, "name": None},
    )
    assert response.status_code in (400, 422)


def test_an_enormous_party_id_is_a_4xx(world: World) -> None:
    response = Api(world.customer_owner).get("/api/v1/agreements?party=10000000000000000000")
    assert response.status_code in (400, 422)
    assert "party" in response.json()["detail"]


def test_enormous_escalation_days_are_a_4xx(modelled: World) -> None:
    from samverkan.collaboration.models import Forum
    from samverkan.collaboration.services import escalation_version

    forum = Forum.objects.filter(agreement=modelled.agreement).first()
    assert forum is not None
    response = Api(modelled.customer_owner).client.put(
        f"/api/v1/agreements/{modelled.agreement.pk}/escalation",
        json.dumps(
            {
                "version": escalation_version(modelled.agreement),
                "steps": [{"forum_id": forum.pk, "resolve_within_days": 10**20}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code in (400, 422)


def test_enormous_escalation_days_in_the_form_are_an_error_message(
    modelled: World, client_for: Any
) -> None:
    from django.urls import reverse

    from samverkan.collaboration.models import Forum

    forum = Forum.objects.filter(agreement=modelled.agreement).first()
    assert forum is not None
    response = client_for(modelled.customer_owner).post(
        reverse("collaboration:escalation", kwargs={"pk": modelled.agreement.pk}),
        {"s0_forum": str(forum.pk), "s0_days": "100000000000000000000"},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


@pytest.mark.parametrize("size", [60_000, 1_000_000])
def test_an_enormous_email_for_a_participant_is_a_4xx(world: World, size: int) -> None:
    response = Api(world.customer_owner).post(
        f"/api/v1/agreements/{world.agreement.pk}/participants",
        {"email": "a" * size + "@example.com", "side": "customer", "role": "viewer"},
    )
    assert response.status_code in (400, 413, 422)


def test_a_nul_in_an_imported_file_is_a_400_naming_the_place(world: World) -> None:
    api = Api(world.customer_owner)
    response = _send(
        api, "post", "/api/v1/agreements/import", b"samverkan: 1\x00", "application/yaml"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_nul_in_a_file_imported_through_the_page_is_listed(world: World, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("avtal.yaml", b"samverkan: 1\x00\n", "application/yaml")
    response = client_for(world.customer_owner).post(reverse("agreements:import"), {"file": upload})
    assert response.status_code == 200
    assert "alert" in response.content.decode()


def test_an_astronomical_amount_in_an_imported_file_is_a_400(world: World) -> None:
    text = (
        "samverkan: 1\n"
        "agreement:\n"
        "  reference: STOR-1\n"
        "  title: Stort avtal\n"
        f"  customer: {world.customer.name}\n"
        f"  supplier: {world.supplier.name}\n"
        "  value: {amount: 1000000000000000000000000000000, currency: SEK}\n"
    )
    response = _send(
        Api(world.customer_owner), "post", "/api/v1/agreements/import", text, "application/yaml"
    )
    assert response.status_code == 400
    assert "value" in response.json()["detail"] or any(
        "value" in e["path"] for e in response.json()["errors"]
    )
    assert not Agreement.objects.filter(reference="STOR-1").exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Roll\\u0000", "side": "customer", "level": "strategic", "orientation": "it"}',
        "[null,null]",
    ],
)
def test_a_form_content_type_does_not_smuggle_json_past_the_checks(world: World, body: str) -> None:
    """django-ninja reads a body as JSON whatever its declared type (found in review)."""
    model_seed(agreement=world.agreement)
    before = Role.objects.filter(agreement=world.agreement).count()
    response = Api(world.customer_owner).client.generic(
        "POST",
        f"/api/v1/agreements/{world.agreement.pk}/roles",
        body,
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 415
    assert Role.objects.filter(agreement=world.agreement).count() == before


def test_control_characters_are_refused_in_files_and_forms_too(
    world: World, client_for: Any
) -> None:
    """The same rule as the API's, in the agreement file and in the web forms (review)."""
    from django.urls import reverse

    text = (
        "samverkan: 1\n"
        "agreement:\n"
        "  reference: KTRL-1\n"
        '  title: "Med\\x01styrtecken"\n'
        f"  customer: {world.customer.name}\n"
        f"  supplier: {world.supplier.name}\n"
    )
    imported = _send(
        Api(world.customer_owner), "post", "/api/v1/agreements/import", text, "application/yaml"
    )
    assert imported.status_code == 400
    assert any(e["path"] == "agreement.title" for e in imported.json()["errors"])
    assert not Agreement.objects.filter(reference="KTRL-1").exists()

    model_seed(agreement=world.agreement)
    role = Role.objects.filter(agreement=world.agreement).first()
    assert role is not None
    page = client_for(world.customer_owner).post(
        reverse(
            "collaboration:part_edit",
            kwargs={"pk": world.agreement.pk, "kind": "roles", "part_pk": role.pk},
        ),
        {
            "version": role.version,
            "name": "Roll\x01",
            "side": role.side,
            "level": role.level,
            "orientation": role.orientation,
            "responsibilities": "Rad\x02ett",
        },
    )
    assert "Styrtecken" in page.content.decode()
    role.refresh_from_db()
    assert "\x01" not in role.name


def test_the_import_page_refuses_a_file_larger_than_the_api_would(
    world: World, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    with override_settings(API_MAX_BODY_BYTES=1000):
        upload = SimpleUploadedFile(
            "stor.yaml", b"samverkan: 1\n" + b"#" * 2000, "application/yaml"
        )
        response = client_for(world.customer_owner).post(
            reverse("agreements:import"), {"file": upload}
        )
    assert response.status_code == 200
    assert "Filen är större än 1000 byte." in response.content.decode()

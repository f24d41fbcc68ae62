"""The limits of docs/limits.md hold the same way in the UI, the API and the agreement file.

The walk that found them: a role with 10,000 responsibilities (a 1 MB request) was
accepted and every later PDF of the agreement timed out; 32,000 objectives held
SQLite's write lock for 26 s; 1 MB descriptions and holder names were stored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import reverse

from samverkan.collaboration import services
from samverkan.collaboration.models import Role
from samverkan.lib import limits
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


@pytest.fixture
def seeded(world: World) -> World:
    services.model_seed(agreement=world.agreement)
    return world


def _role(world: World) -> Role:
    role = Role.objects.filter(agreement=world.agreement).order_by("pk").first()
    assert role is not None
    return role


def _file(world: World, **role: Any) -> str:
    spec = {
        "samverkan": 1,
        "agreement": {
            "reference": "GRANS-1",
            "title": "Gränsfall",
            "customer": world.customer.name,
            "supplier": world.supplier.name,
        },
        "roles": [
            {
                "key": "r",
                "name": "Roll",
                "side": "customer",
                "level": "tactical",
                "orientation": "it",
                **role,
            }
        ],
    }
    return yaml.safe_dump(spec, allow_unicode=True)


TOO_MANY = [f"Ansvar {i}" for i in range(limits.ITEMS_MAX + 1)]
TOO_LONG = ["x" * (limits.LINE_MAX + 1)]


@pytest.mark.parametrize(
    "field, value",
    [
        ("responsibilities", TOO_MANY),
        ("responsibilities", TOO_LONG),
        ("purpose", "y" * (limits.TEXT_MAX + 1)),
        ("holders", [{"name": "z" * (limits.PERSON_MAX + 1)}]),
    ],
    ids=["51-lines", "long-line", "long-purpose", "long-holder"],
)
def test_a_role_over_a_limit_is_refused_by_service_api_form_and_file(
    seeded: World, client_for: Any, field: str, value: Any
) -> None:
    role = _role(seeded)
    before = (role.purpose, list(role.responsibilities), list(role.holders))

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.role_update(role=role, actor=None, version=role.version, **{field: value})
    assert field in refused.value.message_dict

    api = Api(seeded.customer_owner)
    response = api.patch(
        f"/api/v1/agreements/{seeded.agreement.pk}/roles/{role.pk}",
        {"version": role.version, field: value},
    )
    assert response.status_code in (400, 422)
    assert any(e["path"].startswith(field) for e in response.json()["errors"])

    form_value = (
        "\n".join(value)
        if field == "responsibilities"
        else value[0]["name"]
        if field == "holders"
        else value
    )
    page = client_for(seeded.customer_owner).post(
        reverse(
            "collaboration:part_edit",
            kwargs={"pk": seeded.agreement.pk, "kind": "roles", "part_pk": role.pk},
        ),
        {
            "version": role.version,
            "name": role.name,
            "side": role.side,
            "level": role.level,
            "orientation": role.orientation,
            field: form_value,
        },
    )
    assert page.status_code == 200
    assert (
        "invalid-feedback" in page.content.decode() or "sv-error-summary" in page.content.decode()
    )

    imported = api.client.post(
        "/api/v1/agreements/import",
        _file(seeded, **{field: value}),
        content_type="application/yaml",
    )
    assert imported.status_code == 400
    assert any(e["path"].startswith(f"roles[0].{field}") for e in imported.json()["errors"])

    role.refresh_from_db()
    assert (role.purpose, list(role.responsibilities), list(role.holders)) == before


def test_objectives_over_the_limit_are_refused_everywhere(seeded: World, client_for: Any) -> None:
    too_many = [f"Mål {i}" for i in range(limits.OBJECTIVES_MAX + 1)]
    api = Api(seeded.customer_owner)
    version = services.objectives_version(seeded.agreement)
    response = api.client.put(
        f"/api/v1/agreements/{seeded.agreement.pk}/objectives",
        json.dumps({"version": version, "objectives": too_many}),
        content_type="application/json",
    )
    assert response.status_code == 422
    page = client_for(seeded.customer_owner).post(
        reverse("collaboration:objectives", kwargs={"pk": seeded.agreement.pk}),
        {"version": version, "objectives": "\n".join(too_many)},
    )
    assert f"Högst {limits.OBJECTIVES_MAX} rader" in page.content.decode()
    assert not seeded.agreement.objectives.exists()


def test_the_roles_of_an_agreement_are_capped(seeded: World) -> None:
    from django.core.exceptions import ValidationError

    existing = Role.objects.filter(agreement=seeded.agreement).count()
    Role.objects.bulk_create(
        Role(
            agreement=seeded.agreement,
            key=f"r{i}",
            name=f"Roll {i}",
            side="customer",
            level="tactical",
            orientation="it",
            position=100 + i,
        )
        for i in range(limits.ROLES_MAX - existing)
    )
    with pytest.raises(ValidationError, match=str(limits.ROLES_MAX)):
        services.role_create(
            agreement=seeded.agreement,
            actor=None,
            name="En för mycket",
            side="customer",
            level="tactical",
            orientation="it",
        )
    response = Api(seeded.customer_owner).post(
        f"/api/v1/agreements/{seeded.agreement.pk}/roles",
        {"name": "En för mycket", "side": "customer", "level": "tactical", "orientation": "it"},
    )
    assert response.status_code == 400
    assert Role.objects.filter(agreement=seeded.agreement).count() == limits.ROLES_MAX


def test_an_agreement_description_over_the_limit_is_refused(world: World, client_for: Any) -> None:
    long = "d" * (limits.TEXT_MAX + 1)
    response = Api(world.customer_owner).patch(
        f"/api/v1/agreements/{world.agreement.pk}", {"version": 1, "description": long}
    )
    assert response.status_code == 422
    form = client_for(world.customer_owner).get(
        reverse("agreements:edit", kwargs={"pk": world.agreement.pk})
    )
    assert f'maxlength="{limits.TEXT_MAX}"' in form.content.decode()
    world.agreement.refresh_from_db()
    assert world.agreement.description != long


def test_the_document_lists_every_limit_with_its_number() -> None:
    text = DOC.read_text().replace("\u00a0", " ")
    numbers = {int(n.replace(" ", "")) for n in re.findall(r"\d[\d ]*\d|\d", text)}
    for name in dir(limits):
        if name.isupper() and name != "AMOUNT_MAX":
            assert getattr(limits, name) in numbers, f"{name} is not in docs/limits.md"

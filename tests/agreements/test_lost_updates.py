"""Two people editing the agreement at once: the second save is refused, nothing is lost.

Before, both got "saved" and the first one's title silently reverted.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samverkan.agreements.models import Agreement, Participant
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _form_data(agreement: Agreement, **changes: str) -> dict[str, str]:
    data = {
        "version": str(agreement.version),
        "reference": agreement.reference,
        "title": agreement.title,
        "description": agreement.description,
        "services": agreement.services,
        "start_date": agreement.start_date.isoformat() if agreement.start_date else "",
        "end_date": agreement.end_date.isoformat() if agreement.end_date else "",
        "annual_value": str(agreement.annual_value or ""),
        "currency": agreement.currency,
        "status": agreement.status,
        "language": agreement.language,
    }
    data.update(changes)
    return data


def test_second_edit_from_the_same_read_is_refused_and_keeps_its_input(
    world: World, client_for: Any
) -> None:
    Participant.objects.create(
        agreement=world.agreement, user=world.customer_colleague, side="customer", role="editor"
    )
    url = reverse("agreements:edit", kwargs={"pk": world.agreement.pk})
    karin, lars = client_for(world.customer_owner), client_for(world.customer_colleague)
    assert 'name="version" value="1"' in karin.get(url).content.decode()
    read = Agreement.objects.get(pk=world.agreement.pk)

    first = karin.post(url, _form_data(read, title="Drift och nätverk"))
    assert first.status_code == 302
    second = lars.post(url, _form_data(read, description="Lars beskrivning"))
    assert second.status_code == 200
    body = second.content.decode()
    assert "Någon annan ändrade detta medan du redigerade" in body
    assert "Lars beskrivning" in body  # the input is kept

    saved = Agreement.objects.get(pk=world.agreement.pk)
    assert saved.title == "Drift och nätverk"
    assert saved.description != "Lars beskrivning"
    assert saved.version == 2


def test_api_second_patch_from_the_same_read_is_409(world: World) -> None:
    karin, peter_as_customer = Api(world.customer_owner), Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    read = karin.get(path).json()
    assert read["version"] == 1
    first = karin.patch(path, {"version": read["version"], "title": "Drift och nätverk"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    second = peter_as_customer.patch(
        path, {"version": read["version"], "description": "Annan ändring"}
    )
    assert second.status_code == 409
    assert isinstance(second.json()["detail"], str)
    saved = Agreement.objects.get(pk=world.agreement.pk)
    assert (saved.title, saved.description) == ("Drift och nätverk", "")


def test_a_patch_without_a_version_is_refused(world: World) -> None:
    response = Api(world.customer_owner).patch(
        f"/api/v1/agreements/{world.agreement.pk}", {"title": "Utan version"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "version"

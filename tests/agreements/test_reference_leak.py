"""Nobody learns whether another organisation has an agreement reference.

The attacker's walk (issue 10, point 3): a member of an unrelated supplier importing
``{reference: DEMO-FRONTIER, customer: Norrlandia Försäkring AB, supplier: Outsider
Konsult AB}`` was told "Norrlandia Försäkring AB har redan ett avtal DEMO-FRONTIER"
(400; with ``replace=true``, 403), and ``POST /api/v1/agreements`` naming Norrlandia
leaked the same way. Every way of creating an agreement must now answer exactly the
same — status and body — whether or not Norrlandia has that reference: the
agreement-file import (API, HTML form, command line, with and without replace), the
API's create and the new-agreement form. Each case is run twice, once with
Norrlandia's DEMO-FRONTIER there and once with it renamed away, each rolled back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.models import Organisation, User
from samverkan.accounts.services import token_create
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.forms import AgreementCreateForm
from samverkan.agreements.models import Agreement, Participant
from tests.conftest import World
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, UserFactory

FILE = """\
samverkan: 1
agreement:
  reference: DEMO-FRONTIER
  title: Rådgivning
  customer: Norrlandia Försäkring AB
  supplier: Outsider Konsult AB
"""


class Outsider:
    """Olle, a member of a supplier that has nothing to do with Norrlandia."""

    def __init__(self) -> None:
        self.organisation = OrganisationFactory(name="Outsider Konsult AB", kind="supplier")
        self.user = UserFactory(email="olle@outsider.example", full_name="Olle Ek")
        MembershipFactory(user=self.user, organisation=self.organisation)


@pytest.fixture
def outsider(world: World) -> Outsider:
    return Outsider()


@pytest.fixture
def frontier(world: World) -> Agreement:
    """Norrlandia's own DEMO-FRONTIER, which Olle cannot see."""
    agreement = AgreementFactory(
        customer=world.customer,
        supplier=world.supplier,
        reference="DEMO-FRONTIER",
        title="Frontier-samarbete",
    )
    Participant.objects.create(
        agreement=agreement, user=world.customer_owner, side="customer", role="owner"
    )
    return agreement


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _with_and_without(frontier: Agreement, call: Callable[[], Any]) -> tuple[Any, Any]:
    """``call()`` with DEMO-FRONTIER at Norrlandia, then without it; both rolled back."""
    answers = []
    for present in (True, False):
        with transaction.atomic():
            if not present:
                Agreement.objects.filter(pk=frontier.pk).update(reference="ANNAT-1")
            answers.append(call())
            transaction.set_rollback(True)
    return answers[0], answers[1]


def _untouched(frontier: Agreement, world: World) -> None:
    """Norrlandia's agreement is as it was: nobody added, nothing changed."""
    again = Agreement.objects.get(pk=frontier.pk)
    assert (again.reference, again.title, again.version) == (
        "DEMO-FRONTIER",
        "Frontier-samarbete",
        frontier.version,
    )
    assert list(again.participants.values_list("user__email", flat=True)) == [
        world.customer_owner.email
    ]


def _json_answer(response: Any) -> tuple[int, Any]:
    body = response.json()
    if isinstance(body, dict) and "id" in body:
        body["id"] = "ID"  # the new row's id; PostgreSQL's sequences do not roll back
    return response.status_code, body


def _api(user: User) -> Client:
    _token, raw = token_create(user=user, name="Skript")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _page_answer(response: Any) -> tuple[int, str, list[str]]:
    """Status, where it leads (ids as N) and the messages for the next page (each call
    signs in afresh, so that no message of an earlier call is still waiting)."""
    location = re.sub(r"\d+", "N", response.get("Location", ""))
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    if response.status_code == 200:
        messages += re.findall(
            r'class="[^"]*invalid-feedback[^"]*"[^>]*>([^<]+)<', response.content.decode()
        )
    return response.status_code, location, messages


# The agreement file -------------------------------------------------------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_api_import_answers_the_same_whether_or_not_norrlandia_has_the_reference(
    world: World, outsider: Outsider, frontier: Agreement, replace: bool
) -> None:
    api = _api(outsider.user)
    url = "/api/v1/agreements/import" + ("?replace=true" if replace else "")

    def call() -> tuple[int, Any]:
        return _json_answer(api.post(url, data=FILE, content_type="application/yaml"))

    with_it, without_it = _with_and_without(frontier, call)
    assert with_it == without_it
    assert with_it[0] == 201, with_it
    _untouched(frontier, world)


@pytest.mark.parametrize("replace", [False, True])
def test_html_import_answers_the_same_whether_or_not_norrlandia_has_the_reference(
    world: World, outsider: Outsider, frontier: Agreement, client_for: Any, replace: bool
) -> None:
    def call() -> tuple[int, str, list[str]]:
        data: dict[str, Any] = {"file": SimpleUploadedFile("avtal.yaml", FILE.encode())}
        if replace:
            data["replace"] = "on"
        return _page_answer(client_for(outsider.user).post(reverse("agreements:import"), data))

    with_it, without_it = _with_and_without(frontier, call)
    assert with_it == without_it
    assert with_it[0] == 302, with_it
    _untouched(frontier, world)


@pytest.mark.parametrize("replace", [False, True])
def test_command_line_import_answers_the_same_whether_or_not_norrlandia_has_the_reference(
    world: World, outsider: Outsider, frontier: Agreement, tmp_path: Path, replace: bool
) -> None:
    source = tmp_path / "avtal.yaml"
    source.write_text(FILE, encoding="utf-8")
    args = ["import", str(source), "--as", outsider.user.email] + (["--replace"] if replace else [])

    def call() -> tuple[str, str]:
        out = StringIO()
        try:
            call_command(*args, stdout=out)
        except CommandError as exc:
            return "error", str(exc)
        return "ok", out.getvalue()

    with_it, without_it = _with_and_without(frontier, call)
    assert with_it == without_it
    assert with_it[0] == "ok", with_it
    _untouched(frontier, world)


# Creating an agreement ------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["counterpart_name", "counterpart_id"])
def test_api_create_answers_the_same_whether_or_not_norrlandia_has_the_reference(
    world: World, outsider: Outsider, frontier: Agreement, by: str
) -> None:
    api = _api(outsider.user)
    data: dict[str, Any] = {
        "own_organisation_id": outsider.organisation.pk,
        "reference": "DEMO-FRONTIER",
        "title": "Rådgivning",
    }
    data[by] = world.customer.name if by == "counterpart_name" else world.customer.pk

    def call() -> tuple[int, Any]:
        return _json_answer(
            api.post("/api/v1/agreements", data=json.dumps(data), content_type="application/json")
        )

    with_it, without_it = _with_and_without(frontier, call)
    assert with_it == without_it
    assert with_it[0] == 201, with_it
    _untouched(frontier, world)


def test_new_agreement_form_answers_the_same_whether_or_not_norrlandia_has_the_reference(
    world: World, outsider: Outsider, frontier: Agreement, client_for: Any
) -> None:
    form = AgreementCreateForm(organisations=Organisation.objects.none())
    data = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    data.update(
        {
            "own_organisation": str(outsider.organisation.pk),
            "counterpart_name": world.customer.name,
            "counterpart": str(world.customer.pk),
            "reference": "DEMO-FRONTIER",
            "title": "Rådgivning",
        }
    )

    def call() -> tuple[int, str, list[str]]:
        return _page_answer(client_for(outsider.user).post(reverse("agreements:create"), data))

    with_it, without_it = _with_and_without(frontier, call)
    assert with_it == without_it
    assert with_it[0] == 302, with_it
    _untouched(frontier, world)


# What the outsider's agreement is ---------------------------------------------------------------


def test_an_outsiders_agreement_naming_norrlandia_is_not_norrlandias(
    world: World, outsider: Outsider, frontier: Agreement
) -> None:
    """The same reference is accepted, but what is made is not Norrlandia's agreement."""
    response = _api(outsider.user).post(
        "/api/v1/agreements/import", data=FILE, content_type="application/yaml"
    )
    assert response.status_code == 201
    made = Agreement.objects.get(pk=response.json()["id"])
    for person in (world.customer_owner, world.org_admin, world.customer_colleague):
        assert made not in visible_agreements(person)
    assert not made.participants.filter(side="customer").exists()
    _untouched(frontier, world)

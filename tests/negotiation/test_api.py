"""Negotiation cases in the API: the person's own cases only, a case whole (steps with their
marks, the matrix with hand-computed totals and ranking, the goals each option misses),
its brief; 404 for everyone not on the case on every endpoint, as for a missing case."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from samverkan.accounts.services import token_create
from samverkan.negotiation import services
from tests.conftest import World
from tests.negotiation.filled import filled_case

pytestmark = pytest.mark.django_db

OUTSIDERS = ("supplier_viewer", "other_supplier_user", "org_admin")


def _urls(pk: int) -> list[str]:
    return [
        reverse("api:negotiation_case", kwargs={"case_id": pk}),
        reverse("api:negotiation_brief", kwargs={"case_id": pk}),
    ]


def test_the_list_holds_only_the_persons_own_cases(world: World, client_for: Any) -> None:
    case = filled_case(world)
    other = services.case_create(
        organisation=world.supplier,
        actor=world.supplier_owner,
        title="Prisjustering",
        kind="change",
    )
    url = reverse("api:negotiation_cases")
    owner = client_for(world.customer_owner).get(url).json()
    assert [row["id"] for row in owner] == [case.pk]
    assert owner[0]["agreement"]["reference"] == "DRIFT-2025"
    assert owner[0]["organisation"] == "Norrlandia Försäkring AB"
    assert [row["id"] for row in client_for(world.supplier_owner).get(url).json()] == [other.pk]
    for persona in OUTSIDERS:
        assert client_for(getattr(world, persona)).get(url).json() == []
    assert client_for(None).get(url).status_code == 401


def test_a_case_whole_with_its_marks_matrix_and_ranking(world: World, client_for: Any) -> None:
    case = filled_case(world)
    body = client_for(world.customer_owner).get(_urls(case.pk)[0]).json()
    assert body["title"] == "Förnyelse av driftavtalet 2027" and body["kind"] == "renewal"
    assert [step["key"] for step in body["steps"]] == [
        "preparation", "context", "challenge", "interests",
        "alternatives", "check", "fallback", "execute",
    ]  # fmt: skip
    assert all(step["complete"] and step["thin"] == [] for step in body["steps"])
    assert [m["role"] for m in body["members"]] == ["Förhandlingsledare", "Driftexpert"]
    # Priorities 5 and 2: (5·5 + 4·2)/7 = 4.71, (4·5 + 1·2)/7 = 3.14, (2·5 + 5·2)/7 = 2.86.
    options = [(o["name"], o["weighted_total"], o["rank"]) for o in body["options"]]
    assert options == [
        ("Förlänga med skärpta villkor", "4.71", 1),
        ("Upphandla på nytt", "3.14", 2),
        ("Förlänga oförändrat", "2.86", 3),
    ]
    goals = {goal["text"]: goal["id"] for goal in body["goals"]}
    assert body["options"][2]["missed_goals"] == [goals["Tillgänglighet minst 99,7 %"]]
    assert body["options"][0]["missed_goals"] == []
    assert body["walk_away"] == "Högst 2 % högre årsavgift än i dag."
    assert body["actions"][0]["when"] == "2027-01-15" and body["actions"][0]["status"] == "underway"
    assert [f["source"] for f in body["facts"]][:1] == ["Leverantörsrelation"]


def test_a_thin_case_says_why(world: World, client_for: Any) -> None:
    case = services.case_create(
        organisation=world.customer, actor=world.customer_owner, title="Tvist", kind="dispute"
    )
    world.customer_owner.language = "en"  # the API speaks the person's language
    world.customer_owner.save()
    body = client_for(world.customer_owner).get(_urls(case.pk)[0]).json()
    assert not any(step["complete"] for step in body["steps"])
    assert "Set the walk-away point." in body["steps"][6]["thin"]
    assert body["agreement"] is None and body["facts"] == []


def test_facts_only_for_a_member_who_may_see_the_agreement(world: World, client_for: Any) -> None:
    case = filled_case(world)
    body = client_for(world.customer_colleague).get(_urls(case.pk)[0]).json()
    assert body["facts"] == []  # Lars is on the case, not on DRIFT-2025


def test_the_brief_in_both_formats_and_languages(world: World, client_for: Any) -> None:
    case = filled_case(world)
    client = client_for(world.customer_owner)
    url = _urls(case.pk)[1]
    word = client.get(url, {"format": "docx", "language": "en"})
    assert word.status_code == 200
    header = docx.Document(io.BytesIO(word.content)).sections[0].header.paragraphs[0].text
    assert header == "CONFIDENTIAL – Norrlandia Försäkring AB – for the negotiation team only"
    pdf = client.get(url)  # PDF in Karin's language (Swedish) by default
    assert pdf["Content-Type"] == "application/pdf"
    first = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "KONFIDENTIELLT – Norrlandia Försäkring AB" in first
    assert client.get(url, {"format": "html"}).status_code == 422


def test_a_token_reaches_the_brief(world: World, client_for: Any) -> None:
    case = filled_case(world)
    _token, raw = token_create(user=world.customer_owner, name="Skript")
    response = client_for(None).get(
        _urls(case.pk)[1], {"format": "docx"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_everyone_off_the_case_gets_404_as_for_a_missing_case(
    world: World, client_for: Any, persona: str
) -> None:
    case = filled_case(world)
    client = client_for(getattr(world, persona))
    for url, missing in zip(_urls(case.pk), _urls(case.pk + 1000), strict=True):
        found, absent = client.get(url), client.get(missing)
        assert (found.status_code, absent.status_code) == (404, 404)
        assert found.json() == absent.json() == {"detail": "Not found.", "errors": []}
    for url in _urls(case.pk):
        assert client_for(None).get(url).status_code == 401


def test_the_endpoints_are_in_the_openapi_document(client_for: Any, world: World) -> None:
    schema = client_for(world.customer_owner).get(reverse("api:openapi-json")).json()
    paths = schema["paths"]
    assert "/api/v1/negotiation/cases" in paths
    assert "/api/v1/negotiation/cases/{case_id}" in paths
    brief = paths["/api/v1/negotiation/cases/{case_id}/brief"]["get"]
    assert "application/pdf" in brief["responses"]["200"]["content"]

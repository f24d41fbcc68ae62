"""What schemathesis found (tests/api/test_schemathesis.py), each pinned as a plain test.

- A date where the schema says ``format: date`` took a number: pydantic reads
  ``0`` as seconds since 1970, so ``POST …/end {"end_date": 0}`` ended the
  agreement on 1 January 1970 and ``GET …/history?until=0`` answered 200.
  A date is ``YYYY-MM-DD``; a number, a date-time or anything else is a 422.
- The appendix documents (PDF, Word, HTML) came with a Content-Type that the
  OpenAPI document did not list.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from samverkan.agreements.models import Agreement, AgreementStatus
from tests.agreements.test_api import Api
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("end_date", [0, 1_700_000_000, "0", "2026-01-01T00:00:00", True])
def test_ending_takes_only_an_iso_date(world: World, end_date: Any) -> None:
    api = Api(world.customer_owner)
    response = api.post(f"/api/v1/agreements/{world.agreement.pk}/end", {"end_date": end_date})
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["path"] == "end_date"
    agreement = Agreement.objects.get(pk=world.agreement.pk)
    assert agreement.status != AgreementStatus.ENDED


def test_ending_on_an_iso_date_still_works(world: World) -> None:
    api = Api(world.customer_owner)
    response = api.post(f"/api/v1/agreements/{world.agreement.pk}/end", {"end_date": "2026-06-30"})
    assert response.status_code == 200, response.content[:300]
    assert Agreement.objects.get(pk=world.agreement.pk).end_date == datetime.date(2026, 6, 30)


@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_agreement_dates_take_only_an_iso_date(world: World, field: str) -> None:
    api = Api(world.customer_owner)
    path = f"/api/v1/agreements/{world.agreement.pk}"
    response = api.patch(path, {"version": world.agreement.version, field: 86_400})
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["path"] == field


@pytest.mark.parametrize("value", ["0", "86400", "2026-01-01T00:00:00", "2026-1-1"])
@pytest.mark.parametrize("parameter", ["since", "until"])
def test_history_filters_take_only_an_iso_date(world: World, parameter: str, value: str) -> None:
    api = Api(world.customer_owner)
    response = api.client.get(
        f"/api/v1/agreements/{world.agreement.pk}/history", {parameter: value}
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["path"] == parameter


def test_history_filters_take_an_iso_date(world: World) -> None:
    api = Api(world.customer_owner)
    response = api.client.get(
        f"/api/v1/agreements/{world.agreement.pk}/history",
        {"since": "2020-01-01", "until": "2030-12-31"},
    )
    assert response.status_code == 200, response.content[:300]


def test_a_health_round_closes_on_an_iso_date(world: World) -> None:
    api = Api(world.customer_owner)
    in_a_month = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=30)
    midnight = int(in_a_month.timestamp()) // 86_400 * 86_400  # exact, as pydantic wants it
    response = api.post(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds",
        {"title": "Hälsokontroll", "closes_on": midnight},
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["errors"][0]["path"] == "closes_on"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agreements/{agreement_id}/appendix/draft",
        "/api/v1/agreements/{agreement_id}/appendix/versions/{number}/document",
    ],
)
def test_the_openapi_document_lists_every_document_type(world: World, path: str) -> None:
    schema = Api(world.customer_owner).client.get("/api/v1/openapi.json").json()
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    for media_type in (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/html",
    ):
        assert media_type in content

"""The health API: rounds and results, and what it never reveals."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from samverkan.health.models import Invitation, Round
from tests.conftest import World
from tests.health.conftest import RoundMaker, enough_people

pytestmark = pytest.mark.django_db


def _api(world: World, client_for: Any, user: Any = None) -> Any:
    return client_for(user or world.customer_owner)


def test_an_owner_opens_a_round_through_the_api(world: World, client_for: Any) -> None:
    enough_people(world.agreement)  # four of each side: one more than the threshold
    client = _api(world, client_for)
    closes = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds",
        json.dumps({"title": "Hälsokontroll våren 2027", "closes_on": closes}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["accepts_answers"] is True
    assert body["customer"] == {"answered": 0, "invited": 4}
    assert body["supplier"] == {"answered": 0, "invited": 4}
    assert body["threshold"] == 3 and body["statement_threshold"] == 5
    listed = client.get(f"/api/v1/agreements/{world.agreement.pk}/health/rounds").json()
    assert [r["title"] for r in listed] == ["Hälsokontroll våren 2027"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x", "closes_on": "2020-01-01"}, "closes_on"),
        ({"title": "x", "closes_on": "2099-01-01", "threshold": 2}, "threshold"),
        ({"title": "x", "closes_on": "2099-01-01", "participant_ids": [999999]}, "participant_ids"),
        ({"title": "", "closes_on": "2099-01-01"}, "title"),
        ({"title": "x", "closes_on": "inte ett datum"}, "closes_on"),
    ],
)
def test_bad_input_is_a_4xx_with_a_reason(
    world: World, client_for: Any, payload: dict[str, Any], field: str
) -> None:
    response = _api(world, client_for).post(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert field in json.dumps(response.json()["detail"])
    assert not Invitation.objects.exists()


def test_results_withhold_a_side_of_two_and_name_nobody(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(
        customer=[4, 5, 3],
        supplier=[1, 2],
        recommend={"customer": [9, 10, 7], "supplier": [0, 3]},
    )
    response = _api(world, client_for, world.supplier_viewer).get(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds/{round.number}/results"
    )
    assert response.status_code == 200
    body = response.json()
    sides = {s["side"]: s for s in body["sides"]}
    assert sides["customer"]["overall"]["mean"] == pytest.approx(4.0)
    # One answer per person, like a single statement: three recommendations are too few to
    # show (the statements' group of 5), so two colluders cannot read the third's score.
    assert sides["customer"]["nps"] is None and sides["customer"]["nps_respondents"] is None
    supplier = sides["supplier"]
    assert supplier["withheld"] and supplier["overall"]["mean"] is None and supplier["nps"] is None
    for section in ("dimensions", "statements"):
        for row in body[section]:
            assert row["supplier"]["mean"] is None and row["supplier"]["distribution"] is None
    for row in body["mirror"]:
        if row["side"] == "supplier":
            assert row["self_view"]["mean"] is None
        else:
            assert row["other_view"]["mean"] is None
    # No user, e-mail or invitation appears anywhere in the answer.
    text = response.content.decode()
    for user in Invitation.objects.values_list("user__email", "user__full_name"):
        assert user[0] not in text and user[1] not in text
    assert "invitation" not in text and "token" not in text


def test_results_of_an_open_round_are_not_visible(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3, 3, 3], close=False)
    body = (
        _api(world, client_for)
        .get(f"/api/v1/agreements/{world.agreement.pk}/health/rounds/{round.number}/results")
        .json()
    )
    assert body["visible"] is False
    assert body["dimensions"] == [] and body["statements"] == []
    assert all(side["overall"]["mean"] is None for side in body["sides"])
    assert {s["side"]: s["answered"] for s in body["sides"]} == {"customer": 3, "supplier": 3}


def test_closing_through_the_api_releases_the_figures(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3, 3, 3], close=False)
    client = _api(world, client_for)
    base = f"/api/v1/agreements/{world.agreement.pk}/health/rounds/{round.number}"
    assert client.post(f"{base}/close").json()["accepts_answers"] is False
    dims = {d["key"]: d for d in client.get(f"{base}/results").json()["dimensions"]}
    assert dims["samarbete"]["gap"] == pytest.approx(1.0) and dims["samarbete"]["flagged"]


def test_a_viewer_cannot_close_or_remind(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    round = make_round(customer=[4], close=False)
    client = _api(world, client_for, world.supplier_viewer)
    base = f"/api/v1/agreements/{world.agreement.pk}/health/rounds/{round.number}"
    assert client.post(f"{base}/close").status_code == 403
    assert client.post(f"{base}/remind").status_code == 403


def test_an_out_of_range_participant_id_is_a_422_not_a_crash(world: World, client_for: Any) -> None:
    response = _api(world, client_for).post(
        f"/api/v1/agreements/{world.agreement.pk}/health/rounds",
        json.dumps({"title": "x", "closes_on": "2099-01-01", "participant_ids": [10**30]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "participant_ids" in json.dumps(response.json()["detail"])


def test_the_round_list_takes_the_same_queries_for_one_round_as_for_five(
    make_round: RoundMaker, world: World, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _api(world, client_for)
    url = f"/api/v1/agreements/{world.agreement.pk}/health/rounds"
    counts = []
    for rounds in (1, 5):
        while Round.objects.filter(agreement=world.agreement).count() < rounds:
            make_round(customer=[4, 4, 4], supplier=[3, 3, 3])
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(url).json()) == rounds
        counts.append(len(queries))
    assert counts[0] == counts[1]

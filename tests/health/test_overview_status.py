"""The overview's line on relationship health: the newest closed round's figures, in two
queries however many rounds the agreement has had."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.health import results
from samverkan.health.models import Round
from samverkan.health.selectors import HealthStatus, health_status
from tests.health.conftest import RoundMaker


def status_and_queries(round: Round) -> tuple[HealthStatus, int]:
    with CaptureQueriesContext(connection) as queries:
        status = health_status(agreement=round.agreement, language="sv")
    return status, len(queries)


def gap_by_dimension(dimension: str, target: str) -> int:
    # The supplier sees "leadership" far better than the customer: a flagged gap.
    return 5 if dimension == "leadership" else 3


def test_the_status_is_the_newest_closed_rounds_figures_as_its_results_page_shows_them(
    make_round: RoundMaker,
) -> None:
    make_round(customer=[2, 2, 3], supplier=[4, 4, 4], title="Våren")
    newest = make_round(
        customer=[4, 4, 5],
        supplier=[lambda key, dimension, target: gap_by_dimension(dimension, target)] * 3,
        title="Hösten",
    )
    status = health_status(agreement=newest.agreement, language="sv")
    page = results.round_results(newest, language="sv")
    assert status.round == newest
    assert status.customer == page.sides["customer"].overall.mean
    assert status.supplier == page.sides["supplier"].overall.mean
    # Every dimension of the instrument, the phases' too, as the overview has always listed.
    flagged = [row.name for row in page.dimensions if row.flagged and row.group != "own"]
    assert flagged
    assert status.flagged == flagged


def test_a_withheld_side_has_no_mean(make_round: RoundMaker) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3])
    status = health_status(agreement=round.agreement, language="sv")
    assert status.customer is not None
    assert status.supplier is None


def test_ten_rounds_take_as_many_queries_as_one(make_round: RoundMaker) -> None:
    first = make_round(customer=[4, 4, 4], supplier=[3, 3, 3], title="Runda 1")
    one_status, one = status_and_queries(first)
    assert one_status.round == first
    for n in range(2, 11):
        last = make_round(customer=[4, 4, 5], supplier=[3, 3, 4], title=f"Runda {n}")
    ten_status, ten = status_and_queries(last)
    assert ten_status.round == last
    assert ten == one == 2


def test_an_open_round_beside_closed_ones_takes_no_more_queries(make_round: RoundMaker) -> None:
    for n in range(3):
        make_round(customer=[4, 4, 4], supplier=[3, 3, 3], title=f"Runda {n}")
    open_round = make_round(close=False, title="Pågår")
    status, queries = status_and_queries(open_round)
    assert status.open_round == open_round
    assert status.round is not None and status.round.title == "Runda 2"
    assert queries == 2


def test_a_round_past_its_closing_date_is_closed_and_shown(make_round: RoundMaker) -> None:
    round = make_round(customer=[4, 4, 4], supplier=[3, 3, 3], close=False)
    Round.objects.filter(pk=round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    status = health_status(agreement=round.agreement, language="sv")
    assert status.round is not None and status.round.pk == round.pk
    assert status.customer is not None
    assert status.open_round is None

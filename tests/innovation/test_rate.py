"""The innovation rate (issue 12, point 8): the arithmetic with hand-computed values, the
figures on real rows per side of the proposer, the page with its chart and the sentence
when the supplier falls short, the overview panel's line, the portfolio column, the API,
and query counts that do not grow with the ideas."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.agreements.models import Agreement
from samverkan.innovation import rate
from samverkan.innovation.models import Framework, Idea, IdeaStep
from samverkan.innovation.rate import Quarter
from samverkan.innovation.rate_selectors import innovation_rate, innovation_rates
from samverkan.innovation.rate_views import rate_portfolio
from samverkan.lib.svgchart import ColumnSeries, column_chart
from tests.conftest import World
from tests.innovation.test_ideas import idea_world_fixture, move, propose  # noqa: F401

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 5, 10)  # the second quarter of 2026


# The arithmetic (pure) -------------------------------------------------------------------


def test_a_date_falls_in_its_calendar_quarter_and_quarters_follow_each_other() -> None:
    assert Quarter.of(datetime.date(2026, 2, 14)) == Quarter(2026, 1)
    assert Quarter.of(datetime.date(2026, 4, 1)) == Quarter(2026, 2)
    assert Quarter.of(datetime.date(2026, 12, 31)) == Quarter(2026, 4)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 3).first_day == datetime.date(2026, 7, 1)
    assert Quarter(2026, 1).key == "2026-Q1"


def test_the_period_runs_from_the_start_or_the_first_idea_to_the_current_quarter() -> None:
    expected = [Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]
    assert rate.period(datetime.date(2025, 9, 1), None, TODAY) == expected
    # An idea before the start counts from its quarter.
    assert rate.period(datetime.date(2025, 12, 1), datetime.date(2025, 8, 2), TODAY) == expected
    # No start, no idea, or a start in the future: the current quarter alone.
    assert rate.period(None, None, TODAY) == [Quarter(2026, 2)]
    assert rate.period(datetime.date(2027, 1, 1), None, TODAY) == [Quarter(2026, 2)]


def test_the_rate_is_the_mean_over_the_last_four_completed_quarters() -> None:
    period = rate.period(datetime.date(2025, 1, 1), None, TODAY)  # 2025 Q1 .. 2026 Q2
    window = rate.rate_window(period, TODAY)
    assert window == [Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1)]
    counts = {Quarter(2025, 1): 9, Quarter(2025, 3): 1, Quarter(2026, 1): 2, Quarter(2026, 2): 7}
    # (0 + 1 + 0 + 2) / 4 = 0.75; 2025 Q1 is older, 2026 Q2 still in progress.
    assert rate.per_quarter(counts, window) == Decimal("0.75")
    # Three completed quarters: 5 / 3 = 1.666... -> 1.67.
    short = rate.rate_window(rate.period(datetime.date(2025, 7, 1), None, TODAY), TODAY)
    assert short == [Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1)]
    assert rate.per_quarter({Quarter(2025, 3): 2, Quarter(2026, 1): 3}, short) == Decimal("1.67")
    # None completed yet: the current quarter alone.
    first = rate.rate_window([Quarter(2026, 2)], TODAY)
    assert first == [Quarter(2026, 2)]
    assert rate.per_quarter({Quarter(2026, 2): 1}, first) == Decimal("1.00")


def test_the_median_decision_time_in_days() -> None:
    assert rate.median_days([2 * DAY, 10 * DAY, 4 * DAY]) == Decimal("4.0")
    # An even count: the mean of the middle two, (2 + 3.5) / 2 = 2.75 -> 2.8.
    assert rate.median_days([DAY, 8 * DAY, 2 * DAY, datetime.timedelta(days=3, hours=12)]) == (
        Decimal("2.8")
    )
    assert rate.median_days([datetime.timedelta(hours=6)]) == Decimal("0.3")
    assert rate.median_days([]) is None


def test_shares_effect_ratio_and_falling_short() -> None:
    assert rate.share(2, 3) == Decimal("66.7")
    assert rate.share(1, 2) == Decimal("50.0")
    assert rate.share(0, 4) == Decimal("0.0")
    assert rate.share(0, 0) is None
    # 30/40 = 0.75 and 50/40 = 1.25: a mean of 100 %; no or zero expected effect: left out.
    pairs = [(Decimal(30), Decimal(40)), (Decimal(50), Decimal(40))]
    assert rate.effect_ratio([*pairs, (Decimal(10), None), (Decimal(5), Decimal(0))]) == (
        Decimal(100),
        2,
    )
    # 300/320 = 0.9375 and 12/12 = 1: a mean of 0.96875 -> 97 %.
    assert rate.effect_ratio([(Decimal(300), Decimal(320)), (Decimal(12), Decimal(12))]) == (
        Decimal(97),
        2,
    )
    assert rate.effect_ratio([]) == (None, 0)
    assert rate.falls_short(Decimal("0.25"), 1)
    assert not rate.falls_short(Decimal(1), 1)
    assert not rate.falls_short(Decimal(0), None)
    assert not rate.falls_short(Decimal(0), 0)


def test_the_column_chart_writes_every_value_and_the_expected_line() -> None:
    svg = column_chart(
        ["K1 2026", "K2 2026"],
        [
            ColumnSeries("Kund <AB>", [1, 0], "customer"),
            ColumnSeries("Leverantör", [2, 3], "supplier"),
        ],
        title="Idéer per kvartal",
        reference=3,
        reference_label="Förväntat av leverantören: 3 per kvartal",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "Kund &lt;AB&gt;" in svg and "<AB>" not in svg
    assert 'class="reference"' in svg and svg.count('class="column ') == 3  # a 0 draws none
    assert "Leverantör: K1 2026 2, K2 2026 3." in svg  # the description lists the values
    narrow = column_chart(
        ["K1 2026"], [ColumnSeries("Kund", [1], "customer")], title="T", narrow=True
    )
    assert 'viewBox="0 0 360 ' in narrow and 'class="reference"' not in narrow
    with pytest.raises(ValueError, match="values for 2 periods"):
        column_chart(["a", "b"], [ColumnSeries("Kund", [1], "customer")], title="T")


# On real rows ------------------------------------------------------------------------------


def _at(idea: Idea, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Idea.objects.filter(pk=idea.pk).update(created_at=moment)


def _decided(idea: Idea, to: str, days: float) -> None:
    idea.refresh_from_db()
    IdeaStep.objects.filter(idea=idea, to_stage=to).update(
        at=idea.created_at + datetime.timedelta(days=days)
    )


@pytest.fixture
def rated(idea_world: World) -> World:
    """Agreement from 1 July 2025; the framework expects 3 ideas a quarter.

    Supplier: A (2025 Q3) approved after 4 days, implemented and measured (35 of 40
    hours: 87.5 %); B (Q4) rejected after 10 days; C (2026 Q1) parked after 2 days, later
    approved; D (2026 Q2, in progress) proposed. Customer: E (2026 Q1) approved after 6."""
    w = idea_world
    Agreement.objects.filter(pk=w.agreement.pk).update(start_date=datetime.date(2025, 7, 1))
    w.agreement.refresh_from_db()
    Framework.objects.filter(agreement=w.agreement).update(ideas_per_quarter=3)
    boss = w.customer_owner
    a = propose(w, title="A")
    for to, reason in (("evaluation", ""), ("approved", "Ja."), ("implementation", "")):
        move(a, boss, to, reason)
    move(a, w.supplier_owner, "implemented")
    move(a, w.supplier_owner, "measured")
    b = propose(w, title="B")
    move(b, boss, "evaluation")
    move(b, boss, "rejected", "Nej.")
    c = propose(w, title="C")
    move(c, boss, "evaluation")
    move(c, boss, "parked", "Senare.")
    move(c, boss, "evaluation")
    move(c, boss, "approved", "Nu.")
    d = propose(w, title="D")
    e = propose(w, title="E", actor=boss)
    move(e, boss, "evaluation")
    move(e, boss, "approved", "Ja.")
    for idea, day in (
        (a, datetime.date(2025, 8, 10)),
        (b, datetime.date(2025, 11, 3)),
        (c, datetime.date(2026, 2, 1)),
        (d, datetime.date(2026, 4, 20)),
        (e, datetime.date(2026, 1, 15)),
    ):
        _at(idea, day)
    _decided(a, "approved", 4)
    _decided(b, "rejected", 10)
    _decided(c, "parked", 2)
    _decided(c, "approved", 20)
    _decided(e, "approved", 6)
    return w


@pytest.mark.django_db
def test_the_rate_per_side_on_real_rows(rated: World) -> None:
    r = innovation_rate(rated.agreement, today=TODAY)
    assert r.period == [Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]
    assert r.window == r.period[:3] and r.window_completed
    assert (r.expected, r.expected_from) == (3, "framework")
    supplier = r.sides["supplier"]
    assert supplier.by_quarter == {
        Quarter(2025, 3): 1,
        Quarter(2025, 4): 1,
        Quarter(2026, 1): 1,
        Quarter(2026, 2): 1,
    }
    assert supplier.ideas == 4 and supplier.per_quarter == Decimal("1.00")  # 3 / 3
    assert (supplier.decided, supplier.approved, supplier.implemented) == (3, 2, 1)
    assert supplier.approved_share == Decimal("66.7")
    assert supplier.implemented_share == Decimal("50.0")
    assert supplier.median_days == Decimal("4.0")  # 4, 10 and 2 (C's first decision)
    assert (supplier.effect_percent, supplier.measured) == (Decimal(88), 1)  # 35/40
    customer = r.sides["customer"]
    assert customer.per_quarter == Decimal("0.33") and customer.median_days == Decimal("6.0")
    assert (customer.approved_share, customer.implemented_share) == (
        Decimal("100.0"),
        Decimal("0.0"),
    )
    both = r.sides["all"]
    assert both.per_quarter == Decimal("1.33") and both.approved_share == Decimal("75.0")
    assert both.median_days == Decimal("5.0")  # 2, 4, 6, 10
    assert r.falls_short  # 1 < 3


@pytest.mark.django_db
def test_without_a_framework_rate_the_governance_profile_is_expected(rated: World) -> None:
    from samverkan.relationships.models import Relationship

    Framework.objects.filter(agreement=rated.agreement).update(ideas_per_quarter=None)
    Relationship.objects.update_or_create(
        agreement=rated.agreement, defaults={"ideas_per_quarter": 1}
    )
    r = innovation_rate(rated.agreement, today=TODAY)
    assert (r.expected, r.expected_from) == (1, "profile") and not r.falls_short


@pytest.mark.django_db
def test_the_rate_takes_six_queries_for_five_ideas_and_for_fifty(idea_world: World) -> None:
    w = idea_world

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            innovation_rates([w.agreement, w.other_agreement])
        return len(captured)

    for _ in range(5):
        move(propose(w), w.customer_owner, "evaluation")
    five = queries()
    for _ in range(45):
        move(propose(w), w.customer_owner, "evaluation")
    assert queries() == five == 6


# The page, the overview, the portfolio, the API ----------------------------------------------


@pytest.mark.django_db
def test_the_page_says_the_supplier_falls_short_and_draws_the_chart(
    rated: World, client_for: Any
) -> None:
    url = reverse("innovation:rate", args=[rated.agreement.pk])
    text = client_for(rated.supplier_viewer).get(url).content.decode()
    assert 'id="rate-sentence"' in text and "alert-warning" in text
    assert "Leverantören har föreslagit" in text and "ramverket förväntar 3" in text
    assert text.count('class="sv-columns innovation-rate-chart') == 2  # wide and narrow
    assert "Idéer per kvartal" in text and 'class="reference"' in text
    assert 'id="rate-quarters"' in text and 'id="rate-figures"' in text
    assert "66,7 % (2 av 3)" in text  # the supplier's approved share
    assert f'aria-current="page" href="{url}"' in text  # the sub-nav's link, current


@pytest.mark.django_db
def test_the_page_queries_do_not_grow_with_the_ideas(idea_world: World, client_for: Any) -> None:
    w = idea_world
    client = client_for(w.customer_owner)
    url = reverse("innovation:rate", args=[w.agreement.pk])

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(5):
        propose(w)
    five = queries()
    for _ in range(45):
        propose(w)
    assert queries() == five


@pytest.mark.django_db
def test_the_overview_panel_has_the_rate_line(rated: World, client_for: Any) -> None:
    text = (
        client_for(rated.customer_owner)
        .get(reverse("agreements:detail", args=[rated.agreement.pk]))
        .content.decode()
    )
    assert 'id="innovation-rate"' in text and "Leverantören har föreslagit" in text
    assert reverse("innovation:rate", args=[rated.agreement.pk]) in text


@pytest.mark.django_db
def test_the_portfolio_column_warns_for_every_agreement_in_constant_queries(
    rated: World,
) -> None:
    with CaptureQueriesContext(connection) as captured:
        cells = rate_portfolio(rated.customer_owner, [rated.agreement, rated.other_agreement])
    assert len(captured) == 6
    cell = cells[rated.agreement.pk]
    assert cell.tone == "warning" and cell.url.endswith("/innovation/rate/")
    assert " av 3 per kvartal" in cell.text
    # The other agreement has no ideas and no expectation: an empty cell.
    assert rated.other_agreement.pk not in cells


@pytest.mark.django_db
def test_the_api_gives_the_same_figures(rated: World, client_for: Any) -> None:
    url = reverse("api:innovation_rate", kwargs={"agreement_id": rated.agreement.pk})
    body = client_for(rated.supplier_viewer).get(url).json()
    assert body["expected_per_quarter"] == 3 and body["expected_from"] == "framework"
    assert isinstance(body["falls_short"], bool)
    supplier = body["supplier"]
    assert supplier["ideas"] == 4 and supplier["approved_percent"] == "66.7"
    assert supplier["median_days_to_decision"] == "4.0"
    assert supplier["quarters"][0] == {"quarter": "2025-Q3", "ideas": 1}
    assert body["customer"]["ideas"] == 1 and body["all"]["ideas"] == 5
    outsider = client_for(rated.other_supplier_user).get(url)
    assert outsider.status_code == 404


# The demo ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_spreads_ideas_over_quarters_and_utility_falls_short(client_for: Any) -> None:
    from samverkan.accounts.models import User
    from samverkan.core import demo

    demo.load()
    ideas = Idea.objects.filter(agreement__reference="DEMO-ENHANCEMENT")
    created = {
        (moment.year, (moment.month - 1) // 3)
        for moment in ideas.values_list("created_at", flat=True)
    }
    assert len(created) >= 5  # eight ideas over at least five quarters
    for idea in Idea.objects.prefetch_related("steps"):
        moments = [idea.created_at, *(step.at for step in idea.steps.all())]
        assert moments == sorted(moments), idea.title  # each step after the one before
        assert moments[-1] <= timezone.now()
    dates = sorted(Idea.objects.values_list("pk", "created_at"))
    demo.load()  # again: nothing moves
    assert sorted(Idea.objects.values_list("pk", "created_at")) == dates

    utility = Agreement.objects.get(reference="DEMO-UTILITY")
    rates = innovation_rates(list(Agreement.objects.filter(reference__startswith="DEMO-")))
    assert rates[utility.pk].falls_short and rates[utility.pk].expected_from == "profile"
    assert rates[utility.pk].supplier.per_quarter == Decimal("0.25")  # one idea in 4 quarters
    owner = User.objects.get(email="kund@example.com")
    text = client_for(owner).get(reverse("innovation:rate", args=[utility.pk])).content.decode()
    assert (
        "Leverantören har föreslagit 0,25 idéer per kvartal i snitt de senaste 4 avslutade "
        "kvartalen; relationstypens styrprofil förväntar 1."
    ) in text

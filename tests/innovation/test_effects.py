"""Realised effects, their totals per area and year, the gain-share ledger and the joint
fund's ledger (issue 12, points 1 and 6): services with hand-computed figures, the
pages, the API and the agreement's history."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from samverkan.agreements.models import Participant
from samverkan.core.errors import StaleEditError
from samverkan.innovation import effect_services, ledger
from samverkan.innovation.effect_services import effect_record, fund_entry_add
from samverkan.innovation.idea_services import idea_propose, idea_transition
from samverkan.innovation.models import FundEntry, Idea, RealisedEffect
from samverkan.innovation.selectors import framework_of
from samverkan.innovation.services import framework_save
from tests.conftest import World
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(name="w")
def effect_world(framework_world: World) -> World:
    """A gain-share framework 60/40 from 1 January 2026 for 12 months."""
    w = framework_world
    Participant.objects.filter(agreement=w.agreement, user=w.supplier_owner).update(role="editor")
    framework_save(
        agreement=w.agreement,
        actor=None,
        version=0,
        **framework_fields(
            w,
            customer_share=60,
            supplier_share=40,
            gain_share_months=12,
            gain_share_from=datetime.date(2026, 1, 1),
        ),
    )
    return w


def implemented(
    w: World, title: str = "Automatisk fakturakontroll", *, unit: str = "sek_per_year", **more: Any
) -> Idea:
    """An idea taken to "implemented" (approved by the council within its mandate)."""
    fields: dict[str, Any] = {
        "title": title,
        "area": "processes",
        "problem": "Fakturor kontrolleras för hand.",
        "proposal": "Kontrollera varje faktura mot avtalade priser.",
        "cost": 100000,
        "effect": "500000",
        "effect_unit": unit,
        "baseline": "2000000",
    }
    fields.update(more)
    idea = idea_propose(agreement=w.agreement, actor=w.supplier_owner, **fields)
    for to in ("evaluation", "approved", "implementation", "implemented"):
        idea = idea_transition(
            idea=idea, actor=w.customer_owner, to=to, reason="Ryms i mandatet.", version=None
        )
    return idea


def measure(idea: Idea, actor: Any, realised: str, on: datetime.date = TODAY) -> RealisedEffect:
    """Record the effect today (the idea is new), then date it as the test needs."""
    idea.refresh_from_db()
    effect = effect_record(
        idea=idea,
        actor=actor,
        realised=realised,
        measured_on=TODAY,
        evidence="Ekonomirapporten för kvartalet.",
        version=idea.version,
    )
    RealisedEffect.objects.filter(pk=effect.pk).update(measured_on=on)
    effect.refresh_from_db()
    return effect


# Recording the effect -----------------------------------------------------------------------


def test_recording_the_effect_measures_the_idea_in_one_step(w: World) -> None:
    idea = implemented(w)
    effect = effect_record(
        idea=idea,
        actor=w.supplier_owner,
        realised="420000",
        measured_on=TODAY,
        evidence="Ekonomirapporten för oktober.",
        version=idea.version,
    )
    idea.refresh_from_db()
    assert idea.stage == "measured"
    assert effect.realised == Decimal("420000.00") and effect.recorded_by == w.supplier_owner
    assert idea.steps.last().to_stage == "measured"  # type: ignore[union-attr]


def test_the_effect_waits_for_implementation(w: World) -> None:
    idea = idea_propose(
        agreement=w.agreement,
        actor=w.customer_owner,
        title="Snabbare prisändringar",
        area="processes",
        problem="Tar tio dagar.",
        proposal="Automatisera.",
        cost=0,
    )
    with pytest.raises(ValidationError) as caught:
        effect_record(
            idea=idea,
            actor=w.customer_owner,
            realised="3",
            measured_on=TODAY,
            evidence="Mätning.",
            version=idea.version,
        )
    assert "once the idea is implemented" in caught.value.messages[0]
    assert not RealisedEffect.objects.exists()


def test_every_problem_is_named_by_field_and_nothing_is_saved(w: World) -> None:
    idea = implemented(w)
    with pytest.raises(ValidationError) as caught:
        effect_record(
            idea=idea,
            actor=w.customer_owner,
            realised="many",
            measured_on=TODAY + datetime.timedelta(days=1),
            evidence="   ",
            version=idea.version,
        )
    problems = caught.value.message_dict
    assert problems["realised"] == ["Enter a number."]
    assert problems["measured_on"] == ["The effect cannot be measured in the future."]
    assert "what the figure rests on" in problems["evidence"][0]
    with pytest.raises(ValidationError) as caught:
        effect_record(
            idea=idea,
            actor=w.customer_owner,
            realised=None,
            measured_on=datetime.date(2020, 1, 1),
            evidence="Mätning.",
            version=idea.version,
        )
    assert caught.value.message_dict["measured_on"] == [
        "The effect cannot be measured before the idea was proposed."
    ]
    idea.refresh_from_db()
    assert idea.stage == "implemented" and not RealisedEffect.objects.exists()


def test_a_stale_record_and_a_stale_correction_are_refused(w: World) -> None:
    idea = implemented(w)
    seen = idea.version
    effect = measure(idea, w.customer_owner, "100")  # the other person records first
    with pytest.raises(StaleEditError):
        effect_record(
            idea=idea,
            actor=w.supplier_owner,
            realised="200",
            measured_on=TODAY,
            evidence="Min mätning.",
            version=seen,
        )
    corrected = effect_record(
        idea=idea,
        actor=w.supplier_owner,
        realised="150",
        measured_on=TODAY,
        evidence="Rättad efter avstämning.",
        version=effect.version,
    )
    assert corrected.realised == Decimal("150.00") and corrected.version == effect.version + 1
    with pytest.raises(StaleEditError):
        effect_record(
            idea=idea,
            actor=w.customer_owner,
            realised="175",
            measured_on=TODAY,
            evidence="Ännu en.",
            version=effect.version,
        )
    assert RealisedEffect.objects.get().realised == Decimal("150.00")


# Totals and the gain-share ledger (hand-computed) ------------------------------------------


def test_totals_per_area_year_and_unit(w: World) -> None:
    a = implemented(w, "Fakturakontroll", effect="500000")
    b = implemented(w, "Prisrobot", effect="300000")
    c = implemented(w, "Snabbspår", area="business", unit="hours_per_month", effect="40")
    d = implemented(w, "Självservice", effect="100000")
    measure(a, w.customer_owner, "420000", datetime.date(2026, 3, 31))
    measure(b, w.customer_owner, "250000.50", datetime.date(2026, 11, 1))
    measure(c, w.customer_owner, "35", datetime.date(2026, 6, 30))
    measure(d, w.customer_owner, "80000", datetime.date(2027, 1, 15))
    rows = [
        (row.year, row.area, row.unit, row.ideas, row.expected, row.realised)
        for row in ledger.effect_totals(w.agreement)
    ]
    assert rows == [
        (2026, "business", "hours per month", 1, Decimal("40.00"), Decimal("35.00")),
        (2026, "processes", "SEK per year", 2, Decimal("800000.00"), Decimal("670000.50")),
        (2027, "processes", "SEK per year", 1, Decimal("100000.00"), Decimal("80000.00")),
    ]


def test_the_gain_share_ledger_splits_sek_effects_within_the_period(w: World) -> None:
    inside = implemented(w, "Fakturakontroll")
    odd = implemented(w, "Prisrobot")
    after = implemented(w, "Självservice")
    loss = implemented(w, "Molnflytt")
    nps = implemented(w, "Kundportal", unit="nps_points", effect="10")
    measure(inside, w.customer_owner, "1050000", datetime.date(2026, 3, 31))
    measure(odd, w.customer_owner, "333333.33", datetime.date(2026, 12, 31))  # last day
    measure(after, w.customer_owner, "90000", datetime.date(2027, 1, 1))  # first day after
    measure(loss, w.customer_owner, "-20000", datetime.date(2026, 5, 1))
    measure(nps, w.customer_owner, "8", datetime.date(2026, 5, 1))
    result = ledger.gain_share_ledger(framework_of(w.agreement))
    assert result is not None
    lines = {line.effect.idea.title: line for line in result.lines}
    # 60 % of 1 050 000 = 630 000; the supplier gets the rest.
    assert (lines["Fakturakontroll"].customer, lines["Fakturakontroll"].supplier) == (
        Decimal("630000.00"),
        Decimal("420000.00"),
    )
    # 60 % of 333 333,33 = 199 999,998 → 200 000,00; the supplier 133 333,33.
    assert (lines["Prisrobot"].customer, lines["Prisrobot"].supplier) == (
        Decimal("200000.00"),
        Decimal("133333.33"),
    )
    assert not lines["Självservice"].within and lines["Självservice"].customer == 0
    assert not lines["Molnflytt"].within and lines["Molnflytt"].supplier == 0
    assert "Kundportal" not in lines and result.other_units == 1
    assert (result.customer, result.supplier) == (Decimal("830000.00"), Decimal("553333.33"))
    assert result.realised == Decimal("1383333.33")
    assert result.ends_on == datetime.date(2027, 1, 1)


def test_no_gain_share_ledger_without_gain_share(w: World) -> None:
    framework = framework_of(w.agreement)
    assert framework is not None
    framework.funding = "none"
    assert ledger.gain_share_ledger(framework) is None
    assert ledger.gain_share_ledger(None) is None


# The joint fund ---------------------------------------------------------------------------


@pytest.fixture(name="fund")
def fund_world(w: World) -> World:
    framework = framework_of(w.agreement)
    assert framework is not None
    framework_save(
        agreement=w.agreement,
        actor=None,
        version=framework.version,
        **framework_fields(
            w, funding="joint_fund", customer_contribution=600000, supplier_contribution=300000
        ),
    )
    return w


def add(w: World, kind: str, amount: int, on: datetime.date, **more: Any) -> FundEntry:
    return fund_entry_add(
        agreement=w.agreement, actor=w.customer_owner, kind=kind, amount=amount, on=on, **more
    )


def test_the_fund_ledger_keeps_a_running_balance_and_each_years_payments(fund: World) -> None:
    w = fund
    idea = implemented(w, "Fakturakontroll")
    add(w, "contribution", 600000, datetime.date(2025, 1, 31), side="customer")
    add(w, "contribution", 300000, datetime.date(2025, 1, 31), side="supplier")
    add(w, "spending", 150000, datetime.date(2025, 11, 14), idea=idea)
    add(w, "contribution", 600000, datetime.date(2026, 1, 30), side="customer")
    add(w, "spending", 25000, datetime.date(2026, 3, 1), text="Workshop om målen")
    result = ledger.fund_ledger(framework_of(w.agreement))
    assert result is not None
    assert [line.balance for line in result.lines] == [600000, 900000, 750000, 1350000, 1325000]
    assert (result.paid, result.spent, result.balance) == (1500000, 175000, 1325000)
    assert [(y.year, y.customer_paid, y.supplier_paid, y.spent) for y in result.years] == [
        (2025, 600000, 300000, 150000),
        (2026, 600000, 0, 25000),
    ]
    assert effect_services.fund_balance(w.agreement) == 1325000


def test_the_fund_refuses_what_it_cannot_hold(fund: World) -> None:
    w = fund
    add(w, "contribution", 100000, datetime.date(2026, 1, 30), side="supplier")
    with pytest.raises(ValidationError) as caught:
        add(w, "spending", 100001, datetime.date(2026, 2, 1), text="För dyr workshop")
    assert caught.value.message_dict["amount"] == [
        "The fund holds SEK\xa0100,000; it cannot pay SEK\xa0100,001."
    ]
    with pytest.raises(ValidationError) as caught:
        add(w, "contribution", 0, TODAY + datetime.timedelta(days=1))
    problems = caught.value.message_dict
    assert set(problems) == {"side", "amount", "on"}
    with pytest.raises(ValidationError) as caught:
        add(w, "spending", 500, TODAY)
    assert caught.value.message_dict["text"] == ["Say what the fund paid for, or choose the idea."]
    spent = add(w, "spending", 60000, datetime.date(2026, 2, 1), text="Prototyp")
    contribution = FundEntry.objects.get(kind="contribution")
    with pytest.raises(ValidationError) as caught:  # its money is already spent
        effect_services.fund_entry_remove(entry=contribution)
    assert "would hold SEK\xa0-60,000" in caught.value.messages[0]
    effect_services.fund_entry_remove(entry=spent)
    effect_services.fund_entry_remove(entry=contribution)
    assert not FundEntry.objects.exists()


def test_no_ledger_lines_without_a_joint_fund(w: World) -> None:
    with pytest.raises(ValidationError) as caught:
        add(w, "contribution", 100000, TODAY, side="customer")
    assert "no joint innovation fund" in caught.value.messages[0]


# Pages ------------------------------------------------------------------------------------


def _text(response: Any) -> str:
    """The page as a person reads it (the pages are in Swedish; spaces in amounts plain)."""
    return str(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def _idea_url(w: World, idea: Idea, name: str = "idea") -> str:
    return reverse(f"innovation:{name}", args=[w.agreement.pk, idea.number])


def test_the_idea_page_records_the_effect_and_keeps_input_on_a_problem(
    w: World, client_for: Any
) -> None:
    idea = implemented(w)
    editor, viewer = client_for(w.supplier_owner), client_for(w.supplier_viewer)
    page = _text(editor.get(_idea_url(w, idea)))
    assert 'id="effect-form"' in page and "Registrera realiserad effekt" in page
    assert 'data-to="measured"' not in page  # no plain move to "effect measured"
    assert 'id="effect-form"' not in viewer.get(_idea_url(w, idea)).content.decode()
    bad = editor.post(
        _idea_url(w, idea, "idea_effect"),
        {"realised": "420000", "measured_on": "", "evidence": "Rapporten", "version": idea.version},
    )
    assert bad.status_code == 400
    text = _text(bad)
    assert "Rapporten" in text and 'value="420000"' in text and "Detta fält måste fyllas i." in text
    ok = editor.post(
        _idea_url(w, idea, "idea_effect"),
        {
            "realised": "420000",
            "measured_on": TODAY.isoformat(),
            "evidence": "Rapporten",
            "version": idea.version,
        },
    )
    assert ok.status_code == 302
    page = _text(editor.get(_idea_url(w, idea)))
    assert 'id="effect-realised"' in page and "420 000" in page
    # 60/40 of 420 000 within the period (1 Jan 2026 + 12 months) when today is inside it.
    if datetime.date(2026, 1, 1) <= TODAY < datetime.date(2027, 1, 1):
        assert "252 000 kr" in page and "168 000 kr" in page
    assert "Rätta den realiserade effekten" in page
    assert viewer.post(_idea_url(w, idea, "idea_effect"), {}).status_code == 403
    outsider = client_for(w.other_supplier_user)
    assert outsider.post(_idea_url(w, idea, "idea_effect"), {}).status_code == 404


def test_the_history_tells_the_effect_in_plain_words(w: World, client_for: Any) -> None:
    idea = implemented(w)
    measure(idea, w.supplier_owner, "420000")
    page = client_for(w.customer_owner).get(reverse("agreements:history", args=[w.agreement.pk]))
    text = _text(page)
    assert "registrerade den realiserade effekten av idén ”Automatisk fakturakontroll”" in text


def test_the_effects_page_shows_totals_and_the_gain_share_ledger(w: World, client_for: Any) -> None:
    idea = implemented(w)
    measure(idea, w.customer_owner, "1050000", datetime.date(2026, 3, 31))
    page = client_for(w.supplier_viewer).get(reverse("innovation:effects", args=[w.agreement.pk]))
    text = _text(page)
    assert page.status_code == 200
    assert 'id="totals-table"' in text and "kronor per år" in text
    assert 'id="gain-share-customer">630 000 kr</td>' in text
    assert 'id="gain-share-supplier">420 000 kr</td>' in text
    assert 'id="fund"' not in text


def test_the_effects_page_keeps_the_fund_ledger(fund: World, client_for: Any) -> None:
    w = fund
    url = reverse("innovation:effects", args=[w.agreement.pk])
    editor = client_for(w.customer_owner)
    assert 'id="fund-empty"' in editor.get(url).content.decode()
    refused = editor.post(
        reverse("innovation:fund_add", args=[w.agreement.pk]),
        {"kind": "spending", "on": "2026-02-01", "amount": "50 000", "text": "Prototyp"},
    )
    assert refused.status_code == 400
    text = _text(refused)
    assert "Fonden har 0 kr; den kan inte betala 50 000 kr." in text and "Prototyp" in text
    added = editor.post(
        reverse("innovation:fund_add", args=[w.agreement.pk]),
        {"kind": "contribution", "side": "customer", "on": "2026-01-30", "amount": "600 000"},
    )
    assert added.status_code == 302
    text = _text(editor.get(url))
    assert "Fonden har <strong>600 000 kr</strong>." in text
    entry = FundEntry.objects.get()
    viewer = client_for(w.supplier_viewer)
    assert 'id="fund-form"' not in viewer.get(url).content.decode()
    remove = reverse("innovation:fund_remove", args=[w.agreement.pk, entry.pk])
    assert viewer.post(remove).status_code == 403
    assert editor.post(remove).status_code == 302
    assert not FundEntry.objects.exists()


def test_the_effects_page_reads_in_constant_queries(fund: World, client_for: Any) -> None:
    w = fund
    client = client_for(w.customer_owner)
    url = reverse("innovation:effects", args=[w.agreement.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def grow(n: int) -> None:
        for _ in range(n):
            idea = implemented(w, f"Idé {Idea.objects.count() + 1}")
            measure(idea, w.customer_owner, "1000")
            add(w, "contribution", 1000, datetime.date(2026, 1, 30), side="customer")
            add(w, "spending", 500, datetime.date(2026, 2, 1), idea=idea)

    grow(2)
    few = count()
    grow(10)
    assert count() == few


def test_the_board_sends_an_implemented_idea_to_record_its_effect(
    w: World, client_for: Any
) -> None:
    idea = implemented(w)
    page = client_for(w.customer_owner).get(reverse("innovation:board", args=[w.agreement.pk]))
    text = _text(page)
    assert f'{_idea_url(w, idea)}#effect">Registrera realiserad effekt</a>' in text
    assert 'data-sv-to="measured"' not in text


# API --------------------------------------------------------------------------------------


def _json(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def test_the_api_records_corrects_and_reads_effects(w: World, client_for: Any) -> None:
    idea = implemented(w)
    url = f"/api/v1/agreements/{w.agreement.pk}/innovation/ideas/{idea.number}/effect"
    client = client_for(w.supplier_owner)
    assert client.get(url).status_code == 404  # not measured yet
    body = {"realised": "1050000", "measured_on": "2026-03-31", "evidence": "Rapport"}
    bad = _json(client, "put", url, {**body, "measured_on": "2099-01-01", "version": idea.version})
    assert bad.status_code == 400 and "i framtiden" in bad.json()["detail"]
    created = _json(client, "put", url, {**body, "measured_on": TODAY.isoformat(), "version": 99})
    assert created.status_code == 409
    idea.refresh_from_db()
    created = _json(
        client, "put", url, {**body, "measured_on": TODAY.isoformat(), "version": idea.version}
    )
    assert created.status_code == 200, created.content
    RealisedEffect.objects.update(measured_on=datetime.date(2026, 3, 31))
    data = client.get(url).json()
    assert data["realised"] == "1050000.00" and data["unit"] == "kronor per år"
    assert data["share"] == {"customer": "630000.00", "supplier": "420000.00", "within": True}
    assert (
        _json(client_for(w.supplier_viewer), "put", url, {**body, "version": 1}).status_code == 403
    )
    assert client_for(w.other_supplier_user).get(url).status_code == 404
    effects = client.get(f"/api/v1/agreements/{w.agreement.pk}/innovation/effects").json()
    assert effects["gain_share"]["customer"] == "630000.00"
    assert effects["totals"][0]["realised"] == "1050000.00" and effects["fund"] is None


def test_the_api_keeps_the_fund_ledger(fund: World, client_for: Any) -> None:
    w = fund
    client = client_for(w.supplier_owner)
    url = f"/api/v1/agreements/{w.agreement.pk}/innovation/fund"
    line = {"kind": "contribution", "side": "supplier", "on": "2026-01-30", "amount": 300000}
    created = _json(client, "post", url, line)
    assert created.status_code == 201 and created.json()["balance"] == 300000
    too_much = _json(
        client, "post", url, {"kind": "spending", "on": "2026-02-01", "amount": 300001, "text": "X"}
    )
    assert too_much.status_code == 400 and "kan inte betala" in too_much.json()["detail"]
    effects = client.get(f"/api/v1/agreements/{w.agreement.pk}/innovation/effects").json()
    assert effects["fund"]["balance"] == 300000
    entry = created.json()["id"]
    assert client_for(w.supplier_viewer).delete(f"{url}/{entry}").status_code == 403
    assert client.delete(f"{url}/{entry}").status_code == 204
    assert client.delete(f"{url}/{entry}").status_code == 404


def test_the_openapi_document_has_the_effect_and_fund_endpoints(db: None, client: Any) -> None:
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    prefix = "/api/v1/agreements/{agreement_id}/innovation"
    assert set(paths[f"{prefix}/ideas/{{number}}/effect"]) == {"get", "put"}
    assert set(paths[f"{prefix}/effects"]) == {"get"}
    assert set(paths[f"{prefix}/fund"]) == {"post"}
    assert set(paths[f"{prefix}/fund/{{entry_id}}"]) == {"delete"}


def test_the_demo_splits_two_frontier_savings_and_keeps_the_enhancement_fund(db: None) -> None:
    from samverkan.core import demo
    from samverkan.innovation.models import Framework

    demo.load()
    frontier = Framework.objects.get(agreement__reference="DEMO-FRONTIER")
    gain_share = ledger.gain_share_ledger(frontier)
    assert gain_share is not None
    assert [line.effect.idea.title for line in gain_share.lines] == [
        "Automatiserad skadereglering för glasskador",
        "Automatisk kontroll av verkstadsfakturor",
    ]
    assert all(line.within for line in gain_share.lines)
    assert (gain_share.customer, gain_share.supplier) == (
        Decimal("845000.00"),
        Decimal("845000.00"),
    )
    fund = ledger.fund_ledger(Framework.objects.get(agreement__reference="DEMO-ENHANCEMENT"))
    assert fund is not None and fund.balance == 1235000 and len(fund.lines) == 8
    assert not Idea.objects.filter(stage="measured", realised_effect__isnull=True).exists()
    demo.load()  # again: nothing added
    assert FundEntry.objects.count() == 8 and RealisedEffect.objects.count() == 4

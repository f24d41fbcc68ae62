"""The framework in the collaboration appendix (chapter "innovation") and its completeness
rule, the overview panel, and the demo's frameworks."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.agreements.agreement_file import agreement_snapshot
from samverkan.agreements.models import Agreement
from samverkan.appendix import completeness
from samverkan.appendix.document import appendix_document
from samverkan.appendix.models import AppendixVersion
from samverkan.core import demo
from samverkan.innovation.models import Framework
from samverkan.innovation.services import framework_save
from tests.conftest import World
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.django_db

TODO = "ramverket för innovation (mål, utvärderingskriterier"


def _text(agreement: Agreement) -> str:
    with translation.override("sv"):
        document = appendix_document(
            agreement_snapshot(agreement), language="sv", version="1", date=""
        )
        return document.plain_text()


def _finding(agreement: Agreement) -> completeness.Finding:
    findings = completeness.check(agreement_snapshot(agreement), "sv")
    return next(f for f in findings if f.rule_id == "innovation-framework")


def test_without_a_framework_the_chapter_says_it_is_to_be_agreed(framework_world: World) -> None:
    w = framework_world
    assert TODO in _text(w.agreement)
    finding = _finding(w.agreement)
    assert not finding.passed and finding.details == ["Inget innovationsramverk är överenskommet."]


def test_the_framework_fills_the_innovation_chapter(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    text = _text(w.agreement)
    assert TODO not in text
    for expected in (
        "Innovationsramverk",
        "Halvera tiden för prisändringar i kundportalen",
        "arbetsdagar",
        "Affärsnytta",
        "30 %",
        "Samverkansråd",
        "Verksamhetsansvarig",
        "Affärsutvecklare",
        "Ständiga förbättringar ingår i tjänsten utan extra ersättning.",
        "Varje kvartal",
        "Vinstdelning: kunden 50 %, leverantören 50 % under 36 månader, från 2026-01-01",
    ):
        assert expected in text, expected
    assert _finding(w.agreement).passed


def test_the_rule_names_what_the_framework_lacks(framework_world: World) -> None:
    w = framework_world
    framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=0,
        **framework_fields(w, goals=[], deciding_forum=None),
    )
    assert _finding(w.agreement).details == [
        "Ramverket har inga mätbara mål.",
        "Inget forum beslutar om idéerna.",
    ]


def test_the_overview_panel_shows_funding_and_goals_in_the_same_queries(
    framework_world: World, client_for: Any
) -> None:
    w = framework_world
    client = client_for(w.supplier_viewer)
    url = reverse("agreements:detail", args=[w.agreement.pk])
    assert "Inget innovationsramverk är överenskommet ännu." in client.get(url).content.decode()
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    with CaptureQueriesContext(connection) as few:
        text = client.get(url).content.decode()
    assert "Finansiering: Vinstdelning · 2 mål" in text
    goals = [{**framework_fields(w)["goals"][0], "what": f"Mål {i}"} for i in range(12)]
    framework_save(
        agreement=w.agreement, actor=w.customer_owner, version=1, **framework_fields(w, goals=goals)
    )
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert "Finansiering: Vinstdelning · 12 mål" in text
    assert len(many) == len(few)


def test_the_demo_has_a_framework_of_each_funding_and_the_first_version_contains_it(
    db: None,
) -> None:
    demo.load()
    funding = dict(Framework.objects.values_list("agreement__reference", "funding"))
    assert funding == {
        "DEMO-FRONTIER": "gain_share",
        "DEMO-ENHANCEMENT": "joint_fund",
        "DEMO-UTILITY": "none",
    }
    frontier = Framework.objects.get(agreement__reference="DEMO-FRONTIER")
    assert (frontier.customer_share, frontier.supplier_share, frontier.gain_share_months) == (
        50,
        50,
        36,
    )
    first = AppendixVersion.objects.get(agreement=frontier.agreement, number=1)
    assert first.snapshot["innovation"]["funding"]["model"] == "gain_share"
    demo.load()  # again: nothing changes
    assert Framework.objects.count() == 3 and frontier.goals.count() == 3


def test_a_version_from_before_the_framework_keeps_its_document_and_check(
    framework_world: World,
) -> None:
    w = framework_world
    old = agreement_snapshot(w.agreement)
    old.pop("innovation")  # as published before the section existed
    with translation.override("sv"):
        text = appendix_document(old, language="sv", version="1", date="").plain_text()
    assert TODO in text  # the appendix's own line, as it was
    assert "innovation-framework" not in {f.rule_id for f in completeness.check(old, "sv")}


def test_a_malformed_framework_in_a_snapshot_is_written_and_checked_not_a_crash(
    framework_world: World,
) -> None:
    snapshot = agreement_snapshot(framework_world.agreement)
    snapshot["innovation"] = {
        "goals": "many",
        "criteria": [{"weight": "ten"}, "x"],
        "funding": {"model": "gain_share", "months": "soon"},
        "ideas_per_quarter": "lots",
    }
    with translation.override("sv"):
        text = appendix_document(snapshot, language="sv", version="1", date="").plain_text()
    assert "Innovationsramverk" in text
    details = next(
        f for f in completeness.check(snapshot, "sv") if f.rule_id == "innovation-framework"
    ).details
    assert "Ramverket har inga mätbara mål." in details

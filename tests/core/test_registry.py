"""The capability registry: the shared surfaces show what the capabilities register, and a
new capability's contribution appears without touching the base."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess, agreement_access
from samverkan.agreements.models import Agreement
from samverkan.appendix import completeness
from samverkan.appendix.document import appendix_document
from samverkan.appendix.selectors import appendix_status
from samverkan.core import demo, registry
from samverkan.core.links import agreement_link, link_keys
from samverkan.health import instrument
from tests.conftest import World

pytestmark = pytest.mark.django_db

TAB = re.compile(r'<a class="nav-link( active)?"[^>]*href="([^"]+)">([^<]+)</a>')


def _tabs(client: Client, url: str) -> list[tuple[str, str, bool]]:
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    tabs = page.text.split('<ul class="nav nav-tabs', 1)[1].split("</ul>", 1)[0]
    return [(label, href, bool(active)) for active, href, label in TAB.findall(tabs)]


# Tabs and overview panels --------------------------------------------------------------


def test_the_agreements_tabs_come_from_the_capabilities_in_order(
    world: World, client_for: Any
) -> None:
    client = client_for(world.supplier_viewer)
    pk = world.agreement.pk
    tabs = _tabs(client, reverse("agreements:detail", args=[pk]))
    assert [label for label, _href, _active in tabs] == [
        "Översikt",
        "Leverantörsrelation",
        "Samverkansmodell",
        "Samverkansbilaga",
        "Innovation",
        "Relationshälsa",
        "Historik",
    ]
    assert [label for label, _href, active in tabs if active] == ["Översikt"]
    for label, href, _active in tabs:  # every tab opens, and is the active one there
        assert [name for name, _h, active in _tabs(client, href) if active] == [label]


def test_a_registered_tab_and_panel_appear_without_touching_the_base(
    world: World, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def owners_only(access: AgreementAccess) -> bool:
        return access.is_owner

    def context(access: AgreementAccess) -> Mapping[str, Any]:
        return {"history": []}

    monkeypatch.setitem(
        registry._tabs.entries,
        "minutes",
        registry.Tab(
            key="minutes",
            label="Protokoll",
            url_name="agreements:history",
            order=450,
            visible=owners_only,
        ),
    )
    monkeypatch.setitem(
        registry._panels.entries,
        "minutes",
        registry.OverviewPanel(
            key="minutes",
            order=10,
            template="agreements/_overview_history.html",
            context=context,
            visible=owners_only,
        ),
    )
    url = reverse("agreements:detail", args=[world.agreement.pk])
    owner = _tabs(client_for(world.supplier_owner), url)
    assert [label for label, _h, _a in owner][5:7] == ["Relationshälsa", "Protokoll"]
    page = client_for(world.supplier_owner).get(url, HTTP_ACCEPT_LANGUAGE="sv").text
    assert page.count("Inga ändringar registrerade ännu.") == 1  # the empty panel, first
    assert "Protokoll" not in [
        label for label, _h, _a in _tabs(client_for(world.supplier_viewer), url)
    ]


def test_a_second_contribution_under_a_taken_key_is_refused() -> None:
    tab = registry.Tab(key="health", label="Annat", url_name="agreements:detail", order=1)
    with pytest.raises(ValueError, match="'health' is registered twice"):
        registry.register_tab(tab)


# The appendix ------------------------------------------------------------------------------


def _snapshot(world: World) -> dict[str, Any]:
    from samverkan.agreements.agreement_file import agreement_snapshot

    return agreement_snapshot(world.agreement)


def test_a_capability_fills_an_appendix_chapter_and_adds_one_with_its_rule(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def framework(writer: registry.ChapterWriter, snapshot: Mapping[str, Any]) -> bool:
        writer.heading(2, "Innovationsramverk")
        writer.facts([("Beslutande forum", "Styrgruppen")])
        return True

    def obligations(writer: registry.ChapterWriter, snapshot: Mapping[str, Any]) -> bool:
        writer.table(["Åtagande", "Förfaller"], [["Kvartalsrapport", "2027-01-15"]])
        return True

    def no_obligations(snapshot: Mapping[str, Any], language: str) -> list[str]:
        return ["Inga åtaganden är registrerade."]

    rule = registry.CompletenessRule(
        id="obligations-registered",
        severity="warning",
        title={"sv": "Åtaganden är registrerade", "en": "Obligations are registered"},
        explanation={"sv": "Avtalets åtaganden följs upp.", "en": "Obligations are followed up."},
        fix="model#roles",
        check=no_obligations,
    )
    monkeypatch.setitem(
        registry._chapters.entries,
        "innovation-framework",
        registry.AppendixChapter(
            key="innovation-framework", anchor="innovation", order=1, write=framework
        ),
    )
    monkeypatch.setitem(
        registry._chapters.entries,
        "obligations",
        registry.AppendixChapter(
            key="obligations",
            anchor="exit",
            order=2,
            write=obligations,
            title="Åtaganden",
            rules=(rule,),
        ),
    )
    document = appendix_document(_snapshot(world), language="sv", version="utkast", date="")
    headings = [heading.text for heading in document.headings()]
    text = document.plain_text()
    assert "Innovationsramverk" in text and "Kvartalsrapport" in text
    assert "innovationsramverket (mål" not in text.lower()  # its "to be agreed" line is gone
    exit_at = next(i for i, h in enumerate(headings) if "Exit och samverkan" in h)
    assert "Åtaganden" in headings[exit_at + 1]  # a chapter of its own, right after exit
    findings = completeness.check(_snapshot(world), "sv")
    assert findings[-1].rule_id == "obligations-registered"
    assert findings[-1].details == ["Inga åtaganden är registrerade."]
    assert completeness.rules("en")[-1].title == "Obligations are registered"


def test_without_contributions_the_innovation_chapter_still_asks_for_the_framework(
    world: World,
) -> None:
    document = appendix_document(_snapshot(world), language="en", version="draft", date="")
    assert "To be agreed: the innovation framework" in document.plain_text()


# Agenda, portfolio, negotiation facts: what the existing capabilities contribute ------------


@dataclass(frozen=True)
class Contributions:
    agenda: dict[str, list[tuple[str, list[registry.AgendaItem]]]]
    portfolio: dict[str, dict[str, registry.PortfolioCell]]
    portfolio_queries: dict[str, int]
    facts: dict[str, dict[str, list[registry.Fact]]]
    awaiting: dict[str, int | None]


@pytest.fixture(scope="module")
def contributions(django_db_setup: None, django_db_blocker: Any) -> Iterator[Contributions]:
    """The demo loaded once and read through every contribution point, then rolled back."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_db_blocker.unblock(), transaction.atomic(), translation.override("sv"):
        demo.load()
        agreements = list(
            Agreement.objects.filter(reference__startswith="DEMO-")
            .select_related("customer", "supplier")
            .order_by("reference")
        )
        today = datetime.date(2026, 12, 1)
        agenda = {}
        owner = User.objects.get(email="kund@example.com")
        accesses = {agreement.pk: agreement_access(owner, agreement) for agreement in agreements}
        for level in ("strategic", "tactical", "operational"):
            agenda[level] = [
                (agreement.reference, item)
                for agreement in agreements
                for _source, items in registry.agenda_items(
                    accesses[agreement.pk], "forum", level, today
                )
                for item in items
            ]
        portfolio: dict[str, dict[str, registry.PortfolioCell]] = {}
        queries = {}
        for column in registry.portfolio_columns():
            with CaptureQueriesContext(connection) as captured:
                cells = column.values(owner, agreements)
            queries[column.key] = len(captured)
            for agreement in agreements:
                if agreement.pk in cells:
                    portfolio.setdefault(agreement.reference, {})[column.key] = cells[agreement.pk]
        facts = {
            agreement.reference: {
                source.key: items
                for source, items in registry.negotiation_facts(accesses[agreement.pk])
            }
            for agreement in agreements
        }
        awaiting = {
            agreement.reference: appendix_status(agreement=agreement, language="sv").awaiting
            for agreement in agreements
        }
        result = Contributions(
            agenda={level: [(r, [i]) for r, i in items] for level, items in agenda.items()},
            portfolio=portfolio,
            portfolio_queries=queries,
            facts=facts,
            awaiting=awaiting,
        )
        transaction.set_rollback(True)
    yield result


def _kinds(contributions: Contributions, level: str, reference: str) -> list[str]:
    return [
        item.kind
        for ref, items in contributions.agenda[level]
        for item in items
        if ref == reference
    ]


def test_the_steering_group_is_asked_to_approve_the_awaiting_appendix(
    contributions: Contributions,
) -> None:
    assert contributions.awaiting["DEMO-UTILITY"] == 2
    strategic = [
        item
        for ref, items in contributions.agenda["strategic"]
        for item in items
        if ref == "DEMO-UTILITY" and item.kind == "appendix.approval"
    ]
    assert [item.title for item in strategic] == ["Godkänn version 2 av samverkansbilagan"]
    assert "appendix.approval" not in _kinds(contributions, "operational", "DEMO-UTILITY")


def test_the_utility_deals_communication_gap_is_on_the_strategic_and_tactical_agendas(
    contributions: Contributions,
) -> None:
    for level in ("strategic", "tactical"):
        gaps = [
            item
            for ref, items in contributions.agenda[level]
            for item in items
            if ref == "DEMO-UTILITY" and item.kind == "health.gaps"
        ]
        assert len(gaps) == 1
        assert "Kommunikation" in gaps[0].detail
        assert gaps[0].url.endswith("/health/rounds/3/")
    assert "health.gaps" not in _kinds(contributions, "operational", "DEMO-UTILITY")


def test_the_open_pulse_round_is_on_the_tactical_agenda_with_its_closing_day(
    contributions: Contributions,
) -> None:
    open_rounds = [
        item
        for ref, items in contributions.agenda["tactical"]
        for item in items
        if item.kind == "health.open_round"
    ]
    assert len(open_rounds) == 1 and open_rounds[0].due is not None
    assert "Pulsmätning inför styrgruppsmötet" in open_rounds[0].title


def test_the_portfolio_has_a_column_per_capability_in_a_fixed_number_of_queries(
    contributions: Contributions,
) -> None:
    assert [column.key for column in registry.portfolio_columns()] == [
        "relationships",
        "appendix",
        "innovation-rate",
        "health",
    ]
    assert contributions.portfolio_queries == {
        "relationships": 1,
        "appendix": 1,
        "innovation-rate": 6,  # ideas per quarter, stages, decisions, effects, expectations
        "health": 1,
    }
    frontier = contributions.portfolio["DEMO-FRONTIER"]
    utility = contributions.portfolio["DEMO-UTILITY"]["innovation-rate"]
    assert utility.text == "0,25 av 1 per kvartal" and utility.tone == "warning"
    assert frontier["relationships"].text == "Frontier Relationship"
    assert frontier["appendix"].text == "Version 1"
    customer, supplier = frontier["health"].text.split(" / ")
    assert re.fullmatch(r"\d,\d", customer) and re.fullmatch(r"\d,\d", supplier)


def test_a_negotiation_case_can_show_each_capabilitys_facts(
    contributions: Contributions,
) -> None:
    facts = contributions.facts["DEMO-UTILITY"]
    assert list(facts) == ["relationships", "appendix", "innovation-rate", "health"]
    assert facts["relationships"][0].value == "Utility Outsourcing"
    assert facts["appendix"][0].value.startswith("Version 1, publicerad ")
    assert "0,25 idéer per kvartal" in facts["innovation-rate"][0].value
    assert any(fact.label == "Stor skillnad i upplevelse" for fact in facts["health"])


# Demo and links ------------------------------------------------------------------------------


def test_demo_content_loads_in_dependency_order() -> None:
    assert [content.key for content in registry.demo_contents()] == [
        "relationships",
        "collaboration",
        "innovation",  # before the appendix: its published versions contain the framework
        "appendix",
        "health",
        "negotiation",  # last: its cases show facts from the relationship
    ]


def test_every_link_the_data_files_name_is_registered_by_a_capability() -> None:
    used = {rule.fix for rule in completeness.rules("sv")}
    used |= set(instrument.LINKS)
    assert used and used <= link_keys()
    assert agreement_link(7, "model#forums") == "/agreements/7/model/#forums"
    assert agreement_link(7, "relationship") == "/agreements/7/relationship/"


def test_a_chapter_and_its_rules_leave_a_snapshot_without_their_section_as_it_was(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version approved before a capability existed keeps its document and its check."""

    def obligations(writer: registry.ChapterWriter, snapshot: Mapping[str, Any]) -> bool:
        writer.paragraph("Kvartalsrapport")
        return True

    def none_yet(snapshot: Mapping[str, Any], language: str) -> list[str]:
        return ["Inga åtaganden är registrerade."]

    snapshot = _snapshot(world)
    before = appendix_document(snapshot, language="sv", version="1", date="").to_data()
    checked_before = completeness.check(snapshot, "sv")
    rule = registry.CompletenessRule(
        id="obligations-registered",
        severity="warning",
        title={"sv": "Åtaganden är registrerade", "en": "Obligations are registered"},
        explanation={"sv": "Följs upp.", "en": "Followed up."},
        fix="model#roles",
        check=none_yet,
    )
    monkeypatch.setitem(
        registry._chapters.entries,
        "obligations",
        registry.AppendixChapter(
            key="obligations",
            anchor="exit",
            order=1,
            write=obligations,
            title="Åtaganden",
            rules=(rule,),
            needs=("obligations",),
        ),
    )
    assert appendix_document(snapshot, language="sv", version="1", date="").to_data() == before
    assert completeness.check(snapshot, "sv") == checked_before
    with_section = {**snapshot, "obligations": []}
    assert (
        "Kvartalsrapport"
        in appendix_document(with_section, language="sv", version="2", date="").plain_text()
    )
    assert completeness.check(with_section, "sv")[-1].rule_id == "obligations-registered"


def test_registering_again_from_a_second_ready_changes_nothing() -> None:
    def make() -> registry.Tab:
        return registry.Tab(
            key="health",
            label="Relationshälsa",
            url_name="health:health",
            order=400,
            namespaces=("health",),
            visible=lambda access: True,  # made anew each time, as a second ready() would
        )

    assert registry._same(make(), make())
    assert not registry._same(make(), registry.Tab(key="health", label="x", url_name="y", order=1))


def test_a_rule_with_an_unknown_severity_or_a_missing_language_is_refused_when_registered() -> None:
    def never(snapshot: Mapping[str, Any], language: str) -> list[str]:
        return []

    good = registry.CompletenessRule(
        id="r",
        severity="warning",
        title={"sv": "a", "en": "a"},
        explanation={"sv": "b", "en": "b"},
        fix="model#roles",
        check=never,
    )
    for bad, message in (
        (dataclasses.replace(good, severity="fatal"), "severity"),
        (dataclasses.replace(good, title={"sv": "a"}), "title needs a text in sv and en"),
        (dataclasses.replace(good, source="folklore"), "source"),
    ):
        chapter = registry.AppendixChapter(
            key="checked", anchor="exit", order=1, write=lambda w, s: False, rules=(bad,)
        )
        with pytest.raises(ValueError, match=message):
            registry.register_appendix_chapter(chapter)
    assert "checked" not in registry._chapters.entries


def test_revision_tracking_leaves_fast_deletes_to_every_other_model() -> None:
    """Only the rows a file section names have receivers: deleting survey answers (or any
    other row) stays one query, not a load and a signal per row."""
    from django.db.models.deletion import Collector

    from samverkan.collaboration.models import Role
    from samverkan.health.models import Answer

    collector = Collector(using="default")
    assert collector.can_fast_delete(Answer.objects.all())
    assert not collector.can_fast_delete(Role.objects.all())  # tracked: each deletion counts

"""The agreement as a YAML file: export, import, replace, and who may do it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import yaml
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import translation

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.access import agreement_by_reference_for
from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_export,
    agreement_file_problems,
    agreement_import,
)
from samverkan.agreements.models import Agreement, Participant
from samverkan.agreements.services import agreement_update
from samverkan.collaboration import catalogue
from samverkan.collaboration.models import Forum, Process, RaciAssignment, Role
from samverkan.collaboration.services import (
    escalation_set,
    forum_create,
    objectives_set,
    process_create,
    role_create,
)
from samverkan.core import demo
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import relationship_set_type, relationship_update_profile
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are checked in English (the default language is Swedish)."""
    with translation.override("en"):
        yield


def build_rich_model(agreement: Agreement, actor: User) -> None:
    """A model using every part of the format, with åäö and YAML-hostile texts."""
    agreement_update(
        agreement=agreement,
        actor=actor,
        description='Drift av Norrlandias datacenter.\nFokus: pris & servicenivå — "yes" # inte en kommentar',
        services="Serverdrift\nServicedesk, andra linjen",
        annual_value=Decimal("1250000.50"),
        currency="SEK",
    )
    relationship_set_type(
        agreement=agreement,
        actor=actor,
        type="business_enhancement",
        rationale="Vi vill växa tillsammans: yes, på riktigt.",
    )
    relationship_update_profile(
        agreement=agreement,
        actor=actor,
        version=None,
        scorecard_weights={
            "price": 30,
            "service_level": 30,
            "satisfaction": 10,
            "relationship": 10,
            "shared_vision": 10,
            "innovation": 10,
        },
        forum_cadence={"strategic": "semiannual", "tactical": "monthly", "operational": "weekly"},
        innovation="proactive",
        ideas_per_quarter=3,
        health_check="annual",
    )
    objectives_set(
        agreement=agreement,
        actor=actor,
        texts=["Sänka kostnaden med 10 %", "Nöjdare användare: mätt kvartalsvis", "null"],
    )

    def role(key: str, name: str, side: str, level: str, orientation: str, **more: object) -> Role:
        return role_create(
            agreement=agreement,
            actor=actor,
            key=key,
            name=name,
            side=side,
            level=level,
            orientation=orientation,
            **more,
        )

    cio = role(
        "cio",
        "IT-direktör (CIO)",
        "customer",
        "strategic",
        "it",
        purpose="Äger IT-strategin\noch relationen på ledningsnivå.",
        responsibilities=["Äga relationen", "no", "- x"],
        authorities=["Beslutar om budget över 500 000 kr"],
        decision_rights=[{"decision": "budget", "limit": 2000000, "note": "per år"}],
        holders=[{"name": "Anders Berg", "email": "anders@norrlandia.example"}, {"name": "Vakant"}],
    )
    account = role("kundansvarig", "Kundansvarig", "supplier", "tactical", "business")
    sdm = role(
        "sdm",
        "Service Delivery Manager",
        "supplier",
        "operational",
        "it",
        decision_rights=[{"decision": "change_request", "limit": 50000}],
    )
    hostile = role("null", "yes", "joint", "operational", "business", purpose=": ")
    steering = forum_create(
        agreement=agreement,
        actor=actor,
        key="styrgrupp",
        name="Styrgrupp",
        level="strategic",
        purpose="Leder samverkan.",
        chair=cio,
        members=[cio, account],
        cadence="quarterly",
        agenda=["Avtalets hälsa", "Innovation"],
        inputs=["Månadsrapport"],
        outputs=["Beslutslogg"],
        mandate=[
            {"decision": "budget", "limit": 5000000},
            {"decision": "appendix_change", "note": "Båda parter godkänner"},
        ],
    )
    council = forum_create(
        agreement=agreement,
        actor=actor,
        key="samverkansrad",
        name="Samverkansråd",
        level="tactical",
        chair=account,
        members=[account, sdm, hostile],
        cadence="monthly",
        mandate=[{"decision": "change_request", "limit": 500000}],
    )
    operations = forum_create(
        agreement=agreement,
        actor=actor,
        key="driftmote",
        name="Driftmöte",
        level="operational",
        members=[sdm],
    )
    process_create(
        agreement=agreement,
        actor=actor,
        key="andringshantering",
        name="Ändringshantering",
        purpose="Ändringar i tjänsten, i ordning.",
        owner=account,
        steps=["Begäran", "Analys", "Beslut: i rätt forum", "Genomförande"],
        raci={account: "A", sdm: "R", cio: "I", hostile: "C"},
    )
    process_create(agreement=agreement, actor=actor, key="tvist", name="Tvistlösning")
    escalation_set(
        agreement=agreement,
        actor=actor,
        steps=[(operations, 5), (council, 10), (steering, 20)],
    )


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Agreement, Organisation, Role, Forum, Process, Relationship, Participant)
    }


# Export ---------------------------------------------------------------------------------


def test_export_writes_the_documented_keys_readably(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    text = agreement_export(world.agreement)
    data = yaml.safe_load(text)
    assert tuple(data) == (
        "samverkan",
        "agreement",
        "relationship",
        "objectives",
        "roles",
        "forums",
        "processes",
        "escalation",
        "innovation",
    )
    assert list(data["agreement"])[:8] == [
        "reference",
        "title",
        "customer",
        "supplier",
        "start",
        "end",
        "value",
        "language",
    ]
    assert list(data["roles"][0])[:8] == [
        "key",
        "name",
        "side",
        "level",
        "orientation",
        "purpose",
        "responsibilities",
        "authorities",
    ]
    assert "customer: Norrlandia Försäkring AB" in text  # åäö stay readable
    assert "start: 2025-01-01" in text
    assert data["agreement"]["value"] == {"amount": 1250000.5, "currency": "SEK"}
    assert data["relationship"]["type"] == "business_enhancement"
    assert data["relationship"]["profile"]["innovation"] == "proactive"
    assert data["roles"][3]["key"] == "null"
    assert data["roles"][3]["name"] == "yes"
    assert data["forums"][0]["chair"] == "cio"
    assert data["forums"][0]["mandate"][0] == {"decision": "budget", "limit": 5000000, "note": ""}
    assert data["processes"][0]["raci"] == {
        "cio": "I",
        "kundansvarig": "A",
        "sdm": "R",
        "null": "C",
    }
    assert data["escalation"] == [
        {"forum": "driftmote", "resolve_within_days": 5},
        {"forum": "samverkansrad", "resolve_within_days": 10},
        {"forum": "styrgrupp", "resolve_within_days": 20},
    ]
    assert agreement_file_problems(text) == []


def test_whole_amounts_are_written_as_integers(world: World) -> None:
    text = agreement_export(world.agreement)
    assert "amount: 1250000\n" in text


# Round trips ----------------------------------------------------------------------------


def test_replace_round_trip_is_byte_identical_and_rebuilds_the_model(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    before = agreement_export(world.agreement)
    old_roles = set(Role.objects.filter(agreement=world.agreement).values_list("pk", flat=True))

    agreement = agreement_import(before, actor=world.customer_owner, replace=True)

    assert agreement.pk == world.agreement.pk
    assert agreement_export(agreement) == before
    new_roles = set(Role.objects.filter(agreement=agreement).values_list("pk", flat=True))
    assert new_roles and not new_roles & old_roles


def test_round_trip_into_a_new_agreement_is_byte_identical(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    before = agreement_export(world.agreement)
    world.agreement.delete()

    agreement = agreement_import(before, actor=world.customer_owner)

    assert agreement_export(agreement) == before
    owner = Participant.objects.get(agreement=agreement)
    assert (owner.user, owner.side, owner.role) == (world.customer_owner, "customer", "owner")


@pytest.mark.parametrize("reference", ["DEMO-UTILITY", "DEMO-ENHANCEMENT", "DEMO-FRONTIER"])
def test_each_demo_agreement_round_trips(db: None, reference: str) -> None:
    demo.load()
    karin = User.objects.get(email="kund@example.com")
    agreement = agreement_by_reference_for(karin, reference).agreement
    before = agreement_export(agreement)

    agreement_import(before, actor=karin, replace=True)

    assert agreement_export(Agreement.objects.get(pk=agreement.pk)) == before


# What an import creates -----------------------------------------------------------------

BARE = """\
samverkan: 1
agreement:
  reference: MOLN-2026
  title: Molntjänster
  customer: Norrlandia Försäkring AB
  supplier: Molnbro Digital AB
"""


def test_bare_file_gets_the_starter_roles_and_creates_the_supplier(world: World) -> None:
    agreement = agreement_import(BARE, actor=world.customer_owner)

    starter = [role["key"] for role in catalogue.starter_roles("sv")]
    assert [role.key for role in agreement.roles.all()] == starter
    supplier = Organisation.objects.get(name="Molnbro Digital AB")
    assert (agreement.customer, agreement.supplier, supplier.kind) == (
        world.customer,
        supplier,
        "supplier",
    )
    assert agreement.status == "draft"
    assert agreement.language == "sv"


def test_empty_roles_list_gets_no_roles(world: World) -> None:
    agreement = agreement_import(BARE + "roles: []\n", actor=world.customer_owner)
    assert agreement.roles.count() == 0


def test_bare_file_may_refer_to_the_starter_roles(world: World) -> None:
    text = BARE + (
        "forums:\n"
        "  - {key: styrgrupp, name: Styrgrupp, level: strategic, chair: executive-sponsor,\n"
        "     members: [executive-sponsor, strategic-partner]}\n"
    )
    agreement = agreement_import(text, actor=world.customer_owner)
    forum = agreement.forums.get()
    assert forum.chair is not None
    assert forum.chair.key == "executive-sponsor"


def test_supplier_imports_for_its_side_and_the_customer_is_created(world: World) -> None:
    text = BARE.replace("Norrlandia Försäkring AB", "Ny Kund AB").replace(
        "Molnbro Digital AB", "Driftpartner Norden AB"
    )
    agreement = agreement_import(text, actor=world.supplier_owner)

    assert agreement.customer.name == "Ny Kund AB"
    assert agreement.customer.kind == "customer"
    owner = Participant.objects.get(agreement=agreement)
    assert (owner.user, owner.side, owner.role) == (world.supplier_owner, "supplier", "owner")


def test_person_outside_both_parties_cannot_import(world: World) -> None:
    before = _counts()
    text = BARE.replace("Norrlandia Försäkring AB", "Annan Kund AB")
    with pytest.raises(PermissionDenied, match="not a member"):
        agreement_import(text, actor=world.customer_owner)
    assert _counts() == before


# Existing references --------------------------------------------------------------------


def _drift_file(world: World) -> str:
    return agreement_export(world.agreement).replace(
        "reference: DRIFT-2025", "reference: drift-2025"
    )


def test_existing_reference_is_not_replaced_without_asking(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    text = _drift_file(world)
    before = _counts()
    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner)
    assert caught.value.problems[0].startswith("agreement.reference:")
    assert "--replace" in caught.value.problems[0]
    assert "replace=true" in caught.value.problems[0]
    assert _counts() == before


def test_editor_on_the_other_side_replaces_and_the_audit_trail_keeps_everything(
    world: World,
) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    # The agreement's own fields stay as they are: they are the customer's (test_terms.py).
    text = agreement_export(world.agreement).replace(
        "name: Kundansvarig", "name: Kundansvarig Driftpartner"
    )
    old_role_pks = set(world.agreement.roles.values_list("pk", flat=True))
    entries_before = LogEntry.objects.count()

    agreement = agreement_import(text, actor=world.supplier_owner, replace=True)

    assert agreement.roles.filter(name="Kundansvarig Driftpartner").exists()
    role_type = ContentType.objects.get_for_model(Role)
    deleted = LogEntry.objects.filter(
        content_type=role_type, action=LogEntry.Action.DELETE
    ).values_list("object_id", flat=True)
    assert {int(pk) for pk in deleted} == old_role_pks
    assert LogEntry.objects.filter(
        content_type=role_type, action=LogEntry.Action.CREATE
    ).count() == 2 * len(old_role_pks)
    raci_type = ContentType.objects.get_for_model(RaciAssignment)
    assert LogEntry.objects.filter(content_type=raci_type, action=LogEntry.Action.CREATE).exists()
    assert LogEntry.objects.count() > entries_before


@pytest.mark.parametrize("who", ["supplier_viewer", "org_admin"])
def test_who_may_not_edit_cannot_replace(world: World, who: str) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    text = agreement_export(world.agreement)
    changed = text.replace("title: Drift av datacenter", "title: Kapat")
    with pytest.raises(PermissionDenied):
        agreement_import(changed, actor=getattr(world, who), replace=True)
    assert agreement_export(Agreement.objects.get(pk=world.agreement.pk)) == text


def test_replace_cannot_change_the_parties(world: World) -> None:
    text = agreement_export(world.agreement).replace(
        "supplier: Driftpartner Norden AB", "supplier: Kodkraft Konsult AB"
    )
    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner, replace=True)
    assert caught.value.problems[0].startswith("agreement.supplier:")


def test_replace_with_a_file_without_type_clears_the_relationship_type(world: World) -> None:
    build_rich_model(world.agreement, world.customer_owner)
    text = BARE.replace("MOLN-2026", "DRIFT-2025").replace(
        "Molnbro Digital AB", "Driftpartner Norden AB"
    )
    agreement = agreement_import(text + "roles: []\n", actor=world.customer_owner, replace=True)

    relationship = Relationship.objects.get(agreement=agreement)
    assert (relationship.type, relationship.rationale, relationship.scorecard_weights) == (
        "",
        "",
        {},
    )
    assert agreement.roles.count() == agreement.forums.count() == 0
    assert agreement.description == ""


# Problems -------------------------------------------------------------------------------


def test_every_problem_is_reported_with_its_path(db: None) -> None:
    text = """\
samverkan: 1
agreement:
  reference: X-1
  title: Test
  customer: A AB
  supplier: B AB
  start: 2025-02-30
  value: {amount: -5, currency: SEK}
roles:
  - {key: cio, name: CIO, side: customer, level: strategic, orientation: it}
  - {key: cio, name: CIO 2, side: customer, level: tactical, orientation: it}
  - {key: pm, name: PM, side: both, level: high, orientation: it, holders: [{name: Eva, email: nej}]}
forums:
  - {key: sg, name: SG, level: strategic, chair: ceo, members: [cio, ceo], cadence: daily,
     mandate: [{decision: buy_everything}]}
processes:
  - {key: ch, name: Change, owner: cio, raci: {cio: A, pm: X, ghost: R}}
escalation:
  - {forum: sg, resolve_within_days: 0}
  - {forum: nope, resolve_within_days: 3}
colour: blue
"""
    with translation.override("en"):
        problems = agreement_file_problems(text)
    paths = [problem.split(":", 1)[0] for problem in problems]
    assert paths == [
        "colour",
        "agreement.start",
        "agreement.value.amount",
        "roles[1].key",
        "roles[2].side",
        "roles[2].level",
        "roles[2].holders[0].email",
        "forums[0].chair",
        "forums[0].members[1]",
        "forums[0].cadence",
        "forums[0].mandate[0].decision",
        "processes[0].raci.pm",
        "processes[0].raci.ghost",
        "escalation[0].resolve_within_days",
        "escalation[1].forum",
    ]
    assert "roles[2].level: must be one of strategic, tactical, operational" in problems
    assert 'forums[0].chair: unknown role key "ceo"' in problems
    assert "processes[0].raci.pm: must be one of R, A, C, I" in problems


def test_yaml_syntax_errors_name_line_and_column(db: None) -> None:
    problems = agreement_file_problems("samverkan: 1\nagreement:\n  title: [oj\n")
    assert len(problems) == 1
    assert problems[0].startswith("line ")
    assert "column" in problems[0]


def test_duplicate_keys_in_a_mapping_are_refused(db: None) -> None:
    problems = agreement_file_problems("samverkan: 1\nsamverkan: 1\n")
    assert problems[0].startswith("line 2, column 1:")

"""The overview's completeness figure is kept under the snapshot's revision, and follows
every change to what the snapshot holds, made through the services as the pages make it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.accounts.models import User
from samverkan.agreements.agreement_file import (
    agreement_export,
    agreement_import,
    agreement_snapshot,
)
from samverkan.agreements.models import Agreement
from samverkan.agreements.services import agreement_update
from samverkan.appendix import completeness
from samverkan.appendix.models import SnapshotChange
from samverkan.appendix.revisions import snapshot_revision
from samverkan.appendix.selectors import AppendixStatus, appendix_status
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Forum, Process, Role
from samverkan.core import registry
from samverkan.core.errors import StaleEditError
from samverkan.relationships import services as relationships
from tests.conftest import World
from tests.factories import AgreementFactory


@dataclass
class Model:
    agreement: Agreement
    actor: User
    client: Client

    def role(self, key: str) -> Role:
        return Role.objects.get(agreement=self.agreement, key=key)

    def last_role_on(self, level: str) -> Role:
        """The last role of a level (roles move within their level)."""
        roles = list(Role.objects.filter(agreement=self.agreement, level=level))
        assert len(roles) > 1, "nothing to move past"
        return roles[-1]

    def forum(self, key: str) -> Forum:
        return Forum.objects.get(agreement=self.agreement, key=key)

    def process(self, key: str) -> Process:
        return Process.objects.get(agreement=self.agreement, key=key)


@pytest.fixture
def built(world: World, client_for: Callable[[User | None], Client]) -> Model:
    """The starter roles, a forum on each level, two processes, objectives, escalation."""
    agreement, actor = world.agreement, world.customer_owner
    model.model_seed(agreement=agreement)
    roles = list(Role.objects.filter(agreement=agreement).order_by("position"))
    for role in roles:
        model.role_update(
            role=role,
            actor=actor,
            version=role.version,
            holders=[{"name": f"Innehavare {role.key}", "email": ""}],
        )
    forums = {}
    for level, chair in zip(("operational", "tactical", "strategic"), roles, strict=False):
        forums[level] = model.forum_create(
            agreement=agreement,
            actor=actor,
            key=f"forum-{level}",
            name=f"Forum {level}",
            level=level,
            chair=chair,
            cadence="monthly",
            mandate=[{"decision": "escalation", "limit": None, "note": ""}],
            members=[chair],
        )
    for key, name in (("innovation", "Innovation"), ("exit", "Exit")):
        model.process_create(
            agreement=agreement,
            actor=actor,
            key=key,
            name=name,
            purpose=f"{name} ger effekt",
            owner=roles[0],
            steps=["Första steget"],
            raci={roles[0]: "A", roles[1]: "R"},
        )
    model.objectives_set(agreement=agreement, actor=actor, texts=["Stabil drift"])
    model.escalation_set(
        agreement=agreement,
        actor=actor,
        steps=[(forums[level], 5) for level in ("operational", "tactical", "strategic")],
    )
    relationships.relationship_set_type(agreement=agreement, actor=actor, type="utility")
    return Model(agreement=agreement, actor=actor, client=client_for(actor))


def overview_status(client: Client, agreement: Agreement) -> AppendixStatus:
    """The appendix figures the overview shows (its panel's context)."""
    response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200
    found = [
        panel.context["status"]
        for panel in response.context["panels"]
        if isinstance(panel.context.get("status"), AppendixStatus)
    ]
    assert len(found) == 1
    return found[0]


def figures(status: AppendixStatus) -> tuple[int, int, int]:
    return status.passed, status.total, status.errors


def checked_afresh(agreement: Agreement) -> tuple[int, int, int]:
    findings = completeness.check(agreement_snapshot(agreement), "sv")
    return (
        sum(1 for f in findings if f.passed),
        len(findings),
        sum(1 for f in findings if not f.passed and f.severity == "error"),
    )


def _rename_supplier(m: Model) -> None:
    """No page renames an organisation; the admin site saves it like this."""
    supplier = m.agreement.supplier
    supplier.name = "Driftpartner Sverige AB"
    supplier.save()


# Each change as a page makes it; True when it changes the completeness figures.
CHANGES: dict[str, tuple[Callable[[Model], object], bool]] = {
    "agreement's fields": (
        lambda m: agreement_update(
            agreement=m.agreement, actor=m.actor, title="Drift och förvaltning, förlängt"
        ),
        False,
    ),
    "relationship type": (
        lambda m: relationships.relationship_set_type(
            agreement=m.agreement, actor=m.actor, type="frontier", rationale="Vi vill mer."
        ),
        False,
    ),
    "relationship profile": (
        lambda m: relationships.relationship_update_profile(
            agreement=m.agreement, actor=m.actor, version=None, ideas_per_quarter=7
        ),
        False,
    ),
    "objectives removed": (
        lambda m: model.objectives_set(agreement=m.agreement, actor=m.actor, texts=[]),
        True,
    ),
    "objective reworded": (
        lambda m: model.objectives_set(agreement=m.agreement, actor=m.actor, texts=["Ny text"]),
        False,
    ),
    "role added": (
        lambda m: model.role_create(
            agreement=m.agreement,
            actor=m.actor,
            name="Säkerhetsansvarig",
            side="supplier",
            level="tactical",
            orientation="it",
        ),
        True,
    ),
    "role's responsibilities removed": (
        lambda m: model.role_update(
            role=m.role("strategic-partner"),
            actor=m.actor,
            version=m.role("strategic-partner").version,
            responsibilities=[],
        ),
        True,
    ),
    "role deleted": (
        lambda m: model.role_delete(role=m.role("strategic-partner"), actor=m.actor),
        True,
    ),
    "role moved": (
        lambda m: model.part_move(part=m.last_role_on("tactical"), actor=m.actor, offset=-1),
        False,
    ),
    "forum added": (
        lambda m: model.forum_create(
            agreement=m.agreement, actor=m.actor, name="Releaseråd", level="operational"
        ),
        True,
    ),
    "forum's cadence removed": (
        lambda m: model.forum_update(
            forum=m.forum("forum-tactical"),
            actor=m.actor,
            version=m.forum("forum-tactical").version,
            cadence="",
        ),
        True,
    ),
    "forum's members changed": (
        lambda m: model.forum_update(
            forum=m.forum("forum-tactical"),
            actor=m.actor,
            version=m.forum("forum-tactical").version,
            members=list(Role.objects.filter(agreement=m.agreement)),
        ),
        False,
    ),
    "forum deleted": (
        lambda m: model.forum_delete(forum=m.forum("forum-strategic"), actor=m.actor),
        True,
    ),
    "forum moved": (
        lambda m: model.part_move(part=m.forum("forum-strategic"), actor=m.actor, offset=-1),
        False,
    ),
    "process added": (
        lambda m: model.process_create(agreement=m.agreement, actor=m.actor, name="Leverans"),
        True,
    ),
    "process's RACI changed": (
        lambda m: model.process_update(
            process=m.process("exit"),
            actor=m.actor,
            version=m.process("exit").version,
            raci={m.role("strategic-partner"): "A", m.role("it-supplier"): "A"},
        ),
        True,
    ),
    "process deleted": (
        lambda m: model.process_delete(process=m.process("innovation"), actor=m.actor),
        True,
    ),
    "process moved": (
        lambda m: model.part_move(part=m.process("exit"), actor=m.actor, offset=-1),
        False,
    ),
    "escalation reordered": (
        lambda m: model.escalation_set(
            agreement=m.agreement,
            actor=m.actor,
            steps=[(m.forum(f"forum-{level}"), 5) for level in ("strategic", "operational")],
        ),
        True,
    ),
    "escalation removed": (
        lambda m: model.escalation_set(agreement=m.agreement, actor=m.actor, steps=[]),
        True,
    ),
    "a party renamed": (_rename_supplier, False),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_overview_figure_follows_every_change_to_the_model(built: Model, change: str) -> None:
    make, changes_figures = CHANGES[change]
    before = overview_status(built.client, built.agreement)
    assert figures(before) == checked_afresh(built.agreement)
    revision = snapshot_revision(built.agreement)

    make(built)

    assert snapshot_revision(built.agreement) != revision
    after = overview_status(built.client, built.agreement)
    assert figures(after) == checked_afresh(built.agreement)
    assert (figures(after) != figures(before)) is changes_figures


def test_an_agreement_file_imported_over_the_agreement_moves_the_figure(built: Model) -> None:
    before = overview_status(built.client, built.agreement)
    content = yaml.safe_load(agreement_export(built.agreement))
    content["objectives"], content["escalation"] = [], []
    agreement = agreement_import(
        yaml.safe_dump(content, allow_unicode=True), actor=built.actor, replace=True
    )
    assert agreement.pk == built.agreement.pk
    after = overview_status(built.client, agreement)
    assert figures(after) == checked_afresh(agreement) != figures(before)


def test_a_rule_a_capability_registers_counts_at_once(
    built: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = overview_status(built.client, built.agreement)
    rule = registry.CompletenessRule(
        id="obligations-registered",
        severity="error",
        title={"sv": "Åtaganden är registrerade", "en": "Obligations are registered"},
        explanation={"sv": "Åtagandena följs upp.", "en": "Obligations are followed up."},
        fix="model#roles",
        check=lambda snapshot, language: ["Inga åtaganden är registrerade."],
    )
    chapter = registry.AppendixChapter(
        key="obligations", anchor="exit", order=2, write=lambda w, s: False, rules=(rule,)
    )
    monkeypatch.setitem(registry._chapters.entries, "obligations", chapter)
    after = overview_status(built.client, built.agreement)
    assert (after.passed, after.total, after.errors) == (
        before.passed,
        before.total + 1,
        before.errors + 1,
    )


def test_a_change_rolled_back_keeps_the_revision(built: Model) -> None:
    revision = snapshot_revision(built.agreement)
    with pytest.raises(StaleEditError):
        model.role_update(role=built.role("it-supplier"), actor=built.actor, version=999, name="X")
    assert snapshot_revision(built.agreement) == revision


def test_the_figure_is_read_in_two_queries_while_nothing_changes(built: Model) -> None:
    first = appendix_status(agreement=built.agreement, language="sv")
    with CaptureQueriesContext(connection) as queries:
        again = appendix_status(agreement=built.agreement, language="en")
    assert again == first
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_an_agreement_from_before_the_changes_were_recorded_starts_at_revision_0(
    built: Model,
) -> None:
    SnapshotChange.objects.filter(agreement_id=built.agreement.pk).delete()
    assert snapshot_revision(built.agreement) == "0@-"
    assert figures(overview_status(built.client, built.agreement)) == checked_afresh(
        built.agreement
    )
    model.objectives_set(agreement=built.agreement, actor=built.actor, texts=[])
    assert snapshot_revision(built.agreement) != "0@-"
    assert figures(overview_status(built.client, built.agreement)) == checked_afresh(
        built.agreement
    )


def test_a_deleted_agreements_changes_go_with_it(db: None) -> None:
    agreement = AgreementFactory()
    model.model_seed(agreement=agreement)
    assert SnapshotChange.objects.filter(agreement_id=agreement.pk).exists()
    pk = agreement.pk
    agreement.delete()
    assert not SnapshotChange.objects.filter(agreement_id=pk).exists()


def test_other_agreements_keep_their_revision(built: Model, world: World) -> None:
    other = snapshot_revision(world.other_agreement)
    model.objectives_set(agreement=built.agreement, actor=built.actor, texts=[])
    assert snapshot_revision(world.other_agreement) == other


def test_the_rows_a_later_capabilitys_file_section_names_are_tracked_too(
    built: Model, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A capability that adds a section names its rows (``FileSection.tracked``); the
    appendix imports none of them and still keeps no figure past their change."""
    from samverkan.agreements.models import Participant
    from samverkan.agreements.services import participant_add

    class Minutes:  # stands for a future capability's section, read from participants here
        key, order, keys = "minutes", 90, ("minutes",)

        def tracked(self) -> dict[type[Participant], Callable[[Participant], int]]:
            return {Participant: lambda row: row.agreement_id}

    before = snapshot_revision(built.agreement)
    participant_add(
        agreement=built.agreement,
        actor=built.actor,
        user=world.customer_colleague,
        side="customer",
        role="viewer",
    )
    assert snapshot_revision(built.agreement) == before  # not part of any section yet
    # Registered as a capability would, into a copy of the registry this test gives back.
    monkeypatch.setattr(registry._file_sections, "entries", dict(registry._file_sections.entries))
    registry.register_file_section(Minutes())  # type: ignore[arg-type]
    Participant.objects.filter(user=world.customer_colleague).first().save()  # type: ignore[union-attr]
    assert snapshot_revision(built.agreement) != before

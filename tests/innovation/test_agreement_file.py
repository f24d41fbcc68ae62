"""The innovation section of the agreement file: round trips, and malformed sections
refused with their paths (nothing written)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.utils import translation

from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_export,
    agreement_import,
)
from samverkan.innovation.models import Framework, Goal
from samverkan.innovation.services import framework_save
from tests.conftest import World
from tests.innovation.conftest import framework_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_an_agreement_without_a_framework_writes_innovation_null(framework_world: World) -> None:
    data = yaml.safe_load(agreement_export(framework_world.agreement))
    assert list(data)[-1] == "innovation" and data["innovation"] is None


def test_the_framework_is_written_readably(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    section = yaml.safe_load(agreement_export(w.agreement))["innovation"]
    assert section["goals"][0] == {
        "key": "halvera-tiden-for-prisandringar-i-kundportalen",
        "what": "Halvera tiden för prisändringar i kundportalen",
        "baseline": 10,
        "target": 5,
        "unit": "arbetsdagar",
        "due": __import__("datetime").date(2027, 6, 30),
    }
    assert section["deciding_forum"] == "collaboration-council"
    assert section["funding"]["model"] == "gain_share" and section["funding"]["months"] == 36


@pytest.mark.parametrize("funding", ["gain_share", "joint_fund", "none"])
def test_export_import_export_is_byte_identical(framework_world: World, funding: str) -> None:
    w = framework_world
    extra: dict[str, Any] = {"funding": funding}
    if funding == "joint_fund":
        extra.update(customer_contribution=500000, supplier_contribution=250000)
    goals = framework_fields(w)["goals"]
    goals[1] = {**goals[1], "baseline": "2.5", "target": "-1.25"}
    framework_save(
        agreement=w.agreement,
        actor=w.customer_owner,
        version=0,
        **framework_fields(w, goals=goals, ideas_per_quarter=4, **extra),
    )
    before = agreement_export(w.agreement)
    keys_before = list(Goal.objects.values_list("pk", "key").order_by("position"))
    agreement = agreement_import(before, actor=w.customer_owner, replace=True)
    assert agreement_export(agreement) == before
    # The goals keep their rows: an idea linked to a goal stays linked after a replace.
    assert list(Goal.objects.values_list("pk", "key").order_by("position")) == keys_before
    agreement.delete()
    fresh = agreement_import(before, actor=w.customer_owner)
    assert agreement_export(fresh) == before


def test_replacing_with_null_removes_the_framework(framework_world: World) -> None:
    w = framework_world
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    data = yaml.safe_load(agreement_export(w.agreement))
    data["innovation"] = None
    agreement_import(yaml.safe_dump(data, allow_unicode=True), actor=w.customer_owner, replace=True)
    assert not Framework.objects.exists()


def _problems(w: World, change: Any) -> list[str]:
    framework_save(agreement=w.agreement, actor=w.customer_owner, version=0, **framework_fields(w))
    data = yaml.safe_load(agreement_export(w.agreement))
    change(data["innovation"])
    count = Framework.objects.get().version
    with pytest.raises(AgreementFileError) as exc:
        agreement_import(
            yaml.safe_dump(data, allow_unicode=True), actor=w.customer_owner, replace=True
        )
    assert Framework.objects.get().version == count  # nothing written
    return exc.value.problems


def test_a_malformed_section_is_refused_with_every_path(framework_world: World) -> None:
    def change(section: dict[str, Any]) -> None:
        section["criteria"][2]["weight"] = "ten"
        section["criteria"][3]["weight"] = 120
        section["goals"][0]["baseline"] = "tio"
        section["goals"][1]["key"] = section["goals"][0]["key"]
        section["goals"][1]["due"] = "snart"
        section["funding"]["model"] = "lottery"
        section["colour"] = "blue"

    problems = _problems(framework_world, change)
    paths = [problem.split(": ", 1)[0] for problem in problems]
    assert set(paths) >= {
        "innovation.criteria[2].weight",
        "innovation.criteria[3].weight",
        "innovation.goals[0].baseline",
        "innovation.goals[1].key",
        "innovation.goals[1].due",
        "innovation.funding.model",
        "innovation.colour",
    }, problems


def test_weights_off_by_ten_are_named_with_the_difference(framework_world: World) -> None:
    def change(section: dict[str, Any]) -> None:
        section["criteria"][4]["weight"] = 10

    assert _problems(framework_world, change) == [
        "innovation.criteria: The weights add up to 90: 10 short of 100."
    ]


def test_unknown_forum_and_role_keys_and_a_lead_of_the_wrong_side_are_caught(
    framework_world: World,
) -> None:
    def change(section: dict[str, Any]) -> None:
        section["deciding_forum"] = "board-of-wizards"
        section["customer_lead"] = "business-developer"  # a supplier's role
        section["supplier_lead"] = "nobody"

    problems = _problems(framework_world, change)
    assert 'innovation.deciding_forum: unknown forum key "board-of-wizards"' in problems
    assert "innovation.customer_lead: must be a role of the customer's side" in problems
    assert 'innovation.supplier_lead: unknown role key "nobody"' in problems


def test_gain_share_shares_must_add_up_and_a_fund_needs_its_contributions(
    framework_world: World,
) -> None:
    def change(section: dict[str, Any]) -> None:
        section["funding"]["supplier_share"] = 60
        section["funding"]["months"] = None

    problems = _problems(framework_world, change)
    assert "innovation.funding.supplier_share: The shares add up to 110 %: 10 over 100." in problems
    assert "innovation.funding.months: required for a gain-share" in problems

"""The appendix on "Mitt arbete": versions to approve, failing required checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from django.utils import translation

from samverkan.agreements.access import agreement_access
from samverkan.agreements.agreement_file import (
    agreement_import,
    agreement_snapshot,
    agreement_snapshots,
)
from samverkan.agreements.models import Agreement
from samverkan.appendix import services
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.work import work_items
from samverkan.collaboration.services import (
    forum_from_template,
    model_seed,
    objectives_set,
    process_from_template,
)
from samverkan.core.work import WorkItem
from tests.appendix.test_completeness import complete
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The items' texts are read in English here (the Swedish is tested on the page)."""
    with translation.override("en"):
        yield


def _publish(world: World, summary: str = "Första versionen") -> AppendixVersion:
    return services.appendix_publish(
        agreement=world.agreement,
        actor=world.customer_owner,
        change_summary=summary,
        accept_errors=True,
    )


def _approve(world: World, version: AppendixVersion, user: object) -> None:
    access = agreement_access(user, world.agreement)  # type: ignore[arg-type]
    assert access is not None
    services.appendix_approve(version=version, access=access, actor=user)  # type: ignore[arg-type]


def _of_kind(items: list[WorkItem], kind: str) -> list[WorkItem]:
    return [item for item in items if item.kind == kind]


def _approvals(user: object) -> list[WorkItem]:
    return _of_kind(work_items(user), "appendix.approval")  # type: ignore[arg-type]


def _make_complete(world: World) -> None:
    """Give the world's agreement a model that passes every completeness rule."""
    data = complete()
    data["agreement"] = {
        "reference": world.agreement.reference,
        "title": world.agreement.title,
        "customer": world.customer.name,
        "supplier": world.supplier.name,
    }
    agreement_import(
        yaml.safe_dump(data, allow_unicode=True), actor=world.customer_owner, replace=True
    )


# Approvals --------------------------------------------------------------------------


def test_owners_of_both_sides_are_asked_to_approve_a_new_version(world: World) -> None:
    _publish(world)
    for owner in (world.customer_owner, world.supplier_owner):
        [item] = _approvals(owner)
        assert item.title == "Approve version 1 of the collaboration appendix"
        assert item.url == f"/agreements/{world.agreement.pk}/appendix/versions/1/"
        assert item.agreement == "DRIFT-2025 Drift av datacenter"
        assert item.since is not None and item.due is None
        assert "Första versionen" in item.details[0]
    assert world.customer.name in _approvals(world.customer_owner)[0].reason
    assert world.supplier.name in _approvals(world.supplier_owner)[0].reason


def test_a_viewer_an_org_admin_and_an_outsider_are_not_asked_to_approve(world: World) -> None:
    _publish(world)
    for user in (
        world.supplier_viewer,  # takes part, but only owners approve
        world.org_admin,  # sees the agreement as administrator, but takes no part
        world.customer_colleague,  # same organisation, not on the agreement
        world.other_supplier_user,  # another supplier's owner
    ):
        assert _approvals(user) == []


def test_after_the_supplier_approves_only_the_customer_is_still_asked(world: World) -> None:
    version = _publish(world)
    _approve(world, version, world.supplier_owner)
    assert _approvals(world.supplier_owner) == []
    [item] = _approvals(world.customer_owner)
    assert f"{world.supplier.name} has already approved it." in item.reason
    _approve(world, version, world.customer_owner)
    assert _approvals(world.customer_owner) == []


def test_only_the_newest_version_is_to_be_approved(world: World) -> None:
    first = _publish(world)
    _approve(world, first, world.customer_owner)
    objectives_set(agreement=world.agreement, actor=None, texts=["Stabil drift"])
    _publish(world, "Andra versionen")
    # The customer approved version 1; version 2 needs both sides again.
    for owner in (world.customer_owner, world.supplier_owner):
        [item] = _approvals(owner)
        assert "version 2" in item.title


def test_approval_items_follow_the_language(world: World) -> None:
    _publish(world)
    with translation.override("sv"):
        [item] = _approvals(world.customer_owner)
    assert item.title == "Godkänn version 1 av samverkansbilagan"
    assert item.label == "Godkännande"


# Failing required checks ------------------------------------------------------------


def test_an_owner_is_told_of_the_required_checks_that_fail(world: World) -> None:
    model_seed(agreement=world.agreement)
    other, item = _of_kind(work_items(world.customer_owner), "appendix.completeness")
    assert other.agreement == "APP-2025 Applikationsförvaltning"  # Karin owns both
    assert item.url == f"/agreements/{world.agreement.pk}/appendix/#check"
    assert item.agreement == "DRIFT-2025 Drift av datacenter"
    assert "required checks" in item.title
    assert item.when == "Before the next version is published"
    assert item.details[0].startswith("Not met: ")
    # The supplier's owner answers for it too; a viewer and an admin taking no part do not.
    assert _of_kind(work_items(world.supplier_owner), "appendix.completeness")
    for user in (world.supplier_viewer, world.org_admin, world.customer_colleague):
        assert _of_kind(work_items(user), "appendix.completeness") == []


def test_no_check_item_once_the_model_meets_every_required_check(world: World) -> None:
    _make_complete(world)
    items = _of_kind(work_items(world.customer_owner), "appendix.completeness")
    # Karin also owns APP-2025, whose model is empty: only that one is listed.
    assert [item.agreement for item in items] == ["APP-2025 Applikationsförvaltning"]


def test_an_ended_agreement_asks_for_nothing(world: World) -> None:
    Agreement.objects.filter(pk=world.other_agreement.pk).update(status="ended")
    items = _of_kind(work_items(world.customer_owner), "appendix.completeness")
    assert [item.agreement for item in items] == ["DRIFT-2025 Drift av datacenter"]


def test_snapshots_in_bulk_equal_one_by_one(world: World) -> None:
    """The page checks many agreements at once; it must check exactly what the appendix does."""
    _make_complete(world)  # roles, forums with members, RACI, escalation, relationship type
    other = world.other_agreement
    model_seed(agreement=other)
    objectives_set(agreement=other, actor=None, texts=["Stabil drift", "Lägre kostnad"])
    forum_from_template(agreement=other, actor=None, template="steering-group")
    process_from_template(agreement=other, actor=None, template="change-management")
    agreements = list(
        Agreement.objects.filter(pk__in=[world.agreement.pk, world.other_agreement.pk])
        .select_related("customer", "supplier")
        .order_by("pk")
    )
    bulk = agreement_snapshots(agreements)
    assert bulk == {agreement.pk: agreement_snapshot(agreement) for agreement in agreements}

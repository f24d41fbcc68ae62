"""The access module decides who sees and changes an agreement: tested on real rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from samverkan.agreements.access import (
    Need,
    agreement_access,
    agreement_by_reference_for,
    agreement_for,
    organisation_for,
    participant_for,
    visible_agreements,
)
from samverkan.agreements.models import Agreement
from tests.conftest import World
from tests.factories import AgreementFactory, MembershipFactory, ParticipantFactory


def _references(user: object) -> set[str]:
    return set(visible_agreements(user).values_list("reference", flat=True))  # type: ignore[arg-type]


def test_customer_owner_sees_both_agreements_of_the_customer(world: World) -> None:
    assert _references(world.customer_owner) == {"DRIFT-2025", "APP-2025"}


def test_supplier_sees_only_its_own_agreement(world: World) -> None:
    assert _references(world.supplier_owner) == {"DRIFT-2025"}
    assert _references(world.supplier_viewer) == {"DRIFT-2025"}


def test_supplier_cannot_list_other_suppliers_agreements(world: World) -> None:
    assert _references(world.other_supplier_user) == {"APP-2025"}


def test_org_admin_sees_every_agreement_of_the_organisation_without_participant_row(
    world: World,
) -> None:
    assert _references(world.org_admin) == {"DRIFT-2025", "APP-2025"}


def test_plain_member_without_participant_row_sees_nothing(world: World) -> None:
    assert _references(world.customer_colleague) == set()


def test_anonymous_and_deactivated_users_see_nothing(world: World) -> None:
    assert not visible_agreements(AnonymousUser()).exists()  # type: ignore[arg-type]
    world.customer_owner.is_active = False
    world.customer_owner.save()
    assert _references(world.customer_owner) == set()


def test_visible_agreements_has_no_duplicates_for_admin_who_also_takes_part(
    world: World,
) -> None:
    ParticipantFactory(agreement=world.agreement, user=world.org_admin, side="customer")
    assert visible_agreements(world.org_admin).count() == 2


def test_supplier_admin_sees_the_suppliers_agreements_only(world: World) -> None:
    supplier_admin = MembershipFactory(organisation=world.supplier, role="admin").user
    AgreementFactory(reference="OTHER-CUSTOMER-1", supplier=world.other_supplier)
    assert _references(supplier_admin) == {"DRIFT-2025"}


def test_outsider_gets_404_for_an_existing_agreement(world: World) -> None:
    with pytest.raises(Http404):
        agreement_for(world.other_supplier_user, world.agreement.pk)


def test_outsider_cannot_tell_existing_from_nonexistent_agreement(world: World) -> None:
    missing = Agreement.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    errors = []
    for pk in (world.agreement.pk, missing):
        with pytest.raises(Http404) as caught:
            agreement_for(world.other_supplier_user, pk)
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]


def test_member_without_participant_row_gets_404(world: World) -> None:
    with pytest.raises(Http404):
        agreement_for(world.customer_colleague, world.agreement.pk)


def test_viewer_may_view_but_not_edit(world: World) -> None:
    access = agreement_for(world.supplier_viewer, world.agreement.pk)
    assert access.agreement == world.agreement
    assert not access.can_edit
    with pytest.raises(PermissionDenied):
        agreement_for(world.supplier_viewer, world.agreement.pk, Need.EDIT)


def test_editor_may_edit_but_not_own(world: World) -> None:
    editor = MembershipFactory(organisation=world.supplier).user
    ParticipantFactory(agreement=world.agreement, user=editor, side="supplier", role="editor")
    assert agreement_for(editor, world.agreement.pk, Need.EDIT).can_edit
    with pytest.raises(PermissionDenied):
        agreement_for(editor, world.agreement.pk, Need.OWN)


def test_owner_may_edit_and_own(world: World) -> None:
    access = agreement_for(world.customer_owner, world.agreement.pk, Need.OWN)
    assert access.can_edit
    assert access.is_owner
    assert access.side == "customer"


def test_org_admin_sees_without_participant_row_but_cannot_edit(world: World) -> None:
    access = agreement_for(world.org_admin, world.agreement.pk)
    assert access.participant is None
    assert access.side == "customer"
    with pytest.raises(PermissionDenied):
        agreement_for(world.org_admin, world.agreement.pk, Need.EDIT)


def test_org_admin_manages_own_side_only(world: World) -> None:
    access = agreement_for(world.org_admin, world.agreement.pk)
    assert access.manageable_sides == frozenset({"customer"})


def test_owner_manages_own_side_only(world: World) -> None:
    assert agreement_for(world.customer_owner, world.agreement.pk).manageable_sides == {"customer"}
    assert agreement_for(world.supplier_owner, world.agreement.pk).manageable_sides == {"supplier"}


def test_viewer_manages_no_side(world: World) -> None:
    access = agreement_for(world.supplier_viewer, world.agreement.pk)
    assert access.manageable_sides == frozenset()
    assert not access.can_manage_participants


def test_participant_who_is_also_admin_manages_own_side(world: World) -> None:
    MembershipFactory(user=world.supplier_viewer, organisation=world.customer, role="admin")
    # Admin of the customer organisation, viewer on the supplier side.
    access = agreement_for(world.supplier_viewer, world.agreement.pk)
    assert access.manageable_sides == frozenset({"customer"})


def test_agreement_access_is_none_for_outsider(world: World) -> None:
    assert agreement_access(world.other_supplier_user, world.agreement) is None
    assert agreement_access(AnonymousUser(), world.agreement) is None  # type: ignore[arg-type]


def test_participant_for_refuses_other_side_and_other_agreement(world: World) -> None:
    access = agreement_for(world.customer_owner, world.agreement.pk)
    supplier_row = world.participant(world.supplier_viewer)
    with pytest.raises(PermissionDenied):
        participant_for(access, supplier_row.pk)
    foreign = world.other_agreement.participants.get(user=world.other_supplier_user)
    with pytest.raises(Http404):
        participant_for(access, foreign.pk)
    own = world.participant(world.customer_owner)
    assert participant_for(access, own.pk) == own


def test_agreement_by_reference_is_case_insensitive_and_scoped(world: World) -> None:
    assert (
        agreement_by_reference_for(world.supplier_owner, "drift-2025").agreement == world.agreement
    )
    with pytest.raises(Http404):
        agreement_by_reference_for(world.supplier_owner, "APP-2025")
    with pytest.raises(PermissionDenied):
        agreement_by_reference_for(world.supplier_viewer, "DRIFT-2025", Need.EDIT)


def test_organisation_for_member_admin_and_outsider(world: World) -> None:
    assert organisation_for(world.customer_colleague, world.customer.pk) == world.customer
    with pytest.raises(PermissionDenied):
        organisation_for(world.customer_colleague, world.customer.pk, admin=True)
    assert organisation_for(world.org_admin, world.customer.pk, admin=True) == world.customer
    with pytest.raises(Http404):
        organisation_for(world.other_supplier_user, world.customer.pk)

"""Agreement and participant services, on real database rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from samverkan.accounts.models import Invitation, Membership, Organisation
from samverkan.agreements.models import Agreement, Participant
from samverkan.agreements.selectors import agreement_history
from samverkan.agreements.services import (
    agreement_create,
    agreement_end,
    agreement_update,
    participant_add,
    participant_remove,
    participant_set_role,
)
from tests.conftest import World
from tests.factories import MembershipFactory, ParticipantFactory


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Error messages are asserted in English; the product's default language is Swedish."""
    with translation.override("en"):
        yield


def _create(world: World, **overrides: Any) -> Agreement:
    data: dict[str, Any] = {
        "actor": world.customer_owner,
        "own_organisation": world.customer,
        "counterpart_name": "Molnbro Digital AB",
        "counterpart_contact_email": "sofia@molnbro.example",
        "reference": "MOLN-2026",
        "title": "Kundplattform",
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2029, 12, 31),
        "annual_value": Decimal("1250000"),
    }
    data.update(overrides)
    return agreement_create(**data)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# agreement_create --------------------------------------------------------------


def test_create_makes_the_actor_owner_on_the_customer_side(world: World) -> None:
    agreement = _create(world)
    assert agreement.customer == world.customer
    assert agreement.supplier.name == "Molnbro Digital AB"
    assert agreement.status == "draft"
    participant = Participant.objects.get(agreement=agreement)
    assert (participant.user, participant.side, participant.role) == (
        world.customer_owner,
        "customer",
        "owner",
    )


def test_create_by_supplier_puts_supplier_on_supplier_side(world: World) -> None:
    agreement = _create(
        world,
        actor=world.supplier_owner,
        own_organisation=world.supplier,
        counterpart_name="Fjällbanken AB",
        counterpart_contact_email="",
    )
    assert agreement.supplier == world.supplier
    assert agreement.customer.name == "Fjällbanken AB"
    assert agreement.customer.kind == "customer"
    assert Participant.objects.get(agreement=agreement).side == "supplier"


def test_create_with_new_counterpart_creates_it_and_invites_the_contact_as_admin(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _create(world)
    counterpart = Organisation.objects.get(name="Molnbro Digital AB")
    assert counterpart.kind == "supplier"
    assert agreement.supplier == counterpart
    invitation = Invitation.objects.get(organisation=counterpart)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "sofia@molnbro.example",
        "admin",
        world.customer_owner,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sofia@molnbro.example"]
    assert "Molnbro Digital AB" in message.subject
    assert "/accounts/invitation/" in message.body


def test_invitation_mail_is_sent_only_after_commit(world: World) -> None:
    _create(world)
    assert mail.outbox == []


def test_create_reuses_existing_counterpart_by_name_case_insensitively(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    organisations = Organisation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _create(world, counterpart_name="  driftpartner norden ab ")
    assert agreement.supplier == world.supplier
    assert Organisation.objects.count() == organisations
    # An existing organisation is asked (a proposal, test_proposals.py), and nobody is
    # invited into it: once, a contact was invited to administer a supplier that had no
    # administrator, which handed the supplier (and its agreements) to whoever proposed.
    assert agreement.proposal == "proposed"
    assert not Invitation.objects.exists()
    assert mail.outbox == []  # Driftpartner has no administrator to ask yet


def test_create_asks_the_counterparts_admin_and_invites_nobody(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin = MembershipFactory(organisation=world.supplier, role="admin").user
    with django_capture_on_commit_callbacks(execute=True):
        _create(world, counterpart_name=world.supplier.name)
    assert not Invitation.objects.exists()
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert "/agreements/proposals/" in mail.outbox[0].body


def test_reference_is_unique_per_customer_case_insensitively(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, reference="drift-2025")
    assert "reference" in _errors(caught)
    assert "already has an agreement with this reference" in _errors(caught)["reference"][0]


def test_refused_create_leaves_no_new_organisation_and_sends_no_mail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _create(world, reference="DRIFT-2025")
    assert not Organisation.objects.filter(name="Molnbro Digital AB").exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_same_reference_is_allowed_for_another_customer(world: World) -> None:
    other_customer = Organisation.objects.create(name="Fjällbanken AB", kind="customer")
    MembershipFactory(user=world.supplier_owner, organisation=other_customer)
    agreement = _create(
        world,
        actor=world.supplier_owner,
        own_organisation=other_customer,
        counterpart_name=world.supplier.name,
        reference="DRIFT-2025",
    )
    assert agreement.customer == other_customer


def test_end_before_start_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 5, 31))
    assert "end_date" in _errors(caught)
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()


def test_negative_annual_value_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, annual_value=Decimal("-1"))
    assert "annual_value" in _errors(caught)


def test_create_for_organisation_the_actor_is_not_member_of_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, actor=world.other_supplier_user)
    assert "own_organisation" in _errors(caught)


def test_counterpart_cannot_be_own_organisation(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, counterpart_name="NORRLANDIA försäkring ab")
    assert "counterpart_name" in _errors(caught)


def test_blank_reference_or_title_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(world, reference="   ", title="")
    assert {"reference", "title"} <= set(_errors(caught))


def test_create_is_recorded_in_the_audit_trail(world: World) -> None:
    agreement = _create(world)
    actions = {
        (entry.content_type.model, entry.action) for entry in agreement_history(agreement=agreement)
    }
    assert ("agreement", LogEntry.Action.CREATE) in actions
    assert ("participant", LogEntry.Action.CREATE) in actions


# agreement_update / agreement_end ------------------------------------------------


def test_update_changes_fields_and_strips_reference_and_title(world: World) -> None:
    agreement_update(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="  Drift och nätverk  ",
        reference=" DRIFT-2026 ",
        annual_value=Decimal("900000"),
    )
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift och nätverk"
    assert world.agreement.reference == "DRIFT-2026"
    assert world.agreement.annual_value == Decimal("900000")


def test_update_to_a_reference_already_taken_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        agreement_update(
            agreement=world.agreement, actor=world.customer_owner, reference="app-2025"
        )
    assert "reference" in _errors(caught)
    world.agreement.refresh_from_db()
    assert world.agreement.reference == "DRIFT-2025"


def test_update_keeping_own_reference_in_other_case_is_allowed(world: World) -> None:
    agreement_update(agreement=world.agreement, actor=world.customer_owner, reference="drift-2025")
    world.agreement.refresh_from_db()
    assert world.agreement.reference == "drift-2025"


def test_update_cannot_change_the_parties(world: World) -> None:
    with pytest.raises(ValidationError):
        agreement_update(
            agreement=world.agreement, actor=world.customer_owner, supplier=world.other_supplier
        )
    world.agreement.refresh_from_db()
    assert world.agreement.supplier == world.supplier


def test_update_with_end_before_start_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        agreement_update(
            agreement=world.agreement,
            actor=world.customer_owner,
            end_date=datetime.date(2024, 12, 31),
        )
    assert "end_date" in _errors(caught)


def test_end_marks_the_agreement_ended_on_the_given_date(world: World) -> None:
    agreement_end(
        agreement=world.agreement, actor=world.customer_owner, end_date=datetime.date(2026, 6, 30)
    )
    world.agreement.refresh_from_db()
    assert world.agreement.status == "ended"
    assert world.agreement.end_date == datetime.date(2026, 6, 30)


def test_end_without_date_keeps_the_planned_end_date(world: World) -> None:
    agreement_end(agreement=world.agreement, actor=world.customer_owner)
    world.agreement.refresh_from_db()
    assert world.agreement.status == "ended"
    assert world.agreement.end_date == datetime.date(2028, 12, 31)


def test_end_before_start_ends_on_the_start_date(world: World) -> None:
    agreement_end(
        agreement=world.agreement, actor=world.customer_owner, end_date=datetime.date(2020, 1, 1)
    )
    world.agreement.refresh_from_db()
    assert world.agreement.end_date == world.agreement.start_date


def test_ending_twice_is_refused(world: World) -> None:
    agreement_end(agreement=world.agreement, actor=world.customer_owner)
    with pytest.raises(ValidationError, match="already ended"):
        agreement_end(agreement=world.agreement, actor=world.customer_owner)


# participants -------------------------------------------------------------------


def test_participant_add_takes_a_member_of_that_sides_organisation(world: World) -> None:
    participant = participant_add(
        agreement=world.agreement,
        user=world.customer_colleague,
        side="customer",
        role="editor",
        actor=world.customer_owner,
    )
    assert participant.can_edit
    assert world.agreement in Agreement.objects.filter(participants__user=world.customer_colleague)


def test_participant_add_refuses_someone_from_another_organisation(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        participant_add(
            agreement=world.agreement,
            user=world.other_supplier_user,
            side="supplier",
            role="viewer",
            actor=world.supplier_owner,
        )
    assert "is not a member of Driftpartner Norden AB" in _errors(caught)["user"][0]


def test_participant_add_refuses_a_member_on_the_wrong_side(world: World) -> None:
    with pytest.raises(ValidationError):
        participant_add(
            agreement=world.agreement,
            user=world.customer_colleague,
            side="supplier",
            role="viewer",
            actor=world.supplier_owner,
        )
    assert not Participant.objects.filter(user=world.customer_colleague).exists()


def test_participant_add_refuses_someone_already_taking_part(world: World) -> None:
    with pytest.raises(ValidationError, match="already takes part"):
        participant_add(
            agreement=world.agreement,
            user=world.supplier_viewer,
            side="supplier",
            role="editor",
            actor=world.supplier_owner,
        )


def test_participant_add_refuses_an_unknown_role(world: World) -> None:
    with pytest.raises(ValidationError):
        participant_add(
            agreement=world.agreement,
            user=world.customer_colleague,
            side="customer",
            role="superuser",
            actor=world.customer_owner,
        )


def test_last_owner_of_a_side_cannot_be_demoted(world: World) -> None:
    owner = world.participant(world.customer_owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        participant_set_role(participant=owner, role="editor", actor=world.customer_owner)
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_last_owner_of_a_side_cannot_be_removed(world: World) -> None:
    owner = world.participant(world.supplier_owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        participant_remove(participant=owner, actor=world.supplier_owner)
    assert Participant.objects.filter(pk=owner.pk).exists()


def test_owners_on_the_other_side_do_not_count_for_this_side(world: World) -> None:
    # The customer side has an owner, but that does not free the supplier's only owner.
    assert world.participant(world.customer_owner).role == "owner"
    with pytest.raises(ValidationError):
        participant_set_role(
            participant=world.participant(world.supplier_owner),
            role="viewer",
            actor=world.org_admin,
        )


def test_an_owner_can_step_down_once_a_second_owner_exists(world: World) -> None:
    participant_set_role(
        participant=world.participant(world.supplier_viewer),
        role="owner",
        actor=world.supplier_owner,
    )
    participant_set_role(
        participant=world.participant(world.supplier_owner),
        role="editor",
        actor=world.supplier_owner,
    )
    assert world.participant(world.supplier_owner).role == "editor"
    participant_remove(
        participant=world.participant(world.supplier_owner), actor=world.supplier_viewer
    )
    assert not Participant.objects.filter(
        agreement=world.agreement, user=world.supplier_owner
    ).exists()


def test_viewer_can_be_removed(world: World) -> None:
    participant_remove(
        participant=world.participant(world.supplier_viewer), actor=world.supplier_owner
    )
    assert not Participant.objects.filter(
        agreement=world.agreement, user=world.supplier_viewer
    ).exists()


def test_set_role_refuses_unknown_role(world: World) -> None:
    with pytest.raises(ValidationError):
        participant_set_role(
            participant=world.participant(world.supplier_viewer), role="boss", actor=world.org_admin
        )


def test_participant_removal_stays_in_the_agreements_history(world: World) -> None:
    extra = ParticipantFactory(
        agreement=world.agreement,
        user=MembershipFactory(organisation=world.supplier).user,
        side="supplier",
    )
    participant_remove(participant=extra, actor=world.supplier_owner)
    deletions = agreement_history(agreement=world.agreement).filter(
        action=LogEntry.Action.DELETE, content_type__model="participant"
    )
    assert deletions.count() == 1


def test_membership_is_not_touched_by_participant_changes(world: World) -> None:
    participant_remove(
        participant=world.participant(world.supplier_viewer), actor=world.supplier_owner
    )
    assert Membership.objects.filter(
        user=world.supplier_viewer, organisation=world.supplier
    ).exists()

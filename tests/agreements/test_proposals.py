"""An agreement that names an existing organisation one does not belong to is a proposal.

It is not the other organisation's agreement until one of its administrators accepts
it: nobody of that organisation takes part, sees it or is asked anything except its
administrators, who see the proposal (on "Mitt arbete", the organisation page, by
e-mail and in the API) and accept or decline it. Accepting makes it an agreement of
both parties with the accepting administrator as owner on their side; declining keeps
it for the proposer, marked declined, with the reason.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.models import Invitation, Membership, Organisation, User
from samverkan.accounts.services import organisation_create, token_create
from samverkan.agreements import access, services
from samverkan.agreements.access import agreement_access, visible_agreements
from samverkan.agreements.agreement_file import agreement_export, agreement_import
from samverkan.agreements.models import Agreement, Participant
from samverkan.core.audit import audit_action
from samverkan.core.errors import StaleEditError
from samverkan.core.registry import work_items
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


class Outsider:
    """Outsider Konsult AB: Olle (member) proposes, Oskar is its administrator."""

    def __init__(self) -> None:
        self.organisation = OrganisationFactory(name="Outsider Konsult AB", kind="supplier")
        self.olle = UserFactory(email="olle@outsider.example", full_name="Olle Ek")
        self.oskar = UserFactory(email="oskar@outsider.example", full_name="Oskar Lund")
        MembershipFactory(user=self.olle, organisation=self.organisation)
        MembershipFactory(user=self.oskar, organisation=self.organisation, role="admin")


@pytest.fixture
def outsider(world: World) -> Outsider:
    return Outsider()


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _propose(world: World, outsider: Outsider, **overrides: Any) -> Agreement:
    data: dict[str, Any] = {
        "actor": outsider.olle,
        "own_organisation": outsider.organisation,
        "counterpart": world.customer,
        "reference": "OUT-2026",
        "title": "Rådgivning om molntjänster",
        "description": "Vi föreslår ett samarbete om molnstrategi.",
    }
    data.update(overrides)
    with audit_action(actor=data["actor"]):
        return services.agreement_create(**data)


def _fresh(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_related("customer", "supplier").get(pk=agreement.pk)


def _accept(agreement: Agreement, actor: User, **extra: Any) -> Agreement:
    agreement = _fresh(agreement)
    with audit_action(actor=actor):
        return services.proposal_accept(
            agreement=agreement, actor=actor, version=agreement.version, **extra
        )


def _decline(agreement: Agreement, actor: User, reason: str = "") -> Agreement:
    agreement = _fresh(agreement)
    with audit_action(actor=actor):
        return services.proposal_decline(
            agreement=agreement, actor=actor, version=agreement.version, reason=reason
        )


class Api:
    def __init__(self, user: User) -> None:
        _token, raw = token_create(user=user, name="Skript")
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, data: object) -> Any:
        return self.client.post(path, data=json.dumps(data), content_type="application/json")


def _everyone(world: World, outsider: Outsider) -> dict[str, User]:
    return {
        "olle (proposer)": outsider.olle,
        "oskar (proposer's admin)": outsider.oskar,
        "anders (Norrlandia's admin)": world.org_admin,
        "karin (Norrlandia)": world.customer_owner,
        "lars (Norrlandia)": world.customer_colleague,
        "peter (Driftpartner)": world.supplier_owner,
        "sara (Kodkraft)": world.other_supplier_user,
    }


# What a proposal is ------------------------------------------------------------------------------


def test_naming_an_existing_organisation_makes_a_proposal_that_touches_nothing_of_it(
    world: World, outsider: Outsider
) -> None:
    memberships = list(Membership.objects.filter(organisation=world.customer).values_list("pk"))
    proposal = _propose(world, outsider, counterpart_contact_email="ny@norrlandia.example")

    assert (proposal.proposal, proposal.proposed_to) == ("proposed", "customer")
    assert proposal.proposed_by == outsider.olle
    assert (proposal.customer, proposal.supplier) == (world.customer, outsider.organisation)
    assert list(proposal.participants.values_list("user__email", "side", "role")) == [
        ("olle@outsider.example", "supplier", "owner")
    ]
    # Nothing of Norrlandia's is touched: no one invited, nobody added or changed.
    assert not Invitation.objects.exists()
    assert list(Membership.objects.filter(organisation=world.customer).values_list("pk")) == (
        memberships
    )


def test_a_proposal_is_seen_only_by_the_proposers_side(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    sees = {"olle (proposer)", "oskar (proposer's admin)"}
    for name, person in _everyone(world, outsider).items():
        expected = name in sees
        assert (proposal in visible_agreements(person)) is expected, name
        assert (agreement_access(person, proposal) is not None) is expected, name
        client = client_for(person)
        assert client.get(reverse("agreements:detail", args=[proposal.pk])).status_code == (
            200 if expected else 404
        ), name
        assert client.get(reverse("agreements:history", args=[proposal.pk])).status_code == (
            200 if expected else 404
        ), name
        listed = client.get(reverse("agreements:list")).content.decode()
        assert ("OUT-2026" in listed) is expected, name
        assert Api(person).get(f"/api/v1/agreements/{proposal.pk}").status_code == (
            200 if expected else 404
        ), name


def test_only_the_asked_organisations_admins_see_the_proposal(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    for name, person in _everyone(world, outsider).items():
        admin = person == world.org_admin
        page = client_for(person).get(reverse("agreements:proposal", args=[proposal.pk]))
        assert page.status_code == (200 if admin else 404), name
        api = Api(person)
        assert api.get(f"/api/v1/proposals/{proposal.pk}").status_code == (200 if admin else 404), (
            name
        )
        listed = [item["reference"] for item in api.get("/api/v1/proposals").json()]
        assert listed == (["OUT-2026"] if admin else []), name
        with translation.override("en"):
            kinds = [item.kind for item in work_items(person)]
        assert ("agreements.proposal" in kinds) is admin, name
    body = client_for(world.org_admin).get(reverse("agreements:proposal", args=[proposal.pk]))
    text = body.content.decode()
    for shown in ("OUT-2026", "Rådgivning om molntjänster", "Outsider Konsult AB", "Olle Ek"):
        assert shown in text


def test_the_asked_organisations_admins_are_emailed_and_nobody_else(
    world: World, outsider: Outsider, django_capture_on_commit_callbacks: Any
) -> None:
    second_admin = UserFactory(
        email="maria@norrlandia.example", full_name="Maria Ek", language="en"
    )
    MembershipFactory(user=second_admin, organisation=world.customer, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _propose(world, outsider)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anders@norrlandia.example",
        "maria@norrlandia.example",
    ]
    english = next(m for m in mail.outbox if m.to == ["maria@norrlandia.example"])
    assert "Outsider Konsult AB" in english.subject
    assert "OUT-2026" in english.subject
    assert f"/agreements/proposals/{proposal.pk}/" in english.body
    assert "Olle Ek" in english.body
    swedish = next(m for m in mail.outbox if m.to == ["anders@norrlandia.example"])
    assert "förslag" in swedish.subject.lower()


def test_the_organisation_page_lists_proposals_to_its_admins_only(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    url = reverse("accounts:organisation", args=[world.customer.pk])
    admin_page = client_for(world.org_admin).get(url).content.decode()
    assert "OUT-2026" in admin_page
    assert reverse("agreements:proposal", args=[proposal.pk]) in admin_page
    member_page = client_for(world.customer_owner).get(url).content.decode()
    assert "OUT-2026" not in member_page


def test_the_proposer_sees_what_it_is_and_whom_it_waits_for(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    text = client_for(outsider.olle).get(reverse("agreements:detail", args=[proposal.pk]))
    body = text.content.decode()
    assert "Proposal to Norrlandia Försäkring AB" in body or "Förslag till Norrlandia" in body
    assert Api(outsider.olle).get(f"/api/v1/agreements/{proposal.pk}").json()["proposal"] == (
        "proposed"
    )


def test_the_proposer_keeps_the_terms_and_adds_nobody_of_the_asked_side(
    world: World, outsider: Outsider
) -> None:
    proposal = _propose(world, outsider)
    olle = agreement_access(outsider.olle, proposal)
    assert olle is not None
    assert olle.can_edit_terms and olle.can_end
    assert olle.manageable_sides == frozenset({"supplier"})
    with pytest.raises(ValidationError):
        services.participant_add(
            agreement=proposal,
            user=world.customer_owner,
            side="customer",
            role="viewer",
            actor=outsider.olle,
        )


# Accepting ------------------------------------------------------------------------------------------


def test_accepting_makes_it_an_agreement_of_both_parties_with_the_admin_as_owner(
    world: World, outsider: Outsider, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = _propose(world, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _accept(proposal, world.org_admin)

    assert accepted.proposal == "accepted"
    assert accepted.proposal_answered_at is not None
    assert Participant.objects.get(agreement=accepted, side="customer").user == world.org_admin
    assert Participant.objects.get(agreement=accepted, side="customer").role == "owner"
    assert accepted in visible_agreements(world.org_admin)
    # Members see it as any agreement: when they take part.
    assert accepted not in visible_agreements(world.customer_owner)
    # The agreement's own record is the customer's from now on.
    anders = agreement_access(world.org_admin, accepted)
    olle = agreement_access(outsider.olle, accepted)
    assert anders is not None and anders.can_edit_terms
    assert olle is not None and not olle.can_edit_terms
    # The proposer's owners are told.
    assert [message.to for message in mail.outbox] == [["olle@outsider.example"]]
    assert "har accepterat" in mail.outbox[0].subject  # in Olle's language, Swedish
    # The answer is in the agreement's history, with the person who gave it.
    entry = LogEntry.objects.filter(
        additional_data__agreement_id=accepted.pk, action=LogEntry.Action.UPDATE
    ).latest("timestamp")
    assert entry.actor == world.org_admin
    assert "proposal" in entry.changes_dict
    assert accepted not in access.proposals_to(world.org_admin)


def test_accepting_a_reference_norrlandia_already_uses_asks_for_another(
    world: World, outsider: Outsider
) -> None:
    # Olle cannot see DRIFT-2025: proposing it is accepted like any other reference.
    proposal = _propose(world, outsider, reference="drift-2025")
    with pytest.raises(ValidationError) as caught:
        _accept(proposal, world.org_admin)
    assert "reference" in caught.value.message_dict
    assert _fresh(proposal).proposal == "proposed"
    assert not Participant.objects.filter(agreement=proposal, side="customer").exists()

    accepted = _accept(proposal, world.org_admin, reference="DRIFT-2025-RÅD")
    assert (accepted.proposal, accepted.reference) == ("accepted", "DRIFT-2025-RÅD")


def test_accepting_what_the_proposer_changed_meanwhile_is_refused(
    world: World, outsider: Outsider
) -> None:
    proposal = _propose(world, outsider)
    seen = _fresh(proposal).version
    services.agreement_update(
        agreement=_fresh(proposal), actor=outsider.olle, title="Något helt annat"
    )
    with pytest.raises(StaleEditError):
        services.proposal_accept(agreement=_fresh(proposal), actor=world.org_admin, version=seen)
    assert _fresh(proposal).proposal == "proposed"


# Declining ------------------------------------------------------------------------------------------


def test_declining_keeps_it_for_the_proposer_marked_declined_and_tells_them_why(
    world: World, outsider: Outsider, django_capture_on_commit_callbacks: Any, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        declined = _decline(proposal, world.org_admin, reason="Vi har redan en rådgivare.")

    assert (declined.proposal, declined.proposal_reason) == (
        "declined",
        "Vi har redan en rådgivare.",
    )
    assert not Participant.objects.filter(agreement=proposal, side="customer").exists()
    assert proposal in visible_agreements(outsider.olle)
    assert proposal not in visible_agreements(world.org_admin)
    assert proposal not in access.proposals_to(world.org_admin)
    [message] = mail.outbox
    assert message.to == ["olle@outsider.example"]
    assert "Vi har redan en rådgivare." in message.body
    page = client_for(outsider.olle).get(reverse("agreements:detail", args=[proposal.pk]))
    assert "Vi har redan en rådgivare." in page.content.decode()
    # Answered once: neither accepted nor declined again.
    with pytest.raises(ValidationError):
        _accept(proposal, world.org_admin)
    with pytest.raises(ValidationError):
        _decline(proposal, world.org_admin)


def test_a_declined_reference_may_be_proposed_again(world: World, outsider: Outsider) -> None:
    _decline(_propose(world, outsider), world.org_admin)
    assert _propose(world, outsider).proposal == "proposed"


# References --------------------------------------------------------------------------------------


def test_the_proposer_is_told_only_of_references_they_can_see(
    world: World, outsider: Outsider
) -> None:
    _propose(world, outsider)
    with pytest.raises(ValidationError) as caught:
        _propose(world, outsider)  # Olle's own proposal: he sees it
    assert "reference" in caught.value.message_dict
    # Another supplier may propose the same reference to Norrlandia: Norrlandia's admin
    # sorts it out on accepting.
    other = OrganisationFactory(name="Tredje Part AB", kind="supplier")
    tredje = UserFactory(email="tina@tredje.example")
    MembershipFactory(user=tredje, organisation=other)
    assert _propose(world, outsider, actor=tredje, own_organisation=other).proposal == "proposed"


def test_a_customers_proposal_claims_the_customers_reference_and_the_supplier_accepts(
    world: World,
) -> None:
    Membership.objects.filter(user=world.other_supplier_user).update(role="admin")
    proposal = services.agreement_create(
        actor=world.customer_owner,
        own_organisation=world.customer,
        counterpart=world.other_supplier,
        reference="NY-2026",
        title="Ny tjänst",
    )
    assert (proposal.proposal, proposal.proposed_to) == ("proposed", "supplier")
    assert proposal not in visible_agreements(world.other_supplier_user)
    with pytest.raises(ValidationError) as caught:  # Norrlandia's own reference, Lars's too
        services.agreement_create(
            actor=world.customer_colleague,
            own_organisation=world.customer,
            counterpart_name="Helt Ny Leverantör AB",
            reference="ny-2026",
            title="Annat",
        )
    assert "reference" in caught.value.message_dict
    # The supplier may not change the customer's reference, nor probe the customer's other
    # references with it: any reference is refused the same way, taken or not (review).
    answers = []
    for probe in ("DRIFT-2025", "HELT-OANVAND-1"):
        with pytest.raises(ValidationError) as refused:
            services.proposal_accept(
                agreement=proposal,
                actor=world.other_supplier_user,
                version=proposal.version,
                reference=probe,
            )
        answers.append(refused.value.message_dict)
    assert answers[0] == answers[1] and set(answers[0]) == {"reference"}
    accepted = _accept(proposal, world.other_supplier_user)
    assert accepted.reference == "NY-2026"
    assert Participant.objects.get(agreement=accepted, side="supplier").user == (
        world.other_supplier_user
    )


# What is not a proposal ---------------------------------------------------------------------------


def test_a_new_organisation_is_not_asked_and_its_contact_is_invited_as_today(
    world: World, outsider: Outsider, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _propose(
            world,
            outsider,
            counterpart=None,
            counterpart_name="Fjällbanken AB",
            counterpart_contact_email="eva@fjallbanken.example",
        )
    assert agreement.proposal == ""
    assert Invitation.objects.get().organisation == agreement.customer
    access_of_olle = agreement_access(outsider.olle, agreement)
    assert access_of_olle is not None and access_of_olle.can_edit_terms


def test_a_contact_is_never_invited_into_an_existing_organisation(
    world: World, outsider: Outsider
) -> None:
    """Inviting the proposer's contact as administrator of an existing organisation
    without one would hand that organisation (and its agreements) to the proposer."""
    empty = organisation_create(name="Tom Kund AB", kind="customer")
    proposal = _propose(
        world,
        outsider,
        counterpart=empty,
        counterpart_contact_email="medhjalpare@example.com",
    )
    assert proposal.proposal == "proposed"
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(organisation=empty).exists()


def test_a_member_of_both_organisations_makes_an_agreement_not_a_proposal(
    world: World, outsider: Outsider
) -> None:
    MembershipFactory(user=outsider.olle, organisation=world.customer)
    assert _propose(world, outsider).proposal == ""


# The agreement file ----------------------------------------------------------------------------------


FILE = """\
samverkan: 1
agreement:
  reference: OUT-2026
  title: Rådgivning
  customer: Norrlandia Försäkring AB
  supplier: Outsider Konsult AB
"""


def test_an_imported_file_naming_an_existing_organisation_is_a_proposal_the_proposer_may_replace(
    world: World, outsider: Outsider
) -> None:
    proposal = agreement_import(FILE, actor=outsider.olle)
    assert proposal.proposal == "proposed"
    with pytest.raises(ValidationError):
        agreement_import(FILE, actor=outsider.olle)  # it is there: replace it, or not
    replaced = agreement_import(
        FILE.replace("title: Rådgivning", "title: Rådgivning 2"), actor=outsider.olle, replace=True
    )
    assert (replaced.pk, replaced.title, replaced.proposal) == (
        proposal.pk,
        "Rådgivning 2",
        "proposed",
    )
    assert "Rådgivning 2" in agreement_export(replaced)


def test_a_customer_member_learns_only_that_the_reference_is_taken_at_their_own_organisation(
    world: World,
) -> None:
    """References are the customer's: its people share them, as a company shares a series.
    Lars does not take part in DRIFT-2025; he is told it is taken, nothing more."""
    text = FILE.replace("OUT-2026", "DRIFT-2025").replace(
        "Outsider Konsult AB", "Helt Ny Leverantör AB"
    )
    for replace in (False, True):
        with pytest.raises(ValidationError) as caught:
            agreement_import(text, actor=world.customer_colleague, replace=replace)
        message = " ".join(caught.value.messages)
        assert "reference" in message
        assert "Drift av datacenter" not in message and "Driftpartner" not in message


# The API ---------------------------------------------------------------------------------------------


def test_api_lists_accepts_and_declines_proposals(world: World, outsider: Outsider) -> None:
    first = _propose(world, outsider)
    second = _propose(world, outsider, reference="OUT-2027", title="Andra förslaget")
    api = Api(world.org_admin)

    listed = api.get("/api/v1/proposals").json()
    assert [item["reference"] for item in listed] == ["OUT-2026", "OUT-2027"]
    assert listed[0]["proposed_by"] == {
        "id": outsider.organisation.pk,
        "name": "Outsider Konsult AB",
        "kind": "supplier",
    }
    assert listed[0]["proposed_by_person"] == "Olle Ek"

    stale = api.post(f"/api/v1/proposals/{first.pk}/accept", {"version": first.version - 1 or 99})
    assert stale.status_code == 409

    accepted = api.post(f"/api/v1/proposals/{first.pk}/accept", {"version": _fresh(first).version})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["proposal"] == "accepted"
    assert api.get(f"/api/v1/agreements/{first.pk}").status_code == 200

    declined = api.post(
        f"/api/v1/proposals/{second.pk}/decline",
        {"version": _fresh(second).version, "reason": "Inte nu."},
    )
    assert declined.status_code == 200, declined.json()
    assert (declined.json()["proposal"], declined.json()["reason"]) == ("declined", "Inte nu.")
    assert api.get("/api/v1/proposals").json() == []
    again = api.post(f"/api/v1/proposals/{second.pk}/accept", {"version": _fresh(second).version})
    assert again.status_code == 400


def test_api_accept_with_a_taken_reference_is_a_400_naming_the_reference(
    world: World, outsider: Outsider
) -> None:
    proposal = _propose(world, outsider, reference="DRIFT-2025")
    api = Api(world.org_admin)
    url = f"/api/v1/proposals/{proposal.pk}/accept"
    refused = api.post(url, {"version": proposal.version})
    assert refused.status_code == 400
    assert [error["path"] for error in refused.json()["errors"]] == ["reference"]
    accepted = api.post(url, {"version": proposal.version, "reference": "DRIFT-2025-B"})
    assert accepted.status_code == 200
    assert accepted.json()["reference"] == "DRIFT-2025-B"


# The pages ------------------------------------------------------------------------------------------


def test_accepting_on_the_page_asks_first_then_leads_to_the_agreement(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    client = client_for(world.org_admin)
    url = reverse("agreements:proposal_accept", args=[proposal.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert f'name="version" value="{proposal.version}"' in confirm.content.decode()
    assert _fresh(proposal).proposal == "proposed"  # asking changes nothing
    done = client.post(url, {"version": proposal.version})
    assert done.status_code == 302
    assert done["Location"] == reverse("agreements:detail", args=[proposal.pk])
    assert _fresh(proposal).proposal == "accepted"
    # The proposal's page now leads to the agreement.
    assert client.get(reverse("agreements:proposal", args=[proposal.pk]))["Location"] == (
        reverse("agreements:detail", args=[proposal.pk])
    )


def test_accepting_on_the_page_with_a_taken_reference_asks_for_another(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider, reference="DRIFT-2025")
    client = client_for(world.org_admin)
    url = reverse("agreements:proposal_accept", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert 'name="reference"' in page
    refused = client.post(url, {"version": proposal.version, "reference": "DRIFT-2025"})
    assert refused.status_code == 200
    assert 'id="id_reference_error"' in refused.content.decode()
    done = client.post(url, {"version": proposal.version, "reference": "DRIFT-2025-B"})
    assert done.status_code == 302
    assert _fresh(proposal).reference == "DRIFT-2025-B"


def test_declining_on_the_page_takes_a_reason_and_shows_the_proposal_as_declined(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    client = client_for(world.org_admin)
    url = reverse("agreements:proposal_decline", args=[proposal.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    done = client.post(url, {"version": proposal.version, "reason": "Inte aktuellt."})
    assert done.status_code == 302
    assert done["Location"] == reverse("agreements:proposal", args=[proposal.pk])
    page = client.get(done["Location"]).content.decode()
    assert "Inte aktuellt." in page
    assert reverse("agreements:proposal_accept", args=[proposal.pk]) not in page


def test_a_stale_answer_on_the_page_shows_the_proposal_again(
    world: World, outsider: Outsider, client_for: Any
) -> None:
    proposal = _propose(world, outsider)
    seen = proposal.version
    services.agreement_update(agreement=_fresh(proposal), actor=outsider.olle, title="Ändrad titel")
    response = client_for(world.org_admin).post(
        reverse("agreements:proposal_accept", args=[proposal.pk]), {"version": seen}
    )
    assert response.status_code == 200
    assert "Ändrad titel" in response.content.decode()
    assert _fresh(proposal).proposal == "proposed"


def test_my_work_item_leads_to_the_proposal(world: World, outsider: Outsider) -> None:
    proposal = _propose(world, outsider)
    [item] = [item for item in work_items(world.org_admin) if item.kind == "agreements.proposal"]
    assert item.url == reverse("agreements:proposal", args=[proposal.pk])
    assert "Outsider Konsult AB" in item.title or "Outsider Konsult AB" in item.reason
    assert item.since is not None


def test_the_organisations_stay_as_they_were(world: World, outsider: Outsider) -> None:
    before = list(Organisation.objects.values_list("pk", "name", "kind", "org_number"))
    _decline(_propose(world, outsider), world.org_admin)
    assert list(Organisation.objects.values_list("pk", "name", "kind", "org_number")) == before

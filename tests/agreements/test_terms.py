"""The agreement's own record (its commercial header) belongs to the customer.

Reference, title, period, value, currency, status, description, services and document
language are changed only by the customer side's editors and owners: in the edit form,
by ending the agreement, through the API and by replacing the agreement from a file.
The supplier reads them. The collaboration model stays editable by both sides.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import User
from samverkan.accounts.services import token_create
from samverkan.agreements.access import Need, agreement_for
from samverkan.agreements.agreement_file import (
    AgreementFileError,
    agreement_export,
    agreement_import,
)
from samverkan.agreements.forms import AgreementForm
from samverkan.agreements.models import Agreement, Participant
from samverkan.collaboration.services import model_seed
from tests.conftest import World
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory

API = "/api/v1/agreements"
# Every field of the edit form and of PATCH /api/v1/agreements/{id}, with a new value.
CHANGES: dict[str, Any] = {
    "reference": "DRIFT-2099",
    "title": "Kapat",
    "start_date": "2024-01-01",
    "end_date": "2030-12-31",
    "annual_value": "99000000",
    "currency": "EUR",
    "status": "ended",
    "description": "Leverantörens egen beskrivning",
    "services": "Allt",
    "language": "en",
}


def _as(world: World, who: str) -> User:
    """A persona, with the supplier viewer promoted to editor for ``supplier_editor``."""
    if who == "supplier_editor":
        participant = world.participant(world.supplier_viewer)
        participant.role = "editor"
        participant.save()
        return world.supplier_viewer
    if who == "customer_editor":
        participant = world.participant(world.customer_owner)
        participant.role = "editor"
        participant.save()
        # Each side keeps an owner: the organisation's administrator takes that place.
        Participant.objects.create(
            agreement=world.agreement, user=world.org_admin, side="customer", role="owner"
        )
        return world.customer_owner
    user: User = getattr(world, who)
    return user


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    agreement.refresh_from_db()
    return {field: getattr(agreement, field) for field in CHANGES}


def _edit_form(agreement: Agreement, **overrides: str) -> dict[str, str]:
    agreement.refresh_from_db()
    form = AgreementForm(instance=agreement)
    data = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    data.update(overrides)
    return data


def _api(user: User) -> Client:
    _token, raw = token_create(user=user, name="Skript")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _patch(user: User, agreement: Agreement, data: dict[str, Any]) -> Any:
    body = {"version": Agreement.objects.get(pk=agreement.pk).version, **data}
    return _api(user).patch(
        f"{API}/{agreement.pk}", data=json.dumps(body), content_type="application/json"
    )


# The rule, in the access module ----------------------------------------------------------


@pytest.mark.parametrize("who", ["supplier_editor", "supplier_owner"])
def test_supplier_editor_and_owner_may_edit_the_model_but_not_the_terms(
    world: World, who: str
) -> None:
    access = agreement_for(_as(world, who), world.agreement.pk, Need.EDIT)
    assert access.can_edit
    assert not access.can_edit_terms
    assert not access.allows(Need.TERMS)
    with pytest.raises(PermissionDenied, match="Norrlandia Försäkring AB"):
        agreement_for(access.participant.user, world.agreement.pk, Need.TERMS)  # type: ignore[union-attr]


@pytest.mark.parametrize("who", ["customer_owner", "customer_editor"])
def test_customer_editor_and_owner_may_edit_the_terms(world: World, who: str) -> None:
    assert agreement_for(_as(world, who), world.agreement.pk, Need.TERMS).can_edit_terms


@pytest.mark.parametrize("who", ["supplier_viewer", "org_admin"])
def test_who_may_not_edit_may_not_edit_the_terms(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        agreement_for(getattr(world, who), world.agreement.pk, Need.TERMS)


def test_only_the_customers_owners_may_end_the_agreement(world: World) -> None:
    assert agreement_for(world.customer_owner, world.agreement.pk, Need.END)
    for user in (world.supplier_owner, _as(world, "customer_editor")):
        with pytest.raises(PermissionDenied):
            agreement_for(user, world.agreement.pk, Need.END)


def test_supplier_drafts_the_terms_until_anyone_of_the_customer_is_here(db: None) -> None:
    """A supplier that named a customer not yet in Samverkan can still correct what it typed."""
    supplier = OrganisationFactory(kind="supplier")
    new_customer = OrganisationFactory(kind="customer", name="Ny Kund AB")
    agreement = AgreementFactory(customer=new_customer, supplier=supplier)
    seller = MembershipFactory(organisation=supplier).user
    Participant.objects.create(agreement=agreement, user=seller, side="supplier", role="owner")
    assert agreement_for(seller, agreement.pk, Need.TERMS).can_edit_terms

    MembershipFactory(organisation=new_customer, role="admin")  # the customer has joined
    assert not agreement_for(seller, agreement.pk).can_edit_terms


# The edit page -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supplier_editor", "supplier_owner"])
def test_supplier_gets_403_on_the_edit_page_and_nothing_changes(
    world: World, client_for: Any, who: str
) -> None:
    user = _as(world, who)
    before = _snapshot(world.agreement)
    client = client_for(user)
    url = reverse("agreements:edit", args=[world.agreement.pk])
    assert client.get(url).status_code == 403
    for field, value in CHANGES.items():
        response = client.post(url, _edit_form(world.agreement, **{field: value}))
        assert response.status_code == 403, field
    assert _snapshot(world.agreement) == before


@pytest.mark.parametrize("who", ["supplier_editor", "supplier_owner"])
def test_supplier_is_not_offered_edit_or_end_and_is_told_who_keeps_the_terms(
    world: World, client_for: Any, who: str
) -> None:
    body = (
        client_for(_as(world, who))
        .get(reverse("agreements:detail", args=[world.agreement.pk]))
        .content.decode()
    )
    assert reverse("agreements:edit", args=[world.agreement.pk]) not in body
    assert reverse("agreements:end", args=[world.agreement.pk]) not in body
    assert "Kunden" in body  # "Kunden ansvarar för avtalets uppgifter …"


@pytest.mark.parametrize("who", ["customer_owner", "customer_editor"])
def test_customer_is_offered_edit_and_saves_the_terms(
    world: World, client_for: Any, who: str
) -> None:
    client = client_for(_as(world, who))
    detail = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    assert reverse("agreements:edit", args=[world.agreement.pk]) in detail
    response = client.post(
        reverse("agreements:edit", args=[world.agreement.pk]),
        _edit_form(world.agreement, title="Drift och nätverk", annual_value="13 500 000"),
    )
    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift och nätverk"
    assert world.agreement.annual_value == 13_500_000


def test_supplier_owner_cannot_end_the_agreement(world: World, client_for: Any) -> None:
    client = client_for(world.supplier_owner)
    url = reverse("agreements:end", args=[world.agreement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"end_date": "2026-06-30"}).status_code == 403
    world.agreement.refresh_from_db()
    assert world.agreement.status == "active"


def test_supplier_editor_still_edits_the_collaboration_model(world: World, client_for: Any) -> None:
    model_seed(agreement=world.agreement)
    client = client_for(_as(world, "supplier_editor"))
    response = client.post(
        reverse("collaboration:part_template", args=[world.agreement.pk, "forums"]),
        {"template": "steering-group"},
    )
    assert response.status_code == 302
    assert world.agreement.forums.exists()


# The API ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(CHANGES))
@pytest.mark.parametrize("who", ["supplier_editor", "supplier_owner"])
def test_supplier_patch_of_any_field_is_403_with_a_reason(
    world: World, who: str, field: str
) -> None:
    user = _as(world, who)
    before = _snapshot(world.agreement)
    response = _patch(user, world.agreement, {field: CHANGES[field]})
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert world.customer.name in detail
    assert _snapshot(world.agreement) == before


def test_supplier_owner_cannot_end_through_the_api(world: World) -> None:
    response = _api(world.supplier_owner).post(
        f"{API}/{world.agreement.pk}/end", data="{}", content_type="application/json"
    )
    assert response.status_code == 403
    assert world.customer.name in response.json()["detail"]
    world.agreement.refresh_from_db()
    assert world.agreement.status == "active"


def test_customer_editor_patches_the_terms(world: World) -> None:
    response = _patch(_as(world, "customer_editor"), world.agreement, CHANGES)
    assert response.status_code == 200, response.json()
    world.agreement.refresh_from_db()
    assert (world.agreement.reference, world.agreement.currency) == ("DRIFT-2099", "EUR")


# Replacing from a file ---------------------------------------------------------------


def test_supplier_replaces_the_model_from_a_file_with_the_same_terms(world: World) -> None:
    model_seed(agreement=world.agreement)
    text = agreement_export(world.agreement).replace(
        "name: Strategisk partner", "name: Strategisk partner (Driftpartner)"
    )
    agreement = agreement_import(text, actor=_as(world, "supplier_editor"), replace=True)
    assert agreement.roles.filter(name="Strategisk partner (Driftpartner)").exists()


@pytest.mark.parametrize(
    ("before", "after", "path"),
    [
        ("title: Drift av datacenter", "title: Kapat", "agreement.title"),
        ("reference: DRIFT-2025", "reference: drift-2025", "agreement.reference"),
        ("amount: 1250000", "amount: 99000000", "agreement.value.amount"),
        ("status: active", "status: ended", "agreement.status"),
        ("end: 2028-12-31", "end: 2030-12-31", "agreement.end"),
    ],
)
def test_supplier_cannot_change_the_terms_by_replacing_from_a_file(
    world: World, before: str, after: str, path: str
) -> None:
    model_seed(agreement=world.agreement)
    text = agreement_export(world.agreement)
    assert before in text
    with pytest.raises(PermissionDenied) as caught:
        agreement_import(text.replace(before, after), actor=world.supplier_owner, replace=True)
    assert path in str(caught.value)
    assert agreement_export(Agreement.objects.get(pk=world.agreement.pk)) == text


def test_customer_changes_the_terms_by_replacing_from_a_file(world: World) -> None:
    text = agreement_export(world.agreement).replace("title: Drift av datacenter", "title: Ny")
    assert agreement_import(text, actor=world.customer_owner, replace=True).title == "Ny"


def test_refused_replace_through_the_api_is_403_with_the_reason(world: World) -> None:
    text = agreement_export(world.agreement).replace("amount: 1250000", "amount: 99000000")
    response = _api(world.supplier_owner).post(
        "/api/v1/agreements/import?replace=true", data=text, content_type="application/yaml"
    )
    assert response.status_code == 403
    assert "agreement.value.amount" in response.json()["detail"]


def test_file_error_type_is_unchanged_for_parties(world: World) -> None:
    text = agreement_export(world.agreement).replace(
        "supplier: Driftpartner Norden AB", "supplier: Kodkraft Konsult AB"
    )
    with pytest.raises(AgreementFileError):
        agreement_import(text, actor=world.customer_owner, replace=True)

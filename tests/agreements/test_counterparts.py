"""The other party of a new agreement is found, not duplicated.

Creating an agreement with the counterpart "Molnbro Digital" once created a second
organisation beside "Molnbro Digital AB" and invited a person who already belonged to
the first. Now the counterpart field finds existing organisations by name and
organisation number as one types, suggests close matches, and never invites a person
into a second organisation silently: in the form (with and without JavaScript), in the
API and in the agreement file.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.models import Invitation, Organisation
from samverkan.accounts.services import organisation_create, token_create
from samverkan.agreements.agreement_file import AgreementFileError, agreement_import
from samverkan.agreements.counterparts import CounterpartMatchError, name_key
from samverkan.agreements.forms import AgreementCreateForm
from samverkan.agreements.models import Agreement
from samverkan.agreements.services import agreement_create
from samverkan.core import demo
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

MOLNBRO_NUMBER = "559203-6619"


@pytest.fixture
def molnbro(world: World) -> Organisation:
    """The supplier already in Samverkan, with Sofia as its administrator."""
    organisation = organisation_create(
        name="Molnbro Digital AB", kind="supplier", org_number=MOLNBRO_NUMBER
    )
    sofia = UserFactory(email="sofia.wallin@molnbro.example", full_name="Sofia Wallin")
    MembershipFactory(user=sofia, organisation=organisation, role="admin")
    return organisation


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def _create(world: World, **overrides: Any) -> Agreement:
    data: dict[str, Any] = {
        "actor": world.customer_owner,
        "own_organisation": world.customer,
        "counterpart_name": "Molnbro Digital",
        "counterpart_contact_email": "sofia.wallin@molnbro.example",
        "reference": "MOLN-2026",
        "title": "Kundplattform",
        "start_date": datetime.date(2026, 1, 1),
        "annual_value": Decimal("1250000"),
    }
    data.update(overrides)
    return agreement_create(**data)


# The organisation number -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["559203-6619", "5592036619", " 559203 6619 ", "559203.6619"])
def test_organisation_number_is_stored_as_nnnnnn_nnnn(db: None, typed: str) -> None:
    organisation = organisation_create(name="Molnbro Digital AB", kind="supplier", org_number=typed)
    assert organisation.org_number == MOLNBRO_NUMBER


@pytest.mark.parametrize(
    "typed", ["559203-6618", "559203-661", "55920366190", "abcdef-ghij", "559203-66l9"]
)
def test_organisation_number_with_a_wrong_check_digit_or_shape_is_refused(
    db: None, english: None, typed: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        organisation_create(name="Molnbro Digital AB", kind="supplier", org_number=typed)
    assert "org_number" in caught.value.message_dict
    assert "NNNNNN-NNNN" in caught.value.message_dict["org_number"][0]
    assert not Organisation.objects.exists()


def test_organisation_number_is_optional_and_unique_when_given(db: None, english: None) -> None:
    organisation_create(name="Utan Nummer AB", kind="supplier")
    organisation_create(name="Också Utan Nummer AB", kind="supplier")
    organisation_create(name="Molnbro Digital AB", kind="supplier", org_number=MOLNBRO_NUMBER)
    with pytest.raises(ValidationError) as caught:
        organisation_create(name="Molnbro Moln AB", kind="supplier", org_number="5592036619")
    assert "Molnbro Digital AB" in caught.value.message_dict["org_number"][0]


def test_the_demo_organisations_have_valid_numbers(db: None) -> None:
    for name, kind, number in demo.ORGANISATIONS:
        assert organisation_create(name=name, kind=kind, org_number=number).org_number == number


# Close matches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Molnbro Digital",
        "molnbro digital",
        "MOLNBRO DIGITAL AB.",
        "Molnbro-Digital Aktiebolag",
        "Molnbro Digital AB (publ)",
        "Molnbro Digitl AB",
        "Molnbro",
        MOLNBRO_NUMBER,
    ],
)
def test_a_close_name_is_suggested_and_nothing_is_created_or_sent(
    world: World, molnbro: Organisation, english: None, typed: str
) -> None:
    before = Organisation.objects.count()
    with pytest.raises(CounterpartMatchError) as caught:
        _create(world, counterpart_name=typed)
    assert caught.value.matches == [molnbro]
    assert caught.value.message_dict["counterpart_name"] == ["Did you mean Molnbro Digital AB?"]
    assert Organisation.objects.count() == before
    assert not Invitation.objects.exists()
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()
    assert mail.outbox == []


def test_names_are_compared_without_legal_form_case_accents_and_punctuation() -> None:
    assert name_key("Molnbro Digital AB") == name_key("molnbro-digital, aktiebolag") != ""
    assert name_key("Norrlandia Försäkring AB (publ)") == name_key("Norrlandia Forsakring")


def test_an_unrelated_name_is_not_suggested(world: World, molnbro: Organisation) -> None:
    agreement = _create(world, counterpart_name="Fjällnät Drift AB", counterpart_contact_email="")
    assert agreement.supplier.name == "Fjällnät Drift AB"


def test_the_exact_name_in_any_case_is_the_existing_organisation(
    world: World, molnbro: Organisation
) -> None:
    agreement = _create(world, counterpart_name="  molnbro digital ab ")
    assert agreement.supplier == molnbro
    assert not Invitation.objects.exists()  # Molnbro has an administrator


def test_choosing_the_suggested_organisation_uses_it(world: World, molnbro: Organisation) -> None:
    agreement = _create(world, counterpart=molnbro, counterpart_name="Molnbro Digital")
    assert agreement.supplier == molnbro
    assert Organisation.objects.filter(name__icontains="molnbro").count() == 1


def test_confirming_a_new_organisation_creates_it(world: World, molnbro: Organisation) -> None:
    agreement = _create(
        world,
        counterpart_name="Molnbro Konsult AB",
        new_counterpart=True,
        counterpart_org_number="556734-2299",
        counterpart_contact_email="",
    )
    assert agreement.supplier.name == "Molnbro Konsult AB"
    assert agreement.supplier.org_number == "556734-2299"


def test_an_organisation_of_the_same_kind_cannot_be_chosen(world: World, english: None) -> None:
    other_customer = organisation_create(name="Annan Kund AB", kind="customer")
    with pytest.raises(ValidationError) as caught:
        _create(world, counterpart=other_customer)
    assert "counterpart" in caught.value.message_dict


def test_a_new_counterparts_number_that_is_taken_points_at_its_organisation(
    world: World, molnbro: Organisation, english: None
) -> None:
    with pytest.raises(CounterpartMatchError) as caught:
        _create(
            world,
            counterpart_name="Moln AB",
            new_counterpart=True,
            counterpart_org_number="5592036619",
        )
    assert caught.value.matches == [molnbro]
    assert "Molnbro Digital AB" in caught.value.message_dict["counterpart_org_number"][0]


# Nobody is invited into a second organisation ------------------------------------------------


def test_the_reported_case_stops_before_inviting_sofia_into_a_second_organisation(
    world: World, molnbro: Organisation, english: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CounterpartMatchError):
        _create(world, counterpart_name="Molnbro Digital")
    # Insisting on a new organisation does not help: Sofia belongs to Molnbro already.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CounterpartMatchError) as caught,
    ):
        _create(world, counterpart_name="Molnbro Digital", new_counterpart=True)
    message = caught.value.message_dict["counterpart_contact_email"][0]
    assert "sofia.wallin@molnbro.example" in message
    assert "Molnbro Digital AB" in message
    assert caught.value.matches == [molnbro]
    assert Organisation.objects.filter(name__icontains="molnbro").count() == 1
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_contact_from_an_organisation_that_cannot_be_chosen_is_not_named(
    world: World, english: None
) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(
            world,
            counterpart_name="Helt Ny Leverantör AB",
            counterpart_contact_email=world.customer_colleague.email,
        )
    message = caught.value.message_dict["counterpart_contact_email"][0]
    assert "another organisation" in message
    assert world.customer.name not in message
    assert not Organisation.objects.filter(name="Helt Ny Leverantör AB").exists()


def test_an_email_address_alone_never_tells_where_a_person_works(
    world: World, molnbro: Organisation, english: None
) -> None:
    """Typing an unrelated name with Sofia's address must not reveal Molnbro (security review)."""
    with pytest.raises(ValidationError) as caught:
        _create(
            world,
            counterpart_name="Zz Nytt Konsultbolag 123 AB",
            new_counterpart=True,
        )
    message = caught.value.message_dict["counterpart_contact_email"][0]
    assert "another organisation" in message
    assert "Molnbro" not in message
    assert not isinstance(caught.value, CounterpartMatchError) or caught.value.matches == []
    assert not Invitation.objects.exists()


def test_a_contact_new_to_samverkan_is_invited_to_the_new_organisation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _create(
            world,
            counterpart_name="Fjällnät Drift AB",
            counterpart_contact_email="ny@fjallnat.example",
        )
    assert Invitation.objects.get().organisation == agreement.supplier
    assert len(mail.outbox) == 1


# The form, with and without JavaScript --------------------------------------------------------


def _form_data(world: World, **overrides: str) -> dict[str, str]:
    form = AgreementCreateForm(organisations=Organisation.objects.none())
    data = {
        name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
    }
    data.update(
        {
            "own_organisation": str(world.customer.pk),
            "counterpart_name": "Molnbro Digital",
            "counterpart_contact_email": "sofia.wallin@molnbro.example",
            "reference": "MOLN-2026",
            "title": "Kundplattform",
            "annual_value": "1 250 000",
        }
    )
    data.update(overrides)
    return data


def test_form_without_javascript_asks_did_you_mean_and_keeps_what_was_typed(
    world: World, molnbro: Organisation, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    response = client.post(reverse("agreements:create"), _form_data(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Menade du Molnbro Digital AB?" in body
    assert f'name="counterpart" value="{molnbro.pk}"' in body
    assert MOLNBRO_NUMBER in body
    assert 'name="counterpart" value="new"' in body
    assert 'value="Kundplattform"' in body
    assert not Agreement.objects.exists() or not Agreement.objects.filter(reference="MOLN-2026")

    response = client.post(
        reverse("agreements:create"), _form_data(world, counterpart=str(molnbro.pk))
    )
    assert response.status_code == 302
    assert Agreement.objects.get(reference="MOLN-2026").supplier == molnbro


def test_form_creates_a_new_organisation_when_the_user_says_so(
    world: World, molnbro: Organisation, client_for: Any
) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"),
        _form_data(
            world,
            counterpart_name="Molnbro Konsult AB",
            counterpart="new",
            counterpart_contact_email="",
            counterpart_org_number="5567342299",
        ),
    )
    assert response.status_code == 302
    supplier = Agreement.objects.get(reference="MOLN-2026").supplier
    assert (supplier.name, supplier.org_number) == ("Molnbro Konsult AB", "556734-2299")


def test_form_stops_on_a_contact_who_belongs_to_another_organisation(
    world: World, molnbro: Organisation, client_for: Any
) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"), _form_data(world, counterpart="new")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_counterpart_contact_email_error"' in body
    assert "Molnbro Digital AB" in body
    assert f'name="counterpart" value="{molnbro.pk}"' in body
    assert not Invitation.objects.exists()


def test_form_shows_a_wrong_organisation_number_at_its_field(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"),
        _form_data(
            world, counterpart_name="Fjällnät Drift AB", counterpart_org_number="556734-2290"
        ),
    )
    assert 'id="id_counterpart_org_number_error"' in response.content.decode()
    assert not Organisation.objects.filter(name="Fjällnät Drift AB").exists()


def test_counterpart_field_searches_as_one_types(
    world: World, molnbro: Organisation, client_for: Any
) -> None:
    body = client_for(world.customer_owner).get(reverse("agreements:create")).content.decode()
    assert f'hx-get="{reverse("agreements:counterparts")}"' in body
    assert 'id="counterparts"' in body


def _search(client: Client, own: Organisation, typed: str) -> Any:
    return client.get(
        reverse("agreements:counterparts"),
        {"own_organisation": own.pk, "counterpart_name": typed},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.parametrize("typed", ["molnbro", "Molnbro Digitl", "559203", "5592036619"])
def test_search_finds_by_name_and_organisation_number(
    world: World, molnbro: Organisation, client_for: Any, typed: str
) -> None:
    response = _search(client_for(world.customer_owner), world.customer, typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Molnbro Digital AB" in body
    assert MOLNBRO_NUMBER in body


def test_search_shows_only_names_and_numbers_of_the_other_kind(
    world: World, molnbro: Organisation, client_for: Any
) -> None:
    organisation_create(name="Molnbro Kommun", kind="customer")
    body = _search(client_for(world.customer_owner), world.customer, "Molnbro").content.decode()
    assert "Molnbro Digital AB" in body
    assert "Molnbro Kommun" not in body  # a customer cannot be a customer's supplier
    assert "DRIFT-2025" not in body and "agreement" not in body.lower()
    body = _search(client_for(world.supplier_owner), world.supplier, "Norrlandia").content.decode()
    assert "Norrlandia Försäkring AB" in body  # a supplier looks for customers


def test_search_says_when_a_new_organisation_will_be_created(world: World, client_for: Any) -> None:
    body = _search(client_for(world.customer_owner), world.customer, "Fjällnät").content.decode()
    assert "Fjällnät" in body
    assert 'name="counterpart"' not in body


def test_search_for_someone_elses_organisation_is_404(world: World, client_for: Any) -> None:
    assert _search(client_for(world.supplier_owner), world.customer, "Molnbro").status_code == 404
    assert _search(client_for(None), world.customer, "Molnbro").status_code == 302


def test_search_query_count_does_not_grow_with_the_organisations(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        organisation_create(name=f"Leverantör {n} AB", kind="supplier")
    client = client_for(world.customer_owner)
    _search(client, world.customer, "Leverantör")
    with django_assert_max_num_queries(6):
        body = _search(client, world.customer, "Leverantör").content.decode()
    assert body.count('name="counterpart"') <= 9  # eight at most, and "new"


# The API ---------------------------------------------------------------------------------------


def _api(world: World) -> Client:
    _token, raw = token_create(user=world.customer_owner, name="Skript")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(world: World, **overrides: Any) -> Any:
    data = {
        "own_organisation_id": world.customer.pk,
        "counterpart_name": "Molnbro Digital",
        "reference": "MOLN-2026",
        "title": "Kundplattform",
    }
    data.update(overrides)
    return _api(world).post(
        "/api/v1/agreements", data=json.dumps(data), content_type="application/json"
    )


def test_api_close_name_is_400_with_the_suggestion(world: World, molnbro: Organisation) -> None:
    response = _post(world)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["detail"], str)
    assert "Molnbro Digital AB" in body["detail"]
    assert body["suggestions"] == [
        {
            "id": molnbro.pk,
            "name": "Molnbro Digital AB",
            "kind": "supplier",
            "org_number": MOLNBRO_NUMBER,
        }
    ]
    assert Organisation.objects.filter(name__icontains="molnbro").count() == 1


def test_api_accepts_the_organisation_id(world: World, molnbro: Organisation) -> None:
    response = _post(world, counterpart_name="", counterpart_id=molnbro.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["supplier"]["id"] == molnbro.pk


def test_api_creates_a_new_organisation_when_asked(world: World, molnbro: Organisation) -> None:
    response = _post(world, counterpart_name="Molnbro Konsult AB", new_counterpart=True)
    assert response.status_code == 201, response.json()
    assert response.json()["supplier"]["name"] == "Molnbro Konsult AB"


@pytest.mark.parametrize("which", ["own", "same_kind", "missing"])
def test_api_refuses_an_id_that_cannot_be_the_counterpart(world: World, which: str) -> None:
    ids = {
        "own": world.customer.pk,
        "same_kind": organisation_create(name="Annan Kund AB", kind="customer").pk,
        "missing": 99999,
    }
    response = _post(world, counterpart_name="", counterpart_id=ids[which])
    assert response.status_code == 400
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()


# The agreement file ----------------------------------------------------------------------------


def test_file_naming_a_close_match_is_refused_with_the_suggestion(
    world: World, molnbro: Organisation, english: None
) -> None:
    text = (
        "samverkan: 1\nagreement:\n  reference: MOLN-2026\n  title: Moln\n"
        "  customer: Norrlandia Försäkring AB\n  supplier: Molnbro Digital\n"
    )
    with pytest.raises(AgreementFileError) as caught:
        agreement_import(text, actor=world.customer_owner)
    assert any("Molnbro Digital AB" in problem for problem in caught.value.problems)
    assert Organisation.objects.filter(name__icontains="molnbro").count() == 1


@pytest.mark.parametrize("own", ["", "abc", "-1", "9" * 30])
def test_search_with_a_malformed_organisation_is_404(
    world: World, client_for: Any, own: str
) -> None:
    response = client_for(world.customer_owner).get(
        reverse("agreements:counterparts"), {"own_organisation": own, "counterpart_name": "Drift"}
    )
    assert response.status_code == 404

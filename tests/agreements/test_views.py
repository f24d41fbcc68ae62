"""Agreement pages as a signed-in person sees them."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.forms import AgreementCreateForm, AgreementForm
from samverkan.agreements.models import Agreement, Participant
from tests.conftest import World
from tests.factories import AgreementFactory, ParticipantFactory

HTMX = {"HX-Request": "true"}


def _text(response: Any) -> str:
    return str(response.content.decode())


def _listed(response: Any) -> list[str]:
    """The references in the agreement table, in order."""
    body = _text(response).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/agreements/\d+/"[^>]*>([^<]+)</a>', body)


def _form_data(form: Any) -> dict[str, str]:
    """What a browser submits for a form as the page renders it."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    return data


def _create_form(world: World, **overrides: str) -> dict[str, str]:
    data = _form_data(AgreementCreateForm(organisations=Organisation.objects.none()))
    data.update(
        {
            "own_organisation": str(world.customer.pk),
            "counterpart_name": "Molnbro Digital AB",
            "reference": "MOLN-2026",
            "title": "Kundplattform",
            "services": "Kundportal\nMobilapp",
            "start_date": "2026-01-01",
            "end_date": "2029-12-31",
            "annual_value": "1250000",
        }
    )
    data.update(overrides)
    return data


def _edit_form(agreement: Agreement, **overrides: str) -> dict[str, str]:
    """The edit form as the page fills it in, with some fields changed."""
    agreement.refresh_from_db()
    data = _form_data(AgreementForm(instance=agreement))
    data.update(overrides)
    return data


# List, search and filter ---------------------------------------------------------


def test_list_shows_the_agreements_the_user_may_see(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get(reverse("agreements:list"))
    assert response.status_code == 200
    assert _listed(response) == ["APP-2025", "DRIFT-2025"]


def test_supplier_list_does_not_mention_other_suppliers_agreements(
    world: World, client_for: Any
) -> None:
    response = client_for(world.supplier_viewer).get(reverse("agreements:list"))
    assert _listed(response) == ["DRIFT-2025"]
    assert "APP-2025" not in _text(response)
    assert "Kodkraft" not in _text(response)  # not even offered as a filter


def test_list_search_matches_title_and_party(world: World, client_for: Any) -> None:
    client = client_for(world.customer_owner)
    url = reverse("agreements:list")
    assert _listed(client.get(url, {"q": "datacenter"})) == ["DRIFT-2025"]
    assert _listed(client.get(url, {"q": "kodkraft"})) == ["APP-2025"]
    assert _listed(client.get(url, {"q": "finns-inte"})) == []


def test_list_filters_by_status(world: World, client_for: Any) -> None:
    world.other_agreement.status = "ending"
    world.other_agreement.save()
    client = client_for(world.customer_owner)
    assert _listed(client.get(reverse("agreements:list"), {"status": "ending"})) == ["APP-2025"]
    assert _listed(client.get(reverse("agreements:list"), {"status": "active"})) == ["DRIFT-2025"]


def test_list_filters_by_party(world: World, client_for: Any) -> None:
    client = client_for(world.customer_owner)
    response = client.get(reverse("agreements:list"), {"party": world.other_supplier.pk})
    assert _listed(response) == ["APP-2025"]


def test_list_ignores_a_party_the_user_cannot_see(world: World, client_for: Any) -> None:
    client = client_for(world.supplier_viewer)
    response = client.get(reverse("agreements:list"), {"party": world.other_supplier.pk})
    assert response.status_code == 200
    assert "APP-2025" not in _text(response)


def test_htmx_list_request_returns_only_the_table(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get(
        reverse("agreements:list"), {"q": "datacenter"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in _text(response)
    assert _listed(response) == ["DRIFT-2025"]


def test_list_requires_sign_in(db: None, client_for: Any) -> None:
    response = client_for(None).get(reverse("agreements:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _list_queries(client: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    return len(queries), response


def _agreements_for(user: User, world: World, count: int, start: int) -> None:
    for n in range(start, start + count):
        agreement = AgreementFactory(customer=world.customer, reference=f"LIST-{n:03d}")
        ParticipantFactory(agreement=agreement, user=user, side="customer", role="owner")
        ParticipantFactory(agreement=agreement, side="supplier", role="editor")


def test_agreement_list_runs_constant_number_of_queries(world: World, client_for: Any) -> None:
    user = world.customer_colleague
    client = client_for(user)
    _agreements_for(user, world, 5, start=0)
    client.get(reverse("agreements:list"))  # warm up session and content-type caches
    with_five, response = _list_queries(client)
    assert len(_listed(response)) == 5
    _agreements_for(user, world, 45, start=5)
    with_fifty, response = _list_queries(client)
    assert len(_listed(response)) == 50
    assert with_five == with_fifty


# Create ------------------------------------------------------------------------


def test_create_agreement_and_land_on_its_page(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"), _create_form(world)
    )
    agreement = Agreement.objects.get(reference="MOLN-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:detail", args=[agreement.pk])
    assert agreement.supplier.name == "Molnbro Digital AB"


def test_create_form_offers_only_own_organisations(world: World, client_for: Any) -> None:
    response = client_for(world.supplier_owner).get(reverse("agreements:create"))
    text = _text(response)
    assert "Driftpartner Norden AB" in text
    assert "Norrlandia Försäkring AB" not in text


def test_create_form_redisplays_errors_next_to_the_field_and_keeps_values(
    world: World, client_for: Any
) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"), _create_form(world, reference="drift-2025")
    )
    assert response.status_code == 200
    text = _text(response)
    error = re.search(
        r'<div class="invalid-feedback d-block" id="id_reference_error">([^<]+)<', text
    )
    assert error is not None
    assert re.search(
        r'<input[^>]*name="reference"[^>]*is-invalid|is-invalid[^>]*name="reference"', text
    )
    assert 'value="drift-2025"' in text
    assert 'value="Kundplattform"' in text
    assert 'value="Molnbro Digital AB"' in text
    assert "Kundportal\nMobilapp" in text
    assert not Agreement.objects.filter(title="Kundplattform").exists()


def test_create_form_puts_end_before_start_error_at_end_date(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:create"),
        _create_form(world, start_date="2026-06-01", end_date="2026-01-01"),
    )
    assert response.status_code == 200
    assert 'id="id_end_date_error"' in _text(response)
    assert 'value="2026-06-01"' in _text(response)


def test_create_form_refuses_someone_elses_organisation(world: World, client_for: Any) -> None:
    response = client_for(world.other_supplier_user).post(
        reverse("agreements:create"), _create_form(world)
    )
    assert response.status_code == 200
    assert 'id="id_own_organisation_error"' in _text(response)
    assert not Agreement.objects.filter(reference="MOLN-2026").exists()


# Detail, edit, end ---------------------------------------------------------------


def test_detail_shows_parties_and_participants(world: World, client_for: Any) -> None:
    response = client_for(world.supplier_viewer).get(
        reverse("agreements:detail", args=[world.agreement.pk])
    )
    text = _text(response)
    for expected in (
        "Norrlandia Försäkring AB",
        "Driftpartner Norden AB",
        "Karin Lindqvist",
        "Lena Ekholm",
    ):
        assert expected in text


def test_outsider_gets_404_on_the_detail_page_like_a_missing_id(
    world: World, client_for: Any
) -> None:
    client = client_for(world.other_supplier_user)
    missing = Agreement.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    assert client.get(reverse("agreements:detail", args=[world.agreement.pk])).status_code == 404
    assert client.get(reverse("agreements:detail", args=[missing])).status_code == 404


def test_owner_edits_agreement(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:edit", args=[world.agreement.pk]),
        _edit_form(world.agreement, title="Drift och nätverk"),
    )
    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift och nätverk"


def test_edit_by_viewer_is_forbidden(world: World, client_for: Any) -> None:
    client = client_for(world.supplier_viewer)
    url = reverse("agreements:edit", args=[world.agreement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_form(world.agreement, title="Kapat")).status_code == 403
    world.agreement.refresh_from_db()
    assert world.agreement.title == "Drift av datacenter"


def test_edit_to_taken_reference_shows_error_at_reference(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:edit", args=[world.agreement.pk]),
        _edit_form(world.agreement, reference="APP-2025"),
    )
    assert response.status_code == 200
    assert 'id="id_reference_error"' in _text(response)


def test_owner_ends_agreement(world: World, client_for: Any) -> None:
    # The customer's owner: ending changes the status, which is the customer's (test_terms.py).
    response = client_for(world.customer_owner).post(
        reverse("agreements:end", args=[world.agreement.pk]), {"end_date": "2026-06-30"}
    )
    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.status == "ended"
    assert str(world.agreement.end_date) == "2026-06-30"


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_may_end_agreement(world: World, client_for: Any, role: str) -> None:
    participant = world.participant(world.supplier_viewer)
    participant.role = role
    participant.save()
    response = client_for(world.supplier_viewer).post(
        reverse("agreements:end", args=[world.agreement.pk]), {"end_date": "2026-06-30"}
    )
    assert response.status_code == 403
    world.agreement.refresh_from_db()
    assert world.agreement.status == "active"


# Participants through HTMX ---------------------------------------------------------


def test_htmx_participant_add_returns_the_participants_partial(
    world: World, client_for: Any
) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:participant_add", args=[world.agreement.pk]),
        {"side": "customer", "user": world.customer_colleague.pk, "role": "editor"},
        headers=HTMX,
    )
    assert response.status_code == 200
    text = _text(response)
    assert "<html" not in text
    assert "Lars Sundberg" in text
    assert 'class="alert' not in text
    assert world.participant(world.customer_colleague).role == "editor"


def test_participant_add_without_htmx_redirects_to_the_agreement(
    world: World, client_for: Any
) -> None:
    response = client_for(world.org_admin).post(
        reverse("agreements:participant_add", args=[world.agreement.pk]),
        {"side": "customer", "user": world.customer_colleague.pk, "role": "viewer"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:detail", args=[world.agreement.pk])
    assert world.participant(world.customer_colleague).role == "viewer"


def test_owner_cannot_add_people_to_the_other_side(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        reverse("agreements:participant_add", args=[world.agreement.pk]),
        {"side": "supplier", "user": world.other_supplier_user.pk, "role": "owner"},
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Participant.objects.filter(
        user=world.other_supplier_user, agreement=world.agreement
    ).exists()


def test_htmx_add_of_person_from_another_organisation_shows_an_error(
    world: World, client_for: Any
) -> None:
    response = client_for(world.supplier_owner).post(
        reverse("agreements:participant_add", args=[world.agreement.pk]),
        {"side": "supplier", "user": world.other_supplier_user.pk, "role": "viewer"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in _text(response)
    assert not Participant.objects.filter(
        user=world.other_supplier_user, agreement=world.agreement
    ).exists()


def test_htmx_removing_the_last_owner_shows_the_reason(world: World, client_for: Any) -> None:
    owner = world.participant(world.supplier_owner)
    response = client_for(world.supplier_owner).post(
        reverse("agreements:participant_remove", args=[world.agreement.pk, owner.pk]),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in _text(response)
    assert Participant.objects.filter(pk=owner.pk).exists()


def test_htmx_role_change_by_owner(world: World, client_for: Any) -> None:
    viewer = world.participant(world.supplier_viewer)
    response = client_for(world.supplier_owner).post(
        reverse("agreements:participant_role", args=[world.agreement.pk, viewer.pk]),
        {"role": "editor"},
        headers=HTMX,
    )
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.role == "editor"


def test_viewer_cannot_change_roles(world: World, client_for: Any) -> None:
    owner = world.participant(world.supplier_owner)
    response = client_for(world.supplier_viewer).post(
        reverse("agreements:participant_role", args=[world.agreement.pk, owner.pk]),
        {"role": "viewer"},
        headers=HTMX,
    )
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.role == "owner"


# Audit trail -------------------------------------------------------------------


def _history_entries(response: Any) -> list[tuple[str, list[str]]]:
    """(sentence, [detail, …]) for each entry of the history, newest first."""
    entries = []
    for chunk in re.findall(
        r'<li class="sv-history-entry[^"]*">(.*?)</li>\s*<!--/entry-->', _text(response), re.S
    ):
        summary = re.search(r'<p class="sv-history-summary[^"]*">(.*?)</p>', chunk, re.S)
        assert summary is not None
        details = re.findall(r"<li>(.*?)</li>", chunk, flags=re.S)
        entries.append(
            (
                html.unescape(" ".join(summary.group(1).split())),
                [html.unescape(" ".join(d.split())) for d in details],
            )
        )
    return entries


def test_history_shows_who_changed_which_field(world: World, client_for: Any) -> None:
    world.customer_owner.language = "en"
    world.customer_owner.save()
    client = client_for(world.customer_owner)
    client.post(
        reverse("agreements:edit", args=[world.agreement.pk]),
        _edit_form(world.agreement, title="Drift och nätverk"),
    )
    response = client.get(reverse("agreements:history", args=[world.agreement.pk]))
    assert response.status_code == 200
    edits = [e for e in _history_entries(response) if e[0].startswith("Karin Lindqvist")]
    # Only the field that changed is reported; the unchanged annual value is not.
    assert edits == [
        ("Karin Lindqvist changed title from “Drift av datacenter” to “Drift och nätverk”", [])
    ]


def test_history_does_not_report_a_value_retyped_without_decimals(
    world: World, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    client.post(
        reverse("agreements:edit", args=[world.agreement.pk]),
        _edit_form(world.agreement, annual_value="1250000", title="Drift och nätverk"),
    )
    response = client.get(reverse("agreements:history", args=[world.agreement.pk]))
    edits = [e for e in _history_entries(response) if e[0].startswith("Karin Lindqvist")]
    assert edits == [
        ("Karin Lindqvist ändrade titel från ”Drift av datacenter” till ”Drift och nätverk”", [])
    ]


def test_history_records_participant_changes_by_the_actor(world: World, client_for: Any) -> None:
    client = client_for(world.org_admin)
    client.post(
        reverse("agreements:participant_add", args=[world.agreement.pk]),
        {"side": "customer", "user": world.customer_colleague.pk, "role": "viewer"},
    )
    response = client.get(reverse("agreements:history", args=[world.agreement.pk]))
    newest = _history_entries(response)[0]
    assert newest == (
        "Anders Berg lade till deltagaren Lars Sundberg",
        ["Person: Lars Sundberg", "Sida: kund", "Roll: läsare"],
    )


def test_outsider_cannot_read_the_history(world: World, client_for: Any) -> None:
    response = client_for(world.other_supplier_user).get(
        reverse("agreements:history", args=[world.agreement.pk])
    )
    assert response.status_code == 404


# Formatting --------------------------------------------------------------------


def test_swedish_list_shows_money_the_swedish_way(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).get(reverse("agreements:list"))
    assert "1\xa0250\xa0000\xa0kr" in _text(response)


def test_english_list_shows_money_the_english_way(world: World, client_for: Any) -> None:
    world.customer_owner.language = "en"
    world.customer_owner.save()
    response = client_for(world.customer_owner).get(reverse("agreements:list"))
    assert "SEK\xa01,250,000" in _text(response)
    assert "1\xa0250\xa0000\xa0kr" not in _text(response)

"""The agreement's history: a plain-language, translated account of who changed what.

Each defect the history page had gets the test that would have caught it: raw
JSON with escaped characters, internal field names, untranslated values,
meaningless lines for many-to-many changes, unformatted amounts, one row per
database row instead of one entry per action, and "System" for changes made
through the API.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from samverkan.accounts.models import User
from samverkan.accounts.services import token_create
from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import Agreement
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Forum, Process, Role
from samverkan.relationships.services import relationship_set_type
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _plain(text: str) -> str:
    """Text as a reader sees it: entities decoded, every run of spaces one space."""
    return re.sub(r"\s+", " ", html.unescape(text).replace("\xa0", " ")).strip()


def _history_html(client: Client, agreement: Agreement, **params: Any) -> str:
    response = client.get(reverse("agreements:history", kwargs={"pk": agreement.pk}), params)
    assert response.status_code == 200
    return str(response.content.decode())


def _entries(page: str) -> list[str]:
    """The entries of the history list, each as plain text (summary and details)."""
    return [
        _plain(re.sub(r"<[^>]+>", " ", chunk))
        for chunk in re.findall(
            r'<li class="sv-history-entry[^"]*"[^>]*>(.*?)</li>\s*<!--/entry-->', page, re.S
        )
    ]


def _summaries(page: str) -> list[str]:
    return [
        _plain(re.sub(r"<[^>]+>", " ", chunk))
        for chunk in re.findall(r'<p class="sv-history-summary[^"]*">(.*?)</p>', page, re.S)
    ]


class Api:
    """A client that authenticates with a personal API token only (no session)."""

    def __init__(self, user: User) -> None:
        _token, raw = token_create(user=user, name="Integration")
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {})

    def post(self, path: str, data: object = None) -> Any:
        body = json.dumps(data) if data is not None else ""
        return self.client.post(path, data=body, content_type="application/json")

    def patch(self, path: str, data: object) -> Any:
        return self.client.patch(path, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def modelled(world: World) -> World:
    model.model_seed(agreement=world.agreement)
    model.forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    model.process_from_template(agreement=world.agreement, actor=None, template="change-management")
    return world


# Readable values -----------------------------------------------------------------


def test_json_lists_are_shown_as_text_without_escapes(modelled: World, client_for: Any) -> None:
    role = Role.objects.get(agreement=modelled.agreement, key="strategic-partner")
    model.role_update(
        role=role,
        actor=modelled.customer_owner,
        version=role.version,
        responsibilities=[*role.responsibilities, "Fånga verksamhetens behov"],
    )
    page = _history_html(client_for(modelled.customer_owner), modelled.agreement)
    text = " ".join(_entries(page))
    assert "Fånga verksamhetens behov" in text
    assert "\\u00e5" not in page and "\\u00" not in page
    assert '["' not in html.unescape(page)
    assert "ändrade ansvar för rollen ”Strategisk partner”" in text


def test_internal_field_names_are_never_shown(modelled: World, client_for: Any) -> None:
    relationship_set_type(agreement=modelled.agreement, actor=None, type="frontier")
    page = html.unescape(_history_html(client_for(modelled.customer_owner), modelled.agreement))
    text = " ".join(_entries(page))
    assert text  # the roles, forums and processes created above are listed
    for raw in (
        "Owned_processes",
        "owned_processes",
        "Chaired_forums",
        "chaired_forums",
        "collaboration.Process.None",
        "collaboration.Forum.None",
        "Escalation_steps",
    ):
        assert raw not in page, raw
    assert not re.search(r"profile[ _]type", page, re.I)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "a field name with underscores leaked"


def test_choice_values_are_shown_with_their_translated_labels(
    modelled: World, client_for: Any
) -> None:
    forum = Forum.objects.get(agreement=modelled.agreement, key="steering-group")
    model.forum_update(
        forum=forum, actor=modelled.customer_owner, version=forum.version, cadence="annual"
    )
    role = Role.objects.get(agreement=modelled.agreement, key="strategic-partner")
    model.role_update(role=role, actor=None, version=role.version, side="customer")
    relationship_set_type(agreement=modelled.agreement, actor=None, type="utility")
    text = " ".join(
        _entries(_history_html(client_for(modelled.customer_owner), modelled.agreement))
    )
    assert "ändrade mötesfrekvens för forumet ”Styrgrupp” från varje kvartal till varje år" in text
    assert "ändrade sida för rollen ”Strategisk partner” från leverantör till kund" in text
    assert not re.search(r"\b(annual|quarterly|supplier|customer)\b", text), text


def test_many_to_many_changes_read_as_added_and_removed(modelled: World, client_for: Any) -> None:
    forum = Forum.objects.get(agreement=modelled.agreement, key="steering-group")
    roles = {role.key: role for role in Role.objects.filter(agreement=modelled.agreement)}
    model.forum_update(
        forum=forum,
        actor=None,
        version=forum.version,
        members=[roles["strategic-partner"], roles["executive-sponsor"]],
    )
    forum.refresh_from_db()
    model.forum_update(
        forum=forum,
        actor=None,
        version=forum.version,
        members=[roles["executive-sponsor"], roles["it-architect"]],
    )
    entries = _entries(_history_html(client_for(modelled.customer_owner), modelled.agreement))
    text = " ".join(entries)
    assert "Medlemmar: lade till IT-arkitekt" in text
    assert "Medlemmar: tog bort Strategisk partner" in text
    assert not re.search(r"\b(type|operation|m2m|objects)\b", text)


def test_amounts_are_formatted_for_the_language(world: World, client_for: Any) -> None:
    Agreement.objects.filter(pk=world.agreement.pk).update(annual_value=Decimal("12500000.00"))
    api = Api(world.customer_owner)
    response = api.patch(
        f"/api/v1/agreements/{world.agreement.pk}",
        {"version": world.agreement.version, "annual_value": "13500000"},
    )
    assert response.status_code == 200
    owner = client_for(world.customer_owner)
    summaries = _summaries(_history_html(owner, world.agreement))
    assert "Karin Lindqvist ändrade årligt värde från 12 500 000 kr till 13 500 000 kr" in summaries
    world.customer_owner.language = "en"
    world.customer_owner.save()
    summaries = _summaries(_history_html(client_for(world.customer_owner), world.agreement))
    assert "Karin Lindqvist changed annual value from SEK 12,500,000 to SEK 13,500,000" in summaries


def test_dates_are_written_out_and_amounts_keep_their_oren(world: World) -> None:
    from samverkan.agreements.history import HistoryFilter, history_page

    with _action(world.customer_owner):
        agreement_services.agreement_update(
            agreement=world.agreement,
            actor=world.customer_owner,
            end_date=datetime.date(2029, 6, 30),
            annual_value=Decimal("1250000.50"),
        )
    access = _access(world, world.customer_owner)
    with timezone.override("Europe/Stockholm"), translation.override("sv"):
        entry = history_page(access=access, filters=HistoryFilter(), number=1).object_list[0]
    details = " ".join(entry.details)
    assert "Slutdatum: från 31 december 2028 till 30 juni 2029" in _plain(details)
    assert "Årligt värde: från 1 250 000 kr till 1 250 000,50 kr" in _plain(details)


# One entry per action ----------------------------------------------------------------


def test_deleting_a_process_is_one_entry_with_its_raci_folded(
    modelled: World, client_for: Any
) -> None:
    process = Process.objects.get(agreement=modelled.agreement, key="change-management")
    raci = process.raci.count()
    assert raci >= 3
    owner = client_for(modelled.customer_owner)
    before = len(_entries(_history_html(owner, modelled.agreement)))
    response = owner.post(
        reverse(
            "collaboration:part_delete",
            kwargs={"pk": modelled.agreement.pk, "kind": "processes", "part_pk": process.pk},
        )
    )
    assert response.status_code in (200, 302)
    rows = LogEntry.objects.filter(additional_data__agreement_id=modelled.agreement.pk).filter(
        action=LogEntry.Action.DELETE
    )
    assert rows.count() == 1 + raci  # the database still records every row
    assert len({row.cid for row in rows}) == 1 and rows[0].cid
    page = _history_html(owner, modelled.agreement)
    assert len(_entries(page)) == before + 1
    newest = _entries(page)[0]
    assert _summaries(page)[0] == "Karin Lindqvist tog bort processen ”Ändringshantering”"
    assert newest.count("RACI") >= raci


def test_each_request_is_its_own_action_even_with_a_correlation_header(world: World) -> None:
    """The correlation id comes from the server, never from the client."""
    _token, raw = token_create(user=world.customer_owner, name="Skript")
    client = Client(
        headers={"Authorization": f"Bearer {raw}", "X-Correlation-ID": "chosen-by-the-client"}
    )
    for version, title in enumerate(("Första titeln", "Andra titeln"), start=1):
        response = client.patch(
            f"/api/v1/agreements/{world.agreement.pk}",
            data=json.dumps({"version": version, "title": title}),
            content_type="application/json",
        )
        assert response.status_code == 200
    cids = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement),
            object_id=world.agreement.pk,
            action=LogEntry.Action.UPDATE,
        ).values_list("cid", flat=True)
    )
    assert len(cids) == 2 and len(set(cids)) == 2
    assert "chosen-by-the-client" not in cids and None not in cids


def test_a_command_is_one_action_by_the_person_given(world: World, tmp_path: Any) -> None:
    source = io.StringIO()
    call_command(
        "export", world.agreement.reference, "--as", world.customer_owner.email, stdout=source
    )
    path = tmp_path / "avtal.yaml"
    path.write_text(source.getvalue().replace("Drift av datacenter", "Drift och nät"))
    call_command(
        "import", str(path), "--replace", "--as", world.customer_owner.email, stdout=io.StringIO()
    )
    rows = LogEntry.objects.filter(additional_data__agreement_id=world.agreement.pk).exclude(
        cid=None
    )
    assert rows.exists()
    assert {row.cid for row in rows} == {rows[0].cid}
    assert {row.actor_id for row in rows} == {world.customer_owner.pk}


# The person behind an API token ----------------------------------------------------------


def test_api_approval_is_recorded_under_the_approvers_name(
    modelled: World, client_for: Any
) -> None:
    base = f"/api/v1/agreements/{modelled.agreement.pk}/appendix"
    published = Api(modelled.customer_owner).post(
        f"{base}/versions", {"change_summary": "Första", "accept_errors": True}
    )
    assert published.status_code == 201
    approved = Api(modelled.supplier_owner).post(f"{base}/versions/1/approve")
    assert approved.status_code == 200
    approval = LogEntry.objects.get(content_type__model="approval")
    assert approval.actor == modelled.supplier_owner
    summaries = _summaries(_history_html(client_for(modelled.customer_owner), modelled.agreement))
    assert summaries[0].startswith("Peter Nyström godkände version 1 av samverkansbilagan")
    assert summaries[1].startswith("Karin Lindqvist publicerade version 1 av samverkansbilagan")
    assert not any(s.startswith("Systemet") for s in summaries[:2])


def test_api_patch_is_recorded_under_the_token_owner(world: World, client_for: Any) -> None:
    response = Api(world.customer_owner).patch(
        f"/api/v1/agreements/{world.agreement.pk}",
        {"version": world.agreement.version, "title": "Drift och nätverk"},
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get(
        content_type__model="agreement", object_id=world.agreement.pk, action=1
    )
    assert entry.actor == world.customer_owner
    summaries = _summaries(_history_html(client_for(world.supplier_viewer), world.agreement))
    assert summaries[0] == (
        "Karin Lindqvist ändrade titel från ”Drift av datacenter” till ”Drift och nätverk”"
    )


# Filters, pages, export ----------------------------------------------------------------------


def _action(user: User | None) -> Any:
    from samverkan.core.audit import audit_action

    return audit_action(actor=user)


def _access(world: World, user: User) -> Any:
    from samverkan.agreements.access import agreement_access

    access = agreement_access(user, world.agreement)
    assert access is not None
    return access


def _titles(world: World, count: int, user: User) -> None:
    for i in range(count):
        with _action(user):
            agreement_services.agreement_update(
                agreement=world.agreement, actor=user, title=f"Titel {i + 1}"
            )


def test_history_is_paged_fifty_entries_at_a_time_and_links_keep_the_filters(
    world: World, client_for: Any
) -> None:
    _titles(world, 53, world.customer_owner)
    owner = client_for(world.customer_owner)
    first = _history_html(owner, world.agreement, person=world.customer_owner.pk)
    assert len(_entries(first)) == 50
    assert "Titel 53" in _entries(first)[0]
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert links and all(f"person={world.customer_owner.pk}" in html.unescape(u) for u in links)
    second = _history_html(owner, world.agreement, person=world.customer_owner.pk, page=2)
    assert len(_entries(second)) == 3
    assert "Titel 1”" in _entries(second)[-1]


def test_filters_by_person_kind_and_dates(modelled: World, client_for: Any) -> None:
    with _action(modelled.supplier_owner):
        role = Role.objects.get(agreement=modelled.agreement, key="it-supplier")
        model.role_update(
            role=role, actor=modelled.supplier_owner, version=role.version, purpose="Driften"
        )
    with _action(modelled.customer_owner):
        agreement_services.agreement_update(
            agreement=modelled.agreement, actor=modelled.customer_owner, title="Ny titel"
        )
    old = LogEntry.objects.get(content_type__model="agreement", action=1)
    old.timestamp = timezone.now() - datetime.timedelta(days=40)
    old.save()
    owner = client_for(modelled.customer_owner)
    by_peter = _summaries(
        _history_html(owner, modelled.agreement, person=modelled.supplier_owner.pk)
    )
    assert by_peter == ["Peter Nyström ändrade syfte för rollen ”IT-leverantör”"]
    agreements_only = _summaries(
        _history_html(owner, modelled.agreement, kind="agreements.agreement")
    )
    # Created by the fixture today; renamed, as the log now says, 40 days ago.
    assert len(agreements_only) == 2
    assert "skapade avtalet" in agreements_only[0] and "Ny titel" in agreements_only[1]
    today = timezone.localdate().isoformat()
    recent = _summaries(_history_html(owner, modelled.agreement, since=today, until=today))
    assert not any("Ny titel" in s for s in recent)
    assert any("IT-leverantör" in s for s in recent)
    system = _summaries(_history_html(owner, modelled.agreement, person="system"))
    assert system and all(s.startswith("Systemet ") for s in system)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2026-13-45"}, "Ange ett datum som ÅÅÅÅ-MM-DD"),
        ({"until": "igår"}, "Ange ett datum som ÅÅÅÅ-MM-DD"),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "Från-datumet får inte vara efter"),
    ],
)
def test_bad_dates_are_shown_again_with_a_message(
    world: World, client_for: Any, params: dict[str, str], message: str
) -> None:
    page = _history_html(client_for(world.customer_owner), world.agreement, **params)
    assert message in html.unescape(page)
    assert 'class="form-control is-invalid"' in page or "is-invalid" in page
    assert _entries(page) == []
    for value in params.values():
        assert f'value="{value}"' in page


def test_export_contains_every_entry_the_filter_selects(world: World, client_for: Any) -> None:
    _titles(world, 53, world.customer_owner)
    with _action(world.supplier_owner):
        agreement_services.agreement_update(
            agreement=world.agreement, actor=world.supplier_owner, title="Leverantörens titel"
        )
    response = client_for(world.customer_owner).get(
        reverse("agreements:history_export", kwargs={"pk": world.agreement.pk}),
        {"person": world.customer_owner.pk},
    )
    assert response.status_code == 200
    assert "DRIFT-2025" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Tid (UTC, ISO 8601)", "Tid (lokal)", "Vem", "Vad", "Detaljer")
    assert len(body) == 53
    assert all(row[2] == "Karin Lindqvist" for row in body)
    assert "Titel 53" in str(body[0][3]) and "Titel 1”" in str(body[-1][3])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(body[0][0]))
    assert isinstance(body[0][1], datetime.datetime)
    assert not any("Leverantörens titel" in str(row) for row in body)


def test_export_texts_are_never_formulas(world: World, client_for: Any) -> None:
    with _action(world.customer_owner):
        agreement_services.agreement_update(
            agreement=world.agreement, actor=world.customer_owner, title='=HYPERLINK("x")'
        )
    response = client_for(world.customer_owner).get(
        reverse("agreements:history_export", kwargs={"pk": world.agreement.pk})
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_export_with_bad_dates_goes_back_to_the_page(world: World, client_for: Any) -> None:
    url = reverse("agreements:history_export", kwargs={"pk": world.agreement.pk})
    response = client_for(world.customer_owner).get(url, {"since": "i morgon"})
    assert response.status_code == 302
    assert "since=" in response["Location"]


def test_api_history_uses_the_same_filters(world: World) -> None:
    api = Api(world.supplier_viewer)
    url = f"/api/v1/agreements/{world.agreement.pk}/history"
    before = api.get(url).json()["count"]  # the agreement and its participants, created
    _titles(world, 3, world.customer_owner)
    with _action(world.supplier_owner):
        agreement_services.agreement_update(
            agreement=world.agreement, actor=world.supplier_owner, title="Leverantörens titel"
        )
    everything = api.get(url).json()
    assert everything["count"] == before + 4
    assert everything["entries"][0]["actor"] == "Peter Nyström"
    mine = api.get(url, {"person": world.customer_owner.pk, "lang": "en"}).json()
    assert mine["count"] == 3
    assert mine["entries"][0]["summary"] == (
        "Karin Lindqvist changed title from “Titel 2” to “Titel 3”"
    )
    assert api.get(url, {"since": "2026-02-30"}).status_code in (400, 422)
    assert Api(world.other_supplier_user).get(url).status_code == 404


def test_cli_writes_the_same_export(world: World, tmp_path: Any) -> None:
    _titles(world, 3, world.customer_owner)
    target = tmp_path / "historik.xlsx"
    call_command(
        "history",
        world.agreement.reference,
        "--as",
        world.supplier_viewer.email,
        "--person",
        world.customer_owner.email,
        "-o",
        str(target),
        stderr=io.StringIO(),
    )
    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    out = io.StringIO()
    call_command(
        "history",
        world.agreement.reference,
        "--as",
        world.supplier_viewer.email,
        "--lang",
        "en",
        stdout=out,
    )
    assert "Karin Lindqvist changed title from “Titel 2” to “Titel 3”" in out.getvalue()


def test_cli_refuses_a_person_who_cannot_see_the_agreement(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "history",
            world.agreement.reference,
            "--as",
            world.other_supplier_user.email,
            stdout=io.StringIO(),
        )


# Scope and cost ---------------------------------------------------------------------


def test_only_this_agreements_entries_are_shown(world: World, client_for: Any) -> None:
    with _action(world.customer_owner):
        agreement_services.agreement_update(
            agreement=world.other_agreement, actor=world.customer_owner, title="Annat avtal"
        )
    text = " ".join(_entries(_history_html(client_for(world.customer_owner), world.agreement)))
    assert "Annat avtal" not in text


def test_entries_private_to_one_side_are_hidden_from_the_other(
    world: World, client_for: Any
) -> None:
    """What a negotiation case will rely on: ``private_to_side`` in the entry's data."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_pk=str(world.agreement.pk),
        object_id=world.agreement.pk,
        object_repr="Förhandlingsunderlag",
        action=LogEntry.Action.UPDATE,
        changes={"title": ["Gammal", "Hemlig strategi"]},
        actor=world.customer_owner,
        additional_data={"agreement_id": world.agreement.pk, "private_to_side": "customer"},
    )
    customer = " ".join(_entries(_history_html(client_for(world.customer_owner), world.agreement)))
    supplier = " ".join(_entries(_history_html(client_for(world.supplier_viewer), world.agreement)))
    assert "Hemlig strategi" in customer
    assert "Hemlig strategi" not in supplier


def test_history_page_query_count_does_not_grow_with_entries(
    modelled: World, client_for: Any
) -> None:
    owner = client_for(modelled.customer_owner)
    url = reverse("agreements:history", kwargs={"pk": modelled.agreement.pk})
    counts = []
    for actions in (5, 50):
        done = LogEntry.objects.exclude(cid=None).values("cid").distinct().count()
        _titles(modelled, actions - done, modelled.customer_owner)
        owner.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = owner.get(url, {"person": modelled.customer_owner.pk})
        assert len(_entries(response.content.decode())) == actions
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_audited_model_is_described_and_every_shown_field_is_translated() -> None:
    """A new audited model or field cannot show a raw name: the history must know it."""
    from auditlog.registry import auditlog
    from django.utils.functional import Promise
    from django.utils.translation import trans_real

    from samverkan.agreements.history import description_of, field_label

    swedish = trans_real.translation("sv")._catalog
    for audited in auditlog.get_models():
        assert description_of(audited).the is not None, f"describe() {audited.__name__}"
        for found in [*audited._meta.concrete_fields, *audited._meta.many_to_many]:
            label = field_label(audited, found.name)
            if label is None:
                continue
            where = f"{audited.__name__}.{found.name}"
            assert isinstance(label, Promise), f"{where}: {label!r} is not translatable"
            with translation.override("en"):
                assert str(label) in swedish, f"{where}: {label} has no Swedish label"


def test_the_demo_names_each_person_and_tells_each_step_once(db: None) -> None:
    from samverkan.agreements.access import agreement_access
    from samverkan.agreements.history import HistoryFilter, history_all
    from samverkan.core import demo

    demo.load()
    owner = User.objects.get(email="kund@example.com")
    agreement = Agreement.objects.get(reference="DEMO-UTILITY")
    access = agreement_access(owner, agreement)
    assert access is not None
    with translation.override("sv"):
        summaries = [entry.summary for entry in history_all(access=access, filters=HistoryFilter())]
    assert "Peter Nyström godkände version 1 av samverkansbilagan för leverantören" in summaries
    assert "Karin Lindqvist godkände version 1 av samverkansbilagan för kunden" in summaries
    assert "Karin Lindqvist ändrade eskaleringsvägen" in summaries
    assert not any(summary.startswith("Systemet") for summary in summaries)
    rows = LogEntry.objects.filter(additional_data__agreement_id=agreement.pk).count()
    assert len(summaries) < rows / 2  # grouped: many rows make one entry

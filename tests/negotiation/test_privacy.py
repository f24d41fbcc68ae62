"""A negotiation case is private to its members (issue 13's acceptance).

Everyone not on a case — the counterparty (the supplier's people on the linked
agreement), a third organisation, an adviser who was not invited, and people of the
owning organisation who were not added (its administrator too) — gets 404 for every URL
of it, every API endpoint and every export, as for a case that does not exist. And
nothing about a case shows anywhere else: creating a fully filled case changes no
page, list, count, search, history or export of anyone, the case's own members
included (outside the negotiation pages), and sends no e-mail.

The URLs are taken from the URL configuration, so a URL added later is covered without
changing this file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samverkan.accounts.models import User
from samverkan.negotiation import services
from samverkan.negotiation.document_services import document_add
from samverkan.negotiation.models import Case, Document, Member
from samverkan.negotiation.selectors import STEP_KEYS
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.negotiation.filled import filled_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
OUTSIDERS = (
    "supplier_owner",  # the counterparty: owner of the linked agreement on the other side
    "supplier_viewer",  # the counterparty: a viewer of the linked agreement
    "other_supplier_user",  # a third organisation
    "adviser",  # an adviser organisation's person who was not invited
    "customer_member",  # a member of the owning organisation who is not on the case
    "org_admin",  # the owning organisation's administrator, not on the case
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


def _adviser(name: str, email: str) -> User:
    organisation = OrganisationFactory(name=f"{name} AB", kind="adviser")
    person = UserFactory(email=email, full_name=f"{name} Rådgivare")
    MembershipFactory(user=person, organisation=organisation)
    return person


@pytest.fixture
def people(world: World) -> dict[str, User]:
    """The outsiders by name, and the invited adviser (on the case once it is made)."""
    found = {name: getattr(world, name) for name in OUTSIDERS if hasattr(world, name)}
    found["customer_member"] = UserFactory(email="maja@norrlandia.example", full_name="Maja Holm")
    MembershipFactory(user=found["customer_member"], organisation=world.customer)
    found["adviser"] = _adviser("Oinbjudna", "olle@oinbjudna.example")
    found["invited_adviser"] = _adviser("Inbjudna", "ines@inbjudna.example")
    return found


def full_case(world: World, people: dict[str, User]) -> Case:
    """Every step filled in (Karin owns it, Lars of her organisation is on the team), an
    invited adviser on the team, a document."""
    case = filled_case(world)
    services.member_add(case=case, user=people["invited_adviser"], role="Inköpsrådgivare")
    document_add(
        case=case,
        actor=world.customer_owner,
        upload=SimpleUploadedFile("Förhandlingsstrategi.pdf", PDF),
    )
    return case


# Every URL of a case ------------------------------------------------------------------------------


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


def case_free_urls() -> list[str]:
    """The negotiation URLs that name no case (my cases, opening one, the API's list)."""
    return [
        "/" + route
        for name, route in _patterns(get_resolver().url_patterns)
        if (name.startswith("negotiation:") or route.startswith("api/v1/negotiation"))
        and "<" not in route
    ]


def case_urls(case: Case) -> list[str]:
    """Every URL that names the case: the pages (each step), the team, the documents, the
    brief and the API — every pattern of the negotiation namespace with the case's id, and
    every API path under /api/v1/negotiation/."""
    member = Member.objects.filter(case=case).first()
    document = Document.objects.filter(case=case).first()
    assert member is not None and document is not None
    values = {
        "pk": [case.pk],
        "case_id": [case.pk],
        "case": [case.pk],
        "step": STEP_KEYS,
        "member": [member.pk],
        "member_id": [member.pk],
        "document": [document.pk],
        "document_id": [document.pk],
        "fmt": ["docx", "pdf"],
    }
    urls: list[str] = []
    for name, route in _patterns(get_resolver().url_patterns):
        is_page = name.startswith("negotiation:")
        is_api = name.startswith("api:") and route.startswith("api/v1/negotiation")
        if not (is_page or is_api):
            continue
        parameters = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not parameters:
            continue  # the list of my cases and "open a case" name no case
        combos: list[dict[str, Any]] = [{}]
        for parameter in parameters:
            assert parameter in values, f"{name}: teach this test the parameter {parameter}"
            combos = [
                {**combo, parameter: value} for combo in combos for value in values[parameter]
            ]
        urls += [reverse(name, kwargs=combo) for combo in combos]
    return urls


def test_the_urls_cover_the_pages_the_team_the_documents(world: World, people: Any) -> None:
    urls = case_urls(full_case(world, people))
    for expected in ("/members/", "/steps/preparation/", "/steps/execute/", "/documents/"):
        assert any(expected in url for url in urls), expected
    assert len([url for url in urls if "/steps/" in url]) == 8


def _twin(url: str, case: Case) -> str:
    """The same URL for a case that does not exist."""
    return url.replace(f"/{case.pk}/", f"/{case.pk + 1000}/", 1)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_everyone_not_on_the_case_gets_404_for_every_url(
    world: World, people: dict[str, User], outsider: str, client_for: Any
) -> None:
    """404 for the method each URL answers; a method it never answers is 405 before
    anything is looked up — the same as for a case that does not exist."""
    case = full_case(world, people)
    client = client_for(people[outsider])
    for url in case_urls(case):
        answers = {}
        for method in ("get", "post", "put", "delete"):
            response = getattr(client, method)(url)
            answers[method] = response.status_code
            assert case.title not in response.content.decode(errors="replace")
            if response.status_code != 404:
                assert response.status_code == 405, (outsider, method, url)
                assert getattr(client, method)(_twin(url, case)).status_code == 405
        assert 404 in answers.values(), (outsider, url, answers)
    # The lists name no case of which the person is not a member.
    for url in case_free_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert case.title not in response.content.decode(), (outsider, url)
    # Nothing changed by those attempts.
    assert Member.objects.filter(case=case).count() == 3
    assert Document.objects.filter(case=case).count() == 1


def test_members_reach_every_page_the_invited_adviser_included(
    world: World, people: dict[str, User], client_for: Any
) -> None:
    case = full_case(world, people)
    for member in (world.customer_owner, people["invited_adviser"]):
        client = client_for(member)
        for url in case_urls(case):
            if url.startswith("/api/") or "/remove/" in url or url.endswith(("/add/", "/change/")):
                continue
            response = client.get(url)
            assert response.status_code in (200, 405), (member, url)


def test_a_member_taken_off_the_case_gets_404_from_then_on(
    world: World, people: dict[str, User], client_for: Any
) -> None:
    case = full_case(world, people)
    adviser = people["invited_adviser"]
    client = client_for(adviser)
    assert client.get(reverse("negotiation:case", args=[case.pk])).status_code == 200
    services.member_remove(member=Member.objects.get(case=case, user=adviser))
    for url in case_urls(case):
        assert client.get(url).status_code in (404, 405), url


def test_the_counterparty_cannot_be_added_to_the_case(
    world: World, people: dict[str, User], client_for: Any
) -> None:
    case = full_case(world, people)
    owner = client_for(world.customer_owner)
    for outsider in ("supplier_owner", "supplier_viewer", "other_supplier_user"):
        response = owner.post(
            reverse("negotiation:member_add", args=[case.pk]), {"email": people[outsider].email}
        )
        assert response.status_code == 400
    assert not Member.objects.filter(
        case=case, user__in=[world.supplier_owner, world.supplier_viewer, world.other_supplier_user]
    ).exists()


# Nothing about a case shows elsewhere ---------------------------------------------------------------

_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
_NONCE = re.compile(r'nonce="[^"]+"')


def _normalised(body: bytes) -> str:
    text = body.decode(errors="replace")
    return _NONCE.sub('nonce=""', _TOKEN.sub(r"\1-", text))


def _workbook(body: bytes) -> list[list[Any]]:
    """The export's cells, all sheets, without the line saying when it was made."""
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return [
        [cell for cell in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if not any(
            isinstance(cell, str) and cell.startswith(("Exported", "Exporterad")) for cell in row
        )
    ]


def shared_pages(w: World) -> list[str]:
    """Every page where a case could show if it leaked: lists, counts, searches, the
    agreements' pages and histories, "my work", the innovation pages, the API's lists."""
    a, b = w.agreement.pk, w.other_agreement.pk
    pages = [
        reverse("home"),  # "Mitt arbete"
        reverse("agreements:list"),
        reverse("agreements:list") + "?q=F%C3%B6rnyelse",  # search for the case's title
        reverse("agreements:list") + "?q=driftavtalet",
        reverse("agreements:counterparts") + "?counterpart_name=Norrlandia",
        reverse("accounts:organisation", args=[w.customer.pk]),
        reverse("accounts:organisation", args=[w.supplier.pk]),
    ]
    for pk in (a, b):
        pages += [
            reverse("agreements:detail", args=[pk]),
            reverse("agreements:history", args=[pk]),
            reverse("agreements:history", args=[pk]) + "?q=F%C3%B6rnyelse",
            reverse("agreements:history_export", args=[pk]),
            reverse("relationships:detail", args=[pk]),
            reverse("collaboration:model", args=[pk]),
            reverse("appendix:appendix", args=[pk]),
            reverse("health:health", args=[pk]),
            reverse("innovation:framework", args=[pk]),
            reverse("innovation:ideas", args=[pk]),
            reverse("innovation:board", args=[pk]),
            reverse("innovation:rate", args=[pk]),
            reverse("innovation:effects", args=[pk]),
            f"/api/v1/agreements/{pk}",
        ]
    pages.append("/api/v1/agreements")
    return pages


def _render(client: Client, urls: list[str]) -> dict[str, tuple[int, Any]]:
    seen: dict[str, tuple[int, Any]] = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        kind = response.get("Content-Type", "")
        content: Any = _workbook(body) if "spreadsheet" in kind else _normalised(body)
        seen[url] = (response.status_code, content)
    return seen


def test_creating_a_case_changes_no_count_list_or_page_of_anyone_not_on_it(
    world: World, people: dict[str, User], client_for: Any
) -> None:
    """Every shared page, rendered as each persona before and after a fully filled case
    is made, is the same — for the case's owner too (the case shows only on the
    negotiation pages). The negotiation list of a non-member is the same as well."""
    urls = shared_pages(world)
    personas = {name: people[name] for name in OUTSIDERS} | {"owner": world.customer_owner}
    clients = {name: client_for(user) for name, user in personas.items()}
    cases_url = reverse("negotiation:cases")
    before = {
        name: _render(client, urls + ([cases_url] if name != "owner" else []))
        for name, client in clients.items()
    }
    assert any(status == 200 for status, _content in before["supplier_owner"].values())
    case = full_case(world, people)
    services.case_update(case=case, version=None, title="Förnyelse av driftavtalet 2027 (skarp)")
    for name, client in clients.items():
        after = _render(client, urls + ([cases_url] if name != "owner" else []))
        for url, (status, content) in before[name].items():
            assert after[url][0] == status, (name, url)
            assert after[url][1] == content, f"{url} changed for {name} when a case was made"
            if isinstance(content, str):
                assert "Förnyelse av driftavtalet 2027" not in after[url][1]
    assert mail.outbox == []  # nobody was told


def test_the_case_is_in_no_agreement_history_or_its_export(
    world: World, people: dict[str, User], client_for: Any
) -> None:
    """The audit trail of a case is the operator's (linked to the case, not the agreement):
    the agreement's history shows none of it, to anyone, its participants on the case included."""
    case = full_case(world, people)
    for user in (world.customer_owner, world.supplier_owner, world.org_admin):
        client = client_for(user)
        html = client.get(reverse("agreements:history", args=[world.agreement.pk])).content
        text = html.decode()
        for needle in (case.title, "Förhandlingsstrategi.pdf", "Stabil drift", "Inköpsrådgivare"):
            assert needle not in text, (user, needle)
        export = client.get(reverse("agreements:history_export", args=[world.agreement.pk]))
        cells = str(_workbook(export.content))
        assert case.title not in cells and "Stabil drift" not in cells

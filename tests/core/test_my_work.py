""" "Mitt arbete", the start page: what needs the signed-in person now, from every capability."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from samverkan.accounts import work as accounts_work
from samverkan.accounts.models import Organisation, User
from samverkan.accounts.services import invitation_create
from samverkan.appendix import work as appendix_work
from samverkan.appendix.services import appendix_publish
from samverkan.collaboration.services import (
    forum_from_template,
    model_seed,
    process_from_template,
)
from samverkan.core import registry
from samverkan.core.work import WorkItem
from samverkan.health import work as health_work
from samverkan.health.services import health_round_open
from tests.conftest import World
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.health.conftest import enough_people

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "samverkan"


def _page(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return str(response.content.decode())


# The page ---------------------------------------------------------------------------


def test_signing_in_lands_on_my_work(world: World) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": world.customer_owner.email, "password": PASSWORD}
    )
    assert response["Location"] == "/"
    assert "<h1>Mitt arbete</h1>" in _page(client)


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_nothing_to_do_says_so_and_leads_to_the_agreements(world: World, client_for: Any) -> None:
    page = _page(client_for(world.customer_colleague))
    assert "Inget väntar på dig just nu." in page
    assert f'href="{reverse("agreements:list")}"' in page
    client = client_for(world.customer_colleague)
    client.post("/language/", {"language": "en", "next": "/"})
    assert "Nothing needs you right now." in _page(client)


def test_my_work_is_in_the_top_navigation_and_marked_as_the_current_page(
    world: World, client_for: Any
) -> None:
    page = _page(client_for(world.customer_owner))
    assert '<a class="nav-link active" aria-current="page" href="/">Mitt arbete</a>' in page
    other = client_for(world.customer_owner).get("/agreements/").content.decode()
    assert '<a class="nav-link" href="/">Mitt arbete</a>' in other


def test_items_from_every_capability_show_with_their_link_reason_and_date(
    world: World, client_for: Any
) -> None:
    appendix_publish(
        agreement=world.agreement,
        actor=world.customer_owner,
        change_summary="Första versionen",
        accept_errors=True,
    )
    closes_on = timezone.localdate() + datetime.timedelta(days=3)
    health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=closes_on,
        participants=enough_people(world.agreement),  # more than the threshold on each side
    )
    page = _page(client_for(world.customer_owner))
    assert "Godkänn version 1 av samverkansbilagan" in page
    assert f'href="/agreements/{world.agreement.pk}/appendix/versions/1/"' in page
    assert "Svara på enkäten ”Hälsokontroll hösten 2026”" in page
    assert "om 3 dagar" in page
    assert "obligatoriska kontroller av bilagan är inte uppfyllda" in page
    assert "Väntar sedan" in page
    # The most urgent first: the survey and the round close in three days.
    kinds = [
        line.split('data-kind="')[1].split('"')[0]
        for line in page.splitlines()
        if 'data-kind="' in line
    ]
    assert kinds[:2] == ["health.round", "health.survey"] or kinds[:2] == [
        "health.survey",
        "health.round",
    ]
    assert kinds[2:] == ["appendix.approval", "appendix.completeness", "appendix.completeness"]


def test_an_outsider_sees_nothing_of_other_organisations_agreements(
    world: World, client_for: Any
) -> None:
    appendix_publish(
        agreement=world.agreement,
        actor=world.customer_owner,
        change_summary="Första versionen",
        accept_errors=True,
    )
    health_round_open(
        agreement=world.agreement,
        actor=world.customer_owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=3),
        participants=enough_people(world.agreement),  # more than the threshold on each side
    )
    # Sara owns APP-2025 (with Karin) but has no part in DRIFT-2025.
    page = _page(client_for(world.other_supplier_user))
    assert "DRIFT-2025" not in page
    assert world.supplier.name not in page
    assert "Hälsokontroll hösten 2026" not in page
    assert "APP-2025" in page  # her own agreement's failing checks


# The registry --------------------------------------------------------------------------


def test_each_capability_registers_its_own_provider() -> None:
    assert set(registry.work_providers()) >= {
        accounts_work.work_items,
        appendix_work.work_items,
        health_work.work_items,
    }


def test_core_imports_no_capability() -> None:
    """Core only composes: the capabilities register themselves (issue 11 moves this to a contract)."""
    capabilities = ("appendix", "health", "collaboration", "relationships")
    for module in ("work.py", "views.py"):
        tree = ast.parse((SRC / "core" / module).read_text())
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [
            name for name in imported if name.split(".")[1:2] and name.split(".")[1] in capabilities
        ], module


def test_items_are_ordered_by_deadline_then_by_how_long_they_have_waited() -> None:
    today = datetime.date(2026, 11, 30)

    def item(title: str, **when: Any) -> WorkItem:
        return WorkItem(kind="x", label="x", title=title, reason="", url="/", action="", **when)

    items = [
        item("undated", when="Before the next version"),
        item("waited a day", since=today - datetime.timedelta(days=1)),
        item("due in a week", due=today + datetime.timedelta(days=7)),
        item("waited a month", since=today - datetime.timedelta(days=30)),
        item("due tomorrow", due=today + datetime.timedelta(days=1)),
    ]
    assert [i.title for i in sorted(items, key=WorkItem.sort_key)] == [
        "due tomorrow",
        "due in a week",
        "waited a month",
        "waited a day",
        "undated",
    ]


# The number of queries -------------------------------------------------------------------


def _agreements(
    owner: User,
    colleague: User,
    customer: Organisation,
    supplier: Organisation,
    numbers: range,
) -> None:
    """Agreements that each give ``owner`` one item of every kind the appendix and health give:
    a version to approve, failing checks, an unanswered survey link, a round closing soon."""
    closes_on = timezone.localdate() + datetime.timedelta(days=3)
    # A round needs more people asked on each side than its threshold of three.
    asked = {
        side: [User.objects.get_or_create(email=f"{side}{n}@svar.example")[0] for n in range(3)]
        for side in ("customer", "supplier")
    }
    with disable_auditlog():  # the trail plays no part here, and writing it doubles the time
        for i in numbers:
            agreement = AgreementFactory(
                customer=customer, supplier=supplier, reference=f"Q-{i:04d}"
            )
            ParticipantFactory(agreement=agreement, user=owner, side="customer", role="owner")
            supplier_side = ParticipantFactory(
                agreement=agreement, user=colleague, side="supplier", role="owner"
            )
            model_seed(agreement=agreement)
            forum_from_template(agreement=agreement, actor=None, template="steering-group")
            process_from_template(agreement=agreement, actor=None, template="change-management")
            appendix_publish(
                agreement=agreement, actor=owner, change_summary="Första", accept_errors=True
            )
            others = [
                ParticipantFactory(agreement=agreement, user=user, side=side, role="viewer")
                for side, users in asked.items()
                for user in users
            ]
            health_round_open(
                agreement=agreement,
                actor=owner,
                title=f"Hälsokontroll {i}",
                closes_on=closes_on,
                participants=[agreement.participants.get(user=owner), supplier_side, *others],
            )


def test_the_query_count_is_the_same_for_3_and_300_agreements(db: None) -> None:
    customer = OrganisationFactory(name="Norrlandia Försäkring AB", kind="customer")
    supplier = OrganisationFactory(name="Driftpartner Norden AB", kind="supplier")
    adviser = OrganisationFactory(name="Rådgivarna i Norr AB", kind="adviser")
    owner = UserFactory(email="karin@norrlandia.example")
    colleague = UserFactory(email="peter@driftpartner.example")
    MembershipFactory(user=owner, organisation=customer)
    MembershipFactory(user=colleague, organisation=supplier)
    invitation_create(organisation=adviser, email=owner.email, role="member", invited_by=None)
    client = Client()
    client.force_login(owner)

    def measure(expected_items: int) -> int:
        client.get("/")  # warm caches that are filled once per process (content types …)
        with CaptureQueriesContext(connection) as queries:
            page = _page(client)
        assert page.count('data-kind="') == expected_items
        return len(queries)

    _agreements(owner, colleague, customer, supplier, range(3))
    few = measure(4 * 3 + 1)  # approval, failing checks, own survey, round closing; the invitation
    _agreements(owner, colleague, customer, supplier, range(3, 300))
    if connection.vendor == "postgresql":
        # As autovacuum would in production: the planner sees 300 agreements. With the
        # statistics an earlier test left, PostgreSQL once planned the page's queries for
        # a handful of rows and took twenty minutes over them (CI, 2026-11-29).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    many = measure(4 * 300 + 1)
    assert few == many, f"{few} queries for 3 agreements, {many} for 300"


# The demo ----------------------------------------------------------------------------------


def test_the_demo_logins_find_work_waiting_at_first_sign_in(db: None) -> None:
    from samverkan.core import demo
    from samverkan.health.models import Round

    demo.load()
    karin = User.objects.get(email="kund@example.com")
    johan = User.objects.get(email="leverantor@example.com")
    with translation.override("en"):
        karin_items = registry.work_items(karin)
        johan_items = registry.work_items(johan)
    assert sorted(item.kind for item in karin_items) == [
        "appendix.approval",  # version 2 of each of her three agreements
        "appendix.approval",
        "appendix.approval",
        "appendix.completeness",  # DEMO-UTILITY lacks a standard role and an innovation process
        "health.round",  # the open pulse round closes within the week
        "health.survey",  # and she has not answered it
    ]
    assert [item.kind for item in johan_items] == ["health.survey"]  # an editor approves nothing
    # The open round shows no figures: two answers per side, below the threshold of three.
    pulse = Round.objects.get(agreement__reference="DEMO-FRONTIER", closed_at__isnull=True)
    assert pulse.responses.filter(side="customer").count() == 2
    assert pulse.responses.filter(side="supplier").count() == 2
    assert pulse.closes_on - timezone.localdate() == datetime.timedelta(days=5)

"""The agreement overview, with every panel the capabilities register, and the collaboration
model page run a number of queries that does not grow with the data: health rounds with
results, appendix versions, the size of the model."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.agreements.access import agreement_access
from samverkan.agreements.models import Agreement, Participant
from samverkan.appendix.services import appendix_approve, appendix_publish
from samverkan.collaboration import services as model
from samverkan.collaboration.models import Role
from samverkan.health import services as health
from samverkan.health.models import Round
from tests.conftest import World
from tests.health.conftest import answer, enough_people


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run after-commit work (the e-mails) at once: tests run inside one transaction."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def queries_of(client: Client, url: str) -> int:
    """The queries of one view of ``url``, after a first view (which may keep a summary)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def health_rounds(world: World, count: int) -> None:
    """``count`` closed rounds with released results, four respondents a side."""
    agreement = world.agreement
    participants = enough_people(agreement)
    for n in range(count):
        round = health.health_round_open(
            agreement=agreement,
            actor=world.customer_owner,
            participants=participants,
            title=f"Hälsokontroll {n + 1}",
            closes_on=timezone.localdate() + datetime.timedelta(days=14),
        )
        for side in ("customer", "supplier"):
            for i, invitation in enumerate(round.invitations.filter(side=side).order_by("pk")):
                answer(invitation, 2 + (i + n) % 4, recommend=7)
        health.health_round_close(round=round)


def appendix_versions(world: World, count: int) -> None:
    """``count`` published versions, each approved by both sides but the newest (awaiting)."""
    agreement = world.agreement
    owners = {
        side: Participant.objects.get(agreement=agreement, side=side, role="owner").user
        for side in ("customer", "supplier")
    }
    start = agreement.appendix_versions.count()
    for n in range(start, start + count):
        model.objectives_set(
            agreement=agreement, actor=world.customer_owner, texts=[f"Mål nummer {n + 1}"]
        )
        version = appendix_publish(
            agreement=agreement,
            actor=world.customer_owner,
            change_summary=f"Version {n + 1}",
            accept_errors=True,
        )
        if n < start + count - 1:
            for user in owners.values():
                access = agreement_access(user, agreement)
                assert access is not None
                appendix_approve(version=version, access=access, actor=user)


@pytest.fixture
def overview(world: World, client_for: Callable[[User | None], Client]) -> Iterator[str]:
    model.model_seed(agreement=world.agreement)
    yield reverse("agreements:detail", args=[world.agreement.pk])


def test_the_overview_runs_as_many_queries_for_ten_health_rounds_as_for_one(
    world: World, client_for: Callable[[User | None], Client], overview: str
) -> None:
    client = client_for(world.customer_owner)
    health_rounds(world, 1)
    one = queries_of(client, overview)
    health_rounds(world, 9)
    assert Round.objects.filter(agreement=world.agreement, closed_at__isnull=False).count() == 10
    assert queries_of(client, overview) == one


def test_the_overview_runs_as_many_queries_for_ten_appendix_versions_as_for_one(
    world: World, client_for: Callable[[User | None], Client], overview: str
) -> None:
    client = client_for(world.customer_owner)
    appendix_versions(world, 1)
    one = queries_of(client, overview)
    appendix_versions(world, 9)
    assert world.agreement.appendix_versions.count() == 10
    assert queries_of(client, overview) == one


def test_the_overview_runs_as_many_queries_with_rounds_and_versions_for_either_side(
    world: World, client_for: Callable[[User | None], Client], overview: str
) -> None:
    customer, supplier = client_for(world.customer_owner), client_for(world.supplier_owner)
    health_rounds(world, 1)
    appendix_versions(world, 1)
    few = (queries_of(customer, overview), queries_of(supplier, overview))
    health_rounds(world, 9)
    appendix_versions(world, 9)
    assert (queries_of(customer, overview), queries_of(supplier, overview)) == few


def test_the_first_view_after_a_change_runs_as_many_queries_however_large_the_data(
    world: World, client_for: Callable[[User | None], Client], overview: str
) -> None:
    """The view that checks the changed model afresh: more queries, but no more for more."""
    client = client_for(world.customer_owner)

    def after_a_change(text: str) -> int:
        model.objectives_set(agreement=world.agreement, actor=world.customer_owner, texts=[text])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(overview).status_code == 200
        return len(queries)

    health_rounds(world, 1)
    appendix_versions(world, 1)
    client.get(overview)
    one = after_a_change("Första lydelsen")
    health_rounds(world, 9)
    appendix_versions(world, 9)
    client.get(overview)
    assert after_a_change("Andra lydelsen") == one


def a_model(agreement: Agreement, actor: User, size: int) -> None:
    """``size`` roles, ``size // 2`` forums with chair and members, as many processes with
    RACI, two objectives and an escalation path: every kind of part the page shows."""
    roles = [
        model.role_create(
            agreement=agreement,
            actor=actor,
            name=f"Roll {n}",
            side=("customer", "supplier", "joint")[n % 3],
            level=("strategic", "tactical", "operational")[n % 3],
            orientation="it",
            responsibilities=[f"Ansvar {n}"],
            holders=[{"name": f"Person {n}", "email": f"person{n}@exempel.example"}],
        )
        for n in range(size)
    ]
    forums = [
        model.forum_create(
            agreement=agreement,
            actor=actor,
            name=f"Forum {n}",
            level=("operational", "tactical", "strategic")[n % 3],
            chair=roles[n],
            cadence="monthly",
            members=roles[n : n + 4],
        )
        for n in range(size // 2)
    ]
    for n in range(size // 2):
        model.process_create(
            agreement=agreement,
            actor=actor,
            name=f"Process {n}",
            owner=roles[n],
            steps=["Ett", "Två"],
            raci={roles[n]: "A", roles[n + 1]: "R", roles[n + 2]: "C"},
        )
    model.objectives_set(agreement=agreement, actor=actor, texts=["Ett mål", "Ett till"])
    model.escalation_set(agreement=agreement, actor=actor, steps=[(f, 5) for f in forums[:3]])


def test_the_model_page_runs_as_many_queries_for_a_larger_model(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.customer_owner)
    page = reverse("collaboration:model", args=[world.agreement.pk])
    a_model(world.agreement, world.customer_owner, 3)
    small = queries_of(client, page)
    model.model_clear(agreement=world.agreement)
    a_model(world.agreement, world.customer_owner, 24)
    assert Role.objects.filter(agreement=world.agreement).count() == 24
    assert queries_of(client, page) == small

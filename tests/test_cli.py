"""The ``samverkan`` command line: tokens, organisations and the demo data."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from samverkan.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from samverkan.agreements.access import visible_agreements
from samverkan.agreements.models import Agreement, Participant
from samverkan.core import demo
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English; the product's default language is Swedish."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# token -------------------------------------------------------------------------


def test_token_create_prints_a_token_that_works_against_the_api(world: World) -> None:
    raw = _run("token", "create", "PETER@driftpartner.example").strip()
    assert raw.startswith("svk_")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/agreements")
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()] == ["DRIFT-2025"]


def test_token_create_for_unknown_person_fails_clearly(world: World) -> None:
    with pytest.raises(CommandError, match=r"No user with e-mail nobody@example\.com"):
        _run("token", "create", "nobody@example.com")


def test_token_list_never_prints_the_token(world: World) -> None:
    raw = _run("token", "create", "peter@driftpartner.example", "--name", "Larm").strip()
    listing = _run("token", "list", "peter@driftpartner.example")
    assert "Larm" in listing
    assert "active" in listing
    assert raw not in listing


def test_token_revoke_stops_the_token(world: World) -> None:
    raw = _run("token", "create", "peter@driftpartner.example").strip()
    token = ApiToken.objects.get(user=world.supplier_owner)
    _run("token", "revoke", str(token.pk))
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/agreements")
    assert response.status_code == 401
    with pytest.raises(CommandError):
        _run("token", "revoke", str(token.pk + 1000))


# org ---------------------------------------------------------------------------


def test_org_create_makes_organisation_and_mails_an_invitation_to_its_admin(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(
            "org",
            "create",
            "Fjällbanken AB",
            "--kind",
            "customer",
            "--admin",
            "it@fjallbanken.example",
        )
    organisation = Organisation.objects.get(name="Fjällbanken AB")
    assert organisation.kind == "customer"
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "it@fjallbanken.example",
        "admin",
        None,
    )
    link = re.search(r"https?://\S+/accounts/invitation/\S+", output)
    assert link is not None
    assert [message.to for message in mail.outbox] == [["it@fjallbanken.example"]]
    assert link.group(0) in mail.outbox[0].body


def test_org_create_refuses_a_duplicate_name(world: World) -> None:
    with pytest.raises(CommandError, match="already exists"):
        _run("org", "create", "norrlandia försäkring ab", "--kind", "customer")


def test_org_create_refuses_unknown_kind(db: None) -> None:
    with pytest.raises(CommandError):
        _run("org", "create", "Myndigheten", "--kind", "government")


def test_org_invite_gives_an_existing_organisation_its_administrator(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The operator's way to an administrator for an organisation that has none (one a
    supplier named without a contact): nobody else may invite into it (proposals)."""
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("org", "invite", "driftpartner norden ab", "it@driftpartner.example")
    invitation = Invitation.objects.get(organisation=world.supplier)
    assert (invitation.email, invitation.role) == ("it@driftpartner.example", "admin")
    assert "/accounts/invitation/" in output
    assert [message.to for message in mail.outbox] == [["it@driftpartner.example"]]
    _run("org", "invite", str(world.supplier.pk), "ny@driftpartner.example", "--role", "member")
    assert Invitation.objects.get(email="ny@driftpartner.example").role == "member"
    with pytest.raises(CommandError, match="No organisation"):
        _run("org", "invite", "Finns Inte AB", "x@example.com")


# help --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("token", "API token"),
        ("demo", "demo data"),
        ("serve", "gunicorn"),
        ("org", "organisation"),
        ("health", "relationship-health round"),
    ],
)
def test_each_command_says_what_it_does(command: str, words: str) -> None:
    help_text = (
        load_command_class(get_commands()[command], command)
        .create_parser("samverkan", command)
        .format_help()
    )
    assert words.lower() in help_text.lower()


# demo --------------------------------------------------------------------------


def test_demo_refuses_a_production_database_without_force(db: None, settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", "--no-serve")
    assert not User.objects.filter(email="kund@example.com").exists()


def test_demo_runs_with_force_and_prints_the_logins(db: None, settings: Any) -> None:
    settings.DEBUG = False
    output = _run("demo", "--no-serve", "--force")
    assert "kund@example.com" in output
    assert "leverantor@example.com" in output
    assert "samverkan-demo" in output
    assert "http://127.0.0.1:8000/" in output
    assert Agreement.objects.filter(reference__startswith="DEMO-").count() == 3


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "agreements": Agreement.objects.count(),
        "participants": Participant.objects.count(),
    }


def test_demo_load_is_idempotent(db: None) -> None:
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    assert first["agreements"] == 3
    assert first["organisations"] == 4


def test_demo_customer_sees_exactly_the_three_demo_agreements(db: None) -> None:
    demo.load()
    demo.load()
    kund = User.objects.get(email="kund@example.com")
    assert sorted(visible_agreements(kund).values_list("reference", flat=True)) == [
        "DEMO-ENHANCEMENT",
        "DEMO-FRONTIER",
        "DEMO-UTILITY",
    ]
    assert set(Participant.objects.filter(user=kund).values_list("side", "role")) == {
        ("customer", "owner")
    }


def test_demo_supplier_sees_only_the_frontier_agreement(db: None) -> None:
    demo.load()
    leverantor = User.objects.get(email="leverantor@example.com")
    assert list(visible_agreements(leverantor).values_list("reference", flat=True)) == [
        "DEMO-FRONTIER"
    ]
    assert Participant.objects.get(user=leverantor).role == "editor"


def test_demo_logins_use_the_published_password(db: None) -> None:
    demo.load()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "kund@example.com", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_demo_reload_restores_edited_demo_data(db: None) -> None:
    demo.load()
    Agreement.objects.filter(reference="DEMO-UTILITY").update(title="Ändrad")
    demo.load()
    assert (
        Agreement.objects.get(reference="DEMO-UTILITY").title == "Drift av datacenter och nätverk"
    )

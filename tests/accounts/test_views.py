"""Signing in, the language switch, API tokens, organisations and invitations in the UI."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import ApiToken, Invitation, Membership, User
from samverkan.accounts.services import invitation_create, invitation_url, token_authenticate
from tests.conftest import World
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _text(response: Any) -> str:
    return str(response.content.decode())


# Signing in and throttling -------------------------------------------------------


def test_sign_in_with_email_and_password(world: World) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "KARIN@norrlandia.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # "Mitt arbete"
    assert _signed_in(client)


def test_wrong_password_is_refused_with_a_message(world: World) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "karin@norrlandia.example", "password": "fel"})
    assert response.status_code == 200
    assert not _signed_in(client)
    assert 'class="alert' in _text(response) or "invalid-feedback" in _text(response)


def test_sixth_attempt_after_five_failed_logins_is_refused_even_with_right_password(
    world: World,
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _attempt in range(5):
        client.post(LOGIN, {"username": "karin@norrlandia.example", "password": "gissning"})
    response = client.post(LOGIN, {"username": "karin@norrlandia.example", "password": PASSWORD})
    assert not _signed_in(client)
    assert response.status_code in (403, 429)
    assert "locked_out" in " ".join(t.name for t in response.templates if t.name)


def test_throttling_counts_failures_whatever_the_case_of_the_address(world: World) -> None:
    client = Client()
    for variant in (
        "karin@norrlandia.example",
        "KARIN@norrlandia.example",
        "Karin@Norrlandia.example",
        "kaRin@norrlandia.example",
        " karin@NORRLANDIA.example",
    ):
        client.post(LOGIN, {"username": variant, "password": "gissning"})
    client.post(LOGIN, {"username": "karin@norrlandia.example", "password": PASSWORD})
    assert not _signed_in(client)


def test_four_failed_logins_do_not_lock_the_account(world: World) -> None:
    client = Client()
    for _attempt in range(4):
        client.post(LOGIN, {"username": "karin@norrlandia.example", "password": "gissning"})
    client.post(LOGIN, {"username": "karin@norrlandia.example", "password": PASSWORD})
    assert _signed_in(client)


def test_lockout_of_one_account_does_not_lock_colleagues(world: World) -> None:
    client = Client()
    for _attempt in range(5):
        client.post(LOGIN, {"username": "karin@norrlandia.example", "password": "gissning"})
    colleague = Client()
    colleague.post(LOGIN, {"username": "lars@norrlandia.example", "password": PASSWORD})
    assert _signed_in(colleague)


# Language ----------------------------------------------------------------------


def test_language_choice_is_stored_on_the_user_and_sticks_in_a_new_session(
    world: World, client_for: Any
) -> None:
    user = world.customer_owner
    assert user.language == "sv"
    response = client_for(user).post(
        "/language/", {"language": "en", "next": reverse("agreements:list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:list")
    user.refresh_from_db()
    assert user.language == "en"

    fresh = client_for(user)  # another browser: no cookie, new session
    page = fresh.get(reverse("agreements:list"))
    assert '<html lang="en">' in _text(page)
    assert "Agreements" in _text(page)


def test_signed_in_users_language_wins_over_the_browser(world: World, client_for: Any) -> None:
    world.customer_owner.language = "en"
    world.customer_owner.save()
    client = client_for(world.customer_owner)
    page = client.get(reverse("agreements:list"), headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in _text(page)


def test_anonymous_language_switch_uses_a_cookie(db: None) -> None:
    client = Client()
    response = client.post("/language/", {"language": "en", "next": LOGIN})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in _text(client.get(LOGIN))


def test_language_switch_ignores_unknown_language(world: World, client_for: Any) -> None:
    client_for(world.customer_owner).post("/language/", {"language": "fi"})
    world.customer_owner.refresh_from_db()
    assert world.customer_owner.language == "sv"


def test_language_switch_never_redirects_off_site(world: World, client_for: Any) -> None:
    response = client_for(world.customer_owner).post(
        "/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_language_switch_needs_post(db: None) -> None:
    assert Client().get("/language/").status_code == 405


# API tokens --------------------------------------------------------------------


def test_new_token_is_shown_once_and_works(world: World, client_for: Any) -> None:
    client = client_for(world.supplier_owner)
    response = client.post(reverse("accounts:tokens"), {"name": "Servicedesk-import"})
    match = re.search(r'id="new-token"[^>]*value="(svk_[^"]+)"', _text(response))
    assert match is not None
    raw = match.group(1)
    assert token_authenticate(raw) == world.supplier_owner
    again = client.get(reverse("accounts:tokens"))
    assert raw not in _text(again)
    assert "Servicedesk-import" in _text(again)


def test_token_is_revoked_from_the_tokens_page(world: World, client_for: Any) -> None:
    client = client_for(world.supplier_owner)
    client.post(reverse("accounts:tokens"), {"name": "Skript"})
    token = ApiToken.objects.get(user=world.supplier_owner)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_nobody_can_revoke_someone_elses_token(world: World, client_for: Any) -> None:
    client_for(world.supplier_owner).post(reverse("accounts:tokens"), {"name": "Skript"})
    token = ApiToken.objects.get(user=world.supplier_owner)
    response = client_for(world.other_supplier_user).post(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).is_active


# Organisations and invitations -------------------------------------------------


def test_org_admin_invites_a_colleague_by_email(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.org_admin).post(
            reverse("accounts:organisation", args=[world.customer.pk]),
            {"email": "nina.persson@norrlandia.example", "role": "member"},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["nina.persson@norrlandia.example"]]


def test_plain_member_cannot_invite(world: World, client_for: Any) -> None:
    response = client_for(world.customer_colleague).post(
        reverse("accounts:organisation", args=[world.customer.pk]),
        {"email": "nina.persson@norrlandia.example", "role": "admin"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_outsider_cannot_see_an_organisation(world: World, client_for: Any) -> None:
    response = client_for(world.other_supplier_user).get(
        reverse("accounts:organisation", args=[world.customer.pk])
    )
    assert response.status_code == 404


def test_organisation_page_lists_members(world: World, client_for: Any) -> None:
    response = client_for(world.customer_colleague).get(
        reverse("accounts:organisation", args=[world.customer.pk])
    )
    for name in ("Karin Lindqvist", "Lars Sundberg", "Anders Berg"):
        assert name in _text(response)
    assert "Peter Nyström" not in _text(response)


def _invitation_path(world: World, email: str = "nina.persson@norrlandia.example") -> str:
    invitation = invitation_create(
        organisation=world.customer, email=email, role="member", invited_by=world.org_admin
    )
    return invitation_url(invitation).removeprefix(settings.SAMVERKAN_BASE_URL)


def test_invited_person_creates_account_and_is_signed_in(world: World) -> None:
    path = _invitation_path(world)
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "full_name": "Nina Persson",
            "password1": "ett-långt-lösen-42",
            "password2": "ett-långt-lösen-42",
        },
    )
    assert response.status_code == 302
    assert _signed_in(client)
    user = User.objects.get(email="nina.persson@norrlandia.example")
    assert Membership.objects.filter(user=user, organisation=world.customer).exists()
    # The link is spent.
    assert Client().get(path).status_code == 400


def test_mismatched_passwords_keep_the_invitation_open(world: World) -> None:
    path = _invitation_path(world)
    response = Client().post(
        path,
        {"full_name": "Nina Persson", "password1": "ett-långt-lösen-42", "password2": "annat"},
    )
    assert response.status_code == 200
    assert 'id="id_password2_error"' in _text(response)
    assert not User.objects.filter(email="nina.persson@norrlandia.example").exists()


@pytest.mark.parametrize(
    "mangle", [lambda p: p[:-4] + "xyz/", lambda p: "/accounts/invitation/nonsense/"]
)
def test_tampered_invitation_link_shows_why_it_cannot_be_used(world: World, mangle: Any) -> None:
    response = Client().get(mangle(_invitation_path(world)))
    assert response.status_code == 400
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]

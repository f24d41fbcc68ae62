"""Changing one's password, and resetting a forgotten one through a link sent by e-mail."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverkan.accounts.models import User
from tests.conftest import World
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
CHANGE = "/accounts/password_change/"
RESET = "/accounts/password_reset/"
RESET_DONE = "/accounts/password_reset/done/"
NEW_PASSWORD = "Ny-fras för hösten 2026"
KARIN = "karin@norrlandia.example"


def _text(response: Any) -> str:
    return str(response.content.decode())


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _can_sign_in(email: str, password: str) -> bool:
    client = Client()
    client.post(LOGIN, {"username": email, "password": password})
    return _signed_in(client)


def _without_tokens(html: str) -> str:
    """The page with its per-response CSRF tokens blanked, so two answers can be compared."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/accounts/reset/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def _request_reset(email: str, client: Client | None = None, address: str = "10.1.2.3") -> Any:
    return (client or Client()).post(RESET, {"email": email}, REMOTE_ADDR=address)


# Changing the password while signed in ---------------------------------------------


def test_profile_and_user_menu_link_to_the_password_change(world: World, client_for: Any) -> None:
    page = _text(client_for(world.customer_owner).get(reverse("accounts:profile")))
    assert page.count(f'href="{CHANGE}"') == 2  # the user menu and the profile itself


def test_password_change_keeps_the_person_signed_in_with_a_message(
    world: World, client_for: Any
) -> None:
    client = client_for(world.customer_owner)
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in _text(page)
    assert f'href="{reverse("accounts:profile")}"' in _text(page)  # the way back

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Ditt lösenord har bytts." in _text(response)
    assert _signed_in(client)
    assert client.get(reverse("agreements:list")).status_code == 200
    assert _can_sign_in(KARIN, NEW_PASSWORD)
    assert not _can_sign_in(KARIN, PASSWORD)


def test_password_change_signs_out_the_persons_other_sessions(
    world: World, client_for: Any
) -> None:
    laptop, phone = client_for(world.customer_owner), Client()
    phone.post(LOGIN, {"username": KARIN, "password": PASSWORD})
    assert phone.get(reverse("agreements:list")).status_code == 200
    laptop.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert phone.get(reverse("agreements:list")).status_code == 302


def test_password_change_refuses_a_wrong_current_password(world: World, client_for: Any) -> None:
    client = client_for(world.customer_owner)
    response = client.post(
        CHANGE,
        {"old_password": "gissat", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Ditt gamla lösenord" in _text(response)  # Django's own Swedish message
    assert _can_sign_in(KARIN, PASSWORD)


@pytest.mark.parametrize("weak", ["12345678", "qwertyuiop", "kort", "karinnorrlandia"])
def test_password_change_applies_the_configured_password_validators(
    world: World, client_for: Any, weak: str
) -> None:
    response = client_for(world.customer_owner).post(
        CHANGE, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert "is-invalid" in _text(response)
    assert _can_sign_in(KARIN, PASSWORD)


def test_a_weak_new_password_is_pointed_out_where_it_was_typed(
    world: World, client_for: Any
) -> None:
    response = client_for(world.customer_owner).post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "qwertyuiop", "new_password2": "x"}
    )
    page = _text(response)
    assert 'id="id_new_password1_error">Detta lösenord är alldeles för vanligt.' in page
    assert 'id="id_new_password2_error">De två lösenordsfälten stämmer inte' in page


def test_password_change_in_english(world: World, client_for: Any) -> None:
    world.customer_owner.language = "en"
    world.customer_owner.save()
    page = _text(client_for(world.customer_owner).get(CHANGE))
    assert "<h1>Change password</h1>" in page
    assert "Cancel" in page


# Resetting a forgotten password ------------------------------------------------------


def test_sign_in_page_offers_forgotten_password(db: None) -> None:
    page = _text(Client().get(LOGIN, headers={"Accept-Language": "sv"}))
    assert f'href="{RESET}"' in page
    assert "Glömt lösenordet?" in page


def test_whole_reset_through_the_emailed_link(world: World) -> None:
    response = _request_reset(KARIN)
    assert response.status_code == 302
    assert response["Location"] == RESET_DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [KARIN]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Återställ ditt lösenord i Samverkan"
    assert "Karin Lindqvist" in message.body
    assert "1\xa0timme" in message.body  # Django's words for PASSWORD_RESET_TIMEOUT
    link = _link(message)
    assert link.startswith(settings.SAMVERKAN_BASE_URL + "/accounts/reset/")

    browser = Client()
    opened = browser.get(urlsplit(link).path)
    assert opened.status_code == 302  # the token moves into the session, out of the address
    form = browser.get(opened["Location"])
    assert form.status_code == 200
    assert 'autocomplete="new-password"' in _text(form)
    done = browser.post(
        opened["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == LOGIN
    assert "Ditt nya lösenord är sparat" in _text(done)
    assert _can_sign_in(KARIN, NEW_PASSWORD)
    assert not _can_sign_in(KARIN, PASSWORD)

    # The link works once.
    again = Client().get(urlsplit(link).path)
    assert again.status_code == 200
    assert "Länken kan inte användas" in _text(again)


def test_reset_email_is_in_the_persons_language_whatever_the_page_language(
    world: World,
) -> None:
    world.customer_owner.language = "en"
    world.customer_owner.save()
    Client().post(
        RESET, {"email": KARIN}, REMOTE_ADDR="10.1.2.3", headers={"Accept-Language": "sv"}
    )
    (message,) = mail.outbox
    assert message.subject == "Reset your Samverkan password"
    assert "valid for 1\xa0hour" in message.body
    assert "&#" not in message.body and "&amp;" not in message.body  # plain text


def test_reset_address_is_matched_whatever_its_case(world: World) -> None:
    _request_reset("  Karin@NORRLANDIA.example ")
    assert [m.to for m in mail.outbox] == [[KARIN]]


def test_unknown_address_gets_the_same_answer_and_no_email(world: World) -> None:
    known, unknown = Client(), Client()
    known_response = _request_reset(KARIN, known, address="10.0.0.1")
    unknown_response = _request_reset("ingen@norrlandia.example", unknown, address="10.0.0.2")
    assert len(mail.outbox) == 1
    assert (known_response.status_code, known_response["Location"]) == (
        unknown_response.status_code,
        unknown_response["Location"],
    )
    assert known_response.content == unknown_response.content
    known_page, unknown_page = known.get(RESET_DONE), unknown.get(RESET_DONE)
    assert _without_tokens(_text(known_page)) == _without_tokens(_text(unknown_page))
    assert "Om det finns ett konto" in _text(known_page)


def test_inactive_account_gets_the_same_answer_and_no_email(world: World) -> None:
    User.objects.filter(email=KARIN).update(is_active=False)
    response = _request_reset(KARIN)
    assert response["Location"] == RESET_DONE
    assert mail.outbox == []


def test_malformed_address_is_pointed_out(db: None) -> None:
    response = Client().post(RESET, {"email": "inte-en-adress"})
    assert response.status_code == 200
    assert "is-invalid" in _text(response)
    assert mail.outbox == []


def _emailed_path() -> str:
    _request_reset(KARIN)
    return urlsplit(_link(mail.outbox[-1])).path


def test_link_is_refused_after_it_expires(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    path = _emailed_path()
    issued = datetime.now()

    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: issued + timedelta(minutes=59)
    )
    assert Client().get(path).status_code == 302  # still valid

    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: issued + timedelta(minutes=61)
    )
    page = Client().get(path)
    assert page.status_code == 200
    assert "Länken kan inte användas" in _text(page)
    assert f'href="{RESET}"' in _text(page)  # ask for a new one
    assert "new_password1" not in _text(page)


@pytest.mark.parametrize("part", ["uid", "token"])
def test_tampered_link_is_refused(world: World, part: str) -> None:
    path = _emailed_path()
    _, _accounts, _reset, uid, token, _ = path.split("/")
    if part == "uid":
        uid = uid[:-1] + ("A" if uid[-1] != "A" else "B")
    else:
        token = token[:-1] + ("0" if token[-1] != "0" else "1")
    page = Client().get(f"/accounts/reset/{uid}/{token}/")
    assert page.status_code == 200
    assert "Länken kan inte användas" in _text(page)
    assert "new_password1" not in _text(page)


def test_someone_elses_link_cannot_reset_another_account(world: World) -> None:
    path = _emailed_path()
    other = UserFactory(email="ny@norrlandia.example")
    token = path.rstrip("/").rsplit("/", 1)[1]
    page = Client().get(f"/accounts/reset/{urlsafe_base64_encode(force_bytes(other.pk))}/{token}/")
    assert "Länken kan inte användas" in _text(page)


def test_reset_clears_a_sign_in_lockout(world: World) -> None:
    for _attempt in range(5):
        Client().post(LOGIN, {"username": KARIN, "password": "gissning"})
    assert not _can_sign_in(KARIN, PASSWORD)  # locked out
    browser = Client()
    opened = browser.get(_emailed_path())
    browser.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _can_sign_in(KARIN, NEW_PASSWORD)


# Throttling -----------------------------------------------------------------------


def test_reset_requests_are_limited_per_address(world: World) -> None:
    limit = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    assert limit == 3
    answers = [
        _request_reset(variant, address=f"10.0.0.{n}")
        for n, variant in enumerate([KARIN, KARIN.upper(), f" {KARIN}", KARIN, KARIN])
    ]
    assert len(mail.outbox) == limit  # the fourth and fifth send nothing …
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, RESET_DONE)}  # … and say so
    # Colleagues are not affected.
    _request_reset("lars@norrlandia.example", address="10.0.0.9")
    assert len(mail.outbox) == limit + 1


def test_reset_requests_are_limited_per_client_address(world: World) -> None:
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    assert limit == 10
    people = [UserFactory(email=f"person{n}@norrlandia.example") for n in range(limit + 1)]
    for person in people:
        _request_reset(person.email, address="192.0.2.7")
    assert len(mail.outbox) == limit
    assert people[-1].email not in [m.to[0] for m in mail.outbox]
    # Another client address still gets its e-mail.
    _request_reset(people[-1].email, address="192.0.2.8")
    assert mail.outbox[-1].to == [people[-1].email]


def test_reset_limit_lifts_after_its_window(world: World, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMIT_WINDOW = 1
    for _request in range(4):
        _request_reset(KARIN)
    assert len(mail.outbox) == 3
    time.sleep(1.2)
    _request_reset(KARIN)
    assert len(mail.outbox) == 4

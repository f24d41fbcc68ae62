"""Where a person is signed in: recorded at sign-in, listed on the profile, ended one by one,
all but this one, and all at once when an administrator removes the member."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.accounts import two_factor
from samverkan.accounts.models import ApiToken, Membership, SignInSession
from samverkan.accounts.services import token_authenticate, token_create
from samverkan.accounts.sign_in_sessions import device_label
from tests.conftest import World
from tests.factories import PASSWORD

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _browser(email: str, user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def test_device_labels_are_short_and_readable() -> None:
    assert device_label(CHROME_WINDOWS) == "Chrome · Windows"
    assert device_label(FIREFOX_LINUX) == "Firefox · Linux"
    assert device_label("curl/8.5") == "curl/8.5"


def test_the_profile_lists_the_sessions_and_ends_another_one(world: World) -> None:
    email = world.customer_owner.email
    office = _browser(email, CHROME_WINDOWS, "10.1.2.3")
    home = _browser(email, FIREFOX_LINUX, "192.0.2.44")
    page = office.get(reverse("accounts:profile"))
    listed = page.context["sign_in_sessions"]
    assert [label for _session, label in listed] == ["Firefox · Linux", "Chrome · Windows"]
    assert {str(session.ip_address) for session, _label in listed} == {"10.1.2.3", "192.0.2.44"}
    html = page.content.decode()
    assert "Den här webbläsaren" in html and "10.1.2.3" in html

    home_session = SignInSession.objects.get(user_agent=FIREFOX_LINUX)
    office.post(reverse("accounts:session_end", kwargs={"pk": home_session.pk}))
    assert not _signed_in(home)
    assert _signed_in(office)
    assert SignInSession.objects.filter(user=world.customer_owner).count() == 1


def test_sign_out_everywhere_else_keeps_this_browser(world: World) -> None:
    email = world.customer_owner.email
    here = _browser(email, CHROME_WINDOWS, "10.1.2.3")
    others = [_browser(email, FIREFOX_LINUX, f"192.0.2.{n}") for n in (1, 2)]
    here.post(reverse("accounts:sessions_end_others"))
    assert _signed_in(here)
    assert not any(_signed_in(other) for other in others)


def test_ending_this_browser_signs_it_out(world: World) -> None:
    here = _browser(world.customer_owner.email, CHROME_WINDOWS, "10.1.2.3")
    session = SignInSession.objects.get(user=world.customer_owner)
    response = here.post(reverse("accounts:session_end", kwargs={"pk": session.pk}))
    assert response["Location"] == reverse("accounts:login")
    assert not _signed_in(here)
    assert not SignInSession.objects.exists()


def test_another_persons_session_cannot_be_ended(world: World) -> None:
    _browser(world.supplier_owner.email, CHROME_WINDOWS, "10.1.2.3")
    theirs = SignInSession.objects.get(user=world.supplier_owner)
    mine = _browser(world.customer_owner.email, FIREFOX_LINUX, "10.1.2.4")
    response = mine.post(reverse("accounts:session_end", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    assert SignInSession.objects.filter(pk=theirs.pk).exists()


def test_removing_a_member_ends_their_sessions_and_revokes_their_tokens(
    world: World, client_for: Any
) -> None:
    colleague = world.customer_colleague
    browser = _browser(colleague.email, CHROME_WINDOWS, "10.1.2.3")
    _token, raw = token_create(user=colleague, name="KPI-import")
    assert token_authenticate(raw) == colleague
    membership = Membership.objects.get(user=colleague, organisation=world.customer)

    admin = client_for(world.org_admin)
    admin.post(
        reverse(
            "accounts:member_remove",
            kwargs={"pk": world.customer.pk, "membership_pk": membership.pk},
        )
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not _signed_in(browser)
    assert token_authenticate(raw) is None
    assert not ApiToken.objects.filter(user=colleague, revoked_at__isnull=True).exists()


def test_requiring_two_factor_signs_out_members_who_have_not_set_it_up(world: World) -> None:
    browser = _browser(world.customer_owner.email, CHROME_WINDOWS, "10.1.2.3")
    elsewhere = _browser(world.supplier_owner.email, CHROME_WINDOWS, "10.1.2.4")
    ended = two_factor.organisation_require_two_factor(organisation=world.customer, required=True)
    assert ended == 1
    assert not _signed_in(browser)
    assert _signed_in(elsewhere)  # another organisation's member
    # Signing in again leads to the set-up page first.
    again = _browser(world.customer_owner.email, CHROME_WINDOWS, "10.1.2.3")
    assert again.get("/agreements/")["Location"].startswith(reverse("accounts:two_factor"))


def test_profile_lists_active_tokens_and_revokes_one(world: World, client_for: Any) -> None:
    token, _raw = token_create(user=world.customer_owner, name="KPI-import")
    client = client_for(world.customer_owner)
    page = client.get(reverse("accounts:profile"))
    assert list(page.context["tokens"]) == [token]
    response = client.post(
        reverse("accounts:token_revoke", kwargs={"pk": token.pk}), {"from": "profile"}
    )
    assert response["Location"] == reverse("accounts:profile") + "#tokens"
    assert list(client.get(reverse("accounts:profile")).context["tokens"]) == []


@pytest.mark.django_db
def test_last_seen_is_written_at_most_every_few_minutes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = _browser(world.customer_owner.email, CHROME_WINDOWS, "10.1.2.3")
    session = SignInSession.objects.get()
    first_seen = session.last_seen_at
    browser.get(reverse("accounts:profile"))
    session.refresh_from_db()
    assert session.last_seen_at == first_seen
    later = time.time() + 301
    monkeypatch.setattr("samverkan.accounts.sign_in_sessions.time.time", lambda: later)
    browser.get(reverse("accounts:profile"))
    session.refresh_from_db()
    assert session.last_seen_at > first_seen

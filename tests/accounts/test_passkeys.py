"""Passkeys (WebAuthn) as a second factor, on real rows through the views. The ceremonies
themselves run in a real browser with a virtual authenticator (tests/e2e)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from samverkan.accounts import two_factor
from samverkan.accounts.models import SignInSession, User
from tests.conftest import World
from tests.factories import PASSWORD

AGREEMENTS = "/agreements/"


def _sign_in(client: Client, email: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


def _passkey(user: User, name: str = "Laptop") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=f"credential-{user.pk}-{name}".encode(),
        public_key=b"not a real key",
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def _json_post(client: Client, name: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(
        reverse(f"accounts:{name}"), json.dumps(body or {}), content_type="application/json"
    )


def test_a_passkey_alone_asks_for_the_second_step_after_the_password(
    world: World, client: Client
) -> None:
    _passkey(world.customer_owner)
    _sign_in(client, world.customer_owner.email)
    assert client.session[two_factor.SESSION_STATE] == two_factor.VERIFY
    response = client.get(AGREEMENTS)
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    page = client.get(reverse("accounts:two_factor_verify"))
    assert page.context["has_passkey"] is True
    assert b"passkey-verification-placeholder" in page.content
    # The ceremony may start; registering another passkey may not (second step not done).
    begin = _json_post(client, "passkey_verify_begin")
    assert begin.status_code == 200
    assert begin.json()["rpId"] == settings.OTP_WEBAUTHN_RP_ID
    assert _json_post(client, "passkey_register_begin").status_code == 302  # held to the step


def test_a_refused_passkey_is_refused_clearly_and_throttled_like_a_wrong_code(
    world: World, client: Client
) -> None:
    _passkey(world.customer_owner)
    _sign_in(client, world.customer_owner.email)
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _json_post(client, "passkey_verify_begin")
        refused = _json_post(client, "passkey_verify_complete", forged)
        assert refused.status_code == 403
        assert refused.json()["detail"] == (
            "Lösennyckeln godtogs inte. Försök igen, eller ange en kod i stället."
        )
        assert client.session[two_factor.SESSION_STATE] == two_factor.VERIFY
    _json_post(client, "passkey_verify_begin")
    locked = _json_post(client, "passkey_verify_complete", forged)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # signed out
    attempt = AccessAttempt.objects.get(username=world.customer_owner.email)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_no_passwordless_sign_in_and_no_ceremony_outside_the_second_step(
    world: World, client: Client
) -> None:
    assert _json_post(client, "passkey_verify_begin").status_code == 302  # to the sign-in
    _sign_in(client, world.customer_owner.email)  # no second factor: state ok
    assert _json_post(client, "passkey_verify_begin").status_code == 403


def test_a_signed_in_person_may_start_registering_a_passkey(world: World, client: Client) -> None:
    _sign_in(client, world.customer_owner.email)
    begin = _json_post(client, "passkey_register_begin")
    assert begin.status_code == 200
    options = begin.json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": "Samverkan"}
    assert options["user"]["name"] == world.customer_owner.email
    page = client.get(reverse("accounts:two_factor"))
    assert b"passkey-registration-placeholder" in page.content
    assert b"otp_webauthn_register.js" in page.content


def test_a_passkey_is_named_listed_and_removed_by_its_owner_only(
    world: World, client: Client
) -> None:
    passkey = _passkey(world.customer_owner, name="Passkey")
    other = _passkey(world.other_supplier_user)
    _sign_in(client, world.customer_owner.email)
    # (already verified: the test skips the second step)
    session = client.session
    session[two_factor.SESSION_STATE] = two_factor.OK
    session.save()
    client.post(reverse("accounts:passkey_name", args=[passkey.pk]), {"name": "  Work  laptop "})
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"
    page = client.get(reverse("accounts:two_factor"))
    assert list(page.context["passkeys"]) == [passkey]
    assert "Work laptop" in page.content.decode()
    assert "inte använd än" in page.content.decode()
    # With a passkey, two-factor authentication is not "off": the app is merely not set up.
    assert "Avstängd" not in page.content.decode()
    assert "Autentiseringsapp" in page.content.decode()
    assert (
        client.post(reverse("accounts:passkey_name", args=[other.pk]), {"name": "x"}).status_code
        == 404
    )
    assert client.post(reverse("accounts:passkey_remove", args=[other.pk])).status_code == 404
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()


def test_a_passkey_counts_as_enrolled_where_the_organisation_requires_it(world: World) -> None:
    _passkey(world.customer_owner)
    owner = SignInSession.objects.create(
        user=world.customer_owner, session_key="owner", method=SignInSession.Method.PASSWORD
    )
    ended = two_factor.organisation_require_two_factor(organisation=world.customer, required=True)
    assert SignInSession.objects.filter(pk=owner.pk).exists()  # not signed out
    assert ended == 0
    assert two_factor.two_factor_state(user=world.customer_owner, company_sign_in=False) == (
        two_factor.VERIFY
    )


def test_the_last_passkey_cannot_be_removed_where_it_is_required(world: World) -> None:
    first = _passkey(world.customer_owner, name="Laptop")
    second = _passkey(world.customer_owner, name="Phone")
    two_factor.organisation_require_two_factor(organisation=world.customer, required=True)
    two_factor.passkey_remove(user=world.customer_owner, pk=first.pk)
    with pytest.raises(ValidationError, match="innan du tar bort den här"):
        two_factor.passkey_remove(user=world.customer_owner, pk=second.pk)
    assert WebAuthnCredential.objects.filter(pk=second.pk).exists()


def test_turning_two_factor_off_removes_the_passkeys_too(world: World) -> None:
    _passkey(world.customer_owner)
    two_factor.two_factor_turn_off(user=world.customer_owner)
    assert not WebAuthnCredential.objects.filter(user=world.customer_owner).exists()


def test_the_passkey_scripts_speak_swedish(world: World, client: Client) -> None:
    """django-otp-webauthn's scripts ship without Swedish: ours is in djangojs.po."""
    _sign_in(client, world.customer_owner.email)
    texts = client.get(reverse("accounts:passkey_script_texts")).content.decode()
    assert json.dumps("Skapar lösennyckeln …") in texts  # the catalogue escapes as JSON
    assert json.dumps("Kontrollerar …") in texts


def test_a_person_with_only_a_passkey_gets_recovery_codes_that_sign_in(
    world: World, client: Client
) -> None:
    """Without them, losing the passkey's device would lock the person out for good."""
    user = world.customer_owner
    _passkey(user)
    client.force_login(user)
    session = client.session
    session[two_factor.SESSION_STATE] = two_factor.OK  # the second step done with the passkey
    session.save()
    page = client.get(reverse("accounts:two_factor"))
    assert b'id="passkey-codes"' in page.content and "Skapa reservkoder" in page.content.decode()
    made = client.post(reverse("accounts:two_factor_codes"))
    codes = made.context["codes"]
    assert made.status_code == 200 and len(codes) == 10
    other = Client()
    _sign_in(other, user.email)
    assert other.session[two_factor.SESSION_STATE] == two_factor.VERIFY
    done = other.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert done.status_code == 302
    assert other.get(AGREEMENTS).status_code == 200

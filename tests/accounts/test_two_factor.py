"""Two-factor authentication for password sign-ins, on real rows through the views."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts import two_factor
from samverkan.accounts.models import Organisation, User
from tests.conftest import World
from tests.factories import PASSWORD

AGREEMENTS = "/agreements/"


def _sign_in(client: Client, email: str, password: str = PASSWORD) -> None:
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    assert response.status_code == 302, response.content[:300]


def _code(device: TOTPDevice, step: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step * device.step
    return f"{totp.token():06d}"


def _require(organisation: Organisation) -> None:
    two_factor.organisation_require_two_factor(organisation=organisation, required=True)


def _enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.authenticator_start(user=user)
    codes = two_factor.authenticator_confirm(user=user, device=device, code=_code(device))
    device.refresh_from_db()
    return device, codes


def test_a_member_who_has_not_enrolled_is_led_to_enrol_before_any_agreement(
    world: World, client: Client
) -> None:
    _require(world.customer)
    _sign_in(client, world.customer_owner.email)
    for path in (AGREEMENTS, f"/agreements/{world.agreement.pk}/", "/", "/accounts/profile/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor") + "?next=")
    assert client.get(reverse("accounts:two_factor")).context["must_enrol"] is True

    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=world.customer_owner)
    wrong = client.post(reverse("accounts:two_factor_confirm"), {"code": "000000"})
    assert wrong.context["form"].errors["code"]
    assert client.get(AGREEMENTS).status_code == 302  # still held

    done = client.post(
        reverse("accounts:two_factor_confirm"), {"code": _code(device), "next": AGREEMENTS}
    )
    assert len(done.context["codes"]) == two_factor.RECOVERY_CODES
    assert client.get(AGREEMENTS).status_code == 200


def test_a_code_is_asked_after_the_password_and_a_wrong_one_is_refused(
    world: World, client: Client
) -> None:
    _device, codes = _enrolled(world.customer_owner)
    _sign_in(client, world.customer_owner.email)
    response = client.get(AGREEMENTS)
    assert response["Location"] == reverse("accounts:two_factor_verify") + "?next=%2Fagreements%2F"
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert client.get(AGREEMENTS).status_code == 302
    # A recovery code works, once.
    ok = client.post(
        reverse("accounts:two_factor_verify"), {"code": codes[0].upper(), "next": AGREEMENTS}
    )
    assert ok["Location"] == AGREEMENTS
    assert client.get(AGREEMENTS).status_code == 200
    assert two_factor.recovery_codes_left(world.customer_owner) == two_factor.RECOVERY_CODES - 1


def test_wrong_codes_are_throttled_like_wrong_passwords(world: World, client: Client) -> None:
    _device, _codes = _enrolled(world.customer_owner)
    _sign_in(client, world.customer_owner.email)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "111111"})
        assert response.status_code == 200
    locked = client.post(reverse("accounts:two_factor_verify"), {"code": "111111"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # signed out
    attempt = AccessAttempt.objects.get(username=world.customer_owner.email)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # The right password is now refused as well, as after five wrong passwords.
    again = client.post(
        reverse("accounts:login"), {"username": world.customer_owner.email, "password": PASSWORD}
    )
    assert again.status_code == 429


def test_company_sign_in_is_not_asked_for_a_second_factor(world: World, client: Client) -> None:
    _require(world.customer)
    client.force_login(world.customer_owner, backend=two_factor.COMPANY_SIGN_IN_BACKEND)
    assert client.get(AGREEMENTS).status_code == 200


def test_without_a_requirement_nothing_changes(world: World, client: Client) -> None:
    _sign_in(client, world.customer_owner.email)
    assert client.get(AGREEMENTS).status_code == 200


def test_it_cannot_be_turned_off_where_it_is_required(world: World, client: Client) -> None:
    _enrolled(world.customer_owner)
    client.force_login(world.customer_owner, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[two_factor.SESSION_STATE] = two_factor.OK
    session.save()
    _require(world.customer)
    client.post(reverse("accounts:two_factor_off"))
    assert two_factor.authenticator_of(world.customer_owner) is not None
    two_factor.organisation_require_two_factor(organisation=world.customer, required=False)
    client.post(reverse("accounts:two_factor_off"))
    assert two_factor.authenticator_of(world.customer_owner) is None
    assert two_factor.recovery_codes_left(world.customer_owner) == 0


def test_an_admin_requires_it_for_the_organisation(world: World, client_for: Any) -> None:
    admin = client_for(world.org_admin)
    url = reverse("accounts:organisation_two_factor", kwargs={"pk": world.customer.pk})
    admin.post(url, {"required": "1"})
    world.customer.refresh_from_db()
    assert world.customer.require_two_factor
    # The administrator has no authenticator either: the set-up comes next.
    organisation_page = reverse("accounts:organisation", kwargs={"pk": world.customer.pk})
    assert admin.get(organisation_page)["Location"].startswith(reverse("accounts:two_factor"))
    admin.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=world.org_admin)
    admin.post(reverse("accounts:two_factor_confirm"), {"code": _code(device)})
    assert admin.get(organisation_page).status_code == 200
    admin.post(url, {"required": "0"})
    world.customer.refresh_from_db()
    assert not world.customer.require_two_factor


@pytest.mark.django_db
def test_moving_to_another_phone_replaces_the_authenticator(world: World) -> None:
    _first, _codes = _enrolled(world.customer_owner)
    second = two_factor.authenticator_start(user=world.customer_owner)
    two_factor.authenticator_confirm(user=world.customer_owner, device=second, code=_code(second))
    assert list(TOTPDevice.objects.filter(user=world.customer_owner)) == [second]

"""Two-factor authentication for password sign-ins: an authenticator app, passkeys and
recovery codes.

The devices are django-otp's (``TOTPDevice``: RFC 6238 codes, with its own growing
delay after wrong codes; ``StaticDevice``: single-use recovery codes) and
django-otp-webauthn's (``WebAuthnCredential``: a passkey, see ``accounts.passkeys``).
What is ours:

- after a password sign-in the session is in one of three states
  (``SESSION_STATE``): ``ok``; ``verify`` (the person has an authenticator or a passkey
  and must use it before anything else); ``enrol`` (an organisation of theirs requires
  two-factor authentication and they have not set it up: they must, first).
  ``TwoFactorMiddleware`` holds the session to that page. The state is decided once,
  at sign-in, so an ordinary request costs no query;
- a company sign-in (OpenID Connect) is ``ok``: the company's provider decides how
  its people prove who they are;
- a wrong code counts as a failed sign-in for django-axes, exactly like a wrong
  password: after ``AXES_FAILURE_LIMIT`` the account is paused from that address.
"""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any, cast

import segno
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from samverkan.accounts.models import Organisation, SignInSession, User
from samverkan.accounts.sign_in_sessions import sign_in_session_end

SESSION_STATE = "samverkan_two_factor"
OK, VERIFY, ENROL = "ok", "verify", "enrol"
RECOVERY_CODES = 10
_APP = "authenticator"
_RECOVERY = "recovery"
COMPANY_SIGN_IN_BACKEND = "samverkan.accounts.oidc.CompanySignInBackend"


# Reads ----------------------------------------------------------------------------------


def two_factor_required(user: User) -> bool:
    """Whether an organisation the person belongs to requires two-factor authentication."""
    return Organisation.objects.filter(memberships__user=user, require_two_factor=True).exists()


def authenticator_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, name=_APP, confirmed=True).first()


def passkeys_of(user: User) -> QuerySet[WebAuthnCredential]:
    """The person's passkeys, oldest first."""
    passkeys = WebAuthnCredential.objects.filter(user=user, confirmed=True)
    return cast("QuerySet[WebAuthnCredential]", passkeys.order_by("created_at"))


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__name=_RECOVERY).count())


def two_factor_state(*, user: User, company_sign_in: bool) -> str:
    """What a fresh sign-in must do before anything else: ``ok``, ``verify`` or ``enrol``."""
    if company_sign_in:
        return OK
    if authenticator_of(user) is not None or passkeys_of(user).exists():
        return VERIFY
    return ENROL if two_factor_required(user) else OK


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (drawn here, no network)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def authenticator_key(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# Writes ---------------------------------------------------------------------------------


def authenticator_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the person (replacing an unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, name=_APP, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_APP, confirmed=False)


def pending_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=_APP, confirmed=False).first()


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working); returned once, to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=_RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the new authenticator with a code from it; returns the new recovery codes.

    Raises ``ValidationError`` on a wrong code (nothing changes). A previous
    authenticator is replaced.
    """
    wait = _wait_seconds(device)
    if wait:
        raise CodeThrottledError(wait)
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        raise ValidationError(
            {"code": _("That code is not right. Enter the code the app shows now.")}
        )
    TOTPDevice.objects.filter(user=user, name=_APP, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


def two_factor_turn_off(*, user: User) -> None:
    """Remove the authenticator and the recovery codes; refused where it is required."""
    if two_factor_required(user):
        raise ValidationError(
            _("Your organisation requires two-factor authentication, so it cannot be turned off.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()


PASSKEY_NAME_LENGTH = 64


def passkey_name(*, user: User, pk: int, name: str) -> WebAuthnCredential:
    """Name one of the person's passkeys (``Http404`` for anyone else's)."""
    passkey = get_object_or_404(passkeys_of(user), pk=pk)
    name = " ".join(name.split())[:PASSKEY_NAME_LENGTH]
    passkey.name = name or _("Passkey")
    passkey.save(update_fields=["name"])
    return passkey


def passkey_remove(*, user: User, pk: int) -> None:
    """Remove one of the person's passkeys (``Http404`` for anyone else's).

    Refused where the organisation requires two-factor authentication and it is the
    person's last way to give a second factor.
    """
    passkey = get_object_or_404(passkeys_of(user), pk=pk)
    others = passkeys_of(user).exclude(pk=passkey.pk).exists()
    if two_factor_required(user) and not others and authenticator_of(user) is None:
        raise ValidationError(
            _(
                "Your organisation requires two-factor authentication: set up an "
                "authenticator app or another passkey before removing this one."
            )
        )
    passkey.delete()


class CodeThrottledError(Exception):
    """Codes were wrong just before: django-otp wants a pause before the next one."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.message = ngettext(
            "Too many wrong codes in a row: wait %(seconds)d second and try again.",
            "Too many wrong codes in a row: wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}


def _wait_seconds(device: Device) -> int:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil(float((locked_until - timezone.now()).total_seconds())))


def two_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code``: six digits from the app, else a recovery code.

    Raises ``CodeThrottledError`` while django-otp makes the person wait after wrong codes.
    """
    digits = _digits(code)
    device: Device | None
    if digits.isdigit() and len(digits) == 6:
        device, token = authenticator_of(user), digits
    else:
        device, token = (
            StaticDevice.objects.filter(user=user, name=_RECOVERY).first(),
            digits.lower(),
        )
    if device is None:
        return None
    wait = _wait_seconds(device)
    if wait:
        raise CodeThrottledError(wait)
    verified: Device | None = verify_token(user, device.persistent_id, token)
    return verified


@transaction.atomic
def organisation_require_two_factor(
    *, organisation: Organisation, required: bool, keep: str | None = None
) -> int:
    """Require two-factor authentication of the organisation's members, or stop.

    When it becomes required, members signed in with a password who have not set it up
    are signed out (but the session ``keep``, the administrator's own, whom the caller
    leads to the set-up), so that they set it up before they see anything more. Returns
    how many sessions were ended.
    """
    organisation.require_two_factor = required
    organisation.save(update_fields=["require_two_factor"])
    if not required:
        return 0
    without = (
        User.objects.filter(memberships__organisation=organisation)
        .exclude(totpdevice__confirmed=True)
        .exclude(webauthncredential__confirmed=True)
    )
    sessions = SignInSession.objects.filter(
        user__in=without, method=SignInSession.Method.PASSWORD
    ).exclude(session_key=keep or "")
    ended = 0
    for sign_in_session in sessions:
        sign_in_session_end(sign_in_session=sign_in_session)
        ended += 1
    return ended


def _digits(code: str) -> str:
    return "".join(character for character in code if not character.isspace())


def _on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Decide, at sign-in, what the session must do first (see the module's docstring)."""
    if request is None or not hasattr(request, "session"):
        return
    backend = getattr(user, "backend", "")
    request.session[SESSION_STATE] = two_factor_state(
        user=user, company_sign_in=backend == COMPANY_SIGN_IN_BACKEND
    )


def connect_signals() -> None:
    user_logged_in.connect(_on_sign_in, dispatch_uid="samverkan-two-factor")

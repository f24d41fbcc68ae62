"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn's ceremonies.

The library's views do the WebAuthn work; these subclasses fit them to our two-factor
design (``accounts.two_factor``):

- registering needs a session past its second step (or one that must enrol): the state
  in the session says so, django-otp's middleware is not used;
- a passkey's assertion completes the second step exactly as a right code does (the
  session's state becomes ``ok``); a refused one counts as a failed sign-in for
  django-axes, as a wrong code does;
- no passwordless sign-in (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`` is off and the
  ceremony also needs a session in its second step).
"""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from samverkan.accounts import two_factor
from samverkan.core.requests import request_user


def passkey_configuration(request: HttpRequest) -> dict[str, Any]:
    """What the library's scripts read from the page (``otp_webauthn_config``)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey_verify_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_verify_complete"),
        "beginRegistrationUrl": reverse("accounts:passkey_register_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_register_complete"),
    }


class _RegistrationMixin:
    request: HttpRequest

    def _check_user_verified(self, user: Any) -> None:
        # A session still in its second step has not proved it yet (the middleware also
        # holds it to the code page).
        if self.request.session.get(two_factor.SESSION_STATE) == two_factor.VERIFY:
            raise exceptions.NotVerified()


class PasskeyRegistrationBeginView(_RegistrationMixin, BeginCredentialRegistrationView):  # type: ignore[misc]
    pass


class PasskeyRegistrationCompleteView(_RegistrationMixin, CompleteCredentialRegistrationView):  # type: ignore[misc]
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request_user(self.request)
        state = self.get_state()
        with rewrite_exceptions(logger=logging.getLogger("django_otp_webauthn")):
            device = self.get_helper().register_complete(
                user=user,
                state=state,
                data=self.request.data,  # type: ignore[attr-defined]  # the library's parsed JSON
            )
        device.name = _("Passkey")
        device.save(update_fields=["name"])
        if self.request.session.get(two_factor.SESSION_STATE) == two_factor.ENROL:
            otp_login(self.request, device)
            self.request.session[two_factor.SESSION_STATE] = two_factor.OK
        return JsonResponse({"id": device.pk})


class _SecondStepMixin:
    request: HttpRequest

    def check_can_authenticate(self) -> None:
        if self.request.session.get(two_factor.SESSION_STATE) != two_factor.VERIFY:
            raise exceptions.PasswordlessLoginDisabled()


class PasskeyVerifyBeginView(_SecondStepMixin, BeginCredentialAuthenticationView):  # type: ignore[misc]
    pass


class PasskeyVerifyCompleteView(_SecondStepMixin, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """The second step with a passkey; a refused passkey counts as a wrong code."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        credentials = {"username": request_user(request).email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return self._locked_out()
        try:
            response: HttpResponse = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return self._locked_out()
            return JsonResponse(
                {
                    "detail": _(
                        "That passkey was not accepted. Try again, or enter a code instead."
                    ),
                    "code": "passkey_refused",
                },
                status=403,
            )
        return response

    def complete_auth(self, device: Any) -> None:
        otp_login(self.request, device)
        self.request.session[two_factor.SESSION_STATE] = two_factor.OK

    def _locked_out(self) -> JsonResponse:
        logout(self.request)
        return JsonResponse(
            {
                "detail": _(
                    "For your security, signing in with this account from your address is "
                    "paused for 30 minutes. Try again later, or ask your organisation's "
                    "administrator for help."
                ),
                "code": "locked_out",
            },
            status=429,
        )


passkey_register_begin = login_required(PasskeyRegistrationBeginView.as_view())
passkey_register_complete = login_required(PasskeyRegistrationCompleteView.as_view())
passkey_verify_begin = login_required(PasskeyVerifyBeginView.as_view())
passkey_verify_complete = login_required(PasskeyVerifyCompleteView.as_view())

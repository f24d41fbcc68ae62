from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from samverkan.accounts.sign_in_sessions import sign_in_session_touch
from samverkan.accounts.two_factor import ENROL, SESSION_STATE, VERIFY


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's and the cookie's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class TwoFactorMiddleware:
    """Holds a password sign-in to its second step until it is done (``accounts.two_factor``).

    ``verify``: only the code page; ``enrol``: only the page that sets up an authenticator
    (an organisation requires it). Signing out and switching language always work. The
    state lives in the session, decided at sign-in: an ordinary request costs no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = request.session.get(SESSION_STATE) if hasattr(request, "session") else None
        if state in (VERIFY, ENROL) and request.user.is_authenticated:
            steps = (
                (
                    "two_factor_verify",
                    "passkey_verify_begin",
                    "passkey_verify_complete",
                    "passkey_script_texts",
                )
                if state == VERIFY
                else (
                    "two_factor",
                    "two_factor_start",
                    "two_factor_confirm",
                    "passkey_register_begin",
                    "passkey_register_complete",
                    "passkey_script_texts",
                )
            )
            target = reverse(f"accounts:{steps[0]}")
            allowed = {reverse(f"accounts:{step}") for step in steps}
            allowed |= {reverse("accounts:logout"), reverse("set_language")}
            if request.path not in allowed:
                query = (
                    urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                )
                return HttpResponseRedirect(target + (f"?{query}" if query else ""))
        return self.get_response(request)


class SignInSessionMiddleware:
    """Keeps "last seen" of the person's session for *Profile → Where you are signed in*."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            sign_in_session_touch(request)
        return self.get_response(request)

"""mozilla-django-oidc, configured per organisation.

mozilla-django-oidc reads one provider from the settings. Here each organisation
has its own (``IdentityProvider``): the sign-in page puts the organisation whose
domain the person typed into the session, and the views and the backend below
read that organisation's provider, with its endpoints from the issuer's discovery
document, wherever the library asks for a setting.

What the library checks of the ID token: the signature, against the provider's
published keys (JWKS), with the algorithm pinned to ``OIDC_RP_SIGN_ALGO``; the
expiry; the nonce; the state and PKCE of the code exchange. It leaves out the
audience and the issuer; ``get_payload_data`` adds those through PyJWT, the
library it decodes with. Which person the token names, and whether they may come
in, is decided by ``company_member_for_claims``.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from samverkan.accounts.company_signin import (
    SignInRefusedError,
    client_secret,
    company_member_for_claims,
    provider_configuration,
)
from samverkan.accounts.forms import SIGN_IN_EMAIL_SESSION_KEY
from samverkan.accounts.models import IdentityProvider, User

logger = logging.getLogger(__name__)

# What the sign-in keeps in the session between the e-mail step and the provider's answer.
SESSION_ORGANISATION = "samverkan_signin_organisation"
SESSION_EMAIL = SIGN_IN_EMAIL_SESSION_KEY
# What sign-out needs to end the provider's session too.
SESSION_END_SESSION = "samverkan_signin_end_session"


def _session_provider(request: HttpRequest) -> IdentityProvider | None:
    organisation_id = request.session.get(SESSION_ORGANISATION)
    if not isinstance(organisation_id, int):
        return None
    return (
        IdentityProvider.objects.select_related("organisation")
        .filter(organisation_id=organisation_id)
        .first()
    )


def _library_settings(provider: IdentityProvider, document: dict[str, Any]) -> dict[str, Any]:
    """The provider's values under the names mozilla-django-oidc reads them."""
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": document["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": document["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": document.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": document["jwks_uri"],
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
        "LOGIN_REDIRECT_URL_FAILURE": reverse("accounts:login"),
    }


class _ProviderSettings:
    """``get_settings`` answering from one provider first, then from Django's settings."""

    provider_settings: dict[str, Any]

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in getattr(self, "provider_settings", {}):
            return self.provider_settings[attr]
        return import_from_settings(attr, *args)


class CompanySignInBackend(_ProviderSettings, OIDCAuthenticationBackend):  # type: ignore[misc]
    """The authentication backend for the provider's answer (the callback only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads one provider from the settings here; ours is known per request.
        self.UserModel = User
        self.provider_settings = {}

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or "code" not in request.GET:
            return None  # a password sign-in: not ours
        provider = _session_provider(request)
        if provider is None:
            return None
        try:
            document = provider_configuration(provider)
            self.provider = provider
            self.issuer = str(document["issuer"])
            self.provider_settings = _library_settings(provider, document)
            self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
            self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = client_secret(provider)
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            user: User | None = super().authenticate(request, **kwargs)
        except SignInRefusedError as exc:
            self._refuse(request, provider, exc.message, "refused")
        except jwt.ExpiredSignatureError:
            self._refuse(request, provider, _("the identity token has expired"), "expired")
        except jwt.InvalidAudienceError:
            self._refuse(
                request,
                provider,
                _("the identity token was issued to another application (audience)"),
                "audience",
            )
        except jwt.InvalidIssuerError:
            self._refuse(
                request, provider, _("the identity token was issued by another provider"), "issuer"
            )
        except (jwt.InvalidTokenError, SuspiciousOperation):
            self._refuse(
                request,
                provider,
                _("the identity token's signature does not match the provider's keys"),
                "signature",
            )
        except requests.RequestException as exc:
            logger.warning(
                "Company sign-in of organisation %s: the provider answered with an error (%s)",
                provider.organisation_id,
                type(exc).__name__,
            )
            self._refuse(request, provider, _("the provider did not accept the sign-in"), "http")
        if user is not None:
            request.session[SESSION_END_SESSION] = {
                "endpoint": document.get("end_session_endpoint", ""),
                "client_id": provider.client_id,
            }
            logger.info(
                "Company sign-in: user %s through organisation %s",
                user.pk,
                provider.organisation_id,
            )
        return user

    def _refuse(
        self, request: HttpRequest, provider: IdentityProvider, reason: str, kind: str
    ) -> NoReturn:
        """Stop here with a message for the person; Django records a failed sign-in."""
        logger.warning(
            "Company sign-in through organisation %s refused: %s", provider.organisation_id, kind
        )
        if kind in ("refused",):
            message = reason
        else:
            message = _(
                "Sign-in through %(organisation)s was refused: %(reason)s. Nothing was created; "
                "try again, and tell its administrator if it happens again."
            ) % {"organisation": provider.organisation, "reason": reason}
        request.sign_in_refused = message  # type: ignore[attr-defined]
        raise PermissionDenied(kind)

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().get_payload_data(token, key)
        # The library verified the signature and the expiry; it skips the audience and the
        # issuer, which PyJWT checks here with the same key and algorithm.
        jwt.decode(
            token,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.issuer,
            options={"require": ["exp", "iat", "aud", "iss", "sub"]},
        )
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo: dict[str, Any] = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") not in (None, payload.get("sub")):
                raise SignInRefusedError(
                    _("The sign-in of %(organisation)s answered for two different people.")
                    % {"organisation": self.provider.organisation}
                )
        # The verified ID token's claims win over the userinfo answer.
        return company_member_for_claims(provider=self.provider, claims={**userinfo, **payload})


class CompanySignInStartView(_ProviderSettings, OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the person to their organisation's provider (chosen on the sign-in page)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library reads one provider from the settings here

    def get(self, request: HttpRequest) -> HttpResponse:
        provider = _session_provider(request)
        if provider is None:
            return redirect("accounts:login")
        try:
            document = provider_configuration(provider)
        except SignInRefusedError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:login")
        self.provider_settings = _library_settings(provider, document)
        self.OIDC_OP_AUTH_ENDPOINT = document["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response: HttpResponse = super().get(request)
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        email = request.session.get(SESSION_EMAIL)
        return {"login_hint": email} if isinstance(email, str) and email else {}


class CompanySignInCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: the library verifies it, our backend decides who comes in."""

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sign_in_refused", None) or _(
            "Sign-in through your organisation's provider did not complete. Try again."
        )
        messages.error(self.request, reason)
        return HttpResponseRedirect(reverse("accounts:login"))


def continue_to(request: HttpRequest, url: str, *, title: str, text: str) -> HttpResponse:
    """A page that goes on to ``url`` at once.

    The Content-Security-Policy lets forms send only to this site (``form-action``), and
    browsers apply that to the redirects after a form too; a form's answer that must lead
    to a provider's page therefore leads there through this page, as a plain navigation.
    """
    return render(request, "accounts/continue.html", {"url": url, "title": title, "text": text})


def sign_out(request: HttpRequest) -> HttpResponse:
    """End the session here, and the provider's where it offers an end-session endpoint."""
    end_session = request.session.get(SESSION_END_SESSION)
    id_token = request.session.get("oidc_id_token")
    logout(request)
    login_url = request.build_absolute_uri(reverse("accounts:login"))
    if isinstance(end_session, dict) and end_session.get("endpoint"):
        query = {"post_logout_redirect_uri": login_url, "client_id": end_session["client_id"]}
        if isinstance(id_token, str):
            query["id_token_hint"] = id_token
        return continue_to(
            request,
            f"{end_session['endpoint']}?{urlencode(query)}",
            title=_("Signing out"),
            text=_(
                "You are signed out of Samverkan and are being signed out of your organisation's sign-in too."
            ),
        )
    return HttpResponseRedirect(reverse(settings.LOGOUT_REDIRECT_URL))

"""Where a person is signed in: each browser's session, listed and ended one by one or all.

Django keeps the sessions (``django.contrib.sessions``, in the database); a
``SignInSession`` row beside each one records what the list shows (the browser, its
address, when it was last seen). Ending one deletes Django's session, which signs
that browser out on its next request. Removing a member from an organisation ends
all their sessions and revokes their API tokens (``member_access_end``).
"""

from __future__ import annotations

import re
import time
from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from samverkan.accounts.models import ApiToken, SignInSession, User

_SEEN = "samverkan_seen"
SEEN_EVERY_SECONDS = 300  # "last seen" is written at most this often: a request costs no query
COMPANY_SIGN_IN_BACKEND = "samverkan.accounts.oidc.CompanySignInBackend"

_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short, readable name for a browser ("Chrome on Windows"), or "" when unknown."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or re.sub(r"\s+", " ", user_agent)[:60]


# Reads ----------------------------------------------------------------------------------


def user_sign_in_sessions(*, user: User) -> QuerySet[SignInSession]:
    """The person's sessions that are still valid, the most recently seen first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignInSession.objects.filter(user=user, session_key__in=live).order_by("-last_seen_at")


def user_active_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


# Writes ---------------------------------------------------------------------------------


def sign_in_session_record(*, request: HttpRequest, user: User) -> SignInSession | None:
    """Record the session a sign-in has just started (called on ``user_logged_in``)."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    if not key:
        return None
    backend = getattr(user, "backend", "")
    method = (
        SignInSession.Method.COMPANY
        if backend == COMPANY_SIGN_IN_BACKEND
        else SignInSession.Method.PASSWORD
    )
    request.session[_SEEN] = time.time()
    session, _created = SignInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "method": method,
            "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            "ip_address": get_client_ip_address(request),
            "last_seen_at": timezone.now(),
        },
    )
    return session


def sign_in_session_touch(request: HttpRequest) -> None:
    """Move the session's "last seen" forward, at most every ``SEEN_EVERY_SECONDS``."""
    seen = request.session.get(_SEEN)
    now = time.time()
    if isinstance(seen, int | float) and now - seen < SEEN_EVERY_SECONDS:
        return
    key = request.session.session_key
    if key:
        SignInSession.objects.filter(session_key=key).update(
            last_seen_at=timezone.now(), ip_address=get_client_ip_address(request)
        )
        request.session[_SEEN] = now


@transaction.atomic
def sign_in_session_end(*, sign_in_session: SignInSession) -> None:
    """Sign that browser out: its Django session and its row go."""
    Session.objects.filter(session_key=sign_in_session.session_key).delete()
    sign_in_session.delete()


@transaction.atomic
def user_sessions_end(*, user: User, keep: str | None = None) -> int:
    """End every recorded session of the person (but ``keep``, a session key); returns how
    many were ended."""
    sessions = SignInSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    return len(keys)


@transaction.atomic
def member_access_end(*, user: User) -> None:
    """A removed member's sessions end and their API tokens are revoked, at once."""
    user_sessions_end(user=user)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sign_in_session_record(request=request, user=user)


def _on_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session") and request.session.session_key:
        SignInSession.objects.filter(session_key=request.session.session_key).delete()


def connect_signals() -> None:
    user_logged_in.connect(_on_sign_in, dispatch_uid="samverkan-sign-in-session")
    user_logged_out.connect(_on_sign_out, dispatch_uid="samverkan-sign-in-session-end")

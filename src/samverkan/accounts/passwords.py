"""Forgotten passwords: a throttled request, and the e-mail with a signed, expiring link.

Django's views do the rest: its token generator signs the link with the user's
password hash and last sign-in, so a link stops working once used, once the
person signs in, and after ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import caches
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from samverkan.accounts import tasks
from samverkan.accounts.models import User

logger = logging.getLogger(__name__)


def _over_limit(key: str, limit: int) -> bool:
    """Count one request under ``key``; True once more than ``limit`` fall in one window.

    The window starts at the first request and does not move with later ones. Read and
    write are not atomic: two workers at the same instant may both count one request,
    which lets one extra through at most; good enough for a throttle.
    """
    cache = caches["throttle"]
    now = time.time()
    count, window_ends = cache.get(key, (0, 0.0))
    if window_ends <= now:
        count, window_ends = 0, now + settings.PASSWORD_RESET_LIMIT_WINDOW
    count += 1
    cache.set(key, (count, window_ends), timeout=max(window_ends - now, 1))
    return bool(count > limit)


def _key(kind: str, value: str) -> str:
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def password_reset_request(*, email: str, client_address: str | None) -> bool:
    """Ask for a reset link for ``email``; sent only if an active account with a password has it.

    The caller must answer the same whatever happens here: nothing tells whether the
    address has an account. Past ``PASSWORD_RESET_LIMIT_PER_EMAIL`` requests for one
    address or ``PASSWORD_RESET_LIMIT_PER_CLIENT`` from one client address within
    ``PASSWORD_RESET_LIMIT_WINDOW`` seconds nothing is sent (False). The e-mail goes
    through the task queue, so an unknown address takes as long to answer as a known
    one and a failing mail server cannot show in the answer.
    """
    email = email.strip().lower()
    over_email = _over_limit(_key("email", email), settings.PASSWORD_RESET_LIMIT_PER_EMAIL)
    over_client = _over_limit(
        _key("client", client_address or "-"), settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )
    if over_email or over_client:
        logger.warning(
            "Password reset not sent: too many requests for %s within the window",
            "one e-mail address" if over_email else "one client address",
        )
        return False
    tasks.send_password_reset.enqueue(email)
    return True


def password_reset_url(*, user: User) -> str:
    """The link that lets ``user`` choose a new password, under ``SAMVERKAN_BASE_URL``."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SAMVERKAN_BASE_URL}{path}"


def password_reset_valid_for() -> str:
    """How long a reset link is valid, in words of the active language ("1 hour")."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


def password_reset_send(*, email: str) -> int:
    """E-mail a reset link, in the person's language, to the account with this address.

    As Django's own reset does, only an active account with a usable password gets
    one. Returns how many e-mails were sent (0 or 1).
    """
    sent = 0
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if not user.has_usable_password():
            continue
        with translation.override(user.language):
            subject = _("Reset your Samverkan password")
            body = render_to_string(
                "accounts/email/password_reset.txt",
                {
                    "user": user,
                    "url": password_reset_url(user=user),
                    "valid_for": password_reset_valid_for(),
                },
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        sent += 1
    return sent


def sign_in_lockout_clear(*, user: User) -> None:
    """Forget ``user``'s failed sign-ins (django-axes), from every client address.

    Called once the person has set a new password from a link sent to their address:
    they have shown they own the account, and guesses at the old password are moot.
    """
    axes_reset(username=user.email)

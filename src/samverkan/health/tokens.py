"""The personal survey links: a token the server can recreate, stored only as a hash.

The token is an HMAC of the invitation's random nonce under the secret key, so
the reminder can send the same link again without the database holding it; the
database keeps only its SHA-256 (``Invitation.token_hash``), so a copy of the
database cannot be used to answer in someone's name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

_SALT = b"samverkan.health.invitation:"


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(nonce: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), _SALT + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

"""Secrets kept at rest: sealed with a key derived from the installation's secret.

A company's OpenID Connect client secret must be sent to its provider, so it is
stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256), not hashed. The key is
derived from ``SECRET_KEY`` with HKDF and a purpose label, so one secret serves
each purpose with its own key. A changed ``SECRET_KEY`` makes sealed values
unreadable: ``unseal`` then raises ``SealBrokenError`` and the secret must be entered
again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SealBrokenError(ValueError):
    """The sealed value cannot be opened: tampered, or sealed under another secret."""


def _fernet(secret: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plaintext: str, *, secret: str, purpose: str) -> str:
    """``plaintext`` encrypted and authenticated under a key derived from ``secret``."""
    return _fernet(secret, purpose).encrypt(plaintext.encode()).decode("ascii")


def unseal(sealed: str, *, secret: str, purpose: str) -> str:
    """The plaintext of ``seal``'s output; ``SealBrokenError`` if it cannot be opened."""
    try:
        return _fernet(secret, purpose).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealBrokenError("the sealed value cannot be opened with this secret") from exc

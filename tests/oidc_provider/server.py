"""Start the test OpenID Connect provider (``tests.oidc_provider.settings``) on loopback.

``running_provider`` migrates a fresh SQLite database, registers Samverkan's clients
and the provider's people, starts Django's development server on a free port in a
child process, waits until the discovery document answers, and stops it afterwards.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from secrets import token_urlsafe

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
# Samverkan's clients at the provider: two that behave, three whose ID tokens are broken
# on purpose (validator.py).
GOOD_CLIENT = "samverkan"
OTHER_CLIENT = "samverkan-other-company"
WRONG_SIGNATURE = "samverkan-wrong-signature"
WRONG_AUDIENCE = "samverkan-wrong-audience"
EXPIRED = "samverkan-expired"
CLIENTS = (GOOD_CLIENT, OTHER_CLIENT, WRONG_SIGNATURE, WRONG_AUDIENCE, EXPIRED)


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_secret: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def running_provider(
    *, redirect_uris: list[str], people: list[dict[str, str]]
) -> Iterator[Provider]:
    """A provider whose clients (see ``CLIENTS``) accept ``redirect_uris``, with ``people``
    (username, password, email, first_name, last_name) who can sign in on its page."""
    home = Path(tempfile.mkdtemp(prefix="samverkan-idp-"))
    secret = "idp-client-" + token_urlsafe(24)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "TEST_OIDC_HOME": str(home),
        "TEST_OIDC_SECRET_KEY": token_urlsafe(50),
        "TEST_OIDC_RSA_KEY": _rsa_key(),
    }
    config = {
        "clients": list(CLIENTS),
        "secret": secret,
        "redirect_uris": redirect_uris,
        "people": people,
    }
    subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.oidc_provider.prepare", json.dumps(config)],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    port = _free_port()
    log = home / "server.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test OpenID provider did not start:\n" + log.read_text())
            time.sleep(0.2)
        yield Provider(issuer=issuer, client_secret=secret, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

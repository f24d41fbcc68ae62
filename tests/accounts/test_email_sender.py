"""Who the e-mails come from, and a reset e-mail delivered through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.test import Client

from samverkan.settings import _default_from_email
from tests.conftest import World

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("base_url", "sender"),
    [
        ("https://samverkan.example.com", "Samverkan <noreply@samverkan.example.com>"),
        ("https://Samverkan.Example.COM:8443/app", "Samverkan <noreply@samverkan.example.com>"),
        ("https://avtal.kommunen.se/", "Samverkan <noreply@avtal.kommunen.se>"),
        ("https://samverkan.bärum.se", "Samverkan <noreply@samverkan.xn--brum-loa.se>"),
        ("http://127.0.0.1:8000", "Samverkan <noreply@localhost>"),
        ("http://localhost:8000", "Samverkan <noreply@localhost>"),
        ("http://[::1]:8000", "Samverkan <noreply@localhost>"),
        ("http://10.20.30.40", "Samverkan <noreply@localhost>"),
        ("http://intranet:8080", "Samverkan <noreply@localhost>"),
        ("", "Samverkan <noreply@localhost>"),
    ],
)
def test_sender_is_derived_from_the_base_url(base_url: str, sender: str) -> None:
    assert _default_from_email(base_url) == sender


def _settings_value(name: str, tmp_path: Path, **env: str) -> str:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "SAMVERKAN_HOME": str(tmp_path),
        "DEBUG": "1",
        **env,
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", f"from samverkan import settings; print(settings.{name})"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_settings_derive_the_sender_unless_it_is_configured(tmp_path: Path) -> None:
    base = {"SAMVERKAN_BASE_URL": "https://samverkan.example.com"}
    assert (
        _settings_value("DEFAULT_FROM_EMAIL", tmp_path, **base)
        == "Samverkan <noreply@samverkan.example.com>"
    )
    assert (
        _settings_value("DEFAULT_FROM_EMAIL", tmp_path, **base, DEFAULT_FROM_EMAIL="it@kund.se")
        == "it@kund.se"
    )
    assert _settings_value("DEFAULT_FROM_EMAIL", tmp_path) == "Samverkan <noreply@localhost>"


# A real SMTP server on loopback ------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[_Inbox]:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def test_reset_email_through_a_real_smtp_server(world: World, smtp_server: _Inbox) -> None:
    response = Client().post("/accounts/password_reset/", {"email": "Karin@Norrlandia.example"})
    assert response.status_code == 302

    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["karin@norrlandia.example"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["To"] == "karin@norrlandia.example"
    assert message["From"] == django_settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == "Återställ ditt lösenord i Samverkan"
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    match = re.search(r"https?://\S+/accounts/reset/\S+/", body)
    assert match, body

    browser = Client()
    opened = browser.get(urlsplit(match.group(0)).path)
    assert opened.status_code == 302
    browser.post(
        opened["Location"],
        {"new_password1": "Ny-fras för hösten 2026", "new_password2": "Ny-fras för hösten 2026"},
    )
    signed_in = Client()
    signed_in.post(
        "/accounts/login/",
        {"username": "karin@norrlandia.example", "password": "Ny-fras för hösten 2026"},
    )
    assert "_auth_user_id" in signed_in.session

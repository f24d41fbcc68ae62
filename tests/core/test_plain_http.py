"""PLAIN_HTTP=1: signing in works over http:// on a trusted network, against a real server.

Production settings mark the session and CSRF cookies Secure, so a browser on
plain HTTP never sends them back and every sign-in fails the CSRF check. This
starts gunicorn with the production settings (only the static-file storage
swapped, to skip the slow manifest collection) and signs in with a cookie jar
that behaves like a browser: without PLAIN_HTTP the sign-in is refused, with it
the person lands on their start page.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_settings_deploy import SRC, _production_env

SETTINGS = """
from samverkan.settings import *  # noqa: F403
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""

CREATE_USER = """
import django; django.setup()
from samverkan.accounts.models import User
User.objects.create_user(email="karin@norrlandia.example", password="ett-langt-losenord",
                         full_name="Karin Lindqvist")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = _production_env(home, ALLOWED_HOSTS="127.0.0.1", **extra)
    env["PYTHONPATH"] = f"{home}{os.pathsep}{SRC}"
    env["DJANGO_SETTINGS_MODULE"] = "plain_settings"
    return env


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated production database with one person in it."""
    home = tmp_path_factory.mktemp("plain-http")
    (home / "plain_settings.py").write_text(SETTINGS)
    env = _env(home)
    subprocess.run([sys.executable, "-m", "samverkan.cli", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", CREATE_USER], env=env, check=True)  # noqa: S603
    return home


def _serve(home: Path, **extra: str) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "samverkan.wsgi:application", "-b", f"127.0.0.1:{port}"],
        env=_env(home, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/health/", timeout=5)  # noqa: S310
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _sign_in(url: str) -> tuple[int, str]:
    """Sign in the way a browser does: fetch the form, post it with the cookies it set."""
    jar = http.cookiejar.CookieJar()  # sends Secure cookies over https only, like a browser
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{url}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": "karin@norrlandia.example",
            "password": "ett-langt-losenord",
        }
    ).encode()
    try:
        response = opener.open(f"{url}/accounts/login/", data=data, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    return response.status, response.read().decode()


def test_turning_off_only_the_https_redirect_leaves_sign_in_broken(home: Path) -> None:
    """What operators tried before PLAIN_HTTP existed: the cookies stayed Secure."""
    for url in _serve(home, SECURE_SSL_REDIRECT="0"):
        status, _body = _sign_in(url)
        assert status == 403  # the Secure CSRF cookie never came back over http


def test_plain_http_makes_sign_in_work(home: Path) -> None:
    for url in _serve(home, PLAIN_HTTP="1"):
        status, body = _sign_in(url)
        assert status == 200
        assert "Karin Lindqvist" in body
        assert "accounts/login" not in body.split("<main", 1)[1][:500]

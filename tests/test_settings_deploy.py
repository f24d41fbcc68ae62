"""Production settings pass Django's deployment checks; env helpers fail loudly."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from samverkan.lib.env import env_bool, env_int, env_list, env_str

SRC = Path(__file__).resolve().parent.parent / "src"


def _production_env(home: Path, **extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "samverkan.example.com",
        "SAMVERKAN_HOME": str(home),
    }
    env.update(extra)
    return env


def _samverkan(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "samverkan"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "samverkan.cli"]
    return subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [*command, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_check_deploy_passes_without_warnings(tmp_path: Path) -> None:
    result = _samverkan(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    result = _samverkan("check", env=_production_env(tmp_path, SECRET_KEY="kort"))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text("k" * 20 + secrets.token_urlsafe(48) + "\n", encoding="utf-8")
    env = _production_env(tmp_path, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]
    result = _samverkan("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# Environment helpers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_common_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("SAMVERKAN_TEST_FLAG", raw)
    assert env_bool("SAMVERKAN_TEST_FLAG", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMVERKAN_TEST_FLAG", raising=False)
    assert env_bool("SAMVERKAN_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "ja"])
def test_env_bool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("DEBUG_FLAG_UNDER_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="DEBUG_FLAG_UNDER_TEST must be a boolean"):
        env_bool("DEBUG_FLAG_UNDER_TEST", False)


def test_env_int_reads_integers_and_refuses_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_TEST_PORT", "587")
    assert env_int("SAMVERKAN_TEST_PORT", 25) == 587
    monkeypatch.setenv("SAMVERKAN_TEST_PORT", "")
    assert env_int("SAMVERKAN_TEST_PORT", 25) == 25
    for bad in ("five", "5.5", "587tcp"):
        monkeypatch.setenv("SAMVERKAN_TEST_PORT", bad)
        with pytest.raises(ImproperlyConfigured, match="SAMVERKAN_TEST_PORT must be an integer"):
            env_int("SAMVERKAN_TEST_PORT", 25)


def test_env_list_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_TEST_HOSTS", " a.example , b.example,, ")
    assert env_list("SAMVERKAN_TEST_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("SAMVERKAN_TEST_HOSTS")
    assert env_list("SAMVERKAN_TEST_HOSTS", ["localhost"]) == ["localhost"]


def test_name_file_is_read_instead_of_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "db_password"
    secret.write_text("hemligt-lösen\n", encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_TEST_PASSWORD", "from-env")
    monkeypatch.setenv("SAMVERKAN_TEST_PASSWORD_FILE", str(secret))
    assert env_str("SAMVERKAN_TEST_PASSWORD") == "hemligt-lösen"


def test_name_file_works_for_typed_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "flag").write_text("true\n", encoding="utf-8")
    (tmp_path / "port").write_text("2525\n", encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_TEST_FLAG_FILE", str(tmp_path / "flag"))
    monkeypatch.setenv("SAMVERKAN_TEST_PORT_FILE", str(tmp_path / "port"))
    assert env_bool("SAMVERKAN_TEST_FLAG", False) is True
    assert env_int("SAMVERKAN_TEST_PORT", 25) == 2525


def test_unreadable_name_file_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAMVERKAN_TEST_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SAMVERKAN_TEST_PASSWORD_FILE"):
        env_str("SAMVERKAN_TEST_PASSWORD")

"""schemathesis against a real server: no 5xx, and no request outside the schema accepted.

A throw-away installation (SQLite in a temporary SAMVERKAN_HOME) gets the demo
data (``samverkan demo --no-serve``) and a personal API token of the customer's
owner of all three demo agreements (``samverkan token create``). Then
``samverkan serve`` (gunicorn, production settings over plain HTTP, only the
static-file storage swapped so that no ``collectstatic`` is needed) listens on
a free loopback port, and schemathesis reads the OpenAPI document from it and
sends what it generates, with the token, in two bounded runs:

1. every operation, in all its phases (schema examples, the coverage phase's
   boundary and wrong-type values, fuzzing, stateful sequences that follow the
   links it infers between operations), valid and invalid data, the ids of
   real objects taken from earlier responses;
2. valid data only, every ``agreement_id`` the demo agreement DEMO-FRONTIER,
   so that each operation reaches a real, seeded collaboration model, health
   rounds and appendix versions rather than a 404.

Both runs check ``not_a_server_error`` (no 5xx), ``response_schema_conformance``
(every answer matches the documented schema) and ``content_type_conformance``
(every answer has a documented Content-Type); the first also checks
``negative_data_rejection`` (a request that violates the schema is refused
with a 4xx). The second leaves ``negative_data_rejection`` out because there
the fixed ``agreement_id`` replaces the invalid ids schemathesis would send.
Business rules that refuse schema-valid data (400, 409) are not failures; a
deleted or ended object answers 404 or 400 to later operations, which is fine.

The runs are deterministic in what they generate (``--seed``), bounded by a
number of examples per operation, keep no example database, and take about
a minute together on two cores. The README's "Tests" section gives the same
command for a server of your own. The run is the same on any database, so it
is left out of the PostgreSQL pass of ``make test`` (see the Makefile).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_settings_deploy import SRC, _production_env

HOST = "127.0.0.1"
SEED = "20251129"
TOKEN_OWNER = "kund@example.com"  # the demo's owner of all three agreements
DEEP_AGREEMENT = "DEMO-FRONTIER"
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
RUN_TIMEOUT = 300  # seconds per schemathesis run; a normal one takes 20-60 s

SETTINGS = """
from samverkan.settings import *  # noqa: F403
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""


@dataclass
class Server:
    url: str
    token: str
    home: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _samverkan() -> list[str]:
    script = Path(sys.executable).with_name("samverkan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "samverkan.cli"]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo installation served by ``samverkan serve`` on a free loopback port."""
    home = tmp_path_factory.mktemp("schemathesis")
    (home / "schemathesis_settings.py").write_text(SETTINGS)
    env = _production_env(home, ALLOWED_HOSTS=HOST, PLAIN_HTTP="1")
    env["PYTHONPATH"] = f"{home}{os.pathsep}{SRC}"
    env["DJANGO_SETTINGS_MODULE"] = "schemathesis_settings"
    loader = dict(env, DEBUG="1")  # the demo refuses a production database
    subprocess.run(  # noqa: S603 - our own command
        [*_samverkan(), "demo", "--no-serve"],
        env=loader,
        check=True,
        capture_output=True,
        timeout=180,
    )
    created = subprocess.run(  # noqa: S603 - our own command
        [*_samverkan(), "token", "create", TOKEN_OWNER, "--name", "schemathesis"],
        env=loader,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    token = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = home / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [
                *_samverkan(),
                "serve",
                "--no-collectstatic",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so the workers stop with it
        )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"samverkan serve exited:\n{_tail(log)}"
            try:
                urllib.request.urlopen(f"{url}/health/", timeout=5)  # noqa: S310 - loopback
                break
            except OSError:
                assert time.monotonic() < deadline, f"no answer from {url}:\n{_tail(log)}"
                time.sleep(0.2)
        yield Server(url=url, token=token, home=home, log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(home, ignore_errors=True)


def _agreement_id(server: Server, reference: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{server.url}/api/v1/agreements",
        headers={"Authorization": f"Bearer {server.token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        agreements = json.load(response)
    return next(int(a["id"]) for a in agreements if a["reference"] == reference)


def _schemathesis(server: Server, *args: str, config: Path | None = None) -> None:
    """One bounded schemathesis run against the server; fails with its report."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        *([f"--config-file={config}"] if config else []),
        "run",
        f"{server.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {server.token}",
        "--seed",
        SEED,
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",
        "--no-color",
        *args,
    ]
    try:
        result = subprocess.run(  # noqa: S603 - our own command
            command,
            cwd=server.home,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
            env=dict(os.environ, COLUMNS="120"),
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"schemathesis ran past {RUN_TIMEOUT} s:\n{exc.stdout!r}"[-6000:])
    report = result.stdout + result.stderr
    assert result.returncode == 0, (
        f"{report[-12000:]}\n--- server log (last lines):\n{_tail(server.log, 40)}"
    )
    selected = re.search(r"Selected: (\d+)/", report)
    tested = re.search(r"Tested: (\d+)", report)
    assert selected and tested, report[-3000:]
    assert int(tested.group(1)) == int(selected.group(1)) > 0, report[-3000:]


def test_no_operation_answers_5xx_on_a_real_agreement(server: Server) -> None:
    config = server.home / "deep.toml"
    config.write_text(
        f"[parameters]\nagreement_id = {_agreement_id(server, DEEP_AGREEMENT)}\n",
        encoding="utf-8",
    )
    _schemathesis(
        server,
        # Ending the agreement or demoting, removing the token's owner would turn every
        # later write into a 400 or 403; the first run covers these three.
        "--exclude-operation-id",
        "agreements_end",
        "--exclude-operation-id",
        "participants_update",
        "--exclude-operation-id",
        "participants_remove",
        "--mode",
        "positive",
        "--checks",
        CHECKS,
        "--max-examples",
        "15",
        config=config,
    )


def test_no_operation_answers_5xx_or_accepts_what_its_schema_forbids(server: Server) -> None:
    _schemathesis(
        server,
        "--checks",
        f"{CHECKS},negative_data_rejection",
        "--max-examples",
        "10",
    )

"""Throughput and latency of the agreement list page under ``samverkan serve``.

A throw-away installation (SQLite under a temporary SAMVERKAN_HOME, production
settings over plain HTTP) gets 100 agreements with one signed-in owner. The
server runs as in production (``samverkan serve``: gunicorn, sync workers) on
loopback. Concurrent client threads then hit two endpoints in turn:

- ``GET /health/``: the trivial endpoint (one ``SELECT 1``), the ceiling of
  what this server does per second on this machine;
- ``GET /agreements/``: the list page a signed-in owner sees (the first 50
  of 100 agreements, sorted by reference).

It prints one JSON line per figure on stdout: requests per second, p50 and p95
latency in milliseconds for each endpoint, and the list page's share of the
ceiling. Progress goes to stderr.

Knobs (environment): BENCH_SECONDS (measured seconds per endpoint, default 8),
BENCH_WARMUP_SECONDS (default 1.5), BENCH_CONCURRENCY (client threads,
default 8), BENCH_WORKERS (gunicorn workers, default 2).

``--seed`` is the internal entry point that fills the database; it runs in a
subprocess with the benchmark's environment.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

BENCH = "list_page"
HOST = "127.0.0.1"
AGREEMENTS = 100
PAGE_SIZE = 50  # the list view's page size; the page shows the first 50 references
EMAIL = "karin.lindqvist@malardalsenergi.example"
PASSWORD = "bänk-mätning-" + "x7Q2vL9pR4"  # a throw-away installation, deleted afterwards
CUSTOMER = "Mälardalens Energi AB"
SUPPLIER = "Nordvik IT-tjänster AB"
REFERENCE = "AVT-2025-{:03d}"

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP_SECONDS", "1.5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
STARTUP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0


def log(message: str) -> None:
    print(f"[{BENCH}] {message}", file=sys.stderr, flush=True)


# --- Seeding (runs in a subprocess, inside Django) ---------------------------

WORK = (
    "Drift och förvaltning av",
    "Applikationsförvaltning av",
    "Vidareutveckling av",
    "Support och underhåll av",
    "Molnmigrering av",
)
OBJECTS = (
    "ekonomisystemet",
    "HR- och lönesystemet",
    "kundportalen Mina sidor",
    "ärendehanteringssystemet",
    "dokument- och arkivhanteringen",
    "e-tjänsteplattformen",
    "integrationsplattformen",
    "datalagret och rapporteringen",
    "kundtjänstens telefoni",
    "intranätet",
    "GIS-plattformen för elnätet",
    "fakturahanteringen",
    "mätvärdesinsamlingen",
    "nätverket i driftcentralen",
    "arbetsplatstjänsterna",
    "behörighetssystemet (IAM)",
    "säkerhetsövervakningen (SOC)",
    "säkerhetskopiering och återläsning",
    "CRM-systemet",
    "underhållssystemet för kraftverken",
)
SERVICES = (
    "Servicedesk vardagar 07–18",
    "Incident- och problemhantering",
    "Förändringshantering enligt ITIL",
    "Övervakning dygnet runt",
    "Patchning och versionsuppgraderingar",
    "Kapacitetsplanering",
    "Månatlig tjänsterapport",
    "Licenshantering",
)


def seed() -> None:
    """Create the customer, the supplier, the owner and the agreements (via the services)."""
    import django

    django.setup()
    from samverkan.accounts.models import MembershipRole, OrganisationKind
    from samverkan.accounts.services import membership_set, organisation_create, user_create
    from samverkan.agreements.models import AgreementStatus
    from samverkan.agreements.services import agreement_create

    rng = random.Random(13)
    user = user_create(
        email=EMAIL,
        password=PASSWORD,
        full_name="Karin Lindqvist",
        title="Leverantörsansvarig",
    )
    customer = organisation_create(
        name=CUSTOMER, kind=OrganisationKind.CUSTOMER, org_number="556112-4834"
    )
    membership_set(organisation=customer, user=user, role=MembershipRole.ADMIN)
    organisation_create(name=SUPPLIER, kind=OrganisationKind.SUPPLIER, org_number="559047-2212")
    statuses = [AgreementStatus.ACTIVE] * 6 + [
        AgreementStatus.DRAFT,
        AgreementStatus.ENDING,
        AgreementStatus.ENDED,
    ]
    for number in range(1, AGREEMENTS + 1):
        work = WORK[(number - 1) // len(OBJECTS)]
        thing = OBJECTS[(number - 1) % len(OBJECTS)]
        start = datetime.date(rng.choice((2021, 2022, 2023, 2024, 2025)), rng.choice((1, 4, 7)), 1)
        agreement_create(
            actor=user,
            own_organisation=customer,
            counterpart_name=SUPPLIER,
            reference=REFERENCE.format(number),
            title=f"{work} {thing}",
            description=f"Avtal om {work.lower()} {thing} för {CUSTOMER}.",
            services="\n".join(rng.sample(SERVICES, 4)),
            start_date=start,
            end_date=start.replace(year=start.year + rng.choice((3, 4, 5))),
            annual_value=Decimal(rng.randrange(400, 18_000) * 1_000),
            status=rng.choice(statuses),
        )


# --- HTTP client ---------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        """The name=value of each Set-Cookie (attributes such as Secure are ignored)."""
        jar = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
        return jar


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request on a fresh connection (gunicorn's sync workers close it after each)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        sent = {"Connection": "close", **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        conn.request(method, path, body=body.encode() if body is not None else None, headers=sent)
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        conn.close()


def log_in(port: int) -> dict[str, str]:
    """Sign in through the login form; the cookies that make later requests signed in."""
    page = request(port, "GET", "/accounts/login/")
    if page.status != 200:
        raise RuntimeError(f"GET /accounts/login/ answered {page.status}")
    cookies = page.cookies()
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if "csrftoken" not in cookies or match is None:
        raise RuntimeError("the login page set no CSRF cookie or form token")
    form = urlencode(
        {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": EMAIL,
            "password": PASSWORD,
            "next": "/agreements/",
        }
    )
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    cookies.update(answer.cookies())
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login failed: POST /accounts/login/ answered {answer.status}")
    return {"sessionid": cookies["sessionid"]}


def check_list_page(port: int, cookies: dict[str, str]) -> None:
    """The list page answers 200 for the owner and shows the first page of agreements."""
    page = request(port, "GET", "/agreements/", cookies=cookies)
    if page.status != 200:
        raise RuntimeError(f"GET /agreements/ answered {page.status}")
    text = page.body.decode("utf-8")
    shown = [REFERENCE.format(n) for n in range(1, AGREEMENTS + 1) if REFERENCE.format(n) in text]
    expected = [REFERENCE.format(n) for n in range(1, min(PAGE_SIZE, AGREEMENTS) + 1)]
    if shown != expected:
        raise RuntimeError(
            f"the list page shows {len(shown)} of the expected {len(expected)} agreements"
        )
    log(f"list page OK: {len(page.body)} bytes, {len(shown)} agreements shown of {AGREEMENTS}")


# --- Load generation ------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def load(
    port: int,
    path: str,
    cookies: dict[str, str],
    seconds: float,
    concurrency: int = CONCURRENCY,
) -> Run:
    """``concurrency`` threads request ``path`` back to back for ``seconds``."""
    run = Run()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def worker() -> None:
        latencies: list[float] = []
        errors: list[str] = []
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                response = request(port, "GET", path, cookies=cookies)
            except OSError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - t0)
            if response.status != 200:
                errors.append(f"status {response.status}")
        with lock:
            run.latencies.extend(latencies)
            run.errors.extend(errors)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - started
    return run


def measure(port: int, path: str, cookies: dict[str, str]) -> dict[str, float]:
    load(port, path, cookies, WARMUP_SECONDS)
    run = load(port, path, cookies, SECONDS)
    if run.errors:
        raise RuntimeError(f"{len(run.errors)} failed requests to {path}, first: {run.errors[0]}")
    if len(run.latencies) < 20:
        raise RuntimeError(f"only {len(run.latencies)} requests to {path} completed")
    cuts = statistics.quantiles(run.latencies, n=100, method="inclusive")
    figures = {
        "rps": len(run.latencies) / run.elapsed,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
    }
    log(
        f"{path}: {len(run.latencies)} requests in {run.elapsed:.1f} s, "
        f"{figures['rps']:.1f} req/s, p50 {figures['p50_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms"
    )
    return figures


# --- Server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def samverkan_command() -> list[str]:
    """The venv's ``samverkan`` console script, or the same entry point through -m."""
    script = Path(sys.executable).with_name("samverkan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "samverkan.cli"]


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, server_log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"samverkan serve exited with status {server.returncode}:\n{tail(server_log)}"
            )
        try:
            if request(port, "GET", "/health/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"/health/ did not answer within {STARTUP_TIMEOUT:.0f} s:\n{tail(server_log)}"
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn's whole process group: SIGTERM, then SIGKILL if it lingers."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def emit(figure: str, value: float, unit: str) -> None:
    line = {
        "bench": BENCH,
        "figure": figure,
        "value": round(value, 3 if unit == "ratio" else 1),
        "unit": unit,
        "agreements": AGREEMENTS,
        "workers": WORKERS,
        "concurrency": CONCURRENCY,
        "seconds": SECONDS,
    }
    print(json.dumps(line), flush=True)


def main() -> int:
    # A SIGTERM (e.g. from run.py's watchdog) unwinds through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "SECURE_PROXY_SSL_HEADER"))
    }
    env.update(
        SAMVERKAN_HOME=str(home),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
    )
    samverkan = samverkan_command()
    server: subprocess.Popen[bytes] | None = None
    server_log = home / "serve.log"
    try:
        t0 = time.monotonic()
        subprocess.run([*samverkan, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([sys.executable, __file__, "--seed"], env=env, check=True)
        log(f"migrated and seeded {AGREEMENTS} agreements in {time.monotonic() - t0:.1f} s")

        port = free_port()
        serve = [*samverkan, "serve", "--host", HOST, "--port", str(port), "--workers"]
        with server_log.open("wb") as out:
            server = subprocess.Popen(
                [*serve, str(WORKERS)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so stop() reaches the workers
            )
        wait_until_healthy(server, port, server_log)
        log(f"samverkan serve up on {HOST}:{port} with {WORKERS} workers")

        cookies = log_in(port)
        check_list_page(port, cookies)

        health = measure(port, "/health/", {})
        listing = measure(port, "/agreements/", cookies)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"FAILED: {exc}")
        if server is not None:
            log(f"server log (last lines):\n{tail(server_log)}")
        return 1
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(home, ignore_errors=True)

    for name, figures in (("health", health), ("list", listing)):
        emit(f"{name}_rps", figures["rps"], "req/s")
        emit(f"{name}_p50_ms", figures["p50_ms"], "ms")
        emit(f"{name}_p95_ms", figures["p95_ms"], "ms")
    emit("list_to_health_ratio", listing["rps"] / health["rps"], "ratio")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed"]:
        seed()
    else:
        sys.exit(main())

"""Concurrent writers against ``samverkan serve`` on SQLite: no lost update, no 5xx.

A throw-away installation (SQLite under a temporary SAMVERKAN_HOME, production
settings over plain HTTP, ``samverkan serve`` with BENCH_CONCURRENCY_WORKERS
gunicorn workers on loopback) gets one active agreement with a seeded
collaboration model, 16 people of the customer who own it (each with a
personal API token), three forums, three objectives, a three-step escalation
path, and two people per participant writer who can be added. Then
BENCH_CONCURRENCY_WRITERS client threads (16) write through the API for
BENCH_CONCURRENCY_SECONDS (20), each as its own person, each request on a new
connection. Half of them write versioned objects, two threads per kind, so
that they collide:

- ``agreement``: ``PATCH /agreements/{id}`` with the ``version`` read and,
  as a form would, both the title and the description as read, one of them
  (in turn) changed;
- ``role``: ``PATCH …/roles/{id}`` of one role with its ``version``, its
  purpose and its responsibilities as read, one of them changed;
- ``objectives``: ``PUT …/objectives`` with ``objectives_version`` from
  ``GET …/model``, the list read with the thread's own line set to a new text;
- ``escalation``: ``PUT …/escalation`` with ``escalation_version``, the path
  read with the thread's own step given new days to resolve.

A 409 is a conflict: the thread reads again and sends the same change on the
new version, until it is acknowledged or the time is up. The other half write
things without a version: ``forums`` threads create a forum and delete the one
they created before, ``participants`` threads add one of their two people to
the agreement and remove the one they added before.

Every write sets one *slot* to a value no other write uses: a field of the
agreement or of the role, one objectives thread's line, one escalation step's
days, whether a forum or a participant exists. An *observation* is a state the
server answered: the object in a write's answer, every read, and the final
reads after all writers stopped. A write ``W`` is *acknowledged* when it was
answered 2xx. It is **lost** when an observation ``O`` that began after ``W``
was acknowledged shows, in ``W``'s slot, a value that no write could have put
there after ``W``: neither ``W``'s value nor that of another write to the slot
that was not already acknowledged when ``W`` was sent and was sent before
``O`` was answered. (A write answered 5xx or not at all counts as possibly
applied; a 4xx as not applied.) In short: an acknowledged change stays until
a later write of the same field replaces it. Two acknowledgements of the same
agreement or role version also count as a lost write. ``W`` is counted once
however many observations miss it.

It prints one JSON line per figure: ``requests`` (all, reads included),
``acknowledged`` writes, ``conflicts_409``, ``lost``, ``errors_5xx``
(and ``errors_connection``), ``throughput`` (requests per second),
``acknowledged_per_s``, and the latency of all requests, ``p50_ms`` and
``p95_ms``, measured by the client from connecting to the last byte. Each line
names the writers, workers and seconds. It exits non-zero when a write was
lost, a request answered 5xx or failed, or nothing was acknowledged. Progress,
the figures per kind and the first problems go to stderr.

Knobs (environment): BENCH_CONCURRENCY_SECONDS (20), BENCH_CONCURRENCY_WRITERS
(16, a multiple of 8 so each kind has as many threads), BENCH_CONCURRENCY_WORKERS
(4). ``--seed`` is the internal entry point that fills the database; it runs
in a subprocess with the benchmark's environment.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = "concurrency"
HOST = "127.0.0.1"
SECONDS = float(os.environ.get("BENCH_CONCURRENCY_SECONDS", "20"))
WRITERS = int(os.environ.get("BENCH_CONCURRENCY_WRITERS", "16"))
WORKERS = int(os.environ.get("BENCH_CONCURRENCY_WORKERS", "4"))
VERSIONED_KINDS = ("agreement", "role", "objectives", "escalation")
OTHER_KINDS = ("forums", "participants")
STARTUP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0
CUSTOMER = "Mälardalens Energi AB"
SUPPLIER = "Nordvik IT-tjänster AB"
REFERENCE = "AVT-2025-017"

SETTINGS = """
from samverkan.settings import *  # noqa: F403
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
"""


def log(message: str) -> None:
    print(f"[{BENCH}] {message}", file=sys.stderr, flush=True)


def kind_of(writer: int) -> str:
    """Writers 0..n/2-1 write versioned objects, the rest the others, in turn."""
    half = WRITERS // 2
    if writer < half:
        return VERSIONED_KINDS[writer % len(VERSIONED_KINDS)]
    return OTHER_KINDS[(writer - half) % len(OTHER_KINDS)]


# --- Seeding (runs in a subprocess, inside Django) ---------------------------------


def seed() -> None:
    """The customer, its owners with tokens, the agreement, and people to add; JSON on stdout."""
    import django

    django.setup()
    from samverkan.accounts.models import MembershipRole, OrganisationKind
    from samverkan.accounts.services import (
        membership_set,
        organisation_create,
        token_create,
        user_create,
    )
    from samverkan.agreements.models import AgreementStatus, ParticipantRole, Side
    from samverkan.agreements.services import agreement_create, participant_add

    customer = organisation_create(
        name=CUSTOMER, kind=OrganisationKind.CUSTOMER, org_number="556112-4834"
    )
    owners = []
    for n in range(WRITERS):
        user = user_create(
            email=f"skribent{n:02d}@malardalsenergi.example",
            password=None,
            full_name=f"Skribent {n:02d}",
        )
        membership_set(organisation=customer, user=user, role=MembershipRole.MEMBER)
        owners.append(user)
    agreement = agreement_create(
        actor=owners[0],
        own_organisation=customer,
        counterpart_name=SUPPLIER,
        counterpart_org_number="559047-2212",
        reference=REFERENCE,
        title="Drift och förvaltning av kundportalen",
        description="Avtal om drift och förvaltning av kundportalen Mina sidor.",
        status=AgreementStatus.ACTIVE,
    )
    for user in owners[1:]:
        participant_add(
            agreement=agreement,
            user=user,
            side=Side.CUSTOMER,
            role=ParticipantRole.OWNER,
            actor=owners[0],
        )
    candidates: dict[int, list[str]] = {}
    for writer in range(WRITERS):
        if kind_of(writer) != "participants":
            continue
        candidates[writer] = []
        for letter in "ab":
            email = f"kandidat{writer:02d}{letter}@malardalsenergi.example"
            user = user_create(email=email, password=None, full_name=f"Kandidat {writer}{letter}")
            membership_set(organisation=customer, user=user, role=MembershipRole.MEMBER)
            candidates[writer].append(email)
    tokens = [token_create(user=user, name="bench")[1] for user in owners]
    print(json.dumps({"agreement": agreement.pk, "tokens": tokens, "candidates": candidates}))


# --- HTTP ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused, reset, timed out)
    body: Any
    sent: float
    done: float


class Client:
    """One person's requests, each on a new connection; every answer is recorded."""

    def __init__(self, port: int, token: str, stats: Stats) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
        self.stats = stats

    def call(self, method: str, path: str, data: object | None = None) -> Answer:
        headers = dict(self.headers)
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        sent = time.perf_counter()
        status, payload = 0, None
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, f"/api/v1{path}", body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            payload = json.loads(raw) if raw else None
        except (OSError, http.client.HTTPException, json.JSONDecodeError) as exc:
            payload = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
        answer = Answer(status, payload, sent, time.perf_counter())
        self.stats.record(method, path, answer)
        return answer


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def record(self, method: str, path: str, answer: Answer) -> None:
        with self.lock:
            self.latencies.append(answer.done - answer.sent)
            self.statuses[answer.status] += 1
            if answer.status == 0 or answer.status >= 500:
                self.problems.append(f"{method} {path}: {answer.status} {str(answer.body)[:200]}")


# --- What was written and what was seen ---------------------------------------------

Slot = tuple[Hashable, ...]


@dataclass
class Write:
    kind: str
    slot: Slot
    value: Hashable
    sent: float = 0.0
    done: float = 0.0
    status: int = 0

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300

    @property
    def maybe_applied(self) -> bool:
        return self.acknowledged or self.status == 0 or self.status >= 500


@dataclass
class Observation:
    slots: dict[Slot, Hashable]  # every slot of the object shown; None: absent
    sent: float
    done: float


@dataclass
class Ledger:
    lock: threading.Lock = field(default_factory=threading.Lock)
    writes: list[Write] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    versions: list[tuple[str, int]] = field(default_factory=list)  # (object, version) acked
    conflicts: Counter[str] = field(default_factory=Counter)

    def wrote(self, write: Write, answer: Answer) -> None:
        write.sent, write.done, write.status = answer.sent, answer.done, answer.status
        with self.lock:
            self.writes.append(write)

    def saw(self, slots: dict[Slot, Hashable], answer: Answer) -> None:
        with self.lock:
            self.observations.append(Observation(slots, answer.sent, answer.done))


@dataclass
class Loss:
    write: Write
    seen: Hashable  # what the first observation that misses it shows instead
    observation: Observation


def lost_writes(ledger: Ledger) -> list[Loss]:
    """The acknowledged writes some later observation misses (see the module docstring)."""
    by_slot: dict[Slot, list[Write]] = defaultdict(list)
    by_value: dict[tuple[Slot, Hashable], list[Write]] = defaultdict(list)
    for write in ledger.writes:
        by_slot[write.slot].append(write)
        by_value[(write.slot, write.value)].append(write)
    lost: dict[int, Loss] = {}
    for observation in sorted(ledger.observations, key=lambda o: o.sent):
        for slot, seen in observation.slots.items():
            for write in by_slot.get(slot, ()):
                if not write.acknowledged or write.done >= observation.sent or seen == write.value:
                    continue
                replaced = any(
                    other.maybe_applied
                    and not (other.acknowledged and other.done < write.sent)
                    and other.sent < observation.done
                    for other in by_value.get((slot, seen), ())
                )
                if not replaced and id(write) not in lost:
                    lost[id(write)] = Loss(write, seen, observation)
    acked_versions = Counter(ledger.versions)
    duplicates = [key for key, count in acked_versions.items() if count > 1]
    for key in duplicates:
        for _extra in range(acked_versions[key] - 1):
            twin = Write("version", ("version", *key), "acknowledged twice")
            lost[id(twin)] = Loss(twin, key, Observation({}, 0.0, 0.0))
    return list(lost.values())


# --- The writers --------------------------------------------------------------------


@dataclass
class World:
    port: int
    agreement: int
    role: int
    tokens: list[str]
    candidates: dict[int, list[str]]


def agreement_slots(body: dict[str, Any]) -> dict[Slot, Hashable]:
    return {
        ("agreement", "title"): body["title"],
        ("agreement", "description"): body["description"],
    }


def role_slots(body: dict[str, Any]) -> dict[Slot, Hashable]:
    return {
        ("role", "purpose"): body["purpose"],
        ("role", "responsibilities"): tuple(body["responsibilities"]),
    }


def objectives_slots(objectives: list[str]) -> dict[Slot, Hashable]:
    slots: dict[Slot, Hashable] = {
        ("objectives", writer): None for writer in range(WRITERS) if kind_of(writer) == "objectives"
    }
    for line in objectives:
        owner, sep, _rest = line.partition(": ")
        if sep and owner.startswith("Skribent "):
            slots[("objectives", int(owner.removeprefix("Skribent ")))] = line
    return slots


def escalation_slots(steps: list[dict[str, int]]) -> dict[Slot, Hashable]:
    return {("escalation", i): step["resolve_within_days"] for i, step in enumerate(steps)}


def versioned_writer(
    world: World, writer: int, deadline: float, ledger: Ledger, stats: Stats
) -> None:
    """Read, change one slot, write with the version read; on 409 read again and retry."""
    kind = kind_of(writer)
    client = Client(world.port, world.tokens[writer], stats)
    base = f"/agreements/{world.agreement}"
    count = 0
    while time.perf_counter() < deadline:
        count += 1
        tag = f"Skribent {writer:02d} #{count}"
        while time.perf_counter() < deadline:
            if kind in ("agreement", "role"):
                path = base if kind == "agreement" else f"{base}/roles/{world.role}"
                read = client.call("GET", path)
                if read.status != 200:
                    break
                slots = agreement_slots if kind == "agreement" else role_slots
                ledger.saw(slots(read.body), read)
                # Like a form: both fields as read, one of them changed; the two threads
                # of a kind change different fields at the same time.
                first = (count + writer // len(VERSIONED_KINDS)) % 2
                if kind == "agreement":
                    name, value = ("title", tag) if first else ("description", f"Text: {tag}")
                    change: dict[str, Any] = {
                        "title": read.body["title"],
                        "description": read.body["description"],
                        name: value,
                    }
                else:
                    if first:
                        name, value = "purpose", f"Syfte: {tag}"
                    else:
                        name, value = "responsibilities", (f"Ansvar: {tag}",)
                    change = {
                        "purpose": read.body["purpose"],
                        "responsibilities": read.body["responsibilities"],
                        name: list(value) if isinstance(value, tuple) else value,
                    }
                write = Write(kind, (kind, name), value)
                answer = client.call("PATCH", path, {"version": read.body["version"], **change})
                ledger.wrote(write, answer)
                if answer.status == 200:
                    ledger.saw(slots(answer.body), answer)
                    with ledger.lock:
                        ledger.versions.append((kind, answer.body["version"]))
            else:
                read = client.call("GET", f"{base}/model")
                if read.status != 200:
                    break
                ledger.saw(objectives_slots(read.body["objectives"]), read)
                ledger.saw(escalation_slots(read.body["escalation"]), read)
                if kind == "objectives":
                    line = f"Skribent {writer}: mål {count}"
                    lines = [
                        line if text.startswith(f"Skribent {writer}: ") else text
                        for text in read.body["objectives"]
                    ]
                    if line not in lines:
                        lines.append(line)
                    write = Write(kind, ("objectives", writer), line)
                    body = {"version": read.body["objectives_version"], "objectives": lines}
                    answer = client.call("PUT", f"{base}/objectives", body)
                    ledger.wrote(write, answer)
                    if answer.status == 200:
                        ledger.saw(objectives_slots(answer.body["objectives"]), answer)
                else:
                    steps = read.body["escalation"]
                    step = (writer // len(VERSIONED_KINDS)) % len(steps)
                    days = count % 365 + 1
                    steps[step] = {**steps[step], "resolve_within_days": days}
                    write = Write(kind, ("escalation", step), days)
                    body = {"version": read.body["escalation_version"], "steps": steps}
                    answer = client.call("PUT", f"{base}/escalation", body)
                    ledger.wrote(write, answer)
                    if answer.status == 200:
                        ledger.saw(escalation_slots(answer.body["steps"]), answer)
            if answer.status == 409:
                with ledger.lock:
                    ledger.conflicts[kind] += 1
                continue  # read again, send the same change on the new version
            break


def other_writer(world: World, writer: int, deadline: float, ledger: Ledger, stats: Stats) -> None:
    """Add a thing, then remove what this thread added before: forums, or participants."""
    kind = kind_of(writer)
    client = Client(world.port, world.tokens[writer], stats)
    base = f"/agreements/{world.agreement}"
    added: list[tuple[Slot, str]] = []  # what this thread added and has not removed yet
    count = 0
    while time.perf_counter() < deadline:
        count += 1
        if kind == "forums":
            name = f"Forum Skribent {writer:02d} #{count}"
            slot: Slot = ("forum", name)
            answer = client.call("POST", f"{base}/forums", {"name": name, "level": "operational"})
            path = f"{base}/forums"
        else:
            email = world.candidates[writer][count % 2]  # the other one is removed below
            slot = ("participant", email)
            body = {"email": email, "side": "customer"}
            answer = client.call("POST", f"{base}/participants", body)
            path = f"{base}/participants"
        ledger.wrote(Write(kind, slot, True), answer)
        if answer.status == 201:
            added.append((slot, f"{path}/{answer.body['id']}"))
        while len(added) > 1 and time.perf_counter() < deadline:
            old_slot, old_path = added[0]
            gone = client.call("DELETE", old_path)
            ledger.wrote(Write(kind, old_slot, False), gone)
            if not 200 <= gone.status < 300:
                break
            added.pop(0)


def final_observations(world: World, ledger: Ledger, stats: Stats) -> None:
    """Read everything once the writers stopped: the last observations."""
    client = Client(world.port, world.tokens[0], stats)
    base = f"/agreements/{world.agreement}"
    agreement = client.call("GET", base)
    role = client.call("GET", f"{base}/roles/{world.role}")
    model = client.call("GET", f"{base}/model")
    forums = client.call("GET", f"{base}/forums")
    people = client.call("GET", f"{base}/participants")
    for answer in (agreement, role, model, forums, people):
        if answer.status != 200:
            raise RuntimeError(f"the final read answered {answer.status}: {answer.body}")
    ledger.saw(agreement_slots(agreement.body), agreement)
    ledger.saw(role_slots(role.body), role)
    ledger.saw(objectives_slots(model.body["objectives"]), model)
    ledger.saw(escalation_slots(model.body["escalation"]), model)
    names = {forum["name"] for forum in forums.body}
    present = {person["email"] for person in people.body}
    with ledger.lock:
        slots = {write.slot for write in ledger.writes}
    ledger.saw({s: s[1] in names for s in slots if s[0] == "forum"}, forums)
    ledger.saw({s: s[1] in present for s in slots if s[0] == "participant"}, people)


# --- Setup and the run ----------------------------------------------------------------


def prepare_model(port: int, token: str, stats: Stats, agreement: int) -> int:
    """Three forums, three objectives and an escalation path; the role the writers change."""
    client = Client(port, token, stats)
    base = f"/agreements/{agreement}"
    forums = []
    for name, level in (
        ("Styrgrupp", "strategic"),
        ("Samverkansråd", "tactical"),
        ("Driftmöte", "operational"),
    ):
        made = client.call("POST", f"{base}/forums", {"name": name, "level": level})
        if made.status != 201:
            raise RuntimeError(f"creating forum {name} answered {made.status}: {made.body}")
        forums.append(made.body["id"])
    model = client.call("GET", f"{base}/model")
    objectives = ["Stabil drift", "Kortare ledtider", "Nöjdare användare"]
    put = client.call(
        "PUT",
        f"{base}/objectives",
        {"version": model.body["objectives_version"], "objectives": objectives},
    )
    steps = [{"forum_id": pk, "resolve_within_days": 10} for pk in reversed(forums)]
    path = client.call(
        "PUT", f"{base}/escalation", {"version": model.body["escalation_version"], "steps": steps}
    )
    roles = client.call("GET", f"{base}/roles")
    for answer in (model, put, path, roles):
        if answer.status != 200:
            raise RuntimeError(f"preparing the model answered {answer.status}: {answer.body}")
    return int(roles.body[0]["id"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def samverkan_command() -> list[str]:
    script = Path(sys.executable).with_name("samverkan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "samverkan.cli"]


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, server_log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"samverkan serve exited ({server.returncode}):\n{tail(server_log)}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/health/ did not answer in {STARTUP_TIMEOUT:.0f} s:\n{tail(server_log)}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


def run_writers(world: World, ledger: Ledger, stats: Stats) -> float:
    deadline = time.perf_counter() + SECONDS
    threads = []
    for writer in range(WRITERS):
        target: Callable[[World, int, float, Ledger, Stats], None] = (
            versioned_writer if kind_of(writer) in VERSIONED_KINDS else other_writer
        )
        threads.append(
            threading.Thread(target=target, args=(world, writer, deadline, ledger, stats))
        )
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def emit(figure: str, value: float, unit: str) -> None:
    line = {
        "bench": BENCH,
        "figure": figure,
        "value": round(value, 1) if isinstance(value, float) else value,
        "unit": unit,
        "writers": WRITERS,
        "workers": WORKERS,
        "seconds": SECONDS,
        "database": "sqlite",
    }
    print(json.dumps(line), flush=True)


def report(ledger: Ledger, stats: Stats, elapsed: float, t0: float) -> bool:
    lost = lost_writes(ledger)
    acknowledged = [w for w in ledger.writes if w.acknowledged]
    errors_5xx = sum(n for status, n in stats.statuses.items() if status >= 500)
    errors_connection = stats.statuses[0]
    requests = sum(stats.statuses.values())
    cuts = statistics.quantiles(stats.latencies, n=100, method="inclusive")
    by_kind = Counter(w.kind for w in acknowledged)
    log(f"statuses: {dict(sorted(stats.statuses.items()))}")
    log(f"acknowledged writes by kind: {dict(by_kind)}; 409 by kind: {dict(ledger.conflicts)}")
    log(f"{len(ledger.observations)} observations checked")
    for loss in lost[:10]:
        write, seen = loss.write, loss.seen
        log(
            f"LOST: {write.slot} = {write.value!r}, sent {write.sent - t0:.3f} s, answered "
            f"{write.status} at {write.done - t0:.3f} s; the state read from "
            f"{loss.observation.sent - t0:.3f} to {loss.observation.done - t0:.3f} s "
            f"shows {seen!r}"
        )
    for problem in stats.problems[:10]:
        log(f"ERROR: {problem}")
    emit("requests", requests, "requests")
    emit("acknowledged", len(acknowledged), "writes")
    emit("conflicts_409", sum(ledger.conflicts.values()), "responses")
    emit("lost", len(lost), "writes")
    emit("errors_5xx", errors_5xx, "responses")
    emit("errors_connection", errors_connection, "requests")
    emit("throughput", requests / elapsed, "req/s")
    emit("acknowledged_per_s", len(acknowledged) / elapsed, "writes/s")
    emit("p50_ms", cuts[49] * 1000, "ms")
    emit("p95_ms", cuts[94] * 1000, "ms")
    return not lost and not errors_5xx and not errors_connection and bool(acknowledged)


def main() -> int:
    if WRITERS % (2 * len(VERSIONED_KINDS)) or WRITERS < 8:
        log("BENCH_CONCURRENCY_WRITERS must be a multiple of 8")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
    (home / "bench_settings.py").write_text(SETTINGS, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "SECURE_PROXY_SSL_HEADER"))
    }
    source = Path(__file__).resolve().parent.parent / "src"
    env.update(
        SAMVERKAN_HOME=str(home),
        DEBUG="0",
        PLAIN_HTTP="1",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECRET_KEY="bench-only-" + "k" * 60,
        PYTHONPATH=os.pathsep.join([str(home), str(source), env.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="bench_settings",
    )
    samverkan = samverkan_command()
    server: subprocess.Popen[bytes] | None = None
    server_log = home / "serve.log"
    try:
        t0 = time.monotonic()
        subprocess.run([*samverkan, "migrate", "--noinput", "-v0"], env=env, check=True)
        seeded = subprocess.run(
            [sys.executable, __file__, "--seed"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(seeded.stdout.strip().splitlines()[-1])
        log(f"migrated and seeded in {time.monotonic() - t0:.1f} s")
        port = free_port()
        with server_log.open("wb") as out:
            server = subprocess.Popen(
                [
                    *samverkan,
                    "serve",
                    "--no-collectstatic",
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                    "--workers",
                    str(WORKERS),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_until_healthy(server, port, server_log)
        setup_stats = Stats()
        role = prepare_model(port, data["tokens"][0], setup_stats, data["agreement"])
        world = World(
            port=port,
            agreement=data["agreement"],
            role=role,
            tokens=data["tokens"],
            candidates={int(k): v for k, v in data["candidates"].items()},
        )
        log(
            f"samverkan serve on {HOST}:{port}, {WORKERS} workers; {WRITERS} writers for {SECONDS} s"
        )
        ledger, stats = Ledger(), Stats()
        t0 = time.perf_counter()
        elapsed = run_writers(world, ledger, stats)
        final_observations(world, ledger, stats)
        ok = report(ledger, stats, elapsed, t0)
        if not ok:
            log(f"FAILED; server log (last lines):\n{tail(server_log)}")
        return 0 if ok else 1
    except (RuntimeError, subprocess.CalledProcessError, KeyError, ValueError) as exc:
        log(f"FAILED: {exc}")
        if isinstance(exc, subprocess.CalledProcessError) and exc.stderr:
            log(str(exc.stderr)[-2000:])
        if server is not None:
            log(f"server log (last lines):\n{tail(server_log)}")
        return 1
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed"]:
        seed()
    else:
        sys.exit(main())

"""Server time of a relationship-health round's results, from 1,000 to 100,000 answers.

An *answer* is one ``Answer`` row: one score (1–5, or "don't know") for one
statement and one target. A respondent answers every item of the survey
(``services.survey_items``: 68 with the current instrument and no own
statements), so 10,000 answers are 148 respondents (the last one answers only
some items), split evenly over the customer and the supplier side.

A throw-away installation (SQLite under a temporary SAMVERKAN_HOME, DEBUG=1)
gets, for each size in BENCH_HEALTH_SIZES, one agreement with a round opened
through ``health_round_open`` (eight participants, four per side, more than the
threshold as a round needs; the page then
shows more answers than invitations, which changes nothing it computes). Its
answers are bulk-loaded for speed: ``Response`` and ``Answer`` rows straight
into the tables with ``bulk_create``, in one transaction. In the product every
answer goes through ``health_response_submit``, which writes the same rows,
also one respondent's answers next to each other. The scores are fixed (seeded
random): each respondent has an overall leaning and each dimension its own
level, about 5 % "don't know", a recommendation score (0–10) from 90 % of the
respondents, and a free text from every tenth. The round is closed with
``health_round_close``, and the benchmark checks that both sides' released
figures cover every respondent and every scored answer. Earlier sizes' rounds
stay in the database, as other rounds would in a real one.

Then it times, each as the median of BENCH_RUNS runs after one warm-up run:

- ``aggregate_s``: ``figures.side_figures`` for both sides, the GROUP BY
  queries over the answers (the cold path when a round closes);
- ``release_s``: ``figures.release_side`` for both sides after the round's
  ``SideFigures`` rows are deleted (untimed), i.e. aggregate and store;
- ``results_s``: ``results.round_results(round, language="sv")``, built from
  the released figures only;
- ``page_s``: ``GET`` of the round's results page through Django's test client,
  signed in as the customer's owner: the server time a user waits (status 200
  and figures shown are checked). Its SQL query count is reported and must be
  the same for every size.

It prints one JSON line per size and figure on stdout (``value`` is the median
in seconds; ``queries`` the number of SQL queries of one run) and a last line,
``aggregate_growth``: how each figure grows from the smallest size to the
largest (``growth``; the line's value is that of ``aggregate_s``), the medians
per size (``by_answers``) and whether the page at 10,000 answers is under its
1 s goal. Progress goes to stderr. Exits non-zero when a check fails or the
page's query count varies with the size.

Knobs (environment): BENCH_HEALTH_SIZES (default ``1000,10000,100000``),
BENCH_RUNS (default 5), BENCH_HEALTH_EXPLAIN=1 (log SQLite's EXPLAIN QUERY PLAN
of the aggregation queries at the largest size to stderr).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, TypeVar

BENCH = "health"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZES = tuple(
    sorted({int(n) for n in os.environ.get("BENCH_HEALTH_SIZES", "1000,10000,100000").split(",")})
)
EXPLAIN = os.environ.get("BENCH_HEALTH_EXPLAIN", "") not in ("", "0")
LANGUAGE = "sv"
GOAL_SIZE = 10_000  # the goal: a round with 10,000 answers renders in under a second
GOAL_PAGE_S = 1.0
BATCH_SIZE = 2000  # Django lowers it to what SQLite's parameter limit allows per INSERT
CHUNK = 20_000  # answers built in Python before they are written, to bound memory

DONT_KNOW_SHARE = 0.05
NO_RECOMMEND_SHARE = 0.10
FREE_TEXT_EVERY = 10  # every tenth respondent writes a free text

CUSTOMER = "Mälardalens Energi AB"
SUPPLIER = "Nordvik IT-tjänster AB"
PEOPLE = {  # (e-mail, name); the first of each side owns the agreements
    "customer": (
        ("karin.lindqvist@malardalsenergi.example", "Karin Lindqvist"),
        ("anders.berg@malardalsenergi.example", "Anders Berg"),
        ("sara.holm@malardalsenergi.example", "Sara Holm"),
        ("erik.nyberg@malardalsenergi.example", "Erik Nyberg"),
    ),
    "supplier": (
        ("mikael.forsberg@nordvik.example", "Mikael Forsberg"),
        ("jenny.sjoberg@nordvik.example", "Jenny Sjöberg"),
        ("ola.bergstrom@nordvik.example", "Ola Bergström"),
        ("maria.lund@nordvik.example", "Maria Lund"),
    ),
}
FREE_TEXTS = {
    "fungerar": (
        "Snabb återkoppling från servicedesken när något brinner.",
        "Leveransrådet har blivit ett forum där vi faktiskt fattar beslut.",
        "Bra dialog om prioriteringar inför varje release.",
        "Tydliga rapporter med mätvärden som går att följa över tid.",
    ),
    "forandra": (
        "Vi behöver få veta om förseningar tidigare, inte på mötet.",
        "Beslut från styrgruppen når inte ut till förvaltningsgrupperna.",
        "För många kontaktvägar: det är oklart vem som äger ett ärende.",
        "Ändringshanteringen tar för lång tid för små ändringar.",
    ),
}

T = TypeVar("T")


def log(message: str) -> None:
    print(f"[{BENCH}] {message}", file=sys.stderr, flush=True)


# --- The data ---------------------------------------------------------------------


@dataclass
class Loaded:
    answers: int
    respondents: dict[str, int]  # per side
    scored_overall: dict[str, int]  # per side: scored answers, own statements left out


def build_parties() -> dict[str, Any]:
    """The two organisations and three people on each side (through the services)."""
    from samverkan.accounts.models import MembershipRole, OrganisationKind
    from samverkan.accounts.services import membership_set, organisation_create, user_create

    organisations = {
        "customer": organisation_create(
            name=CUSTOMER, kind=OrganisationKind.CUSTOMER, org_number="556112-4834"
        ),
        "supplier": organisation_create(
            name=SUPPLIER, kind=OrganisationKind.SUPPLIER, org_number="559047-2212"
        ),
    }
    people: dict[str, list[Any]] = {}
    for side, rows in PEOPLE.items():
        people[side] = []
        for index, (email, name) in enumerate(rows):
            user = user_create(email=email, password=None, full_name=name)
            role = MembershipRole.ADMIN if index == 0 else MembershipRole.MEMBER
            membership_set(organisation=organisations[side], user=user, role=role)
            people[side].append(user)
    return people


def build_round(people: dict[str, list[Any]], size: int) -> Any:
    """An agreement with eight participants and an open round (through the services)."""
    from django.utils import timezone

    from samverkan.accounts.models import Organisation
    from samverkan.agreements.models import AgreementStatus, Participant, ParticipantRole
    from samverkan.agreements.services import (
        agreement_create,
        participant_add,
        proposal_accept,
    )
    from samverkan.health.services import health_round_open

    owner = people["customer"][0]
    agreement = agreement_create(
        actor=owner,
        own_organisation=Organisation.objects.get(name=CUSTOMER),
        counterpart_name=SUPPLIER,
        reference=f"AVT-HALSA-{size}",
        title=f"Drift och förvaltning, hälsokontroll med {size} svar",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2029, 12, 31),
        annual_value=Decimal("9800000"),
        status=AgreementStatus.ACTIVE,
        seed_model=False,
    )
    # The supplier is already here, so the agreement is proposed to it: its admin accepts.
    agreement = proposal_accept(
        agreement=agreement, actor=people["supplier"][0], version=agreement.version
    )
    for side, users in people.items():
        for index, user in enumerate(users):
            if index == 0:
                continue  # the owners: added by agreement_create and proposal_accept
            role = ParticipantRole.OWNER if index == 0 else ParticipantRole.VIEWER
            participant_add(agreement=agreement, user=user, side=side, role=role, actor=owner)
    return health_round_open(
        agreement=agreement,
        actor=owner,
        title="Hälsokontroll hösten 2026",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        participants=list(Participant.objects.filter(agreement=agreement)),
    )


def load_answers(health_round: Any, size: int, rng: random.Random) -> Loaded:
    """Bulk-load ``size`` answers into ``health_round``: the rows health_response_submit writes."""
    from django.db import transaction

    from samverkan.health import instrument
    from samverkan.health.instrument import OWN_DIMENSION
    from samverkan.health.models import Answer, FreeText, Response
    from samverkan.health.services import survey_items

    items = survey_items(health_round)
    dimension_level = {
        dimension: rng.uniform(-0.6, 0.4) for dimension in sorted({d for _, d, _ in items})
    }
    side_level = {"customer": -0.2, "supplier": 0.3}  # suppliers rate a little higher
    loaded = Loaded(
        answers=0,
        respondents={"customer": 0, "supplier": 0},
        scored_overall={"customer": 0, "supplier": 0},
    )
    responses: list[Any] = []
    answers: list[Any] = []
    texts: list[Any] = []

    def flush() -> None:
        Response.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
        responses.clear()
        answers.clear()

    with transaction.atomic():
        for index in range(math.ceil(size / len(items))):
            side = ("customer", "supplier")[index % 2]
            leaning = rng.gauss(3.6 + side_level[side], 0.45)
            recommend = (
                None
                if rng.random() < NO_RECOMMEND_SHARE
                else min(10, max(0, round(rng.gauss(7.0 + leaning - 3.6, 2.0))))
            )
            response = Response(round=health_round, side=side, recommend=recommend)
            responses.append(response)
            loaded.respondents[side] += 1
            for key, dimension, target in items[: size - loaded.answers]:
                score = None
                if rng.random() >= DONT_KNOW_SHARE:
                    mean = leaning + dimension_level[dimension]
                    score = min(5, max(1, round(rng.gauss(mean, 0.8))))
                    if dimension != OWN_DIMENSION:
                        loaded.scored_overall[side] += 1
                answers.append(
                    Answer(
                        response=response,
                        round=health_round,
                        side=side,
                        statement=key,
                        dimension=dimension,
                        target=target,
                        score=score,
                    )
                )
                loaded.answers += 1
            if index % FREE_TEXT_EVERY == 0:
                question = instrument.FREE_TEXT_KEYS[(index // FREE_TEXT_EVERY) % 2]
                texts.append(
                    FreeText(
                        round=health_round,
                        side=side,
                        question=question,
                        text=rng.choice(FREE_TEXTS[question]),
                    )
                )
            if len(answers) >= CHUNK:
                flush()
        flush()
        FreeText.objects.bulk_create(texts, batch_size=BATCH_SIZE)
    return loaded


def check_released(health_round: Any, loaded: Loaded) -> None:
    """Both sides' released figures cover every respondent and every scored answer.

    Statements scored by fewer than the threshold are left out of every figure
    (see figures.py), so at a tiny size the overall may hold fewer answers.
    """
    from samverkan.health.models import SideFigures

    for side in ("customer", "supplier"):
        shown = SideFigures.objects.get(round=health_round, side=side)
        overall = shown.figures["overall"]
        left_out = sum(
            1
            for targets in shown.figures["statements"].values()
            for group in targets.values()
            if group.get("withheld")
        )
        got = (shown.respondents, overall.get("answers"))
        want = (loaded.respondents[side], loaded.scored_overall[side])
        if got[0] != want[0] or got[1] > want[1] or (not left_out and got != want):
            raise RuntimeError(f"{side}: released {got} (respondents, answers), loaded {want}")


# --- Timing -----------------------------------------------------------------------


def median_of(
    label: str, function: Callable[[], T], *, setup: Callable[[], object] | None = None
) -> tuple[float, int, T]:
    """The median of RUNS runs after one warm-up, the SQL queries of one run, the last result.

    ``setup`` runs before each run, untimed. The warm-up run may take more queries
    than the others (caches filling); the measured runs must all take the same number.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    counts = []
    result: T
    for _ in range(RUNS + 1):
        if setup is not None:
            setup()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            elapsed = time.perf_counter() - started
        times.append(elapsed)
        counts.append(len(captured))
    first, times = times[0], times[1:]
    first_queries, counts = counts[0], counts[1:]
    if len(set(counts)) != 1:
        raise RuntimeError(f"{label}: the query count varies between runs: {counts}")
    median = statistics.median(times)
    log(
        f"  {label}: median {median * 1000:.1f} ms (min {min(times) * 1000:.1f}, "
        f"max {max(times) * 1000:.1f}) over {RUNS} runs, {counts[0]} queries; "
        f"warm-up {first * 1000:.1f} ms, {first_queries} queries"
    )
    return median, counts[0], result


def explain_aggregation(health_round: Any) -> None:
    """Log SQLite's plan for each query of ``side_figures`` (BENCH_HEALTH_EXPLAIN=1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samverkan.health import figures

    with CaptureQueriesContext(connection) as captured:
        figures.side_figures(health_round, "customer")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            elapsed = time.perf_counter() - started
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = "; ".join(row[-1] for row in cursor.fetchall())
            log(f"  {elapsed * 1000:7.1f} ms  {sql}\n      plan: {plan}")


# --- Main -------------------------------------------------------------------------


def emit(out: TextIO, figure: str, value: Any, unit: str, **context: Any) -> None:
    line: dict[str, Any] = {
        "bench": BENCH,
        "figure": figure,
        "value": round(value, 4) if unit == "s" else value,
        "unit": unit,
    }
    line.update(context)
    print(json.dumps(line), file=out, flush=True)


def measure(out: TextIO, people: dict[str, list[Any]], size: int) -> dict[str, Any]:
    """Build, load, close and time one round of ``size`` answers; its figures."""
    from django.db import reset_queries
    from django.test import Client
    from django.urls import reverse

    from samverkan.health import figures, results
    from samverkan.health.models import SideFigures
    from samverkan.health.services import health_round_close, survey_items

    started = time.monotonic()
    health_round = build_round(people, size)
    loaded = load_answers(health_round, size, random.Random(size))
    loaded_s = time.monotonic() - started
    started = time.monotonic()
    health_round = health_round_close(round=health_round)
    close_s = time.monotonic() - started
    check_released(health_round, loaded)
    reset_queries()
    respondents = sum(loaded.respondents.values())
    items = len(survey_items(health_round))
    log(
        f"{size} answers: {respondents} respondents ({loaded.respondents['customer']} customer, "
        f"{loaded.respondents['supplier']} supplier, {items} items each), "
        f"built and loaded in {loaded_s:.1f} s, closed (first release) in {close_s:.2f} s"
    )

    def aggregate() -> tuple[dict[str, Any], dict[str, Any]]:
        customer = figures.side_figures(health_round, "customer")
        return customer, figures.side_figures(health_round, "supplier")

    def release() -> None:
        figures.release_side(health_round, "customer")
        figures.release_side(health_round, "supplier")

    def unrelease() -> None:
        SideFigures.objects.filter(round=health_round).delete()

    def build_results() -> results.RoundResults:
        return results.round_results(health_round, language=LANGUAGE)

    client = Client()
    client.force_login(people["customer"][0], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(
        "health:round", kwargs={"pk": health_round.agreement_id, "number": health_round.number}
    )

    def page() -> bytes:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=LANGUAGE)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: status {response.status_code}")
        return response.content

    medians: dict[str, tuple[float, int]] = {}
    aggregate_s, aggregate_q, _ = median_of("aggregate_s", aggregate)
    medians["aggregate_s"] = (aggregate_s, aggregate_q)
    release_s, release_q, _ = median_of("release_s", release, setup=unrelease)
    medians["release_s"] = (release_s, release_q)
    check_released(health_round, loaded)
    results_s, results_q, data = median_of("results_s", build_results)
    if any(data.sides[side].withheld for side in results.SIDES):
        raise RuntimeError("round_results withholds a side's figures")
    medians["results_s"] = (results_s, results_q)
    page_s, page_q, content = median_of("page_s", page)
    if b"<svg" not in content or b'data-testid="withheld-' in content:
        raise RuntimeError(f"GET {url}: the page shows no figures")
    medians["page_s"] = (page_s, page_q)
    log(f"  page: {len(content)} bytes")

    emit(
        out,
        "close_s",
        close_s,
        "s",
        answers=loaded.answers,
        respondents=respondents,
        runs=1,
        note="closing once: final figures, and the answers rewritten in random order",
    )
    for figure, (median, queries) in medians.items():
        extra = {"goal": GOAL_PAGE_S} if figure == "page_s" else {}
        emit(
            out,
            figure,
            median,
            "s",
            answers=loaded.answers,
            respondents=respondents,
            queries=queries,
            runs=RUNS,
            **extra,
        )
    if EXPLAIN and size == max(SIZES):
        explain_aggregation(health_round)
    return {figure: median for figure, (median, _) in medians.items()} | {
        "queries": {figure: queries for figure, (_, queries) in medians.items()}
    }


def main() -> int:
    # A SIGTERM (e.g. from run.py's watchdog) unwinds through the finally block.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = sys.stdout  # the JSON lines; anything else printed goes to stderr
    home = Path(tempfile.mkdtemp(prefix="samverkan-bench-health-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("EMAIL_HOST", None)
    os.environ.update(
        SAMVERKAN_HOME=str(home / "home"),
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",  # the test client's host
        TASKS_BACKEND="immediate",
    )
    try:
        with contextlib.redirect_stdout(sys.stderr):
            import django

            django.setup()
            from django.conf import settings
            from django.core.management import call_command

            # The invitations are e-mailed when a round opens: keep them in memory.
            settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
            started = time.monotonic()
            call_command("migrate", verbosity=0)
            people = build_parties()
            log(f"migrated in {time.monotonic() - started:.1f} s; sizes {SIZES}, {RUNS} runs")
            measured = {size: measure(out, people, size) for size in SIZES}

        failed = False
        page_queries = {size: m["queries"]["page_s"] for size, m in measured.items()}
        if len(set(page_queries.values())) > 1:
            log(f"FAILED: the page's query count grows with the answers: {page_queries}")
            failed = True
        if len(measured) > 1:
            low, high = min(measured), max(measured)
            names = ("aggregate_s", "release_s", "results_s", "page_s")
            growth = {
                figure: round(measured[high][figure] / measured[low][figure], 2) for figure in names
            }
            summary: dict[str, Any] = {
                "answers_from": low,
                "answers_to": high,
                "answers_ratio": round(high / low, 2),
                "growth": growth,
                "by_answers": {  # the medians per size, to read the growth step by step
                    figure: {str(size): round(m[figure], 4) for size, m in measured.items()}
                    for figure in names
                },
                "page_queries_constant": not failed,
            }
            if GOAL_SIZE in measured:
                page_at_goal = measured[GOAL_SIZE]["page_s"]
                summary.update(
                    page_s_at_goal_size=round(page_at_goal, 4),
                    goal_size=GOAL_SIZE,
                    goal=GOAL_PAGE_S,
                    goal_met=page_at_goal < GOAL_PAGE_S,
                )
            log(
                f"from {low} to {high} answers (×{high / low:g}): "
                + ", ".join(f"{figure} ×{ratio:g}" for figure, ratio in growth.items())
            )
            emit(out, "aggregate_growth", growth["aggregate_s"], "ratio", **summary)
        return 1 if failed else 0
    except Exception as exc:  # any failure: the traceback, a FAILED line, exit status 1
        traceback.print_exc()
        log(f"FAILED: {type(exc).__name__}: {exc}")
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

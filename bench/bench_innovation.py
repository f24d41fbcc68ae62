"""The innovation rate and the ideas board for 100 agreements with 100 ideas each.

A throw-away installation (SQLite under a temporary SAMVERKAN_HOME, DEBUG=1) gets a
customer, a supplier, an owner on each side and BENCH_INNOVATION_AGREEMENTS
agreements (created through ``agreement_create``; the supplier's owner joins each as
an editor), each with an innovation framework expecting 3 ideas a quarter and
BENCH_INNOVATION_IDEAS ideas. The ideas are bulk-loaded for speed (``Idea``,
``IdeaStep`` and ``RealisedEffect`` rows straight into the tables, as
``idea_propose``, ``idea_transition`` and ``effect_record`` would write them): fixed
(seeded random) sides, areas, costs and stages, proposed over the last two years, each
decided idea with its decision step some days after the proposal, each measured idea
with its realised effect.

Then it times, each as the median of BENCH_RUNS runs after one warm-up run, with the SQL
queries of one run:

- ``rate_all_s``: ``innovation_rates`` for every agreement at once (what the portfolio
  column asks): per side, ideas per quarter, shares approved and implemented, median
  days to a decision and realised against expected effect — GROUP BY queries, a
  constant number however many agreements and ideas;
- ``rate_one_s``: ``innovation_rate`` for one agreement (the page's computation);
- ``rate_page_s``: ``GET`` of one agreement's innovation-rate page (chart and tables)
  through Django's test client, signed in as the customer's owner;
- ``board_page_s``: ``GET`` of one agreement's ideas board, likewise.

Before timing, it checks that the rate of every agreement counts all its ideas, and that
the pages answer 200 with the chart and the cards. One JSON line per figure on stdout,
progress on stderr. Exits non-zero when a check fails, or when the pages' or the rate's
query count differs between an agreement with a tenth of the ideas and a full one.

Knobs (environment): BENCH_INNOVATION_AGREEMENTS (100), BENCH_INNOVATION_IDEAS (100),
BENCH_RUNS (5).
"""

from __future__ import annotations

import contextlib
import datetime
import json
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
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, TypeVar

BENCH = "innovation"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
AGREEMENTS = int(os.environ.get("BENCH_INNOVATION_AGREEMENTS", "100"))
IDEAS = int(os.environ.get("BENCH_INNOVATION_IDEAS", "100"))
EXPECTED = 3
LANGUAGE = "sv"

CUSTOMER = "Mälardalens Energi AB"
SUPPLIER = "Nordvik IT-tjänster AB"
OWNER = ("karin.lindqvist@malardalsenergi.example", "Karin Lindqvist")
SUPPLIER_OWNER = ("mikael.forsberg@nordvik.example", "Mikael Forsberg")
TITLES = (
    "Automatiserad patchning av servrar",
    "Självbetjäning för lösenord",
    "Prisförslag i realtid i kundportalen",
    "Gemensam genomgång av larmreglerna",
    "Förifylld digital skadeanmälan",
    "Schemalagd drift av testmiljöerna",
    "Kapacitetsprognos för kundplattformen",
    "Mentorprogram för nya förvaltare",
)
# (stage, weight): most ideas are decided or further on, some still open.
STAGES = (
    ("proposed", 12),
    ("evaluation", 10),
    ("approved", 10),
    ("rejected", 12),
    ("parked", 8),
    ("implementation", 14),
    ("implemented", 16),
    ("measured", 18),
)
DECIDED_AS = {"implementation": "approved", "implemented": "approved", "measured": "approved"}

T = TypeVar("T")


def log(message: str) -> None:
    print(f"[{BENCH}] {message}", file=sys.stderr, flush=True)


def emit(out: TextIO, figure: str, value: Any, unit: str, **context: Any) -> None:
    line: dict[str, Any] = {
        "bench": BENCH,
        "figure": figure,
        "value": round(value, 4) if unit == "s" else value,
        "unit": unit,
    }
    line.update(context)
    print(json.dumps(line), file=out, flush=True)


# --- The data ---------------------------------------------------------------------


def build() -> tuple[Any, list[Any]]:
    """The parties, the owners and the agreements with their frameworks (services)."""
    from samverkan.accounts.models import MembershipRole, OrganisationKind
    from samverkan.accounts.services import membership_set, organisation_create, user_create
    from samverkan.agreements.models import AgreementStatus, Participant
    from samverkan.agreements.services import agreement_create
    from samverkan.innovation.models import Framework

    owner = user_create(email=OWNER[0], password=None, full_name=OWNER[1])
    supplier_owner = user_create(
        email=SUPPLIER_OWNER[0], password=None, full_name=SUPPLIER_OWNER[1]
    )
    customer = organisation_create(
        name=CUSTOMER, kind=OrganisationKind.CUSTOMER, org_number="556112-4834"
    )
    supplier = organisation_create(
        name=SUPPLIER, kind=OrganisationKind.SUPPLIER, org_number="559047-2212"
    )
    membership_set(organisation=customer, user=owner, role=MembershipRole.ADMIN)
    membership_set(organisation=supplier, user=supplier_owner, role=MembershipRole.ADMIN)
    agreements = []
    for number in range(1, AGREEMENTS + 1):
        agreement = agreement_create(
            actor=owner,
            own_organisation=customer,
            counterpart_name=SUPPLIER,
            reference=f"IT-{number:03d}",
            title=f"Förvaltning och drift {number}",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2028, 12, 31),
            status=AgreementStatus.ACTIVE,
        )
        Participant.objects.get_or_create(
            agreement=agreement,
            user=supplier_owner,
            defaults={"side": "supplier", "role": "editor"},
        )
        agreements.append(agreement)
    Framework.objects.bulk_create(
        [Framework(agreement=agreement, ideas_per_quarter=EXPECTED) for agreement in agreements]
    )
    return owner, agreements


def load_ideas(agreements: list[Any], owner: Any, rng: random.Random) -> int:
    """``IDEAS`` ideas per agreement (the first agreement a tenth of them), bulk-loaded."""
    from django.utils import timezone

    from samverkan.innovation.models import Idea, IdeaStep, RealisedEffect

    now = timezone.now()
    stages = [stage for stage, _weight in STAGES]
    weights = [weight for _stage, weight in STAGES]
    ideas = []
    for index, agreement in enumerate(agreements):
        count = max(IDEAS // 10, 1) if index == 0 else IDEAS
        for number in range(1, count + 1):
            ideas.append(
                Idea(
                    agreement=agreement,
                    number=number,
                    title=f"{rng.choice(TITLES)} ({number})",
                    area=rng.choice(("business", "processes", "employees", "infrastructure")),
                    problem="Arbetet görs för hand och tar tid.",
                    proposal="Automatisera flödet och följ upp effekten.",
                    effect=Decimal(rng.randrange(10, 400)),
                    effect_unit="hours_per_month",
                    baseline=Decimal(rng.randrange(400, 900)),
                    cost=rng.randrange(20, 400) * 1000,
                    proposer=owner,
                    side=rng.choice(("customer", "supplier", "supplier")),
                    stage=rng.choices(stages, weights)[0],
                    created_at=now - datetime.timedelta(days=rng.uniform(20, 730)),
                )
            )
    Idea.objects.bulk_create(ideas, batch_size=500)
    ideas = list(Idea.objects.order_by("pk"))  # with their keys
    steps = []
    effects = []
    for idea in ideas:
        decided = DECIDED_AS.get(idea.stage, idea.stage)
        if decided in ("approved", "rejected", "parked"):
            steps.append(
                IdeaStep(
                    idea=idea,
                    agreement_id=idea.agreement_id,
                    from_stage="evaluation",
                    to_stage=decided,
                    reason="Beslut i samverkansrådet.",
                    actor=owner,
                )
            )
        if idea.stage == "measured":
            effects.append(
                RealisedEffect(
                    idea=idea,
                    agreement_id=idea.agreement_id,
                    realised=idea.effect * Decimal(rng.uniform(0.5, 1.3)).quantize(Decimal("0.01")),
                    measured_on=(now - datetime.timedelta(days=5)).date(),
                    evidence="Tidrapporterna.",
                    recorded_by=owner,
                )
            )
    IdeaStep.objects.bulk_create(steps, batch_size=500)
    # A decision some days after the proposal (at is set on insert; written afterwards).
    created = {idea.pk: idea.created_at for idea in ideas}
    saved = list(IdeaStep.objects.order_by("pk"))
    for step in saved:
        step.at = created[step.idea_id] + datetime.timedelta(days=rng.uniform(1, 40))
    IdeaStep.objects.bulk_update(saved, ["at"], batch_size=500)
    RealisedEffect.objects.bulk_create(effects, batch_size=500)
    return len(ideas)


# --- Timing -----------------------------------------------------------------------


def median_of(label: str, function: Callable[[], T]) -> tuple[float, int, T]:
    """The median of RUNS runs after one warm-up, the SQL queries of one run, the last result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    counts = []
    result: T
    for _ in range(RUNS + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            elapsed = time.perf_counter() - started
        times.append(elapsed)
        counts.append(len(captured))
    times, counts = times[1:], counts[1:]
    if len(set(counts)) != 1:
        raise RuntimeError(f"{label}: the query count varies between runs: {counts}")
    median = statistics.median(times)
    log(
        f"  {label}: median {median * 1000:.1f} ms (min {min(times) * 1000:.1f}, "
        f"max {max(times) * 1000:.1f}) over {RUNS} runs, {counts[0]} queries"
    )
    return median, counts[0], result


def queries_of(function: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def measure(out: TextIO, owner: Any, agreements: list[Any], ideas: int) -> bool:
    from django.test import Client
    from django.urls import reverse

    from samverkan.innovation.models import Idea
    from samverkan.innovation.rate_selectors import innovation_rate, innovation_rates

    small, full = agreements[0], agreements[-1]
    rates = innovation_rates(agreements)
    counted = sum(rate.sides["all"].ideas for rate in rates.values())
    if counted != ideas or counted != Idea.objects.count():
        raise RuntimeError(f"the rates count {counted} ideas, {ideas} were loaded")
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")

    def page(name: str, agreement: Any, marker: bytes) -> Callable[[], bytes]:
        url = reverse(name, args=[agreement.pk])

        def get() -> bytes:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=LANGUAGE)
            if response.status_code != 200 or marker not in response.content:
                raise RuntimeError(f"GET {url}: status {response.status_code}, no {marker!r}")
            return bytes(response.content)

        return get

    context = {"agreements": len(agreements), "ideas_per_agreement": IDEAS, "ideas": ideas}
    figures = {
        "rate_all_s": lambda: innovation_rates(agreements),
        "rate_one_s": lambda: innovation_rate(full),
        "rate_page_s": page("innovation:rate", full, b"innovation-rate-chart"),
        "board_page_s": page("innovation:board", full, b"sv-board-card"),
    }
    for figure, function in figures.items():
        median, queries, _result = median_of(figure, function)
        emit(out, figure, median, "s", queries=queries, runs=RUNS, **context)

    # The same number of queries for a tenth of the ideas as for all of them.
    constant = True
    for label, one, other in (
        ("rate", lambda: innovation_rate(small), lambda: innovation_rate(full)),
        (
            "rate page",
            page("innovation:rate", small, b"innovation-rate-chart"),
            page("innovation:rate", full, b"innovation-rate-chart"),
        ),
        (
            "board",
            page("innovation:board", small, b"sv-board-card"),
            page("innovation:board", full, b"sv-board-card"),
        ),
    ):
        few, many = queries_of(one), queries_of(other)
        log(f"  {label}: {few} queries for {max(IDEAS // 10, 1)} ideas, {many} for {IDEAS}")
        constant = constant and few == many
    emit(out, "queries_constant", constant, "bool", **context)
    return constant


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = sys.stdout  # the JSON lines; anything else printed goes to stderr
    home = Path(tempfile.mkdtemp(prefix="samverkan-bench-innovation-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("EMAIL_HOST", None)
    os.environ.update(
        SAMVERKAN_HOME=str(home / "home"),
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        TASKS_BACKEND="immediate",
    )
    try:
        with contextlib.redirect_stdout(sys.stderr):
            import django

            django.setup()
            from django.conf import settings
            from django.core.management import call_command
            from django.db import reset_queries

            settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
            started = time.monotonic()
            call_command("migrate", verbosity=0)
            owner, agreements = build()
            ideas = load_ideas(agreements, owner, random.Random(12))
            reset_queries()
            log(
                f"{len(agreements)} agreements, {ideas} ideas built in "
                f"{time.monotonic() - started:.1f} s; {RUNS} runs"
            )
            constant = measure(out, owner, agreements, ideas)
        if not constant:
            log("FAILED: a query count grows with the ideas")
            return 1
        return 0
    except Exception as exc:  # any failure: the traceback, a FAILED line, exit status 1
        traceback.print_exc()
        log(f"FAILED: {type(exc).__name__}: {exc}")
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""The benchmarks still run: a small size of each, in a subprocess, as `make bench` would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_the_health_benchmark_runs_and_keeps_the_page_queries_constant() -> None:
    # 11 and 22 respondents a side: enough for every statement's own figure (5 scores).
    env = dict(os.environ, BENCH_HEALTH_SIZES="1500,3000", BENCH_RUNS="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "run.py"), "health"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    pages = [line for line in lines if line.get("figure") == "page_s"]
    assert [line["answers"] for line in pages] == [1500, 3000]
    assert len({line["queries"] for line in pages}) == 1


def test_the_concurrency_benchmark_loses_no_acknowledged_write_and_answers_no_5xx() -> None:
    """16 writers for 3 s (make bench: 20 s) against samverkan serve on SQLite."""
    env = dict(os.environ, BENCH_CONCURRENCY_SECONDS="3")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "run.py"), "concurrency"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    figures = {line["figure"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert figures["lost"]["value"] == 0
    assert figures["errors_5xx"]["value"] == 0
    assert figures["acknowledged"]["value"] > 0
    assert figures["requests"]["writers"] == 16


def test_the_overview_benchmark_runs_and_its_pages_keep_their_queries() -> None:
    """Three in-process runs a page and 1 s a page under samverkan serve (make bench: 30, 5 s)."""
    env = dict(os.environ, BENCH_RUNS="3", BENCH_SECONDS="1", BENCH_WARMUP_SECONDS="0.3")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "run.py"), "overview"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    figures = {line["figure"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert {"list_ms", "overview_ms", "model_ms", "overview_changed_ms"} <= set(figures)
    # The overview reads kept summaries: fewer queries than when it checks a changed model.
    assert figures["overview_ms"]["queries"] < figures["overview_changed_ms"]["queries"]
    for page in ("list", "overview", "model"):
        assert figures[f"{page}_rps"]["value"] > 0


def test_the_innovation_benchmark_runs_and_keeps_its_queries_constant() -> None:
    """Ten agreements of 20 ideas, one run (make bench: 100 agreements of 100 ideas, 5 runs)."""
    env = dict(
        os.environ,
        BENCH_INNOVATION_AGREEMENTS="10",
        BENCH_INNOVATION_IDEAS="20",
        BENCH_RUNS="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "run.py"), "innovation"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    figures = {line["figure"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert {"rate_all_s", "rate_one_s", "rate_page_s", "board_page_s"} <= set(figures)
    assert figures["queries_constant"]["value"] is True
    # The rate of every agreement at once takes as many queries as the rate of one.
    assert figures["rate_all_s"]["queries"] == figures["rate_one_s"]["queries"]
    assert figures["rate_all_s"]["ideas"] == 9 * 20 + 2

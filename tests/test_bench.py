"""The benchmarks still run: a small size of each, in a subprocess, as `make bench` would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_the_health_benchmark_runs_and_keeps_the_page_queries_constant() -> None:
    env = dict(os.environ, BENCH_HEALTH_SIZES="600,1200", BENCH_RUNS="1")
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
    assert [line["answers"] for line in pages] == [600, 1200]
    assert len({line["queries"] for line in pages}) == 1

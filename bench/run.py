"""Run every benchmark under bench/ and pass their JSON lines through.

Usage: ``python bench/run.py [NAME ...]`` where NAME selects ``bench_NAME.py``
(default: all of them, in name order). Each benchmark runs as a subprocess with
this interpreter; its stdout must be JSON lines, one per figure, and is copied to
our stdout as it arrives. Its stderr (progress, diagnostics) goes to our stderr.
The exit status is non-zero when any benchmark fails or prints a line that is
not a JSON object.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
TIMEOUT_SECONDS = 600


def discover(names: list[str]) -> list[Path]:
    found = sorted(BENCH_DIR.glob("bench_*.py"))
    if not names:
        return found
    by_name = {path.stem.removeprefix("bench_"): path for path in found}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        known = ", ".join(by_name) or "none"
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)} (known: {known})")
    return [by_name[name] for name in names]


def run_one(path: Path) -> bool:
    """Run one benchmark, streaming its stdout through; True when it succeeded."""
    started = time.monotonic()
    print(f"== {path.name}", file=sys.stderr, flush=True)
    process = subprocess.Popen(
        [sys.executable, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=BENCH_DIR.parent,
    )
    assert process.stdout is not None
    timed_out = threading.Event()

    def kill() -> None:
        # SIGTERM first, so the benchmark can stop the server it started.
        timed_out.set()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

    watchdog = threading.Timer(TIMEOUT_SECONDS, kill)
    watchdog.start()
    ok = True
    for line in process.stdout:
        line = line.rstrip("\n")
        if not line:
            continue
        try:
            valid = isinstance(json.loads(line), dict)
        except json.JSONDecodeError:
            valid = False
        if valid:
            print(line, flush=True)
        else:
            ok = False
            print(f"{path.name}: not a JSON object: {line}", file=sys.stderr, flush=True)
    returncode = process.wait()
    watchdog.cancel()
    if timed_out.is_set():
        print(f"{path.name}: killed after {TIMEOUT_SECONDS} s", file=sys.stderr)
    elapsed = time.monotonic() - started
    if returncode != 0:
        ok = False
        print(f"{path.name}: exited with status {returncode}", file=sys.stderr)
    print(
        f"== {path.name}: {'ok' if ok else 'FAILED'} in {elapsed:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    return ok


def main(argv: list[str]) -> int:
    benchmarks = discover(argv)
    if not benchmarks:
        print("no benchmarks found (bench/bench_*.py)", file=sys.stderr)
        return 1
    failed = [path.name for path in benchmarks if not run_one(path)]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Time the fast test suite (`pytest -m "not slow"`, target: under 20 s on 2 cores).

Run it from the repository with the Python of the test environment:

    python bench/fast_suite.py             # three runs
    python bench/fast_suite.py --reps 5

Each run is timed whole (wall clock, and the CPU time of pytest and everything it
starts), after a fixed pure-Python loop timed the same way: the loop's time says how
fast the machine was at that moment, so runs on a busy or slower machine show as
such. It prints a Markdown table for BENCHMARKS.md. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider"]


def loop_seconds() -> float:
    """A fixed amount of pure-Python work, in a process of its own (the calibration)."""
    code = "s = 0\nfor i in range(10_000_000): s += i"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_once() -> tuple[float, float, str]:
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(COMMAND, cwd=ROOT, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0:
        raise SystemExit(f"the fast suite failed (exit {done.returncode}): {last}")
    return wall, cpu, re.sub(r"\s+in [\d.]+s.*", "", last.strip("= "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    reps = parser.parse_args().reps
    load = os.getloadavg()[0]
    rows = []
    for n in range(1, reps + 1):
        calibration = loop_seconds()
        wall, cpu, outcome = run_once()
        rows.append((n, wall, cpu, calibration, outcome))
        print(f"run {n}: {wall:.1f} s wall, {cpu:.1f} s CPU, loop {calibration:.2f} s", flush=True)
    print(f"\n{os.cpu_count()} cores, load average {load:.2f} before the first run\n")
    print("| run | wall | CPU (pytest and its processes) | loop (machine speed) | tests |")
    print("|---|---|---|---|---|")
    for n, wall, cpu, calibration, outcome in rows:
        print(f"| {n} | {wall:.1f} s | {cpu:.1f} s | {calibration:.2f} s | {outcome} |")
    walls = [row[1] for row in rows]
    print(f"\nmedian wall {statistics.median(walls):.1f} s, fastest {min(walls):.1f} s")


if __name__ == "__main__":
    main()

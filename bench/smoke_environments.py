"""Time a pairwise smoke run's environments: from the projects' uv.lock against pip.

Run it from the repository with scaffold installed (network to PyPI for the warm-up):

    python bench/smoke_environments.py              # both templates, pairwise, 2 rounds
    python bench/smoke_environments.py flask --rounds 3

It renders the pairwise combinations as `scaffold smoke` does, then builds their
environments the two ways a smoke run can, each into an empty scaffold cache of its
own: **pip**, the one shared environment of every project's declared requirements
(`pip install` of their union, what projects without a lock get), and **uv.lock**,
one environment per distinct lock (`uv sync --locked`, what projects with a lock get).
One warm-up round fills pip's and uv's own download caches; in each measured round
the two run side by side, in alternating order. It prints a Markdown table for
BENCHMARKS.md. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scaffold.catalog import load_template
from scaffold.render import render_template
from scaffold.smoke.environment import Recipe, ensure_environment, project_requirements
from scaffold.smoke.generate import smoke_values
from scaffold.smoke.locked import has_lock, locked_environments
from scaffold.smoke.selection import plan


def pip_way(name: str, projects: list[Path], cache: Path) -> float:
    started = time.perf_counter()
    requirements = [r for project in projects for r in project_requirements(project)]
    env = ensure_environment(name, requirements, cache, recipe=Recipe())
    assert env.ok, env.output
    return time.perf_counter() - started


def lock_way(name: str, projects: list[Path], cache: Path) -> float:
    started = time.perf_counter()
    envs = locked_environments(name, projects, cache, Recipe())
    assert all(env.ok for env in envs.values()), [e.output for e in envs.values()]
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="*", default=["django", "flask"])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        root = Path(scratch)
        for name in args.templates:
            template = load_template(name)
            _, selected = plan([template], strategy="pairwise")
            projects = []
            for number, (_, combination) in enumerate(selected):
                out = root / name / str(number)
                out.mkdir(parents=True)
                projects.append(render_template(template, smoke_values(combination), out))
            locks = {(p / "uv.lock").read_text() for p in projects if has_lock(p)}
            assert len(locks) and all(has_lock(p) for p in projects), "a project without uv.lock"
            times: dict[str, list[float]] = {"pip": [], "uv.lock": []}
            ways = [("pip", pip_way), ("uv.lock", lock_way)]
            for round_ in range(args.rounds + 1):  # round 0 warms pip's and uv's caches
                for label, way in ways if round_ % 2 else ways[::-1]:
                    cache = root / f"cache-{name}-{label}-{round_}"
                    seconds = way(name, projects, cache)
                    shutil.rmtree(cache)
                    if round_:
                        times[label].append(seconds)
                    print(f"{name} round {round_} {label}: {seconds:.1f} s", file=sys.stderr)
            pip, lock = statistics.median(times["pip"]), statistics.median(times["uv.lock"])
            rows.append((name, len(projects), len(locks), pip, lock))
    print(
        "| template | pairwise projects | distinct locks | pip (one env) | uv.lock (env per lock) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, count, locks, pip, lock in rows:
        print(f"| {name} | {count} | {locks} | {pip:.1f} s | {lock:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure scaffold's start-up, its overhead over plain cookiecutter, and smoke throughput.

Run it with the Python of the environment scaffold is installed in:

    python bench/run.py                       # everything, defaults below
    python bench/run.py --only help,new       # just some of the benchmarks
    python bench/run.py --reps 30 --smoke-strategy all

It prints Markdown tables (paste them into BENCHMARKS.md) and, with --json FILE,
the raw figures. The smoke benchmark needs SCAFFOLD_TEST_POSTGRES_URL for the
PostgreSQL combinations, like `scaffold smoke` itself. Nothing here is a test:
timings depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def scaffold() -> list[str]:
    """The scaffold command of this environment."""
    found = BIN / "scaffold"
    return [str(found)] if found.exists() else [sys.executable, "-m", "scaffold"]


def smoke_command() -> list[str]:
    """`scaffold smoke`, or the command object itself where the CLI does not list it yet."""
    probe = subprocess.run([*scaffold(), "smoke", "--help"], capture_output=True, check=False)
    if probe.returncode == 0:
        return [*scaffold(), "smoke"]
    return [sys.executable, "-c", "from scaffold.cli.smoke import smoke_command; smoke_command()"]


def timed(command: list[str], **kwargs: Any) -> float:
    """Run a command to completion; return its wall time in seconds (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_help(reps: int) -> dict[str, Any]:
    """`scaffold --help` in a new process each time, next to a bare `python -c pass`."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "scaffold --help": [*scaffold(), "--help"],
    }
    for command in commands.values():  # warm the OS file cache and the .pyc files once
        timed(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            samples[name].append(timed(command))
    return {
        name: {"median_ms": median_ms(s), "min_ms": min(s) * 1000} for name, s in samples.items()
    }


def _django_admin() -> str | None:
    """django-admin from PATH, else from a scaffold smoke environment of the Django template."""
    if found := shutil.which("django-admin"):
        return found
    cache = os.environ.get("SCAFFOLD_CACHE_DIR") or str(Path.home() / ".cache" / "scaffold")
    candidates = sorted(glob.glob(os.path.join(cache, "django-*", "bin", "django-admin")))
    return candidates[-1] if candidates else None


def bench_new(reps: int) -> dict[str, Any]:
    """`scaffold new --no-input` against cookiecutter on the same template, and startproject."""
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    try:
        # One scaffold run tells which template context `new --no-input` uses, so
        # cookiecutter gets exactly the same values.
        subprocess.run(
            [*scaffold(), "new", "probe", "--no-input", "--framework", "django", "-o", str(work)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        answers = (work / "probe" / ".scaffold-answers.yml").read_text()
        import yaml

        context = yaml.safe_load(answers)["_scaffold"]["context"]
        context.update(project_name="demo", project_slug="demo")
        extra = [f"{key}={_cli_value(value)}" for key, value in context.items()]
        template = str(ROOT / "templates" / "django")
        cookiecutter = str(BIN / "cookiecutter")
        commands: dict[str, Any] = {
            "scaffold new --no-input": lambda out: [
                *scaffold(),
                "new",
                "demo",
                "--no-input",
                "--framework",
                "django",
                "-o",
                out,
            ],
            "scaffold new --no-input --no-git": lambda out: [
                *scaffold(),
                "new",
                "demo",
                "--no-input",
                "--framework",
                "django",
                "--no-git",
                "-o",
                out,
            ],
            "cookiecutter --no-input": lambda out: [
                cookiecutter,
                "--no-input",
                template,
                "-o",
                out,
                *extra,
            ],
        }
        admin = _django_admin()
        if admin:
            commands["django-admin startproject"] = lambda out: [admin, "startproject", "demo", out]
        # cookiecutter must not read or write the user's config and replay files
        config = work / "cookiecutter.yaml"
        config.write_text(json.dumps({"replay_dir": str(work / "replay")}))
        env = {**os.environ, "COOKIECUTTER_CONFIG": str(config)}
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for rep in range(reps + 1):  # the first round only warms caches
            names = list(commands)
            names = names[rep % len(names) :] + names[: rep % len(names)]  # rotate the order
            for name in names:
                out = work / f"{rep}-{len(samples[name])}-{abs(hash(name))}"
                out.mkdir()
                seconds = timed(commands[name](str(out)), env=env, stderr=subprocess.DEVNULL)
                if rep:
                    samples[name].append(seconds)
                shutil.rmtree(out)
        result = {
            name: {"median_ms": median_ms(s), "min_ms": min(s) * 1000}
            for name, s in samples.items()
        }
        base = samples["cookiecutter --no-input"]
        for name, figures in result.items():
            # Paired by round: both ran within the same second, so a busy moment
            # of the machine slows both and cancels out of the ratio.
            ratios = [mine / theirs for mine, theirs in zip(samples[name], base, strict=True)]
            figures["vs_cookiecutter"] = statistics.median(ratios)
        return {"reps": reps, "context": context, "django_admin": admin, "results": result}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cli_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def bench_smoke(templates: list[str], strategy: str, jobs_list: list[int]) -> dict[str, Any]:
    """Combinations per minute for each template and --jobs, and the share outside the checks."""
    figures: dict[str, Any] = {}
    for template in templates:
        # One run first builds (or finds) the shared environment: the figures are for
        # a warm cache, as on a developer's machine or in CI with a cache step.
        _smoke(template, strategy, 2)
        for jobs in jobs_list:
            report = _smoke(template, strategy, jobs)
            count = len(report["results"])
            figures[f"{template} --jobs {jobs}"] = {
                "combinations": count,
                "failed": report["failed"],
                "wall_seconds": report["wall_seconds"],
                "per_minute": count / report["wall_seconds"] * 60,
                "outside_share": report["outside_checks_share"],
            }
    return {"strategy": strategy, "results": figures}


def _smoke(template: str, strategy: str, jobs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "smoke.json"
        command = [*smoke_command(), template, "--strategy", strategy, "--jobs", str(jobs)]
        subprocess.run([*command, "--json", str(out)], check=False, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text()) if out.exists() else {"results": []}


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}; load average before / after: "
        f"{results['load_before']:.1f} / {os.getloadavg()[0]:.1f}",
        "",
    ]
    if "help" in results:
        lines += ["| command | median | min |", "|---|---:|---:|"]
        for name, f in results["help"].items():
            lines.append(f"| `{name}` | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms |")
        lines.append("")
    if "new" in results:
        new = results["new"]
        lines += [
            f"{new['reps']} rounds, order rotated each round; median wall time per project; "
            "vs cookiecutter is the median of the per-round ratios.",
            "",
            "| command | median | min | vs cookiecutter |",
            "|---|---:|---:|---:|",
        ]
        for name, f in new["results"].items():
            lines.append(
                f"| `{name}` | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms "
                f"| {f['vs_cookiecutter']:.2f}x |"
            )
        lines.append("")
    if "smoke" in results:
        smoke = results["smoke"]
        lines += [
            f"Strategy {smoke['strategy']}, warm environment cache.",
            "",
            "| template, jobs | combinations | failed | wall time | per minute | outside checks |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, f in smoke["results"].items():
            lines.append(
                f"| {name} | {f['combinations']} | {f['failed']} | {f['wall_seconds']:.1f} s "
                f"| {f['per_minute']:.1f} | {f['outside_share']:.1%} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="help,new,smoke", help="comma-separated benchmarks")
    parser.add_argument("--reps", type=int, default=20, help="rounds for help and new")
    parser.add_argument("--templates", default="django,flask")
    parser.add_argument("--smoke-strategy", default="pairwise")
    parser.add_argument("--smoke-jobs", default="1,2")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    results: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    if "help" in wanted:
        results["help"] = bench_help(args.reps)
    if "new" in wanted:
        results["new"] = bench_new(args.reps)
    if "smoke" in wanted:
        jobs = [int(n) for n in args.smoke_jobs.split(",")]
        results["smoke"] = bench_smoke(args.templates.split(","), args.smoke_strategy, jobs)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure scaffold's start-up, `scaffold new` against startproject and cookiecutter, smoke.

Run it with the Python of the environment scaffold is installed in:

    python bench/run.py                       # everything, defaults below
    python bench/run.py --only help,git,new   # just some of the benchmarks
    python bench/run.py --reps 30 --smoke-strategy all

`new` runs, for each template, `scaffold new demo --no-input --framework T` (with
git, and with --no-git), plain `cookiecutter --no-input templates/T` with the same
values, `django-admin startproject demo`, and the import floor (a Python that only
imports the libraries every `scaffold new` must: click, yaml and cookiecutter's
generation modules), all in one round, in an order rotated every round, after a
warm-up round; the ratios are per round, then their median.
django-admin comes from PATH, a `scaffold smoke` environment, or a virtualenv this
script makes once in scaffold's cache directory with the Django the template pins.

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
import re
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
# What every `scaffold new` imports before it does any work: its command line (click),
# the answers file (yaml), and the render path, cookiecutter's generation API with the
# Jinja extensions cookiecutter loads into every environment.
FLOOR = "import click, yaml, cookiecutter.generate, cookiecutter.extensions"


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
    """Run a command to completion; return its wall time in seconds (it must succeed).

    The command runs as after an install: Python keeps the .pyc files it compiles (pip
    compiles an installed package's; an editable install gets them on its first run),
    even where the shell sets PYTHONDONTWRITEBYTECODE, which would make every run
    compile scaffold's own modules from source again.
    """
    env = dict(kwargs.get("env", os.environ))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kwargs["env"] = env
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def sample_commands(commands: dict[str, list[str]], reps: int) -> dict[str, Any]:
    """Each command once to warm the OS file cache and the .pyc files, then `reps` rounds."""
    for command in commands.values():
        timed(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            samples[name].append(timed(command))
    return {
        name: {"median_ms": median_ms(s), "min_ms": min(s) * 1000} for name, s in samples.items()
    }


def bench_help(reps: int) -> dict[str, Any]:
    """`scaffold --help` in a new process each time, next to a bare `python -c pass`."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "scaffold --help": [*scaffold(), "--help"],
    }
    return sample_commands(commands, reps)


def _django_admin() -> str | None:
    """django-admin from PATH, a scaffold smoke environment, or a virtualenv made here once.

    The virtualenv (in scaffold's cache directory) gets the Django version the Django
    template pins, so startproject is the same Django the generated project runs.
    """
    if found := shutil.which("django-admin"):
        return found
    caches = [os.environ.get("SCAFFOLD_CACHE_DIR"), str(Path.home() / ".cache" / "scaffold")]
    for cache in filter(None, caches):
        pattern = os.path.join(cache, "django-*", "bin", "django-admin")
        if candidates := sorted(glob.glob(pattern)):
            return candidates[-1]
    venv = Path(caches[0] or caches[1]) / "bench-django"
    admin = venv / "bin" / "django-admin"
    if not admin.exists():
        pyproject = (
            ROOT / "templates" / "django" / "{{cookiecutter.project_slug}}" / "pyproject.toml"
        )
        pins = re.findall(r'"(django==[^"]+)"', pyproject.read_text(), flags=re.IGNORECASE)
        print(
            f"making {venv} with {pins[0] if pins else 'django'} for startproject", file=sys.stderr
        )
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        done = subprocess.run([*install, pins[0] if pins else "django"], check=False)
        if done.returncode != 0:
            return None
    return str(admin)


def _render(template: str, out: Path) -> Path:
    """`scaffold new demo --no-input --no-git` of ``template`` into ``out``; the project."""
    out.mkdir()
    new = [*scaffold(), "new", "demo", "--no-input", "--no-git", "--framework", template]
    subprocess.run([*new, "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    return out / "demo"


def _template_context(template: str, work: Path) -> dict[str, Any]:
    """The template values `scaffold new --no-input` uses, read from the answers it records."""
    import yaml

    project = _render(template, work / f"probe-{template}")
    answers = yaml.safe_load((project / ".scaffold-answers.yml").read_text())
    return dict(answers["_scaffold"]["context"])


def bench_new(reps: int, templates: list[str]) -> dict[str, Any]:
    """`scaffold new --no-input` against startproject and plain cookiecutter, paired by round."""
    sys.path.insert(0, str(ROOT))
    from scaffold.vcs import inside_repository

    if inside_repository(Path(tempfile.gettempdir())):
        raise SystemExit("the temp directory is inside a git repository: scaffold new makes none")
    admin = _django_admin()
    if admin is None:
        raise SystemExit("no django-admin found and none could be installed: see --help")
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    # cookiecutter must not read or write the user's config and replay files
    config = work / "cookiecutter.yaml"
    config.write_text(json.dumps({"replay_dir": str(work / "replay")}))
    env = {**os.environ, "COOKIECUTTER_CONFIG": str(config)}
    figures: dict[str, Any] = {"reps": reps, "django_admin": admin, "templates": {}}
    try:
        for template in templates:
            context = _template_context(template, work)
            extra = [f"{key}={_cli_value(value)}" for key, value in context.items()]
            new = [*scaffold(), "new", "demo", "--no-input", "--framework", template]
            commands: dict[str, Any] = {
                "scaffold new": lambda out, new=new: [*new, "-o", out],
                "scaffold new --no-git": lambda out, new=new: [*new, "--no-git", "-o", out],
                "cookiecutter": lambda out, template=template, extra=extra: [
                    str(BIN / "cookiecutter"),
                    "--no-input",
                    str(ROOT / "templates" / template),
                    "-o",
                    out,
                    *extra,
                ],
                "startproject": lambda out: [admin, "startproject", "demo", out],
                "import floor": lambda out: [sys.executable, "-c", FLOOR],
            }
            load_before = os.getloadavg()[0]
            samples = _rounds(commands, reps, work / template, env)
            figures["templates"][template] = {
                "context": context,
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
                "samples_s": samples,
                "results": {
                    name: {
                        "median_ms": median_ms(s),
                        "min_ms": min(s) * 1000,
                        # Paired by round: all ran within the same second, so a busy
                        # moment of the machine slows each and cancels out of the ratio.
                        "vs_startproject": _ratios(s, samples["startproject"]),
                        "vs_cookiecutter": _ratios(s, samples["cookiecutter"]),
                    }
                    for name, s in samples.items()
                },
            }
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rounds(
    commands: dict[str, Any], reps: int, work: Path, env: dict[str, str]
) -> dict[str, list[float]]:
    """One warm-up round, then ``reps`` rounds running every command, the order rotated."""
    work.mkdir()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(reps + 1):  # round 0 only warms caches
        names = list(commands)
        names = names[rep % len(names) :] + names[: rep % len(names)]
        for index, name in enumerate(names):
            out = work / f"{rep}-{index}"
            out.mkdir()
            seconds = timed(commands[name](str(out)), env=env, stderr=subprocess.DEVNULL)
            if rep:
                samples[name].append(seconds)
            shutil.rmtree(out)
    return samples


def _ratios(mine: list[float], theirs: list[float]) -> dict[str, Any]:
    per_round = [a / b for a, b in zip(mine, theirs, strict=True)]
    return {"median": statistics.median(per_round), "per_round": per_round}


def bench_git(reps: int, templates: list[str]) -> dict[str, Any]:
    """The git step alone, in this process: scaffold's against the six commands it replaced.

    The reference is what the step ran before: rev-parse (inside a repository?), init,
    add, var (an identity?), commit, branch. Both run on fresh copies of one rendered
    project, in rotated order; the ratio is per round, then the median.
    """
    sys.path.insert(0, str(ROOT))
    from scaffold.new_repository import init_repository
    from scaffold.vcs import TEMPLATE_BRANCH

    def reference(project: Path) -> None:
        for args in (
            ("rev-parse", "--is-inside-work-tree"),
            ("init", "-q"),
            ("add", "-A"),
            ("var", "GIT_COMMITTER_IDENT"),
            ("commit", "-q", "--no-verify", "-m", "Generate the project"),
            ("branch", TEMPLATE_BRANCH),
        ):
            where = project.parent if args[0] == "rev-parse" else project
            subprocess.run(
                ["git", "-c", "commit.gpgsign=false", *args],
                cwd=where,
                capture_output=True,
                check=args[0] != "rev-parse",
            )

    def scaffolds(project: Path) -> None:
        init_repository(project, "Generate the project")

    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-git-"))
    figures: dict[str, Any] = {}
    try:
        for template in templates:
            source = _render(template, work / template)
            steps = {"six commands (before)": reference, "scaffold's git step": scaffolds}
            samples: dict[str, list[float]] = {name: [] for name in steps}
            for rep in range(reps + 1):
                names = list(steps)[rep % 2 :] + list(steps)[: rep % 2]
                for index, name in enumerate(names):
                    project = work / f"{template}-{rep}-{index}" / "demo"
                    shutil.copytree(source, project)
                    started = time.perf_counter()
                    steps[name](project)
                    if rep:
                        samples[name].append(time.perf_counter() - started)
                    shutil.rmtree(project.parent)
            mine, before = samples["scaffold's git step"], samples["six commands (before)"]
            figures[template] = {
                name: {"median_ms": median_ms(s), "min_ms": min(s) * 1000}
                for name, s in samples.items()
            }
            figures[template]["ratio"] = _ratios(mine, before)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_dry_run(reps: int, templates: list[str]) -> dict[str, Any]:
    """`scaffold new --dry-run --json`: everything but the writing, in a new process each time."""
    commands = {
        f"scaffold new --dry-run --json --framework {t}": [
            *scaffold(),
            "new",
            "demo",
            "--no-input",
            "--dry-run",
            "--json",
            "--framework",
            t,
        ]
        for t in templates
    }
    return sample_commands(commands, reps)


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
        f"{results['load_before']:.1f} / {results['load_after']:.1f}",
        "",
    ]
    if "help" in results:
        lines += ["| command | median | min |", "|---|---:|---:|"]
        for name, f in results["help"].items():
            lines.append(f"| `{name}` | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms |")
        lines.append("")
    if "dry_run" in results:
        lines += ["| command | median | min |", "|---|---:|---:|"]
        for name, f in results["dry_run"].items():
            lines.append(f"| `{name}` | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms |")
        lines.append("")
    if "git" in results:
        lines += ["| git step | median | min | scaffold / before |", "|---|---:|---:|---:|"]
        for template, t in results["git"].items():
            for name, f in t.items():
                if name != "ratio":
                    ratio = t["ratio"]["median"] if name.startswith("scaffold") else 1.0
                    lines.append(
                        f"| {template}: {name} | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms "
                        f"| {ratio:.2f}x |"
                    )
        lines.append("")
    if "new" in results:
        new = results["new"]
        lines += [
            f"{new['reps']} rounds after a warm-up round, order rotated each round; "
            "the ratios are medians of the per-round ratios.",
            "",
        ]
        for template, t in new["templates"].items():
            lines += [
                f"**{template}** (load average {t['load_before']:.1f} before, "
                f"{t['load_after']:.1f} after)",
                "",
                "| command | median | min | vs startproject | vs cookiecutter |",
                "|---|---:|---:|---:|---:|",
            ]
            for name, f in t["results"].items():
                lines.append(
                    f"| `{name}` | {f['median_ms']:.0f} ms | {f['min_ms']:.0f} ms "
                    f"| {f['vs_startproject']['median']:.2f}x "
                    f"| {f['vs_cookiecutter']['median']:.2f}x |"
                )
            rounds = t["results"]["scaffold new"]["vs_startproject"]["per_round"]
            lines += [
                "",
                "`scaffold new` / startproject, round by round: "
                + ", ".join(f"{r:.2f}" for r in rounds),
                "",
                f"`import floor` is `python -c '{FLOOR}'`: what `scaffold new` imports "
                "before it does any work.",
                "",
            ]
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
    parser.add_argument(
        "--only", default="help,git,new,smoke", help="comma-separated: help,git,new,smoke"
    )
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
    templates = args.templates.split(",")
    if "help" in wanted:
        results["dry_run"] = bench_dry_run(args.reps, templates)
    if "git" in wanted:
        results["git"] = bench_git(args.reps, templates)
    if "new" in wanted:
        results["new"] = bench_new(args.reps, templates)
    if "smoke" in wanted:
        jobs = [int(n) for n in args.smoke_jobs.split(",")]
        results["smoke"] = bench_smoke(templates, args.smoke_strategy, jobs)
    results["load_after"] = os.getloadavg()[0]
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Rendering a smoke run's combinations: batches of them, each in one child process.

Rendering happens in a child because cookiecutter changes the working directory
while it renders (not thread-safe) and its hooks write to the terminal: each job's
stdout and stderr go to that job's log instead. A combination is rendered with its
option values only, so every other variable takes the template's own default, as
``cookiecutter --no-input`` renders it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.catalog import Template
from scaffold.smoke.checks import StepResult
from scaffold.smoke.combination import Combination
from scaffold.smoke.process import tail

if TYPE_CHECKING:
    from scaffold.project import Created

# A rendered combination: its project (None when it was not generated), the
# ``generate`` step, and whether the template's pre-generation hook refused it.
Generated = tuple[Path | None, StepResult, bool]


def smoke_values(combination: Combination) -> dict[str, Any]:
    """What smoke gives cookiecutter for a combination: its option values, nothing else.

    Every other variable takes the template's own default, rendered as ``cookiecutter
    --no-input`` renders it (a slug derived from the name, say).
    """
    return dict(combination.values)


def make_combination(
    template: Template, values: Mapping[str, Any], output_dir: Path, *, compiled: Any = None
) -> Created:
    """Make a combination's project in ``output_dir`` as every project is made
    (``project.make_project``), from its ``smoke_values`` alone: no git, no answers file.
    """
    from scaffold.project import make_project, plan_values

    plan = plan_values(template, values)
    return make_project(
        plan, output_dir=output_dir, git=False, answers_file=False, compiled=compiled
    )


def scratch(workdir: Path) -> Path:
    """A temp directory inside a run's own directory, so that removing the run removes it."""
    scratch = workdir / "tmp"
    scratch.mkdir(exist_ok=True)
    return scratch


def generate_batch(jobs: list[tuple[Template, Combination, Path]]) -> list[Generated]:
    """Render combinations in one child process; one result each."""
    started = time.perf_counter()
    payload = []
    for template, combination, workdir in jobs:
        workdir.mkdir(parents=True)
        payload.append(
            {
                "name": template.name,
                "template": str(template.path),
                "values": smoke_values(combination),
                "output_dir": str(workdir / "out"),
                "log": str(workdir / "generate.log"),
            }
        )
    child_log = jobs[0][2].parent / f"generate-{jobs[0][2].name}.log"
    with child_log.open("w") as err:
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "from scaffold.smoke.generate import render_batch; render_batch()",
            ],
            input=json.dumps(payload),
            # cookiecutter's hook scripts land in the run's own directory, removed with it.
            env={**os.environ, "TMPDIR": str(scratch(jobs[0][2].parent))},
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            check=False,
        )
    done = [json.loads(line) for line in child.stdout.splitlines() if line.strip()]
    # The child's start-up is shared by its jobs: spread it over them.
    startup = (time.perf_counter() - started - sum(d["seconds"] for d in done)) / len(jobs)
    results: list[Generated] = []
    for n, (_, _, workdir) in enumerate(jobs):
        if n >= len(done):  # the child died before this job
            output = tail(child_log) or tail(workdir / "generate.log")
            results.append(
                (
                    None,
                    StepResult(
                        "generate",
                        False,
                        startup,
                        child.returncode,
                        "the cookiecutter process failed",
                        output,
                    ),
                    False,
                )
            )
            continue
        seconds = done[n]["seconds"] + max(startup, 0.0)
        if "error" in done[n]:
            output = tail(workdir / "generate.log")
            step = StepResult("generate", False, seconds, None, done[n]["error"], output)
            results.append((None, step, bool(done[n].get("refused"))))
        else:
            step = StepResult("generate", True, seconds)
            results.append((Path(done[n]["project"]), step, False))
    return results


def render_batch() -> None:
    """Child process: render each job read from stdin; write one JSON line per job.

    Rendering happens in a child because cookiecutter changes the working
    directory while it renders (not thread-safe) and its hooks write to the
    terminal: each job's stdout and stderr go to that job's log instead. The jobs
    share one cache of compiled templates.
    """
    import traceback

    from scaffold.catalog import parse_template
    from scaffold.errors import HookRefused
    from scaffold.render import compiled_templates

    compiled = compiled_templates()
    results = os.dup(1)
    for job in json.load(sys.stdin):
        started = time.perf_counter()
        log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        done: dict[str, Any]
        try:
            template = parse_template(job["name"], Path(job["template"]))
            output_dir = Path(job["output_dir"])
            created = make_combination(template, job["values"], output_dir, compiled=compiled)
            done = {"project": str(created.rendered.path)}
        except HookRefused as err:  # not a failure: the log holds the hook's own words
            done = {"error": str(err), "refused": True}
        except BaseException as err:  # noqa: BLE001 - reported as this job's failure
            traceback.print_exc()
            done = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.flush()
        sys.stderr.flush()
        done["seconds"] = time.perf_counter() - started
        os.write(results, (json.dumps(done) + "\n").encode())

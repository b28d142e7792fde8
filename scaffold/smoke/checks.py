"""A template's checks: the ``_checks`` steps its cookiecutter.json declares, and running one.

A step runs a command (``run``) or starts a server and asks it for pages
(``serve`` with ``get``). ``when`` limits a step to combinations with given
option values (a value, or a list of allowed values); ``env`` adds variables;
``timeout`` (seconds) overrides the run's per-step limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import TemplateError
from scaffold.smoke.process import run_command, serve_and_get

# Steps that are scaffold's own work rather than the project's checks.
SETUP_STEPS = ("generate", "environment", "database", "drop database")


@dataclass(frozen=True)
class Step:
    """One check a template declares: a command to run, or a server to start and query."""

    name: str
    run: tuple[str, ...] = ()
    serve: tuple[str, ...] = ()
    get: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    when: Mapping[str, Any] = field(default_factory=dict)
    timeout: float | None = None

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Whether the step runs for a combination with these option values."""
        for key, wanted in self.when.items():
            allowed = wanted if isinstance(wanted, list) else [wanted]
            if key not in values or values[key] not in allowed:
                return False
        return True


@dataclass(frozen=True)
class Checks:
    """A template's ``_checks``: environment shared by every step, and the steps in order."""

    env: Mapping[str, str]
    steps: tuple[Step, ...]


@dataclass
class StepResult:
    """How one step went: time, exit code, and the tail of its output."""

    name: str
    ok: bool
    seconds: float = 0.0
    returncode: int | None = None
    message: str = ""
    output: str = ""
    skipped: bool = False

    @property
    def setup(self) -> bool:
        """Whether this is scaffold's own work (generation, database) rather than a check."""
        return self.name in SETUP_STEPS


def parse_checks(template: Template) -> Checks:
    """Read and validate the template's ``_checks`` declaration."""
    raw = template.checks
    where = f"template {template.name!r}: _checks"
    if not isinstance(raw, Mapping) or not raw.get("steps"):
        raise TemplateError(f'{where} declares no steps: add a "steps" list to cookiecutter.json')
    steps = []
    for index, item in enumerate(raw["steps"], start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise TemplateError(f'{where} step {index} needs a "name"')
        name = item["name"]
        command = item.get("run") or item.get("serve")
        if bool(item.get("run")) == bool(item.get("serve")) or not _strings(command):
            raise TemplateError(f'{where} step {name!r} needs one of "run" or "serve": a list')
        if item.get("serve") and not _strings(item.get("get", ["/"])):
            raise TemplateError(f'{where} step {name!r}: "get" must be a list of paths')
        steps.append(
            Step(
                name=name,
                run=tuple(item.get("run") or ()),
                serve=tuple(item.get("serve") or ()),
                get=tuple(item.get("get", ["/"])) if item.get("serve") else (),
                env={str(k): str(v) for k, v in dict(item.get("env", {})).items()},
                when=dict(item.get("when", {})),
                timeout=float(item["timeout"]) if "timeout" in item else None,
            )
        )
    env = {str(k): str(v) for k, v in dict(raw.get("env", {})).items()}
    return Checks(env=env, steps=tuple(steps))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def run_step(
    step: Step,
    fill: Callable[[str], str],
    project: Path,
    port: int,
    env: Mapping[str, str],
    log: Path,
    timeout: float,
) -> StepResult:
    """Run one step: a command to completion, or a server until it answered every path."""
    started = time.perf_counter()
    if step.serve:
        paths = [fill(path) for path in step.get]
        command = [fill(part) for part in step.serve]
        outcome = serve_and_get(
            command, paths=paths, port=port, cwd=project, env=env, log=log, timeout=timeout
        )
    else:
        command = [fill(part) for part in step.run]
        outcome = run_command(command, cwd=project, env=env, log=log, timeout=timeout)
    seconds = time.perf_counter() - started
    return StepResult(
        step.name, outcome.ok, seconds, outcome.returncode, outcome.message, outcome.output
    )

"""A template's checks: the ``_checks`` steps its cookiecutter.json declares, and running one.

A step runs a command (``run``) or starts a server and asks it for pages
(``serve`` with ``get``). A ``serve`` step may also ``crawl`` pages (links and
assets must answer), send ``requests`` in order with one cookie jar, each with
its expectations, and start a mail sink (``smtp``) whose port is ``{smtp_port}``;
``headers`` are sent with every request of the step. ``when`` limits a step to
combinations with given option values (a value, or a list of allowed values);
``env`` adds variables; ``timeout`` (seconds) overrides the run's per-step limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import TemplateError
from scaffold.smoke.probe import MailSink, probe, request_problem
from scaffold.smoke.process import run_command, serve_and_get

# Steps that are scaffold's own work rather than the project's checks.
SETUP_STEPS = ("generate", "environment", "database", "drop database")

STEP_KEYS = frozenset({"name", "run", "serve", "get", "env", "when", "timeout"})
SERVE_KEYS = frozenset({"crawl", "requests", "smtp", "headers"})


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
    crawl: tuple[str, ...] = ()
    requests: tuple[Mapping[str, Any], ...] = ()
    smtp: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)

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
        allowed = STEP_KEYS | SERVE_KEYS if item.get("serve") else STEP_KEYS
        if unknown := sorted(set(item) - allowed):
            raise TemplateError(f"{where} step {name!r}: unknown key {unknown[0]!r}")
        if item.get("serve") and not _strings(item.get("get", ["/"])):
            raise TemplateError(f'{where} step {name!r}: "get" must be a list of paths')
        if "crawl" in item and not _strings(item["crawl"]):
            raise TemplateError(f'{where} step {name!r}: "crawl" must be a list of paths')
        requests = item.get("requests", [])
        if not isinstance(requests, list):
            raise TemplateError(f'{where} step {name!r}: "requests" must be a list')
        for number, request in enumerate(requests, start=1):
            if problem := request_problem(request):
                raise TemplateError(f"{where} step {name!r} request {number}: {problem}")
        if problem := _serve_problem(item):
            raise TemplateError(f"{where} step {name!r}: {problem}")
        steps.append(
            Step(
                name=name,
                run=tuple(item.get("run") or ()),
                serve=tuple(item.get("serve") or ()),
                get=tuple(item.get("get", ["/"])) if item.get("serve") else (),
                env={str(k): str(v) for k, v in dict(item.get("env", {})).items()},
                when=dict(item.get("when", {})),
                timeout=float(item["timeout"]) if "timeout" in item else None,
                crawl=tuple(item.get("crawl", ())),
                requests=tuple(requests),
                smtp=bool(item.get("smtp", False)),
                headers={str(k): str(v) for k, v in dict(item.get("headers", {})).items()},
            )
        )
    env = {str(k): str(v) for k, v in dict(raw.get("env", {})).items()}
    return Checks(env=env, steps=tuple(steps))


def _serve_problem(item: Mapping[str, Any]) -> str | None:
    """What is wrong with a step's mail sink and headers, or None."""
    if "smtp" in item and not isinstance(item["smtp"], bool):
        return '"smtp" must be true or false'
    headers = item.get("headers", {})
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        return '"headers" must be an object of text headers'
    if not item.get("smtp"):
        if any("mail" in request for request in item.get("requests", [])):
            return 'a request expects "mail" but the step has no "smtp": true'
        if "{smtp_port}" in json.dumps(item):
            return 'uses {smtp_port} but has no "smtp": true'
    return None


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
    sink: MailSink | None = None,
) -> StepResult:
    """Run one step: a command to completion, or a server until it answered every path.

    A serve step with ``crawl`` or ``requests`` then uses the server as its users
    would; ``sink`` is the mail sink a step with ``smtp`` started.
    """
    started = time.perf_counter()
    if step.serve:
        paths = [fill(path) for path in step.get]
        command = [fill(part) for part in step.serve]

        def use() -> str:
            return probe(
                port,
                pages=[fill(page) for page in step.crawl],
                requests=[filled(request, fill) for request in step.requests],
                headers={key: fill(value) for key, value in step.headers.items()},
                sink=sink,
            )

        outcome = serve_and_get(
            command,
            paths=paths,
            port=port,
            cwd=project,
            env=env,
            log=log,
            timeout=timeout,
            then=use if step.crawl or step.requests else None,
            headers={key: fill(value) for key, value in step.headers.items()},
        )
    else:
        command = [fill(part) for part in step.run]
        outcome = run_command(command, cwd=project, env=env, log=log, timeout=timeout)
    seconds = time.perf_counter() - started
    return StepResult(
        step.name, outcome.ok, seconds, outcome.returncode, outcome.message, outcome.output
    )


def filled(value: Any, fill: Callable[[str], str]) -> Any:
    """``value`` with the placeholders filled in every string it holds."""
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, Mapping):
        return {key: filled(item, fill) for key, item in value.items()}
    if isinstance(value, list):
        return [filled(item, fill) for item in value]
    return value


def mail_sink(step: Step) -> MailSink | None:
    """A mail sink (not yet started) for a step that asks for one."""
    return MailSink() if step.smtp else None

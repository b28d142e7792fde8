"""Running a template's checks: one step, a command or a server and its requests.

What the checks declare (``scaffold-checks.yml``, or ``_checks``) is read into
frozen objects by scaffold/checks_file.py; this module runs them. A step runs a
command (``run``) or starts a server and asks it for pages (``serve`` with
``get``), then may ``crawl`` pages, send ``requests`` in order with one cookie jar
and catch the mail the project sends (``smtp``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.checks_model import Checks, Step
from scaffold.smoke.mail_sink import MailSink
from scaffold.smoke.probe import probe
from scaffold.smoke.process import run_command, serve_and_get

__all__ = ["Checks", "Step", "StepResult", "filled", "mail_sink", "run_step"]

# Steps that are scaffold's own work rather than the project's checks.
SETUP_STEPS = ("generate", "environment", "database", "redis", "drop database")
INTERRUPTED = "interrupted"  # the message of a step Ctrl-C stopped, or never started


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
    def interrupted(self) -> bool:
        """Whether the run was stopped (Ctrl-C) before this step could pass."""
        return self.message == INTERRUPTED

    @property
    def setup(self) -> bool:
        """Whether this is scaffold's own work (generation, database) rather than a check."""
        return self.name in SETUP_STEPS


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
    would (every request of ``step``: pass ``step.for_values(...)`` to leave out the
    ones whose ``when`` does not hold); ``sink`` is the mail sink a step with ``smtp``
    started.
    """
    started = time.perf_counter()
    if step.serve:
        paths = [fill(path) for path in step.get]
        command = [fill(part) for part in step.serve]

        def use() -> str:
            return probe(
                port,
                pages=[fill(page) for page in step.crawl],
                requests=[filled(request.send, fill) for request in step.requests],
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
            workers=[[fill(part) for part in worker.run] for worker in step.workers],
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

"""What a template's checks declare, as frozen objects (checks_file.py reads them).

A step's variables are the file's ``env``, then each ``environments`` block it
names, in order, then its own ``env``. ``when`` (on a step, a request, an
``exclude`` or ``expect_refused`` entry) holds when every option it names has the
value given, or one of the list of values given. A template that declares no steps
gets the default checks (smoke/default_checks.py), which need no virtualenv.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# The default checks' step names, and what each proves (smoke/default_checks.py runs them).
DEFAULT_CHECKS = {
    "unrendered": "no {{ cookiecutter. }} or {% %} left in a name or text file",
    "compile": "every .py file compiles",
}
NO_CHECKS = "no checks declared"


def matches(when: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether every key of ``when`` has its value (or one of its list of values) in ``values``."""
    for key, wanted in when.items():
        allowed = wanted if isinstance(wanted, list | tuple) else [wanted]
        if key not in values or values[key] not in allowed:
            return False
    return True


@dataclass(frozen=True)
class Rule:
    """Combinations matching ``when`` (``exclude``: never generated; ``expect_refused``:
    the pre-generation hook must refuse them), and why."""

    when: Mapping[str, Any]
    reason: str

    def matches(self, values: Mapping[str, Any]) -> bool:
        """Whether a combination with these option values is one the rule names."""
        return matches(self.when, values)


@dataclass(frozen=True)
class EnvironmentSettings:
    """The shared virtualenv of the template's combinations, as the checks declare it."""

    python: str | None = None  # the interpreter (``smoke --python`` wins)
    install: tuple[str, ...] = ()  # shell commands run in each project, in the env


@dataclass(frozen=True)
class Request:
    """One request of a serve step: what ``probe`` sends and expects, and when it is sent."""

    send: Mapping[str, Any]
    when: Mapping[str, Any] = field(default_factory=dict)

    def applies(self, values: Mapping[str, Any]) -> bool:
        return matches(self.when, values)


@dataclass(frozen=True)
class Worker:
    """A command a serve step starts beside its server (a task queue's worker), and when."""

    run: tuple[str, ...]
    when: Mapping[str, Any] = field(default_factory=dict)

    def applies(self, values: Mapping[str, Any]) -> bool:
        return matches(self.when, values)


@dataclass(frozen=True)
class Step:
    """One check a template declares: a command to run, or a server to start and query.

    ``env`` holds the step's variables from its ``environments`` blocks (in the order
    named) and then its own ``env``; the file's ``env`` comes under both.
    """

    name: str
    run: tuple[str, ...] = ()
    serve: tuple[str, ...] = ()
    get: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    when: Mapping[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    crawl: tuple[str, ...] = ()
    requests: tuple[Request, ...] = ()
    smtp: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)
    environments: tuple[str, ...] = ()
    # Commands started beside a serve step's server, in its environment, stopped after it.
    workers: tuple[Worker, ...] = ()

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Whether the step runs for a combination with these option values."""
        return matches(self.when, values)

    def for_values(self, values: Mapping[str, Any]) -> Step:
        """The step as it runs for these option values: only the requests (and workers)
        that apply."""
        return replace(
            self,
            requests=tuple(r for r in self.requests if r.applies(values)),
            workers=tuple(w for w in self.workers if w.applies(values)),
        )


@dataclass(frozen=True)
class Checks:
    """What a template's checks declare, read and validated.

    ``source`` says where they were read (a file, ``_checks``, or nothing); with no
    steps declared the default checks run instead, and need no virtualenv.
    """

    env: Mapping[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    source: str = NO_CHECKS
    exclude: tuple[Rule, ...] = ()
    expect_refused: tuple[Rule, ...] = ()
    environment: EnvironmentSettings = field(default_factory=EnvironmentSettings)
    environments: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The combinations given a Redis database (``redis: {when: ...}``); None: those
    # whose steps use ``{redis_url}``.
    redis_when: Mapping[str, Any] | None = None

    def needs_redis(self, values: Mapping[str, Any]) -> bool:
        """Whether a combination with these values gets a Redis database as ``{redis_url}``."""
        if self.redis_when is not None:
            return matches(self.redis_when, values)
        applying = [step for step in self.steps if step.applies(values)]
        return "{redis_url}" in repr((self.env, applying))

    @property
    def default(self) -> bool:
        """Whether the default checks run (no steps are declared)."""
        return not self.steps

    @property
    def needs_environment(self) -> bool:
        """Whether the steps run in the shared virtualenv (the default checks do not)."""
        return bool(self.steps)

    def describe(self) -> str:
        """Which checks run, in one line, for the report."""
        if self.default:
            why = "no checks declared" if self.source == NO_CHECKS else "no steps declared"
            return f"default checks: {', '.join(DEFAULT_CHECKS)} ({why})"
        return f"{len(self.steps)} steps from {self.source}"

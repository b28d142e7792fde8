"""Running a template's steps on one generated project.

Each project gets its own layer on the shared environment (its install commands run
there), its own database for a PostgreSQL combination, its own Redis database when
its checks use ``{redis_url}``, a free loopback port and a fresh secret; then its
checks run (checks.py), or the default checks (default_checks.py) for a template
that declares none. ``check_project`` runs them on
a project that exists already, exactly as a smoke run does (runner.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.smoke.checks import INTERRUPTED, Checks, StepResult, mail_sink, run_step
from scaffold.smoke.combination import Combination
from scaffold.smoke.default_checks import run_default_checks
from scaffold.smoke.environment import (
    Environment,
    cache_dir,
    ensure_environment,
    project_requirements,
    recipe_for,
)
from scaffold.smoke.generate import scratch
from scaffold.smoke.layer import install_in_layer, layer
from scaffold.smoke.postgres import PostgresServer
from scaffold.smoke.process import free_port, tail
from scaffold.smoke.redis_databases import NO_REDIS, REDIS_ENV, claim, database_url, release
from scaffold.smoke.results import CombinationResult, Progress, ProgressHook

__all__ = [
    "DEFAULT_STEP_TIMEOUT",
    "POSTGRES_ENV",
    "REDIS_ENV",
    "StepContext",
    "check_project",
    "layer_project",
    "no_environment",
    "run_steps",
]

DEFAULT_STEP_TIMEOUT = 600.0
POSTGRES_ENV = "SCAFFOLD_TEST_POSTGRES_URL"


def check_project(
    template: Template,
    project: Path,
    values: Mapping[str, Any],
    *,
    postgres_url: str | None = None,
    step_timeout: float = DEFAULT_STEP_TIMEOUT,
    cache: Path | None = None,
    redis_url: str | None = None,
) -> CombinationResult:
    """Run the template's checks on a project that exists already (one `scaffold update`
    wrote, say), exactly as a smoke run checks the projects it generates.

    ``values`` are the project's option values; the checks run in the template's cached
    environment, and their logs and temp files go beside ``project``.
    """
    options = {o.name: values[o.name] for o in template.options if o.name in values}
    combination = Combination(template.name, tuple(options.items()))
    result = CombinationResult(template.name, combination, project_dir=project)
    checks = {template.name: template.checks}
    if checks[template.name].needs_environment:
        recipe = recipe_for(template)
        requirements = () if recipe.install else project_requirements(project)
        root = cache or cache_dir()
        env = ensure_environment(
            template.name, requirements, root, recipe=recipe, projects=[project]
        )
    else:
        env = no_environment(template.name).result()
    if not env.ok:
        result.steps.append(StepResult("environment", False, 0.0, None, env.message, env.output))
        return result
    needs_layer = checks[template.name].needs_environment
    layered = layer_project(env, project, step_timeout, result) if needs_layer else env
    if layered is None:
        return result
    postgres_url = postgres_url if postgres_url is not None else os.environ.get(POSTGRES_ENV)
    redis_url = redis_url if redis_url is not None else os.environ.get(REDIS_ENV)
    context = StepContext(
        checks, postgres_url, step_timeout, None, lambda event: None, redis_url=redis_url
    )
    run_steps(template, combination, project, layered, context, result)
    result.seconds = sum(step.seconds for step in result.steps)
    return result


@dataclass(frozen=True)
class StepContext:
    """What the steps of every combination in one run share: each template's checks,
    the PostgreSQL server, the time limit, where to keep projects, the progress hook,
    and the flag that Ctrl-C sets."""

    checks: Mapping[str, Checks]
    postgres_url: str | None
    step_timeout: float
    keep: Path | None
    report: ProgressHook
    cancelled: threading.Event = field(default_factory=threading.Event)
    redis_url: str | None = None


def layer_project(
    env: Environment, project: Path, timeout: float, result: CombinationResult
) -> Environment | None:
    """The combination's own layer on the shared environment, its install commands run.

    Steps install into the layer, never into the cached environment. None when an
    install command failed (the failed ``environment`` step is in ``result``).
    """
    started = time.perf_counter()
    try:
        mine = layer(env, Path(tempfile.mkdtemp(prefix="env-", dir=project.parent)))
    except OSError as err:  # the cached environment went away under the run, say
        message = f"cannot layer on the environment {env.path}: {err.strerror or err}"
        seconds = time.perf_counter() - started
        result.steps.append(StepResult("environment", False, seconds, None, message))
        return None
    log = mine.path.with_suffix(".log")
    ok, message = install_in_layer(mine, project, log, timeout)
    seconds = time.perf_counter() - started
    if not ok:
        result.steps.append(StepResult("environment", False, seconds, None, message, tail(log)))
        return None
    if env.install:  # only then is it more than a few milliseconds of file work
        result.steps.append(StepResult("environment", True, seconds))
    return mine


def no_environment(template: str) -> Future[Environment]:
    """No virtualenv, for checks that need none: their steps run in scaffold's process."""
    done: Future[Environment] = Future()
    done.set_result(Environment(template, Path(), "", ()))
    return done


NO_SERVER = (
    f"{POSTGRES_ENV} is not set: point it at a PostgreSQL server this run may create "
    "databases on, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
)


def _database(
    values: Mapping[str, Any], project: Path, context: StepContext, result: CombinationResult
) -> tuple[str, str] | None:
    """The database to drop afterwards ('' for none) and the ``{database_url}``.

    PostgreSQL combinations get a new database on the server; None when it could
    not be created (the failed ``database`` step is in ``result``).
    """
    if values.get("database") != "postgresql":
        return "", f"sqlite:///{project}/smoke.sqlite3"
    started = time.perf_counter()
    name = f"smoke_{uuid.uuid4().hex[:12]}"
    server = PostgresServer(context.postgres_url) if context.postgres_url else None
    error = server.create(name) if server else NO_SERVER
    result.steps.append(
        StepResult("database", not error, time.perf_counter() - started, None, error)
    )
    if error or server is None:
        return None
    return name, server.database_url(name)


def _redis(
    values: Mapping[str, Any], checks: Checks, context: StepContext, result: CombinationResult
) -> int | None:
    """The Redis database number the combination holds: 0 when it needs none, None
    when none could be had (the failed ``redis`` step is in ``result``).
    """
    if not checks.needs_redis(values):
        return 0
    started = time.perf_counter()
    number, error = claim(context.redis_url) if context.redis_url else (0, NO_REDIS)
    result.steps.append(StepResult("redis", not error, time.perf_counter() - started, None, error))
    return None if error else number


def run_steps(
    template: Template,
    combination: Combination,
    project: Path,
    env: Environment,
    context: StepContext,
    result: CombinationResult,
) -> None:
    values = combination.values
    checks = context.checks[template.name]
    if checks.default:
        context.report(Progress("step", combination=combination, step="default checks"))
        result.steps.extend(run_default_checks(project, template.path))
        return
    port = free_port()
    database = _database(values, project, context, result)
    if database is None:
        return
    redis = _redis(values, checks, context, result)
    if redis is None:
        _drop(database[0], context, result)
        return
    placeholders = {
        "{port}": str(port),
        "{project_slug}": project.name,
        "{project_dir}": str(project),
        "{database_url}": database[1],
        # A fresh secret per combination for production settings, never written to the project.
        "{secret}": secrets.token_urlsafe(48)[:50],
    }
    # Empty for a combination the checks give no Redis database (``redis: {when: ...}``).
    placeholders["{redis_url}"] = (
        database_url(context.redis_url, redis) if redis and context.redis_url else ""
    )

    def fill(text: str) -> str:
        for placeholder, value in placeholders.items():
            text = text.replace(placeholder, value)
        return text

    environ = dict(os.environ)
    environ.pop("PYTHONHOME", None)
    environ["VIRTUAL_ENV"] = str(env.path)
    environ["PATH"] = f"{env.bin}{os.pathsep}{environ.get('PATH', '')}"
    environ["TMPDIR"] = str(scratch(project.parent))  # the checks' temp files go with the run
    environ.update({key: fill(value) for key, value in checks.env.items()})
    try:
        for step in checks.steps:
            if context.cancelled.is_set():
                result.steps.append(StepResult(step.name, False, message=INTERRUPTED))
                break
            if not step.applies(values):
                result.steps.append(StepResult(step.name, True, skipped=True))
                continue
            context.report(Progress("step", combination=combination, step=step.name))
            step = step.for_values(values)  # only the requests whose `when` holds
            safe_name = re.sub(r"[^\w.-]+", "_", step.name)
            log = project.parent / f"{len(result.steps):02d}-{safe_name}.log"
            timeout = step.timeout or context.step_timeout
            with mail_sink(step) or contextlib.nullcontext() as sink:
                placeholders["{smtp_port}"] = str(sink.port) if sink else "{smtp_port}"
                step_env = {**environ, **{key: fill(value) for key, value in step.env.items()}}
                outcome = run_step(step, fill, project, port, step_env, log, timeout, sink)
            if not outcome.ok and context.cancelled.is_set():  # Ctrl-C stopped it
                outcome.message = INTERRUPTED
            result.steps.append(outcome)
            if not result.steps[-1].ok:
                break
    finally:
        if redis and context.redis_url:
            release(context.redis_url, redis)
        _drop(database[0], context, result)


def _drop(database: str, context: StepContext, result: CombinationResult) -> None:
    """Drop the combination's PostgreSQL database, if it has one."""
    if database and context.postgres_url:
        started = time.perf_counter()
        error = PostgresServer(context.postgres_url).drop(database)
        # Dropping is cleanup: a failure is shown, but the combination's checks stand.
        note = error and f"drop: {error}"
        seconds = time.perf_counter() - started
        result.steps.append(StepResult("drop database", True, seconds, None, note))

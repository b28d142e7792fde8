"""Generate every combination of a template and run the template's own checks on it.

The checks live beside the template (``scaffold-checks.yml``, docs/checks.md), not
here: this module plans the run, renders the combinations in batches (generate.py),
prepares each one's environment and database, and runs its steps (checks.py), or the
default checks (default_checks.py) for a template that declares none; what it found
is results.py's. Each
combination gets its own temp dir, loopback port and (for PostgreSQL) database;
all combinations of a template share one virtualenv holding the union of their
dependencies, built once and cached by a hash of those dependencies.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import SmokeError
from scaffold.smoke.checks import Checks, StepResult, mail_sink, run_step
from scaffold.smoke.default_checks import run_default_checks
from scaffold.smoke.environment import (
    Environment,
    PostgresServer,
    Recipe,
    cache_dir,
    ensure_environment,
    project_requirements,
    recipe_for,
)
from scaffold.smoke.generate import Generated, generate_batch, scratch
from scaffold.smoke.layer import install_in_layer, layer
from scaffold.smoke.matrix import Combination, Matrix
from scaffold.smoke.postgres import throwaway_server
from scaffold.smoke.process import free_port, stop_all, tail
from scaffold.smoke.requirements import DeclarationError
from scaffold.smoke.results import CombinationResult, Progress, ProgressHook, SmokeRun
from scaffold.smoke.selection import plan

__all__ = ["CombinationResult", "Progress", "SmokeRun", "check_project", "run_smoke"]

DEFAULT_STEP_TIMEOUT = 600.0
POSTGRES_ENV = "SCAFFOLD_TEST_POSTGRES_URL"
RENDER_BATCH = 8


def run_smoke(
    templates: Sequence[Template],
    *,
    strategy: str = "all",
    jobs: int | None = None,
    shard_spec: tuple[int, int] | None = None,
    only: Sequence[str] = (),
    keep: Path | None = None,
    step_timeout: float = DEFAULT_STEP_TIMEOUT,
    cache: Path | None = None,
    postgres_url: str | None = None,
    progress: ProgressHook | None = None,
    python: str | None = None,
) -> SmokeRun:
    """Generate the chosen combinations and run their template's checks on each.

    A failing check is a result, not an exception: only bad arguments raise.
    ``python`` is the interpreter of the environments (a path or a name on PATH).
    """
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs < 1:
        raise SmokeError(f"--jobs {jobs} is not a positive number: use --jobs 1 or more")
    if step_timeout <= 0:
        raise SmokeError(f"--timeout {step_timeout:g} must be more than 0 seconds")
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise SmokeError(f"--keep directory {keep} is not empty: choose a new or empty directory")
    matrices, selected = plan(templates, strategy=strategy, only=only, shard_spec=shard_spec)
    # Read every template's checks before anything runs: a mistake is one line, at once.
    checks = {matrix.template.name: matrix.template.checks for matrix in matrices}
    known: dict[str, Any] = {}
    recipes = {t.name: recipe_for(t, python, known) for t, _ in selected}
    postgres_url = postgres_url if postgres_url is not None else os.environ.get(POSTGRES_ENV)
    report = progress or (lambda event: None)
    with contextlib.ExitStack() as stack:
        if not postgres_url and any(
            c.values.get("database") == "postgresql" and checks[t.name].needs_environment
            for t, c in selected
        ):
            report(Progress("status", message="starting a throwaway PostgreSQL server"))
            postgres_url = stack.enter_context(throwaway_server())
        return _run(
            selected,
            matrices,
            checks,
            jobs,
            shard_spec,
            keep,
            step_timeout,
            cache,
            postgres_url,
            report,
            recipes,
        )


def _run(
    selected: list[tuple[Template, Combination]],
    matrices: list[Matrix],
    checks: Mapping[str, Checks],
    jobs: int,
    shard_spec: tuple[int, int] | None,
    keep: Path | None,
    step_timeout: float,
    cache: Path | None,
    postgres_url: str | None,
    report: ProgressHook,
    recipes: Mapping[str, Recipe],
) -> SmokeRun:
    run = SmokeRun(matrices, [], [], jobs, shard_spec)
    report(Progress("planned", total=len(selected)))
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="scaffold-smoke-"))
    try:
        jobs_of = [
            (template, combo, workdir / f"{n:03d}") for n, (template, combo) in enumerate(selected)
        ]
        with ThreadPoolExecutor(jobs) as pool, ThreadPoolExecutor(2) as env_pool:
            # A child process renders a batch: one Python start and cookiecutter
            # import per batch, not per combination. A render takes a fraction of
            # a start, so a batch gets RENDER_BATCH combinations or more.
            children = max(1, min(jobs, math.ceil(len(selected) / RENDER_BATCH)))
            batches = [list(range(len(selected)))[k::children] for k in range(children)]
            batch_futures = [
                pool.submit(generate_batch, [jobs_of[i] for i in batch])
                for batch in batches
                if batch
            ]
            generated = _Generated(batches, batch_futures)
            environments: dict[str, Future[Environment]] = {}
            for template in {template.name: template for template, _ in selected}.values():
                if not checks[template.name].needs_environment:  # the default checks
                    environments[template.name] = _no_environment(template.name)
                    continue
                mine = [i for i, (t, _) in enumerate(selected) if t is template]
                environments[template.name] = env_pool.submit(
                    _environment, template.name, mine, generated, cache, report, recipes
                )
            context = _Context(checks, postgres_url, step_timeout, keep, report)
            matrix_of = {matrix.template.name: matrix for matrix in matrices}
            futures = [
                pool.submit(
                    _check,
                    template,
                    combo,
                    i,
                    generated,
                    environments[template.name],
                    context,
                    matrix_of[template.name].expected_refusal(combo.values),
                )
                for i, (template, combo) in enumerate(selected)
            ]
            try:
                run.results = [future.result() for future in futures]
            except BaseException:  # Ctrl-C: start nothing new, stop what runs, then leave
                context.cancelled.set()
                pool.shutdown(wait=False, cancel_futures=True)
                stop_all()
                raise
            envs = (future.result() for future in environments.values())
            run.environments = [env for env in envs if env.key]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    run.wall_seconds = time.perf_counter() - started
    return run


def check_project(
    template: Template,
    project: Path,
    values: Mapping[str, Any],
    *,
    postgres_url: str | None = None,
    step_timeout: float = DEFAULT_STEP_TIMEOUT,
    cache: Path | None = None,
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
        env = _no_environment(template.name).result()
    if not env.ok:
        result.steps.append(StepResult("environment", False, 0.0, None, env.message, env.output))
        return result
    needs_layer = checks[template.name].needs_environment
    layered = _layer(env, project, step_timeout, result) if needs_layer else env
    if layered is None:
        return result
    postgres_url = postgres_url if postgres_url is not None else os.environ.get(POSTGRES_ENV)
    context = _Context(checks, postgres_url, step_timeout, None, lambda event: None)
    _run_steps(template, combination, project, layered, context, result)
    result.seconds = sum(step.seconds for step in result.steps)
    return result


@dataclass(frozen=True)
class _Context:
    checks: Mapping[str, Checks]
    postgres_url: str | None
    step_timeout: float
    keep: Path | None
    report: ProgressHook
    cancelled: threading.Event = field(default_factory=threading.Event)


# The project (None when not generated), the generate step, and whether the
# template's pre-generation hook refused the values.


class _Generated:
    """The generated project of each combination, once its batch is rendered."""

    def __init__(self, batches: list[list[int]], futures: list[Future[list[Generated]]]) -> None:
        self._where = {i: (b, k) for b, batch in enumerate(batches) for k, i in enumerate(batch)}
        self._futures = futures

    def get(self, index: int) -> Generated:
        batch, position = self._where[index]
        return self._futures[batch].result()[position]


def _environment(
    template: str,
    indexes: Sequence[int],
    generated: _Generated,
    cache: Path | None,
    report: ProgressHook,
    recipes: Mapping[str, Recipe],
) -> Environment:
    projects = [project for project, _, _ in map(generated.get, indexes) if project]
    if not projects:  # nothing was generated: there is nothing to install for
        return Environment(template, Path(), "", ())
    recipe = recipes[template]
    try:
        requirements = [r for p in projects if not recipe.install for r in project_requirements(p)]
    except DeclarationError as err:
        return Environment(template, Path(), "", (), ok=False, message=f"cannot read: {err}")
    report(Progress("status", message=f"{template}: preparing the shared environment"))
    root = cache or cache_dir()
    return ensure_environment(template, requirements, root, recipe=recipe, projects=projects)


def _layer(
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


def _no_environment(template: str) -> Future[Environment]:
    """No virtualenv, for checks that need none: their steps run in scaffold's process."""
    done: Future[Environment] = Future()
    done.set_result(Environment(template, Path(), "", ()))
    return done


def _check(
    template: Template,
    combination: Combination,
    index: int,
    generated: _Generated,
    environment: Future[Environment],
    context: _Context,
    expected_refusal: str = "",
) -> CombinationResult:
    """Run every applicable step of the template's checks on one generated project.

    A combination the checks file expects the template's hook to refuse passes when
    it is refused and fails when it is generated, without running the checks.
    """
    result = CombinationResult(template.name, combination, expected_refusal=expected_refusal)
    project, generate_step, result.refused = generated.get(index)
    if result.refused and expected_refusal:
        generate_step = dataclasses.replace(
            generate_step, ok=True, message=f"refused, as expected: {expected_refusal}"
        )
    result.steps.append(generate_step)
    env = environment.result()
    if project is not None and expected_refusal:
        message = (
            f"generated, but the checks file expects its hook to refuse it: {expected_refusal}"
        )
        result.steps.append(StepResult("expected refusal", False, 0.0, None, message))
    elif project is not None and not env.ok:
        failed = StepResult("environment", False, 0.0, None, env.message, env.output)
        result.steps.append(failed)
    elif project is not None:
        needs_layer = context.checks[template.name].needs_environment
        layered = _layer(env, project, context.step_timeout, result) if needs_layer else env
        if layered is not None:
            _run_steps(template, combination, project, layered, context, result)
    if project is not None and context.keep is not None:
        target = context.keep / template.name / combination.id
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(project), target)
        result.project_dir = target
    result.seconds = sum(step.seconds for step in result.steps)
    context.report(Progress("finished", combination=combination, result=result))
    return result


NO_SERVER = (
    f"{POSTGRES_ENV} is not set: point it at a PostgreSQL server this run may create "
    "databases on, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
)


def _database(
    values: Mapping[str, Any], project: Path, context: _Context, result: CombinationResult
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


def _run_steps(
    template: Template,
    combination: Combination,
    project: Path,
    env: Environment,
    context: _Context,
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
    placeholders = {
        "{port}": str(port),
        "{project_slug}": project.name,
        "{project_dir}": str(project),
        "{database_url}": database[1],
        # A fresh secret per combination for production settings, never written to the project.
        "{secret}": secrets.token_urlsafe(48)[:50],
    }

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
                result.steps.append(StepResult(step.name, False, message="interrupted"))
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
            result.steps.append(outcome)
            if not result.steps[-1].ok:
                break
    finally:
        if database[0] and context.postgres_url:
            started = time.perf_counter()
            error = PostgresServer(context.postgres_url).drop(database[0])
            # Dropping is cleanup: a failure is shown, but the combination's checks stand.
            note = error and f"drop: {error}"
            seconds = time.perf_counter() - started
            result.steps.append(StepResult("drop database", True, seconds, None, note))

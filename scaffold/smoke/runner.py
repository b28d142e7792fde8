"""Generate every combination of a template and run the template's own checks on it.

The checks live beside the template (``scaffold-checks.yml``, docs/checks.md), not
here: this module plans the run, renders the combinations in batches (generate.py),
prepares each template's shared environment, and has each combination's steps run
(steps.py); what it found is results.py's. Each combination gets its own temp dir,
loopback port and (for PostgreSQL) database; all combinations of a template share
one virtualenv holding the union of their dependencies, built once and cached by a
hash of those dependencies.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import SmokeError
from scaffold.smoke.checks import Checks, StepResult
from scaffold.smoke.combination import Combination
from scaffold.smoke.environment import (
    Environment,
    Recipe,
    cache_dir,
    ensure_environment,
    project_requirements,
    recipe_for,
)
from scaffold.smoke.generate import Generated, generate_batch
from scaffold.smoke.locked import has_lock, lock_digest, locked_environments
from scaffold.smoke.matrix import Matrix
from scaffold.smoke.postgres import throwaway_server
from scaffold.smoke.process import stop_all
from scaffold.smoke.requirements import DeclarationError
from scaffold.smoke.results import CombinationResult, Progress, ProgressHook, SmokeRun
from scaffold.smoke.selection import plan
from scaffold.smoke.steps import (
    DEFAULT_STEP_TIMEOUT,
    POSTGRES_ENV,
    REDIS_ENV,
    StepContext,
    layer_project,
    no_environment,
    run_steps,
)

__all__ = ["DEFAULT_STEP_TIMEOUT", "CombinationResult", "Progress", "SmokeRun", "run_smoke"]

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
    redis_url: str | None = None,
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
    redis_url = redis_url if redis_url is not None else os.environ.get(REDIS_ENV)
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
            redis_url,
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
    redis_url: str | None = None,
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
                    environments[template.name] = no_environment(template.name)
                    continue
                mine = [i for i, (t, _) in enumerate(selected) if t is template]
                environments[template.name] = env_pool.submit(
                    _environment, template.name, mine, generated, cache, report, recipes
                )
            context = StepContext(
                checks, postgres_url, step_timeout, keep, report, redis_url=redis_url
            )
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
            every = (e for env in envs for e in (env, *env.locked.values()))
            run.environments = [env for env in every if env.key]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    run.wall_seconds = time.perf_counter() - started
    return run


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
    root = cache or cache_dir()
    # A project with a uv.lock gets the environment of its lock; the others share one.
    locked = [p for p in projects if not recipe.install and has_lock(p)]
    projects = [p for p in projects if p not in locked]
    try:
        requirements = [r for p in projects if not recipe.install for r in project_requirements(p)]
    except DeclarationError as err:
        return Environment(template, Path(), "", (), ok=False, message=f"cannot read: {err}")
    report(Progress("status", message=f"{template}: preparing the shared environment"))
    if projects:
        env = ensure_environment(template, requirements, root, recipe=recipe, projects=projects)
    else:
        env = Environment(template, Path(), "", ())
    env.locked = locked_environments(template, locked, root, recipe)
    return env


def _check(
    template: Template,
    combination: Combination,
    index: int,
    generated: _Generated,
    environment: Future[Environment],
    context: StepContext,
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
    if project is not None:
        env = env.locked.get(lock_digest(project) or "", env)
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
        layered = layer_project(env, project, context.step_timeout, result) if needs_layer else env
        if layered is not None:
            run_steps(template, combination, project, layered, context, result)
    if project is not None and context.keep is not None:
        target = context.keep / template.name / combination.id
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(project), target)
        result.project_dir = target
    result.seconds = sum(step.seconds for step in result.steps)
    context.report(Progress("finished", combination=combination, result=result))
    return result

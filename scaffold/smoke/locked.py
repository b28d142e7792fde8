"""Smoke environments installed from a generated project's ``uv.lock``.

A project with a ``uv.lock`` at its root is checked in the environment its lock
describes, not in one pip resolves from its declarations: ``uv sync --locked`` (the
uv installed with scaffold) with every extra, into a virtualenv ``uv venv --seed``
makes (pip included, kept by ``--inexact``: steps may use ``python -m pip``; ``python
-m venv`` would take ten times as long). The project itself is not installed: it
lives in a directory the run removes, and its steps install it into their layer as
they would otherwise. uv tries its own cache first (``--offline``) and the index only
when that fails.

The environment is named by a hash of the lock and the interpreter, under the same
cache as the others (``{template}@lock-{key}``, apart from the pip ones, which prune
each other); ``scaffold cache clear --unused-days`` removes those of older locks.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from scaffold.locks import uv_binary
from scaffold.smoke.cached import READY, hold, touch
from scaffold.smoke.environment import RECIPE, Environment, Recipe, activated, intact, listing
from scaffold.smoke.process import tail

LOCK_FILE = "uv.lock"
# What a locked environment holds changed: environments of an older layout are not reused.
LOCK_LAYOUT = 1


def lock_digest(project: Path) -> str | None:
    """A hash of the project's ``uv.lock``, or None when it has none."""
    try:
        return hashlib.sha256((project / LOCK_FILE).read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def locked_key(digest: str, recipe: Recipe) -> str:
    """A short hash of the lock and the interpreter."""
    payload = {"layout": LOCK_LAYOUT, "python": recipe.python.identity, "lock": digest}
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def uv_sync(env: Path) -> list[str]:
    """The ``uv sync`` (run in the project) that installs its lock into the virtualenv ``env``."""
    command = [uv_binary(), "sync", "--locked", "--all-extras", "--no-install-project"]
    return [*command, "--inexact", "--python", str(env / "bin" / "python"), "--quiet"]


def ensure_locked(template: str, project: Path, root: Path, recipe: Recipe) -> Environment:
    """The environment ``project``'s uv.lock describes, built if it is missing."""
    digest = lock_digest(project) or ""
    key = locked_key(digest, recipe)
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    env = Environment(template, root / f"{template}@lock-{key}", key, (f"{LOCK_FILE} {digest}",))
    env.message = "uv sync --locked failed"
    with (root / f"{env.path.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = (env.path / READY).is_file()
        env.rebuilt = ready and not intact(env.path)
        if not ready or env.rebuilt:
            _build(env, recipe, project, root / f"{env.path.name}.log")
    env.seconds = time.perf_counter() - started
    touch(env.path)
    hold(env.path)
    return env


def _build(env: Environment, recipe: Recipe, project: Path, log: Path) -> None:
    shutil.rmtree(env.path, ignore_errors=True)  # a half-built or changed env
    env.created = True
    environ = activated(env.path)
    environ["UV_PROJECT_ENVIRONMENT"] = str(env.path)
    log.write_text("")
    venv = [uv_binary(), "venv", "--seed", "--clear", "--quiet", "--python"]
    venv += [recipe.python.executable, str(env.path)]
    # Each from uv's cache when it has every file; from the index, once, when it has not.
    for command in (venv, uv_sync(env.path)):
        if all(_run([*command, *flag], project, environ, log) for flag in (["--offline"], [])):
            env.ok = False
            env.output = tail(log)
            return
    recorded = {"python": recipe.python.identity, "lock": env.requirements[0]}
    recorded |= {"listing": listing(env.path)}
    (env.path / RECIPE).write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    (env.path / READY).write_text(env.requirements[0] + "\n", encoding="utf-8")


def _run(command: list[str], cwd: Path, environ: dict[str, str], log: Path) -> int:
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(
            command, cwd=cwd, env=environ, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    return done.returncode


def locked_environments(
    template: str, projects: list[Path], root: Path, recipe: Recipe
) -> dict[str, Environment]:
    """The environment of each distinct lock among ``projects``, by ``lock_digest``."""
    found: dict[str, Environment] = {}
    for project in projects:
        digest = lock_digest(project)
        if digest is not None and digest not in found:
            found[digest] = ensure_locked(template, project, root, recipe)
    return found


def has_lock(project: Path) -> bool:
    """Whether the project is installed from its lock (a uv.lock at its root)."""
    return (project / LOCK_FILE).is_file() and not os.path.islink(project / LOCK_FILE)

"""What a smoke run's projects share: a cached virtualenv, and a PostgreSQL server.

One virtualenv per template (and interpreter) holds what its generated projects
need. It is built once, with ``python -m venv`` (pip included: steps may use
``python -m pip``), then reused: its directory is named by a hash of what it holds
and of the interpreter's version and path, under SCAFFOLD_CACHE_DIR (else
``$XDG_CACHE_HOME/scaffold``, else ``~/.cache/scaffold``).

What goes in, first rule that applies:

1. the checks file's ``environment.install``: those shell commands, run inside the
   environment in each generated project's directory; scaffold reads nothing. They
   build the cached environment (run in one project of each set of declaration
   files, then the projects' own local installs are taken out again: they point
   into directories the run removes; its key holds the commands and a hash of the
   template's files), and run again in each combination's layer, where
   ``pip install -e .`` points into that combination's project;
2. otherwise the union of everything the projects declare, read by
   ``scaffold.smoke.requirements`` (``[project]`` dependencies and extras,
   ``[dependency-groups]``, uv's dev-dependencies, Poetry's dependencies and groups,
   ``requirements*.txt`` and ``requirements/*.txt``), installed with pip.

The interpreter is ``smoke --python``, else the checks file's ``environment.python``,
else the Python running scaffold.

Steps never run in the cached environment itself: each combination gets a layer of
its own (``scaffold.smoke.layer``), a virtualenv whose site-packages come first and
whose ``.pth`` file adds the cached environment's. ``pip install`` in a step (``-e .``
included) writes into the layer, and pip refuses to uninstall what lies outside it,
so the cached environment is what it was when it was built; a listing of its
site-packages and bin, recorded then, is compared on each reuse, and an environment
changed behind scaffold's back is rebuilt.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.cache import cache_dir as cache_dir  # re-exported for the CLI and tests
from scaffold.smoke.cached import READY, hold, remove_unless_in_use, touch
from scaffold.smoke.cached import Cached as Cached
from scaffold.smoke.cached import cached_environments as cached_environments
from scaffold.smoke.cached import clear_cache as clear_cache
from scaffold.smoke.cached import remove_environment as remove_environment
from scaffold.smoke.interpreter import Interpreter, current_interpreter, find_interpreter
from scaffold.smoke.process import tail

# Re-exported: the runner reads a project's requirements from here.
from scaffold.smoke.requirements import canonical, distinct_declarations
from scaffold.smoke.requirements import project_requirements as project_requirements

RECIPE = ".scaffold-recipe.json"
# What an environment holds changed (pip is always there, the recipe is recorded):
# environments of an older layout are never reused.
LAYOUT = 2


def recipe_for(
    template: Any, python: str | None = None, known: dict[str, Any] | None = None
) -> Recipe:
    """What the template's environment is made of: ``python`` (``--python``) or its
    own declared interpreter, and its install commands (``known`` caches look-ups)."""
    settings = template.checks.environment
    spec = python or settings.python
    origin = "--python" if python else f"template {template.name!r}: environment.python"
    known = {} if known is None else known
    if spec and spec not in known:
        known[spec] = find_interpreter(spec, origin)
    interpreter = known[spec] if spec else current_interpreter()
    source = template_digest(template.path) if settings.install else ""
    return Recipe(interpreter, settings.install, source)


@dataclass
class Environment:
    """A template's shared virtualenv: where it is and whether building it worked."""

    template: str
    path: Path
    key: str
    requirements: tuple[str, ...]
    created: bool = False
    seconds: float = 0.0
    ok: bool = True
    output: str = ""
    message: str = "pip install failed"
    install: tuple[str, ...] = ()
    rebuilt: bool = False  # found changed since it was built, and built again
    # The environments of the projects with a uv.lock, by ``locked.lock_digest``.
    locked: dict[str, Environment] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.path / "bin"


@dataclass(frozen=True)
class Recipe:
    """What an environment is made of: its key is a hash of this."""

    python: Interpreter = field(default_factory=current_interpreter)
    install: tuple[str, ...] = ()
    # With ``install``: a digest of the template, whose projects the commands read.
    source: str = ""


def environment_key(requirements: Iterable[str], recipe: Recipe | None = None) -> str:
    """A short hash of the requirements and the rest of the recipe (interpreter, commands)."""
    recipe = recipe or Recipe()
    payload = {
        "layout": LAYOUT,
        "python": recipe.python.identity,
        "requirements": sorted(set(requirements)),
        "install": list(recipe.install),
        "source": recipe.source,
    }
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def template_digest(template_dir: Path) -> str:
    """A hash of what cookiecutter reads of a template: cookiecutter.json, the hooks and
    the project directory (not a repository's .git, docs or CI files around them)."""
    digest = hashlib.sha256()
    read = [template_dir / "cookiecutter.json", template_dir / "hooks"]
    read += [path for path in template_dir.iterdir() if "{{" in path.name]
    for top in sorted(read):
        for path in sorted([top, *top.rglob("*")] if top.is_dir() else [top]):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(template_dir)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_environment(
    template: str,
    requirements: Iterable[str],
    root: Path,
    *,
    recipe: Recipe | None = None,
    projects: Sequence[Path] = (),
) -> Environment:
    """Return the template's virtualenv for ``requirements``, building it if it is missing.

    With ``recipe.install``, the environment is built by running those commands in
    each of ``projects`` instead.
    """
    recipe = recipe or Recipe()
    wanted = tuple(sorted(set(requirements)))
    key = environment_key(wanted, recipe)
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not recipe.install and (larger := _superset(template, wanted, recipe, root)) is not None:
        larger.seconds = time.perf_counter() - started
        touch(larger.path)
        hold(larger.path)
        return larger
    env = Environment(template, root / f"{template}-{key}", key, wanted, install=recipe.install)
    # A lock file, so two runs sharing the cache never build the same env at once.
    with (root / f"{template}-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = (env.path / READY).is_file()
        if ready and not intact(env.path):
            env.rebuilt = True
        if not ready or env.rebuilt:
            _build(env, recipe, projects, root / f"{template}-{key}.log")
            if env.ok:
                _prune_stale(env, root, recipe)
    env.seconds = time.perf_counter() - started
    touch(env.path)
    hold(env.path)
    return env


def _requirements_of(ready: Path) -> tuple[str, ...]:
    return tuple(line for line in ready.read_text(encoding="utf-8").splitlines() if line)


def _recorded(path: Path) -> dict[str, Any]:
    """The recipe file an environment was built with ({} for one of an older layout)."""
    try:
        data = json.loads((path / RECIPE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def listing(path: Path) -> list[str]:
    """What a pip install or uninstall changes: the names in site-packages and bin."""
    names = []
    for folder in [path / "bin", *sorted(path.glob("lib/python*/site-packages"))]:
        if folder.is_dir():
            where = folder.relative_to(path)
            names += sorted(f"{where}/{entry.name}" for entry in os.scandir(folder))
    # Python writes __pycache__ beside top-level modules when they are first imported.
    return [name for name in names if not name.endswith("/__pycache__")]


def intact(path: Path) -> bool:
    """Whether an environment still holds what it held when it was built (True when
    nothing was recorded to compare with)."""
    recorded = _recorded(path).get("listing")
    return recorded is None or recorded == listing(path)


def _prune_stale(env: Environment, root: Path, recipe: Recipe | None = None) -> None:
    """Remove the template's other environments that the new one makes useless.

    Of those built with the same interpreter (another interpreter's environment stays),
    one whose requirements are not all in the new one is stale (a dependency
    changed); one whose requirements are a subset is covered by the new one. One that
    another run is using stays: a later build prunes it.
    """
    for ready in root.glob(f"{env.template}-*/{READY}"):
        other = ready.parent
        python = _recorded(other).get("python")
        if other == env.path or (python and python != (recipe or Recipe()).python.identity):
            continue
        if not env.install and set(_requirements_of(ready)) > set(env.requirements):
            continue
        remove_unless_in_use(other)


def _superset(
    template: str, wanted: tuple[str, ...], recipe: Recipe, root: Path
) -> Environment | None:
    """The smallest ready, intact environment of the template with every wanted requirement.

    A run of some combinations (a shard, an --only filter) then reuses the
    environment a full run built, instead of building one of its own.
    """
    found = []
    for ready in root.glob(f"{template}-*/{READY}"):
        have = _requirements_of(ready)
        key = environment_key(have, recipe)
        if set(wanted) <= set(have) and ready.parent.name == f"{template}-{key}":
            if intact(ready.parent):
                found.append(Environment(template, ready.parent, key, have))
    return min(found, key=lambda env: (len(env.requirements), env.key), default=None)


def _build(env: Environment, recipe: Recipe, projects: Sequence[Path], log: Path) -> None:
    shutil.rmtree(env.path, ignore_errors=True)  # a half-built or changed env
    env.created = True
    python = str(env.bin / "python")
    commands: list[tuple[list[str], Path | None]] = [
        ([recipe.python.executable, "-m", "venv", str(env.path)], None)
    ]
    if env.requirements:
        pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
        commands.append(([*pip, "--no-input", "--quiet", *env.requirements], None))
    for project in distinct_declarations(projects) if recipe.install else ():
        commands += [(["/bin/sh", "-c", command], project) for command in recipe.install]
    log.write_text("")
    environ = activated(env.path)
    for command, cwd in commands:
        with log.open("a") as out:
            out.write(f"$ {' '.join(command)}" + (f"  (in {cwd})\n" if cwd else "\n"))
            out.flush()
            result = subprocess.run(
                command, cwd=cwd, env=environ, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        if result.returncode != 0:
            env.ok = False
            env.output = tail(log)
            env.message = "the environment's install commands failed" if cwd else env.message
            return
    if recipe.install and (local := _local_distributions(env.path)):
        # The projects themselves (``pip install -e .``): they live in directories this
        # run removes. Each combination installs its own into its layer.
        command = [python, "-m", "pip", "uninstall", "--yes", "--quiet", *local]
        with log.open("a") as out:
            subprocess.run(command, env=environ, stdout=out, stderr=subprocess.STDOUT, check=False)
    recorded = {
        "python": recipe.python.identity,
        "install": list(recipe.install),
        "source": recipe.source,
        "listing": listing(env.path),
    }
    (env.path / RECIPE).write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    (env.path / READY).write_text("\n".join(env.requirements) + "\n", encoding="utf-8")


def _local_distributions(path: Path) -> list[str]:
    """Distributions installed from a local directory (PEP 610 ``dir_info``)."""
    names = []
    for direct_url in path.glob("lib/python*/site-packages/*.dist-info/direct_url.json"):
        try:
            local = "dir_info" in json.loads(direct_url.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if local:
            names.append(canonical(direct_url.parent.name.split("-")[0]))
    return sorted(set(names))


def activated(path: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables of a shell with the virtualenv at ``path`` activated."""
    environ = dict(os.environ if base is None else base)
    environ.pop("PYTHONHOME", None)
    environ["VIRTUAL_ENV"] = str(path)
    environ["PATH"] = f"{path / 'bin'}{os.pathsep}{environ.get('PATH', '')}"
    return environ

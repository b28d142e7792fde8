"""What a smoke run's projects share: a cached virtualenv, and a PostgreSQL server.

One virtualenv per template holds the union of the dependencies its generated
projects declare (``dependencies`` and every optional extra). It is created once
with ``python -m venv`` and pip, then reused: its directory is named by a hash of
those dependencies and the Python version, under SCAFFOLD_CACHE_DIR (else
``$XDG_CACHE_HOME/scaffold``, else ``~/.cache/scaffold``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scaffold.cache import COMPILED_TEMPLATES, cache_dir
from scaffold.smoke.process import tail

READY = ".scaffold-ready"


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

    @property
    def bin(self) -> Path:
        return self.path / "bin"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return _canonical(match.group(1)) if match else ""


def project_requirements(project_dir: Path) -> list[str]:
    """The dependencies and optional extras a generated project's pyproject.toml declares."""
    pyproject = project_dir / "pyproject.toml"
    if not pyproject.is_file():
        return []
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    own_name = _canonical(str(project.get("name", "")))
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    # An extra such as `dev = ["my-site[test]"]` names the project itself: it is
    # never installed, its dependencies are already in the list.
    return [req for req in requirements if _requirement_name(req) != own_name]


def environment_key(requirements: Iterable[str]) -> str:
    """A short hash of the requirements and the Python that will run them."""
    payload = {"python": list(sys.version_info[:3]), "requirements": sorted(set(requirements))}
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def ensure_environment(template: str, requirements: Iterable[str], root: Path) -> Environment:
    """Return the template's virtualenv for ``requirements``, building it if it is missing."""
    wanted = tuple(sorted(set(requirements)))
    key = environment_key(wanted)
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if (larger := _superset(template, wanted, root)) is not None:
        larger.seconds = time.perf_counter() - started
        _touch(larger)
        return larger
    env = Environment(template, root / f"{template}-{key}", key, wanted)
    # A lock file, so two runs sharing the cache never build the same env at once.
    with (root / f"{template}-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (env.path / READY).is_file():
            _build(env, root / f"{template}-{key}.log")
            if env.ok:
                _prune_stale(env, root)
    env.seconds = time.perf_counter() - started
    _touch(env)
    return env


def _touch(env: Environment) -> None:
    """Record that the environment was used now: ``scaffold cache`` shows it as its age."""
    ready = env.path / READY
    if ready.is_file():
        os.utime(ready)


def _requirements_of(ready: Path) -> tuple[str, ...]:
    return tuple(line for line in ready.read_text(encoding="utf-8").splitlines() if line)


def _prune_stale(env: Environment, root: Path) -> None:
    """Remove the template's other environments that the new one makes useless.

    An environment whose requirements are not all in the new one is stale (a
    dependency changed); one whose requirements are a subset is covered by the new one.
    """
    for ready in root.glob(f"{env.template}-*/{READY}"):
        other = ready.parent
        if other == env.path or set(_requirements_of(ready)) > set(env.requirements):
            continue
        remove_environment(other)


@dataclass(frozen=True)
class Cached:
    """An environment in the cache, as ``scaffold cache`` lists it."""

    name: str
    path: Path
    size: int
    last_used: float
    ready: bool


def cached_environments(root: Path | None = None) -> list[Cached]:
    """Every environment in the cache (ready or half-built), oldest use first."""
    root = root or cache_dir()
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        if not path.is_dir() or path.is_symlink() or path.name == COMPILED_TEMPLATES:
            continue
        ready = path / READY
        used = (ready if ready.is_file() else path).stat().st_mtime
        size = sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() or f.is_symlink())
        found.append(Cached(path.name, path, size, used, ready.is_file()))
    return sorted(found, key=lambda cached: (cached.last_used, cached.name))


def remove_environment(path: Path) -> None:
    """Remove one environment with its build log and lock file."""
    shutil.rmtree(path, ignore_errors=True)
    for extra in (path.with_name(path.name + ".log"), path.with_name(path.name + ".lock")):
        extra.unlink(missing_ok=True)


def clear_cache(root: Path | None = None, *, unused_days: float | None = None) -> list[Cached]:
    """Remove the cached environments (those unused for ``unused_days``, or all)."""
    now = time.time()
    removed = []
    for cached in cached_environments(root):
        if unused_days is not None and now - cached.last_used < unused_days * 86400:
            continue
        remove_environment(cached.path)
        removed.append(cached)
    return removed


def _superset(template: str, wanted: tuple[str, ...], root: Path) -> Environment | None:
    """The smallest ready environment of the template that has every wanted requirement.

    A run of some combinations (a shard, an --only filter) then reuses the
    environment a full run built, instead of building one of its own.
    """
    found = []
    for ready in root.glob(f"{template}-*/{READY}"):
        have = _requirements_of(ready)
        if set(wanted) <= set(have) and ready.parent.name == f"{template}-{environment_key(have)}":
            found.append(Environment(template, ready.parent, environment_key(have), have))
    return min(found, key=lambda env: (len(env.requirements), env.key), default=None)


def _build(env: Environment, log: Path) -> None:
    shutil.rmtree(env.path, ignore_errors=True)  # a half-built env from an interrupted run
    env.created = True
    commands = [[sys.executable, "-m", "venv", str(env.path)]]
    if env.requirements:
        pip = [str(env.bin / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
        commands.append([*pip, "--no-input", "--quiet", *env.requirements])
    else:
        commands[0].insert(3, "--without-pip")  # nothing to install: skip bootstrapping pip
    log.write_text("")
    for command in commands:
        with log.open("a") as out:
            out.write("$ " + " ".join(command) + "\n")
            out.flush()
            result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
        if result.returncode != 0:
            env.ok = False
            env.output = tail(log)
            return
    (env.path / READY).write_text("\n".join(env.requirements) + "\n", encoding="utf-8")


def _pg_tool(name: str) -> str | None:
    """A PostgreSQL client binary from PATH, else from the newest /usr/lib/postgresql."""
    if found := shutil.which(name):
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return str(candidates[-1]) if candidates else None


class PostgresServer:
    """Creates and drops throwaway databases on one server, with its client binaries."""

    def __init__(self, url: str) -> None:
        self.url = url

    def database_url(self, name: str) -> str:
        """The server URL pointing at database ``name``."""
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def _run(self, tool: str, args: list[str], sql: str) -> str:
        """Run createdb/dropdb, or psql with ``sql`` when they are missing; '' means success."""
        binary = _pg_tool(tool)
        if binary:
            command = [binary, f"--maintenance-db={self.url}", *args]
        elif psql := _pg_tool("psql"):
            command = [psql, self.url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        else:
            return f"neither {tool} nor psql was found: install the PostgreSQL client"
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        return "" if result.returncode == 0 else (result.stderr or result.stdout).strip()

    def create(self, name: str) -> str:
        """Create database ``name``; return an error message, or '' on success."""
        return self._run("createdb", [name], f'CREATE DATABASE "{name}"')

    def drop(self, name: str) -> str:
        """Drop database ``name`` (and its test twin) if they exist, closing connections."""
        errors = []
        for database in (name, f"test_{name}"):
            sql = f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
            if error := self._run("dropdb", ["--if-exists", "--force", database], sql):
                errors.append(error)
        return "; ".join(errors)

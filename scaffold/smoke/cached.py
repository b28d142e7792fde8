"""The smoke environments in scaffold's cache: their use, listing and removal.

Each environment a process uses is held (a shared lock on its ``.use`` file) for as
long as the process lives, so that another run never removes it from under it;
``scaffold cache`` lists them with their size and last use, and clears them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scaffold.cache import COMPILED_TEMPLATES, cache_dir

READY = ".scaffold-ready"


def touch(path: Path) -> None:
    """Record that the environment at ``path`` was used now: ``scaffold cache`` shows its age."""
    ready = path / READY
    if ready.is_file():
        os.utime(ready)


# The environments this process has used: a shared lock on each one's ``.use`` file
# for as long as the process lives, so that another run never prunes them under it.
_HELD: dict[Path, IO[str]] = {}


def _use_file(path: Path) -> Path:
    return path.with_name(path.name + ".use")


def hold(path: Path) -> None:
    """Mark the environment at ``path`` as in use by this process (until it exits)."""
    if path not in _HELD:
        held = _use_file(path).open("a")
        fcntl.flock(held, fcntl.LOCK_SH)
        _HELD[path] = held


def remove_unless_in_use(path: Path) -> None:
    """Remove an environment no other process is using (this one's use ends here)."""
    mine = _HELD.pop(path, None)
    if mine is not None:
        mine.close()
    with _use_file(path).open("a") as use:
        try:
            fcntl.flock(use, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run's steps are using it: it stays, for now
            return
        remove_environment(path)


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
    """Remove one environment with its build log, lock file and use file."""
    shutil.rmtree(path, ignore_errors=True)
    for suffix in (".log", ".lock", ".use"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


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

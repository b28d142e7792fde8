"""An update and the project's ``uv.lock``: a lock is regenerated, never merged line by line.

Git merges the lock like any file when only one side changed it: a project whose lock
the user never touched takes the new template's lock, and a lock only the user changed
stays theirs. When both changed it (or both added one), a line-by-line merge would
make a lock no resolver wrote, or conflict markers in a file nobody edits by hand: the
user's lock is kept whole, and a note tells them to run ``uv lock``, which locks the
merged ``pyproject.toml`` again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from scaffold.repository import ProjectRepository
from scaffold.update.merge import ComputedMerge, replace_files

LOCK_FILE = "uv.lock"
RELOCK_NOTE = (
    f"{LOCK_FILE}: you and the template both changed it, so yours is kept: "
    "run `uv lock` to lock the merged pyproject.toml"
)


def _text(repo: ProjectRepository, tree: str, env: Mapping[str, str]) -> str | None:
    found = repo.step("cat-file", "blob", f"{tree}:{LOCK_FILE}", env=env)
    return found.stdout if found.returncode == 0 else None


def keep_lock(
    repo: ProjectRepository,
    merged: ComputedMerge,
    base: str,
    render: str,
    env: Mapping[str, str],
) -> tuple[ComputedMerge, tuple[str, ...]]:
    """``merged`` with the user's lock when both the user and render ``render`` changed it
    since ``base``, and the note saying so; ``merged`` unchanged otherwise."""
    ours = _text(repo, repo.head_tree(env), env)
    theirs = _text(repo, repo.tree_of(render, env), env)
    before = _text(repo, repo.tree_of(base, env), env)
    if ours is None or theirs is None or ours == theirs or before in (ours, theirs):
        return merged, ()
    name = repo.inside(LOCK_FILE)
    stages = "".join(
        line + "\n" for line in merged.stages.splitlines() if not line.endswith(f"\t{name}")
    )
    unlocked = dataclasses.replace(
        merged,
        conflicts=tuple(c for c in merged.conflicts if c.path != LOCK_FILE),
        stages=stages,
    )
    return replace_files(repo, unlocked, {name: ours}, env), (RELOCK_NOTE,)

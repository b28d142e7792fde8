"""Applying a computed merge to the project: a merge commit, or conflicts to resolve.

Everything before this step is objects only, so an interrupt leaves the project as
it was; here the work tree, the index and the refs change, with Ctrl-C held, and a
step that fails half-way is undone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import UpdateError
from scaffold.interrupt import Interrupted, held
from scaffold.repository import FileChange, name_status
from scaffold.update.base import MERGE_FILES, UpdateTarget, clear_merge_state
from scaffold.update.merge import ComputedMerge, Conflict


@dataclass(frozen=True)
class MergeResult:
    """What merging a render did (or would do): ``conflicts`` empty means it is committed."""

    changes: tuple[FileChange, ...]
    conflicts: tuple[Conflict, ...] = ()
    kept: tuple[str, ...] = ()  # deleted by the template, changed by the user: kept
    commit: str | None = None
    diff: str = ""


def preview_merge(
    repo: UpdateTarget,
    merged: ComputedMerge,
    env: Mapping[str, str],
    changes: tuple[FileChange, ...],
) -> MergeResult:
    """What applying ``merged`` to HEAD would change (its files: ``changes``)."""
    diff = repo.run("diff", "--no-color", "--no-ext-diff", "HEAD", merged.tree, env=env)
    return MergeResult(changes, merged.conflicts, merged.kept, diff=diff)


def apply_merge(
    repo: UpdateTarget,
    commit: str,
    merged: ComputedMerge,
    message: str,
    changes: tuple[FileChange, ...],
) -> MergeResult:
    """Apply a computed merge: a merge commit, or a merge in progress with conflicts marked.

    ``changes`` are the project's files the merge changes (``merge.merge_changes``).

    The steps here run with Ctrl-C held and git in its own process group, so the
    terminal's Ctrl-C reaches neither: the project ends untouched or updated. Should
    the process die anyway, each step leaves a state git or the next update can
    finish: the merge is marked in progress (``git merge --abort`` works) before the
    work tree changes, HEAD and the template branch move in one transaction, and the
    merge marker is removed last (a stale one is cleared by the next update).
    """
    if merged.conflicts:
        result = None
    else:
        args = ("commit-tree", merged.tree, "-p", repo.head, "-p", commit, "-m", message)
        result = repo.run(*args, identity=True).strip()
    template_ref = f"refs/heads/{repo.template_branch}"
    local_tip = repo.query("rev-parse", "-q", "--verify", template_ref)
    refs = f"update HEAD {result} {repo.head}\n" if result else ""
    if local_tip != commit:
        refs += f"update {template_ref} {commit} {local_tip or '0' * 40}\n"
    with held() as caught:
        texts = {"MERGE_MSG": message, "MERGE_MODE": "no-ff", "MERGE_HEAD": commit}
        for name in MERGE_FILES:
            (repo.git_dir / name).write_text(texts[name] + "\n", encoding="utf-8")
        target = result or merged.tree
        try:
            repo.run("read-tree", "-m", "-u", "HEAD", target, session=True)
            if result is None:
                removed = "".join(
                    f"0 {'0' * 40}\t{repo.inside(c.path)}\n" for c in merged.conflicts
                )
                stages = removed + merged.stages
                repo.run("update-index", "--index-info", stdin=stages, session=True)
            if refs:
                repo.run("update-ref", "-m", "scaffold update", "--stdin", stdin=refs, session=True)
        except UpdateError as err:
            # A step failed half-way (a file git could not write, say): nothing moved
            # HEAD yet, so the project's files and the index go back to HEAD's.
            raise UpdateError(f"{err}: {_undo(repo, target)}") from err
        if result is not None:
            clear_merge_state(repo.git_dir)
    if caught:
        raise Interrupted(applied_message(conflicts=result is None))
    if result is None:
        staged = repo.run(
            "diff", "--cached", "-z", "--no-renames", "--name-status", *repo.within(True), "HEAD"
        )
        return MergeResult(name_status(staged), merged.conflicts, merged.kept)
    return MergeResult(changes, (), merged.kept, commit=result)


def _undo(repo: UpdateTarget, target: str) -> str:
    """Put back HEAD's version of every file HEAD and ``target`` differ in, in the index and
    the work tree, and end the merge; say what was done, in words for the error message.

    The update refused uncommitted changes in the project and staged ones outside it,
    so nothing of the user's is lost: files of HEAD are checked out again, and files
    only ``target`` has (the merge wrote them, or began to) are removed.
    """
    try:
        diff = ("diff-tree", "-r", "-z", "--no-renames", "--name-status", "HEAD", target)
        paths = name_status(repo.run(*diff, session=True))
        scope = f":(literal){repo.prefix}" if repo.prefix else "."
        repo.run("reset", "-q", "HEAD", "--", scope, session=True)
        kept = [change.path for change in paths if change.status != "added"]
        if kept:
            checkout = ("checkout-index", "-f", "-z", "--stdin")
            repo.run(*checkout, stdin="\0".join(kept), session=True)
        for change in paths:
            if change.status == "added":
                _remove(repo.top / change.path, repo.path)
    except (UpdateError, OSError) as err:
        detail = str(err).rstrip(".")
        return (
            f"undoing it failed as well ({detail}): `git status` shows what changed, and "
            "`git merge --abort` then `git checkout HEAD -- .` in the project undo it"
        )
    clear_merge_state(repo.git_dir)
    return "the update was undone, nothing in the project changed"


def _remove(path: Path, project: Path) -> None:
    """Remove a file the merge wrote, and the folders it made for it that are now empty."""
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == project or project not in folder.parents:
            break
        try:
            folder.rmdir()
        except OSError:  # not empty: it held more than what the merge wrote
            break


def applied_message(*, conflicts: bool) -> str:
    """What an interrupt that came after the update was applied says."""
    if conflicts:
        return (
            "Interrupted: the update was already applied, with conflicts to resolve; "
            "finish it with `git commit` or undo it with `git merge --abort`."
        )
    return (
        "Interrupted: the update was already applied in full and committed; "
        "see it with `git show --stat HEAD`."
    )

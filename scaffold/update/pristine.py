"""The ``scaffold/template`` branch: pristine renders committed in git, merged into the user's.

``scaffold new`` commits the template's output untouched and keeps that commit on
TEMPLATE_BRANCH. Each update commits a fresh render on top of it and merges that
commit into the user's branch, so git's three-way merge takes the last merged
render as the base. Everything here is plain git run in a subprocess; a dry run
points git at a scratch object store, so not even an object is written.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import UpdateError
from scaffold.vcs import TEMPLATE_BRANCH, git

STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}


@dataclass(frozen=True)
class FileChange:
    """One file a merge adds, modifies or deletes, relative to the project."""

    status: str
    path: str


@dataclass(frozen=True)
class Conflict:
    """A file git could not merge on its own, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Merge:
    """What merging a render did (or would do): ``conflicts`` empty means it is committed."""

    changes: tuple[FileChange, ...]
    conflicts: tuple[Conflict, ...] = ()
    kept: tuple[str, ...] = ()  # deleted by the template, changed by the user: kept
    commit: str | None = None
    diff: str = ""


@dataclass(frozen=True)
class Repository:
    """A project's own repository: its branch, HEAD, and the template branch's commits.

    ``base`` is the last render merged into HEAD; ``tip`` is the branch's newest
    render, which is ahead of ``base`` only when an update's merge was aborted.
    """

    path: Path
    git_dir: Path
    branch: str | None
    head: str
    base: str
    tip: str


def run(
    path: Path, *args: str, env: Mapping[str, str] | None = None, identity: bool = False
) -> str:
    """Run git and return its output; a failure becomes an UpdateError with git's reason."""
    done = git(path, *args, identity=identity, env=env)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        raise UpdateError(f"git {args[0]} failed in {path}: {detail}")
    return done.stdout


def query(path: Path, *args: str) -> str | None:
    """Run a git query; return its stripped output, or None when it fails."""
    done = git(path, *args)
    return done.stdout.strip() if done.returncode == 0 else None


def open_repository(path: Path, *, strict: bool) -> Repository:
    """Check that ``path`` is the root of a repository with the template branch.

    ``strict`` adds what merging needs and a comparison does not: a branch checked
    out, no merge in progress, nothing uncommitted.
    """
    if shutil.which("git") is None:
        raise UpdateError("git is not installed: scaffold update merges with git")
    top = query(path, "rev-parse", "--show-toplevel")
    if top is None:
        raise UpdateError(
            f"{path} is not a git repository: scaffold update needs the repository scaffold new "
            "made (its first commit is the template's output)"
        )
    if Path(top).resolve() != path:
        raise UpdateError(
            f"{path} is inside the repository at {top}, not its root: "
            "scaffold update needs the project's own repository"
        )
    head = query(path, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head is None:
        raise UpdateError(f"{path} has no commits yet: commit the project first")
    branch = query(path, "symbolic-ref", "-q", "--short", "HEAD")
    tip = query(path, "rev-parse", "--verify", "-q", f"refs/heads/{TEMPLATE_BRANCH}^{{commit}}")
    if tip is None:
        raise UpdateError(
            f"{path} has no {TEMPLATE_BRANCH} branch, the template's output scaffold new "
            f"commits: fetch it (git fetch origin {TEMPLATE_BRANCH}:{TEMPLATE_BRANCH})"
        )
    if strict:
        _check_mergeable(path, branch)
    base = query(path, "merge-base", "HEAD", tip)
    if base is None:
        raise UpdateError(f"HEAD shares no history with {TEMPLATE_BRANCH}: it cannot be merged")
    git_dir = Path(query(path, "rev-parse", "--absolute-git-dir") or path / ".git")
    return Repository(path, git_dir, branch, head, base, tip)


def _check_mergeable(path: Path, branch: str | None) -> None:
    if branch is None:
        raise UpdateError("HEAD is detached: check out your branch first (git switch BRANCH)")
    if branch == TEMPLATE_BRANCH:
        raise UpdateError(
            f"{TEMPLATE_BRANCH} holds the template's output only: check out your own branch"
        )
    if query(path, "rev-parse", "-q", "--verify", "MERGE_HEAD") is not None:
        raise UpdateError(
            "a merge is in progress: finish it (git commit) or abort it (git merge --abort) first"
        )
    dirty = _dirty_files(path)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise UpdateError(
            f"uncommitted changes in {shown}: commit or stash them first, so the update "
            "can be inspected and undone on its own"
        )


def _dirty_files(path: Path) -> list[str]:
    out = run(path, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    files: list[str] = []
    skip = False
    for entry in out.split("\0"):
        if skip or not entry:
            skip = False
            continue
        files.append(entry[3:])
        skip = entry[0] in "RC"  # a rename is followed by its old name
    return files


def read_file(repo: Repository, commit: str, name: str) -> str | None:
    """The text of ``name`` as committed in ``commit``, or None if it has no such file."""
    return query(repo.path, "cat-file", "blob", f"{commit}:{name}")


@contextlib.contextmanager
def scratch_objects(repo: Repository) -> Iterator[dict[str, str]]:
    """Git environment whose new objects go to a temporary store, so nothing is written."""
    with tempfile.TemporaryDirectory(prefix="scaffold-objects-") as tmp:
        yield {
            "GIT_OBJECT_DIRECTORY": tmp,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(repo.git_dir / "objects"),
        }


def write_tree(repo: Repository, directory: Path, env: Mapping[str, str]) -> str:
    """Store ``directory`` as a git tree (honouring its .gitignore) and return the tree's id."""
    with tempfile.TemporaryDirectory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        where = (f"--git-dir={repo.git_dir}", f"--work-tree={directory}")
        run(directory, *where, "add", "-A", env=index)
        return run(directory, *where, "write-tree", env=index).strip()


def tree_of(repo: Repository, commit: str) -> str:
    return run(repo.path, "rev-parse", f"{commit}^{{tree}}").strip()


def commit_render(repo: Repository, tree: str, message: str, env: Mapping[str, str]) -> str:
    """A commit of ``tree`` on top of the template branch (its tip, if that holds ``tree``)."""
    if tree == tree_of(repo, repo.tip):
        return repo.tip  # rendered before and never merged: an update whose merge was aborted
    args = ("commit-tree", tree, "-p", repo.tip, "-m", message)
    return run(repo.path, *args, env=env, identity=True).strip()


def changed_files(
    repo: Repository, old: str, new: str, env: Mapping[str, str] | None = None
) -> tuple[FileChange, ...]:
    """The files that differ between two trees or commits."""
    args = ("diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new)
    return _name_status(run(repo.path, *args, env=env))


def _name_status(out: str) -> tuple[FileChange, ...]:
    parts = out.split("\0")
    return tuple(
        FileChange(STATUS_WORDS[status[:1]], name)
        for status, name in zip(parts[0::2], parts[1::2], strict=False)
        if status[:1] in STATUS_WORDS  # U, unmerged, is reported as a conflict instead
    )


def _conflicts(listing: str) -> tuple[list[Conflict], list[str]]:
    """Classify unmerged index entries (``ls-files -u -z`` format).

    Returns the real conflicts, and the files the template deleted but the user
    changed: those are kept as the user has them.
    """
    stages: dict[str, set[str]] = {}
    for entry in listing.split("\0"):
        info, tab, name = entry.partition("\t")
        if tab:
            stages.setdefault(name, set()).add(info.split()[-1])
    conflicts: list[Conflict] = []
    kept: list[str] = []
    for name, found in sorted(stages.items()):
        if found == {"1", "2"}:
            kept.append(name)
        elif found == {"1", "3"}:
            conflicts.append(Conflict(name, "you deleted it; the template changed it"))
        elif found == {"2", "3"}:
            conflicts.append(Conflict(name, "you and the template both added it"))
        else:
            conflicts.append(Conflict(name, "you and the template both changed it"))
    return conflicts, kept


def preview_merge(repo: Repository, commit: str, env: Mapping[str, str]) -> Merge:
    """What merging ``commit`` into HEAD would change, computed without a work tree or index."""
    args = ("merge-tree", "--write-tree", "-z", "--no-messages", "HEAD", commit)
    done = git(repo.path, *args, env=env)
    if done.returncode not in (0, 1):  # 1 means conflicts
        raise UpdateError(f"git merge-tree failed: {done.stderr.strip()}")
    merged, _, listing = done.stdout.partition("\0")
    conflicts, kept = _conflicts(listing)
    diff = run(repo.path, "diff", "--no-color", "--no-ext-diff", "HEAD", merged, env=env)
    changes = changed_files(repo, "HEAD", merged, env)
    return Merge(changes, tuple(conflicts), tuple(kept), diff=diff)


def merge(repo: Repository, commit: str, message: str) -> Merge:
    """Merge ``commit`` into the user's branch as one merge commit; leave conflicts marked."""
    args = ("merge", "--no-ff", "--no-verify", "-q", "-m", message, commit)
    done = git(repo.path, *args, identity=True)
    started = query(repo.path, "rev-parse", "-q", "--verify", "MERGE_HEAD") is not None
    if done.returncode != 0 and not started:  # refused before touching anything
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise UpdateError(f"git could not start the merge: {lines[0] if lines else 'no reason'}")
    if commit != repo.tip:
        ref = f"refs/heads/{TEMPLATE_BRANCH}"
        run(repo.path, "update-ref", "-m", "scaffold update", ref, commit, repo.tip)
    conflicts, kept = _conflicts(run(repo.path, "ls-files", "-u", "-z"))
    if kept:
        run(repo.path, "add", "--", *kept)
    if conflicts:
        staged = run(repo.path, "diff", "--cached", "-z", "--no-renames", "--name-status", "HEAD")
        return Merge(_name_status(staged), tuple(conflicts), tuple(kept))
    if started:
        run(repo.path, "commit", "--no-edit", "--no-verify", "-q", identity=True)
    head = run(repo.path, "rev-parse", "HEAD").strip()
    return Merge(changed_files(repo, repo.head, head), (), tuple(kept), commit=head)

"""Computing an update's merge in git's object store: nothing in the project changes here.

A fresh render is committed on top of the template branch (``commit_render``) and
merged with HEAD, the last merged render as the base (``compute_merge``). A project
in a subdirectory of a repository takes part with its directory only: HEAD's tree of
it is "ours", and the merged tree goes back in its place. A dry run points git at a
scratch object store (``scratch_objects``), so not even an object is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.errors import UpdateError
from scaffold.interrupt import temporary_directory
from scaffold.project import ANSWERS_FILE, with_commit
from scaffold.repository import FileChange, ProjectRepository
from scaffold.update.base import UpdateTarget


@dataclass(frozen=True)
class Conflict:
    """A file git could not merge on its own, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class ComputedMerge:
    """A merge computed in git's object store: nothing in the project has changed yet."""

    tree: str
    conflicts: tuple[Conflict, ...]
    kept: tuple[str, ...]  # deleted by the template, changed by the user: kept
    stages: str  # the conflicted files' index entries, ``update-index --index-info`` format


@contextlib.contextmanager
def scratch_objects(repo: ProjectRepository) -> Iterator[dict[str, str]]:
    """Git environment whose new objects go to a temporary store, so nothing is written."""
    with temporary_directory(prefix="scaffold-objects-") as tmp:
        yield {
            "GIT_OBJECT_DIRECTORY": tmp,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(repo.objects),
        }


def commit_render(repo: UpdateTarget, tree: str, message: str, env: Mapping[str, str]) -> str:
    """A commit of ``tree`` on top of the template branch (its tip, if that holds ``tree``)."""
    if tree == repo.tree_of(repo.tip):
        return repo.tip  # rendered before and never merged: an update whose merge was aborted
    args = ("commit-tree", tree, "-p", repo.tip, "-m", message)
    commit = repo.run(*args, env=env, identity=True).strip()
    repo.remember_tree(commit, tree)
    return commit


def compute_merge(
    repo: UpdateTarget, commit: str, answers: str, labels: tuple[str, str], env: Mapping[str, str]
) -> ComputedMerge:
    """Merge render ``commit`` into HEAD with ``repo.base`` as the base, in objects only.

    Git's merge would take the merge base of HEAD and ``commit``, which a squash merge,
    a rebase or a stale branch make the wrong one. Two throwaway commits whose only
    parent is the recorded base make it the merge base. The merged answers file is
    the render's own plus the render's commit, and conflict markers are labelled
    with ``labels`` (the user's branch, the template's version) rather than ids.
    Only the project's directory takes part: its merged tree replaces it in HEAD's.
    """
    ours = _throwaway(repo, repo.head_tree(env), env)
    theirs = _throwaway(repo, repo.tree_of(commit, env), env)
    done = repo.step("merge-tree", "--write-tree", "-z", "--no-messages", ours, theirs, env=env)
    if done.returncode not in (0, 1):  # 1 means conflicts
        raise UpdateError(f"git merge-tree failed: {done.stderr.strip()}")
    tree, _, listing = done.stdout.partition("\0")
    conflicts, kept = _conflicts(listing)
    conflicts = [c for c in conflicts if c.path != ANSWERS_FILE]
    named = {c.path for c in conflicts}
    stages = "".join(
        f"{info}\t{repo.inside(name)}\n"
        for info, tab, name in (entry.partition("\t") for entry in listing.split("\0"))
        if tab and name in named
    )
    replaced = {ANSWERS_FILE: with_commit(answers, commit)}
    for conflict in conflicts:
        found = repo.step("cat-file", "blob", f"{tree}:{conflict.path}", env=env)
        if found.returncode == 0:
            relabelled = _relabel(found.stdout, {ours: labels[0], theirs: labels[1]})
            replaced[conflict.path] = relabelled
    tree = _splice(repo, _replace_files(repo, tree, replaced, env), env)
    return ComputedMerge(tree, tuple(conflicts), tuple(kept), stages)


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


def _throwaway(repo: UpdateTarget, tree: str, env: Mapping[str, str]) -> str:
    args = ("commit-tree", tree, "-p", repo.base, "-m", "scaffold update: merge side")
    return repo.run(*args, env=env, identity=True).strip()


def _relabel(text: str, labels: Mapping[str, str]) -> str:
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line[:8] in ("<<<<<<< ", ">>>>>>> ", "||||||| "):
            for commit, label in labels.items():
                line = line.replace(commit, label)
            lines[number] = line
    return "".join(lines)


def _replace_files(
    repo: ProjectRepository, tree: str, files: Mapping[str, str], env: Mapping[str, str]
) -> str:
    """``tree`` with the given files' text replaced; the new tree's id."""
    with temporary_directory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        repo.run("read-tree", tree, env=index)
        for name, text in files.items():
            blob = repo.step("hash-object", "-w", "--stdin", env=index, stdin=text)
            if blob.returncode != 0:
                raise UpdateError(f"git hash-object failed: {blob.stderr.strip()}")
            info = f"{_mode(repo, tree, name, env) or '100644'},{blob.stdout.strip()},{name}"
            repo.run("update-index", "--add", "--cacheinfo", info, env=index)
        return repo.run("write-tree", env=index).strip()


def _splice(repo: ProjectRepository, tree: str, env: Mapping[str, str]) -> str:
    """HEAD's tree with the project's directory replaced by ``tree``."""
    if not repo.prefix:
        return tree
    with temporary_directory(prefix="scaffold-index-") as tmp:
        index = {**env, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        repo.run("read-tree", "HEAD", env=index)
        rm = ("rm", "--cached", "-r", "-q", "--ignore-unmatch", f":(literal){repo.prefix}")
        repo.run(*rm, env=index)
        repo.run("read-tree", f"--prefix={repo.prefix}/", tree, env=index)
        return repo.run("write-tree", env=index).strip()


def _mode(repo: ProjectRepository, tree: str, name: str, env: Mapping[str, str]) -> str | None:
    out = repo.query("ls-tree", tree, "--", name, env=env)
    return out.split()[0] if out else None


def replace_files(
    repo: ProjectRepository,
    merged: ComputedMerge,
    files: Mapping[str, str],
    env: Mapping[str, str],
) -> ComputedMerge:
    """``merged`` with the given files' text added or replaced in its tree."""
    return dataclasses.replace(merged, tree=_replace_files(repo, merged.tree, files, env))


def folder_files(
    repo: ProjectRepository, commit: str, folder: str, env: Mapping[str, str]
) -> dict[str, str]:
    """The text of each ``.py`` file directly in ``folder`` of ``commit`` (a commit or tree),
    by its path in the repository.

    One ``git grep`` prints every line of them all (``NAME\0NUMBER\0LINE``), where
    reading each file would take one git process a file, and a project may have
    hundreds of migrations.
    """
    args = ("grep", "-z", "-n", "-I", "--no-color", "--no-column", "-e", "", commit)
    done = repo.step(*args, "--", f"{folder}/*.py", env=env)
    if done.returncode not in (0, 1):  # 1: no file, or no line
        raise UpdateError(f"git grep failed in {repo.path}: {done.stderr.strip()}")
    lines: dict[str, list[str]] = {}
    for line in done.stdout.split("\n"):
        name, _, rest = line.partition("\0")
        if not rest:
            continue  # the newline that ends the output
        text = rest.partition("\0")[2]
        path = name.partition(":")[2]
        if PurePosixPath(path).parent == PurePosixPath(folder):
            lines.setdefault(path, []).append(text)
    return {path: "\n".join(found) + "\n" for path, found in lines.items()}


def merge_changes(
    repo: UpdateTarget, merged: ComputedMerge, env: Mapping[str, str]
) -> tuple[FileChange, ...]:
    """The project's files that applying ``merged`` to HEAD changes (one git for the
    check, the dry run's list and the applied merge's)."""
    return repo.changed_files(repo.head, merged.tree, env, whole=True)


def ignored_in_the_way(repo: ProjectRepository, changes: tuple[FileChange, ...]) -> list[str]:
    """The files the merge would add (of its ``changes``) where the project has something
    git ignores.

    An update is refused while the project has untracked files git sees, so what is
    on disk at a path the merge adds (or where its folder would go) is ignored: by
    the project's .gitignore, ``.git/info/exclude`` or the user's own excludes. Git
    would overwrite it without a word; scaffold names it instead.
    """
    found = []
    for change in changes:
        if change.status != "added":
            continue
        path = PurePosixPath(change.path)
        for part in [path, *path.parents[:-1]]:  # the file, then each folder it needs
            where = repo.path / part
            if where.is_symlink() or (where.exists() and (part == path or not where.is_dir())):
                found.append(part.as_posix())
                break
    return sorted(set(found))

"""A project's repository, and every question scaffold asks git about it.

``locate`` finds the repository a project is in (at its root, or a subdirectory of
it) and returns a ``ProjectRepository``: its paths, and one method for each thing
scaffold asks git (a file in a commit, a commit's tree, the files two trees differ
in, the template branch's commits) or has it write (a render stored as a tree and
kept on the project's template branch). Every git here goes through ``vcs``, where
a git that Ctrl-C killed is an interrupt, never a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold import vcs
from scaffold.errors import RepositoryRefused, UpdateError
from scaffold.interrupt import temporary_directory
from scaffold.vcs import NO_USER_IGNORES, git_step, is_object_id, template_branch

STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}


@dataclass(frozen=True)
class FileChange:
    """One file that differs between two trees: added, modified or deleted, relative to
    the project."""

    status: str
    path: str


def name_status(out: str) -> tuple[FileChange, ...]:
    """The changes of git's ``--name-status -z`` output; unmerged ones (U) are left out."""
    parts = out.split("\0")
    return tuple(
        FileChange(STATUS_WORDS[status[:1]], name)
        for status, name in zip(parts[0::2], parts[1::2], strict=False)
        if status[:1] in STATUS_WORDS  # U, unmerged, is reported as a conflict instead
    )


# Files and trees of commits named by their ids, read once per process: such a commit
# never changes. (A file not found is asked again: a fetch may bring its commit yet.)
_FILES: dict[tuple[Path, str, str], str] = {}
_TREES: dict[tuple[Path, str], str] = {}


@dataclass(frozen=True)
class ProjectRepository:
    """A project in its repository: the project's directory, the work tree, the git dir.

    ``prefix`` is the project's directory inside the work tree, "" at its root;
    ``objects`` is the object store, which a linked work tree shares with the main one.
    """

    path: Path
    top: Path
    git_dir: Path
    objects: Path
    prefix: str

    # -- running git in the repository ------------------------------------------------

    def run(self, *args: str, **options: Any) -> str:
        """Run git at the work tree's root; its output, or an UpdateError with git's reason."""
        return vcs.run(self.top, *args, **options)

    def query(self, *args: str, **options: Any) -> str | None:
        """Run a git query at the work tree's root; its stripped output, or None."""
        return vcs.query(self.top, *args, **options)

    def step(self, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
        """Run git at the work tree's root; the finished process, whatever its exit code."""
        return git_step(self.top, *args, **options)

    def resolve(self, *names: str, **options: Any) -> list[str | None]:
        """The object id each of ``names`` names, or None (``vcs.resolve``)."""
        return vcs.resolve(self.top, *names, **options)

    # -- names ------------------------------------------------------------------------

    @property
    def template_branch(self) -> str:
        return template_branch(self.prefix)

    def inside(self, name: str) -> str:
        """The repository's path of ``name``, a path relative to the project."""
        return f"{self.prefix}/{name}" if self.prefix else name

    # -- questions --------------------------------------------------------------------

    def head_tree(self, env: Mapping[str, str] | None = None) -> str:
        """The tree of the project's directory in HEAD."""
        return self.run("rev-parse", f"HEAD:{self.prefix}", env=env).strip()

    def head_file(self, name: str) -> str | None:
        """The text of the project's file ``name`` as committed in HEAD, or None."""
        return self.query("cat-file", "blob", f"HEAD:{self.inside(name)}")

    def file_at(self, commit: str, name: str) -> str | None:
        """The text of ``name`` in ``commit`` (a path from the commit's root), or None."""
        key = (self.top, commit, name)
        if key in _FILES:
            return _FILES[key]
        text = self.query("cat-file", "blob", f"{commit}:{name}")
        if text is not None and is_object_id(commit):
            _FILES[key] = text
        return text

    def tree_of(self, commit: str, env: Mapping[str, str] | None = None) -> str:
        """The tree of ``commit``."""
        key = (self.top, commit)
        if key not in _TREES:
            tree = self.run("rev-parse", f"{commit}^{{tree}}", env=env).strip()
            if not is_object_id(commit):
                return tree  # a name (HEAD, a branch) moves: not kept
            _TREES[key] = tree
        return _TREES[key]

    def is_commit(self, commit: str) -> bool:
        return self.query("cat-file", "-e", f"{commit}^{{commit}}") is not None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.step("merge-base", "--is-ancestor", ancestor, descendant).returncode == 0

    def remotes(self) -> list[str]:
        return (self.query("remote") or "").split()

    def template_tips(self) -> list[str]:
        """The template branch's commits: the local branch's first, then each remote's."""
        branch = self.template_branch
        refs = (f"refs/heads/{branch}", f"refs/remotes/*/{branch}")
        out = self.query("for-each-ref", "--format=%(objectname)", *refs)
        tips: list[str] = []
        for line in (out or "").splitlines():
            if line and line not in tips:
                tips.append(line)
        return tips

    def changed_files(
        self, old: str, new: str, env: Mapping[str, str] | None = None, *, whole: bool = False
    ) -> tuple[FileChange, ...]:
        """The files that differ between two renders (or, ``whole``, two of the repository's
        trees, of which only the project's files count), relative to the project."""
        args = ("diff-tree", "-r", "-z", "--no-renames", "--name-status", *self.within(whole))
        return name_status(self.run(*args, old, new, env=env))

    def within(self, whole: bool) -> tuple[str, ...]:
        """The diff option that keeps only the project's files, named relative to it."""
        return (f"--relative={self.prefix}/",) if whole and self.prefix else ()

    # -- writing ----------------------------------------------------------------------

    def fetch_template_branch(self) -> None:
        """Fetch the template branch from each remote that has it; unreachable ones are
        skipped."""
        branch = self.template_branch
        for remote in self.remotes():
            refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
            self.step("fetch", "-q", "--no-tags", remote, refspec, env={"GIT_TERMINAL_PROMPT": "0"})

    def remember_tree(self, commit: str, tree: str) -> None:
        """Note that ``commit``, just made, has ``tree``: no git is asked for it later."""
        _TREES[(self.top, commit)] = tree

    def write_tree(self, directory: Path, env: Mapping[str, str], session: bool = False) -> str:
        """Store ``directory`` as a git tree (honouring its .gitignore); the tree's id."""
        with temporary_directory(prefix="scaffold-index-") as tmp:
            # A repository of its own (no info/exclude, no config of the project's) whose
            # objects go to the project's store: only the template's .gitignore applies.
            private = Path(tmp) / "git"
            vcs.run(Path(tmp), "init", "-q", "--bare", "--template=", str(private), session=session)
            index = {
                "GIT_OBJECT_DIRECTORY": str(self.objects),
                **env,
                "GIT_INDEX_FILE": str(Path(tmp) / "index"),
            }
            where = (f"--git-dir={private}", f"--work-tree={directory}")
            vcs.run(directory, *NO_USER_IGNORES, *where, "add", "-A", env=index, session=session)
            return vcs.run(directory, *where, "write-tree", env=index, session=session).strip()

    def keep_render(self, directory: Path, message: str, session: bool = False) -> str:
        """Commit ``directory``, a render, on the project's template branch; the commit.

        The branch is made, or moved on with the commit on top of its tip. Nothing else in
        the repository changes: not HEAD, not the index, not the work tree.
        """
        tree = self.write_tree(directory, {}, session)
        ref = f"refs/heads/{self.template_branch}"
        tip = self.query("rev-parse", "-q", "--verify", ref, session=session)
        parent = ("-p", tip) if tip else ()
        args = ("commit-tree", tree, *parent, "-m", message)
        commit = self.run(*args, identity=True, session=session).strip()
        self.run("update-ref", "-m", "scaffold", ref, commit, tip or "0" * 40, session=session)
        return commit


def locate(path: Path, session: bool = False) -> ProjectRepository:
    """The repository ``path`` is in: its root, or a subdirectory of it."""
    if shutil.which("git") is None:
        raise UpdateError("git is not installed: scaffold update merges with git")
    asked = ("--show-toplevel", "--absolute-git-dir", "--git-path", "objects", "--show-prefix")
    done = git_step(path, "rev-parse", *asked, session=session)
    if "dubious ownership" in done.stderr:
        # The repository is someone else's, and git will not work in it for this user.
        raise RepositoryRefused(
            f"git refuses to work in {path}: the repository belongs to another user "
            "(see `git config --global --add safe.directory`), so it cannot be updated as this one"
        )
    out = done.stdout.strip() if done.returncode == 0 else None
    lines = (out or "").splitlines()
    if out is None or len(lines) < 3:
        raise UpdateError(
            f"{path} is not a git repository: commit the project to one "
            "(git init && git add -A && git commit), then run `scaffold adopt`"
        )
    prefix = lines[3].strip("/") if len(lines) > 3 else ""
    return ProjectRepository(path, Path(lines[0]), Path(lines[1]), path / lines[2], prefix)

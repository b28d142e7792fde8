"""A project's place in git: its repository, and renders kept on its template branch.

``init_repository`` gives a new project a repository, a first commit and its template
branch, or, inside another repository, a template branch there. What that and
``scaffold update`` share: finding the repository a project is in (``locate``),
storing a render as a tree filtered only by the template's own ``.gitignore``
(``write_tree``), and keeping it on the project's template branch (``keep_render``).
A git that Ctrl-C killed is an interrupt here, never a failure (``git_step``).
"""

from __future__ import annotations

import enum
import re
import shutil
import signal
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import RepositoryRefused, UpdateError
from scaffold.interrupt import temporary_directory
from scaffold.vcs import (
    NO_USER_IGNORES,
    TEMPLATE_BRANCH,
    git,
    inside_repository,
    template_branch,
)

# An object id: SHA-1, or SHA-256 in a repository that uses it.
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


class GitOutcome(enum.Enum):
    """What giving a new project its git history did."""

    REPOSITORY = "repository"  # a repository of its own: first commit and template branch
    TEMPLATE_BRANCH = "template branch"  # inside another repository: a template branch there
    NO_GIT = "no git"  # git is not installed: no repository
    FAILED = "failed"  # a git step failed: the project is written without it


@dataclass(frozen=True)
class Initialized:
    """The outcome of ``init_repository``, and the sentence that tells the user."""

    outcome: GitOutcome
    message: str

    @property
    def updatable(self) -> bool:
        """Whether `scaffold update` can merge into the project: a template branch was made."""
        return self.outcome in (GitOutcome.REPOSITORY, GitOutcome.TEMPLATE_BRANCH)


def is_object_id(name: str) -> bool:
    """True for a full object id (which names one object for good), not a ref or a name."""
    return _OBJECT_ID.fullmatch(name) is not None


@dataclass(frozen=True)
class Place:
    """Where a project is: its directory, the repository's work tree and git directory.

    ``prefix`` is the project's directory inside the work tree, "" at its root;
    ``objects`` is the object store, which a linked work tree shares with the main one.
    """

    path: Path
    top: Path
    git_dir: Path
    objects: Path
    prefix: str

    @property
    def template_branch(self) -> str:
        return template_branch(self.prefix)

    def inside(self, name: str) -> str:
        """The repository's path of ``name``, a path relative to the project."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def head_tree(self, env: Mapping[str, str] | None = None) -> str:
        """The tree of the project's directory in HEAD."""
        return run(self.top, "rev-parse", f"HEAD:{self.prefix}", env=env).strip()


def git_step(path: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``vcs.git``, where a git that Ctrl-C killed is an interrupt, not a failure.

    The terminal's Ctrl-C reaches git and scaffold together; git may die of it
    before scaffold's own handler runs, and must not be reported as "git failed"
    nor read as an empty answer.
    """
    done = git(path, *args, **options)
    if done.returncode == -signal.SIGINT:
        raise KeyboardInterrupt
    return done


def run(
    path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    identity: bool = False,
    stdin: str | None = None,
    session: bool = False,
) -> str:
    """Run git and return its output; a failure becomes an UpdateError with git's reason."""
    done = git_step(path, *args, identity=identity, env=env, stdin=stdin, session=session)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        # The command's name, past git's own options (-c name=value, --git-dir=...).
        name = next((a for a in args if a[:1] != "-" and "=" not in a), "")
        raise UpdateError(f"git {name} failed in {path}: {detail}")
    return done.stdout


def query(
    path: Path, *args: str, env: Mapping[str, str] | None = None, session: bool = False
) -> str | None:
    """Run a git query; return its stripped output, or None when it fails."""
    done = git_step(path, *args, env=env, session=session)
    return done.stdout.strip() if done.returncode == 0 else None


def resolve(
    path: Path, *names: str, env: Mapping[str, str] | None = None, session: bool = False
) -> list[str | None]:
    """The id of the object each of ``names`` (HEAD, a ref, ``REV:path``, ``REV^{tree}``)
    names in the repository, or None where it names none: one git for all of them."""
    if not any("\n" in name or "\r" in name for name in names):  # one name a line
        asked = "".join(f"{name}\n" for name in names)
        done = git_step(
            path, "cat-file", "--batch-check=%(objectname)", env=env, stdin=asked, session=session
        )
        lines = done.stdout.splitlines() if done.returncode == 0 else []
        if len(lines) == len(names):
            # A name that names nothing is echoed with "missing" (or "ambiguous") after it.
            return [line if is_object_id(line) else None for line in lines]
    # A name git cannot read in a list, or one it stops at (HEAD@{99}): each alone.
    return [query(path, "rev-parse", "-q", "--verify", name, env=env) for name in names]


def locate(path: Path, session: bool = False) -> Place:
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
    return Place(path, Path(lines[0]), Path(lines[1]), path / lines[2], prefix)


def write_tree(repo: Place, directory: Path, env: Mapping[str, str], session: bool = False) -> str:
    """Store ``directory`` as a git tree (honouring its .gitignore) and return the tree's id."""
    with temporary_directory(prefix="scaffold-index-") as tmp:
        # A repository of its own (no info/exclude, no config of the project's) whose
        # objects go to the project's store: only the template's .gitignore applies.
        private = Path(tmp) / "git"
        run(Path(tmp), "init", "-q", "--bare", "--template=", str(private), session=session)
        index = {
            "GIT_OBJECT_DIRECTORY": str(repo.objects),
            **env,
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        where = (f"--git-dir={private}", f"--work-tree={directory}")
        run(directory, *NO_USER_IGNORES, *where, "add", "-A", env=index, session=session)
        return run(directory, *where, "write-tree", env=index, session=session).strip()


def keep_render(place: Place, directory: Path, message: str, session: bool = False) -> str:
    """Commit ``directory``, a render, on the project's template branch; return the commit.

    The branch is made, or moved on with the commit on top of its tip. Nothing else in
    the repository changes: not HEAD, not the index, not the work tree.
    """
    tree = write_tree(place, directory, {}, session)
    ref = f"refs/heads/{place.template_branch}"
    tip = query(place.top, "rev-parse", "-q", "--verify", ref, session=session)
    parent = ("-p", tip) if tip else ()
    made = run(
        place.top, "commit-tree", tree, *parent, "-m", message, identity=True, session=session
    )
    commit = made.strip()
    run(place.top, "update-ref", "-m", "scaffold", ref, commit, tip or "0" * 40, session=session)
    return commit


def init_repository(project: Path, message: str) -> Initialized:
    """Create a repository with one commit of ``project``; return what happened.

    The commit is also kept on TEMPLATE_BRANCH: it is exactly the template's output,
    the base `scaffold update` merges later renders from. Five git processes in the
    usual case: the default branch's name, init, add, commit, branch. The identity
    is looked up only when the commit fails, and the commit does not start git's
    background maintenance, which finds nothing to do in a repository of one commit.

    Every git here runs in a session of its own: this step runs with Ctrl-C held
    (see render.py), and the terminal's Ctrl-C, sent to its whole foreground process
    group, must not kill a git half-way and leave a project without its repository.
    """
    if shutil.which("git") is None:
        return Initialized(
            GitOutcome.NO_GIT, "warning: git is not installed, so no repository was created"
        )
    project = project.absolute()
    if inside_repository(project.parent, session=True):
        return keep_in_repository(project, message)
    # git's own default is still master unless init.defaultBranch says otherwise;
    # the generated CI workflows run on main.
    default = git(project.parent, "config", "--get", "init.defaultBranch", session=True)
    branch = default.stdout.strip()
    # Every file above one byte goes into one pack instead of a loose object file each
    # (git's bulk check-in, used for big files): the same blobs and the same index,
    # in about half the time. Files git would convert (attributes, filters) are
    # still added the usual way, and the setting lasts for this command only.
    steps = (
        ("init", ("init", "-q", "-b", branch or "main")),
        ("add", ("add", "-A")),
        ("commit", ("commit", "-q", "--no-verify", "-m", message)),
        ("branch", ("branch", TEMPLATE_BRANCH)),
    )
    for step, args in steps:
        if step == "add":
            # A fresh repository has no ignore rules of the user's own, and never will:
            # an info/exclude copied from init.templateDir would drop template files.
            exclude = project / ".git" / "info" / "exclude"
            if exclude.exists():
                exclude.write_text("", encoding="utf-8")
            done = git(project, *args, config=("core.bigFileThreshold=1",), session=True)
        elif step == "commit":
            done = _commit(project, args)
        else:
            done = git(project, *args, session=True)
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            detail = reason[-1] if reason else f"exit code {done.returncode}"
            failed = f"warning: git {step} failed ({detail}); the project is written without it"
            return Initialized(GitOutcome.FAILED, failed)
    created = f"created a git repository with a first commit (also kept on {TEMPLATE_BRANCH})"
    return Initialized(GitOutcome.REPOSITORY, created)


def _commit(project: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """Commit as the user; only if that fails for want of an identity, as NEUTRAL_IDENTITY."""
    quiet = ("maintenance.auto=false",)
    return git(project, *args, config=quiet, identity=True, session=True)


def keep_in_repository(project: Path, message: str) -> Initialized:
    """Inside another repository: no repository of its own, but a template branch there.

    The project's files are left for the user to commit; the branch holds them as the
    template wrote them, the base `scaffold update` merges later renders from. Its git
    processes run out of the terminal's Ctrl-C, as ``init_repository``'s do.
    """
    try:
        place = locate(project, session=True)
        keep_render(place, project, message, session=True)
    except UpdateError as err:
        failed = f"warning: no template branch was made ({err}); the project cannot be updated"
        return Initialized(GitOutcome.FAILED, failed)
    return Initialized(
        GitOutcome.TEMPLATE_BRANCH,
        f"the project is inside the repository at {place.top}: kept the template's output "
        f"on its branch {place.template_branch}; commit the project, and scaffold update "
        "can merge later renders into it",
    )

"""A new project's git: a repository of its own with a first commit, or a template branch.

``init_repository`` gives a new project a repository, a first commit and its template
branch, or, inside another repository, a template branch there; it says what it did
as a ``GitOutcome`` and a sentence for the user.
"""

from __future__ import annotations

import enum
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import UpdateError
from scaffold.repository import locate
from scaffold.vcs import TEMPLATE_BRANCH, git, inside_repository


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
        place.keep_render(project, message, session=True)
    except UpdateError as err:
        failed = f"warning: no template branch was made ({err}); the project cannot be updated"
        return Initialized(GitOutcome.FAILED, failed)
    return Initialized(
        GitOutcome.TEMPLATE_BRANCH,
        f"the project is inside the repository at {place.top}: kept the template's output "
        f"on its branch {place.template_branch}; commit the project, and scaffold update "
        "can merge later renders into it",
    )

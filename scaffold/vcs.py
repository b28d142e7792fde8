"""The git steps after a project is written: init, a first commit, the template branch."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

# Used only when git has no identity configured, so the first commit cannot fail.
NEUTRAL_IDENTITY = ("scaffold", "scaffold@localhost")

# The branch holding the template's output exactly as rendered, one commit per
# render; `scaffold update` merges it into the user's branch (see update.py).
TEMPLATE_BRANCH = "scaffold/template"

# The template's output is committed filtered by the template's own .gitignore only:
# never by the user's core.excludesFile (nor ~/.config/git/ignore, which it replaces).
NO_USER_IGNORES = ("-c", f"core.excludesFile={os.devnull}")


def git(
    path: Path,
    *args: str,
    identity: bool = False,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    session: bool = False,
    config: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run git in ``path``; with ``identity`` fall back to a neutral author if none is set.

    ``git add`` here only ever stages the template's output, so it skips the user's
    personal ignore rules. ``session`` runs git in a process group of its own, out of
    reach of the terminal's Ctrl-C (for steps that must not stop half-way).
    ``config`` holds extra ``name=value`` settings for this one command.
    """
    command = ["git", "-c", "commit.gpgsign=false"]
    for setting in config:
        command += ["-c", setting]
    if args and args[0] == "add":
        command += NO_USER_IGNORES
    if identity and not _has_identity(path, session):
        name, email = NEUTRAL_IDENTITY
        command += ["-c", f"user.name={name}", "-c", f"user.email={email}"]
    return subprocess.run(
        [*command, *args],
        cwd=path,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        start_new_session=session,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        env={**os.environ, **env} if env else None,
    )


def _has_identity(path: Path, session: bool = False) -> bool:
    # `git var` fails exactly when a commit would fail for want of an identity.
    found = subprocess.run(
        ["git", "var", "GIT_COMMITTER_IDENT"], cwd=path, capture_output=True, check=False,
        start_new_session=session,
    )  # fmt: skip
    return found.returncode == 0


def inside_repository(path: Path, session: bool = False) -> bool:
    """True when ``path`` is inside an existing git work tree (``session``: as in git())."""
    if not _may_be_inside(path):
        return False
    found = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
        start_new_session=session,
    )
    return found.returncode == 0 and found.stdout.strip() == "true"


def _may_be_inside(path: Path) -> bool:
    """False only when git cannot find a work tree around ``path``: no ``.git`` above it.

    Git discovers a repository through a ``.git`` entry in the directory or one of
    its parents, or through GIT_DIR; without either there is nothing to ask git about,
    and a process is saved. Anything else is left to git itself.
    """
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        return True
    for directory in (path, *path.parents):
        try:
            os.lstat(directory / ".git")
        except FileNotFoundError:
            continue
        except OSError:  # unreadable: let git decide
            return True
        return True
    return False


def init_repository(project: Path, message: str) -> str:
    """Create a repository with one commit of ``project``; return what happened, in a sentence.

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
        return "warning: git is not installed, so no repository was created"
    project = project.absolute()
    if inside_repository(project.parent, session=True):
        return "skipped git init: the project is inside an existing repository"
    # git's own default is still master unless init.defaultBranch says otherwise;
    # the generated CI workflows run on main.
    branch = git(project.parent, "config", "--get", "init.defaultBranch", session=True)
    branch = branch.stdout.strip()
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
            return f"warning: git {step} failed ({detail}); the project is written without it"
    return f"created a git repository with a first commit (also kept on {TEMPLATE_BRANCH})"


def _commit(project: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """Commit as the user; only if that fails for want of an identity, as NEUTRAL_IDENTITY."""
    quiet = ("maintenance.auto=false",)
    done = git(project, *args, config=quiet, session=True)
    if done.returncode != 0 and not _has_identity(project, session=True):
        done = git(project, *args, config=quiet, identity=True, session=True)
    return done


def git_config(key: str) -> str | None:
    """The value of git's ``key`` (user.name...) where set, else None; None without git."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "config", "--get", key], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None

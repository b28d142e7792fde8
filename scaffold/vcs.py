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


def git(
    path: Path, *args: str, identity: bool = False, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git in ``path``; with ``identity`` fall back to a neutral author if none is set."""
    command = ["git", "-c", "commit.gpgsign=false"]
    if identity and not _has_identity(path):
        name, email = NEUTRAL_IDENTITY
        command += ["-c", f"user.name={name}", "-c", f"user.email={email}"]
    return subprocess.run(
        [*command, *args],
        cwd=path,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        env={**os.environ, **env} if env else None,
    )


def _has_identity(path: Path) -> bool:
    # `git var` fails exactly when a commit would fail for want of an identity.
    found = subprocess.run(
        ["git", "var", "GIT_COMMITTER_IDENT"], cwd=path, capture_output=True, check=False
    )
    return found.returncode == 0


def inside_repository(path: Path) -> bool:
    """True when ``path`` is inside an existing git work tree."""
    found = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.returncode == 0 and found.stdout.strip() == "true"


def init_repository(project: Path, message: str) -> str:
    """Create a repository with one commit of ``project``; return what happened, in a sentence.

    The commit is also kept on TEMPLATE_BRANCH: it is exactly the template's output,
    the base `scaffold update` merges later renders from.
    """
    if shutil.which("git") is None:
        return "warning: git is not installed, so no repository was created"
    if inside_repository(project.parent):
        return "skipped git init: the project is inside an existing repository"
    steps = (
        ("init", "-q"),
        ("add", "-A"),
        ("commit", "-q", "--no-verify", "-m", message),
        ("branch", TEMPLATE_BRANCH),
    )
    for args in steps:
        done = git(project, *args, identity=args[0] == "commit")
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            detail = reason[-1] if reason else f"exit code {done.returncode}"
            return f"warning: git {args[0]} failed ({detail}); the project is written without it"
    return f"created a git repository with a first commit (also kept on {TEMPLATE_BRANCH})"


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

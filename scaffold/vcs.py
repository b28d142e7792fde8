"""Running git: one process helper, the user's identity and config, the branch names.

``git`` runs one git; ``run``, ``query`` and ``resolve`` are its three ways of being
asked (output or an error, output or None, object ids), and ``git_step`` makes a git
that Ctrl-C killed an interrupt, never a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.errors import UpdateError
from scaffold.interrupt import deferred

# Used only when git has no identity configured, so the first commit cannot fail.
NEUTRAL_IDENTITY = ("scaffold", "scaffold@localhost")

# The branch holding the template's output exactly as rendered, one commit per
# render; `scaffold update` merges it into the user's branch (see scaffold.update).
TEMPLATE_BRANCH = "scaffold/template"
# A project in a subdirectory of a repository (a service in a monorepo) has a branch of
# its own, named after its directory, under this one: scaffold/templates/services/shop.
# (Not under scaffold/template/, which git could not hold beside that branch.)
SUBDIR_BRANCHES = "scaffold/templates"

# The template's output is committed filtered by the template's own .gitignore only:
# never by the user's core.excludesFile (nor ~/.config/git/ignore, which it replaces).
NO_USER_IGNORES = ("-c", f"core.excludesFile={os.devnull}")


# An object id: SHA-1, or SHA-256 in a repository that uses it.
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def is_object_id(name: str) -> bool:
    """True for a full object id (which names one object for good), not a ref or a name."""
    return _OBJECT_ID.fullmatch(name) is not None


def template_branch(prefix: str) -> str:
    """The template branch of the project at ``prefix`` (its directory in the repository).

    Characters a branch name cannot hold become ``-``; dots that start or end a part go.
    """
    if not prefix:
        return TEMPLATE_BRANCH
    parts = []
    for part in prefix.strip("/").split("/"):
        part = "".join(c if c.isalnum() or c in "-_." else "-" for c in part)
        part = part.replace("..", "--").strip(".") or "-"
        parts.append(part[: -len(".lock")] + "-lock" if part.endswith(".lock") else part)
    return f"{SUBDIR_BRANCHES}/{'/'.join(parts)}"


def git(
    path: Path,
    *args: str,
    identity: bool = False,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    session: bool = False,
    config: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run git in ``path``; with ``identity``, a command that fails for want of an author
    (none configured) runs again as NEUTRAL_IDENTITY.

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
    done = _run([*command, *args], path, env, stdin, session)
    # The identity is looked up only when the command failed: one process, not two,
    # in the usual case. A commit that fails writes nothing, so running it again is safe.
    if identity and done.returncode > 0 and not has_identity(path, session):
        name, email = NEUTRAL_IDENTITY
        neutral = ["-c", f"user.name={name}", "-c", f"user.email={email}"]
        done = _run([*command, *neutral, *args], path, env, stdin, session)
    return done


def _run(
    command: list[str],
    path: Path,
    env: Mapping[str, str] | None,
    stdin: str | None,
    session: bool,
) -> subprocess.CompletedProcess[str]:
    # A new session is made in the child after the fork, before git starts: a Ctrl-C
    # sent to scaffold's process group in between would still reach it. Blocked here,
    # Ctrl-C is blocked in git too, and reaches scaffold once git is done.
    with deferred() if session else contextlib.nullcontext():
        return subprocess.run(
            command,
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


def has_identity(path: Path, session: bool = False) -> bool:
    # `git var` fails exactly when a commit would fail for want of an identity.
    found = _run(["git", "var", "GIT_COMMITTER_IDENT"], path, None, None, session)
    return found.returncode == 0


def inside_repository(path: Path, session: bool = False) -> bool:
    """True when ``path`` is inside an existing git work tree (``session``: as in git())."""
    if not _may_be_inside(path):
        return False
    found = _run(["git", "rev-parse", "--is-inside-work-tree"], path, None, None, session)
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


def git_step(path: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``git``, where a git that Ctrl-C killed is an interrupt, not a failure.

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

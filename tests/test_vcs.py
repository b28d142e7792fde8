"""The git step makes the repository plain `git add -A` and `git commit` would make."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold import vcs
from scaffold.new_repository import GitOutcome, init_repository
from scaffold.vcs import TEMPLATE_BRANCH, resolve

MESSAGE = "Generate the project"

# A fixed date makes the commit ids comparable, not only the trees.
FIXED_DATE = "2024-01-02T03:04:05+00:00"


def git(path: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def plain_way(project: Path) -> None:
    """The reference: what a person types to commit a new project and keep a branch of it.

    The one difference scaffold makes on purpose: the template's files are added past
    the user's personal ignore rules (core.excludesFile), which `scaffold update`
    would otherwise read as files the template deleted.
    """
    git(project, "init", "-q")
    git(project, "-c", f"core.excludesFile={os.devnull}", "add", "-A")
    git(project, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", MESSAGE)
    git(project, "branch", TEMPLATE_BRANCH)


def write_tree(root: Path) -> Path:
    """A small project: nested folders, an executable, ignored files, a converted file."""
    files = {
        "README.md": "# demo\n",
        "demo/__init__.py": "",
        "demo/settings.py": "DEBUG = True\n",
        "demo/templates/base.html": "<!doctype html>\n",
        ".gitignore": ".env\n*.sqlite3\n",
        ".env": "SECRET_KEY=not-committed\n",
        "db.sqlite3": "",
        "notes.local": "ignored by the global excludes file only\n",
        "manage.py": "#!/usr/bin/env python\n",
        "static/logo.bin": "\x00\x01\x02",
        ".gitattributes": "*.txt text\n",
        "notes.txt": "line ending converted on the way in\r\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "manage.py").chmod(0o755)
    (root / "empty").mkdir()
    return root


def summary(project: Path) -> dict[str, object]:
    """What git sees of a repository: branches, HEAD, commits, trees, index and status."""
    return {
        "refs": git(project, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(project, "symbolic-ref", "HEAD"),
        "tree": git(project, "rev-parse", "HEAD^{tree}"),
        "template_tree": git(project, "rev-parse", f"{TEMPLATE_BRANCH}^{{tree}}"),
        "commit": git(project, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%B"),
        "files": git(project, "ls-files", "-s"),
        "status": git(project, "status", "--porcelain", "--ignored"),
        "count": git(project, "rev-list", "--count", "--all"),
    }


@pytest.fixture
def hermetic_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git config of the test's own, with a global excludes file; returns the config path."""
    home = tmp_path / "home"
    home.mkdir()
    excludes = home / "excludes"
    excludes.write_text("*.local\n", encoding="utf-8")
    config = home / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test User\n\temail = test@example.com\n"
        f"[core]\n\texcludesFile = {excludes}\n[init]\n\tdefaultBranch = trunk\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_DATE", FIXED_DATE)
    monkeypatch.setenv("GIT_COMMITTER_DATE", FIXED_DATE)
    return config


def twin_projects(tmp_path: Path) -> tuple[Path, Path]:
    mine = write_tree(tmp_path / "a" / "demo")
    theirs = tmp_path / "b" / "demo"
    shutil.copytree(mine, theirs, symlinks=True)
    return mine, theirs


def test_same_repository_as_add_and_commit(hermetic_git: Path, tmp_path: Path) -> None:
    """Same branches, trees, commit ids, index and status as the plain commands."""
    mine, theirs = twin_projects(tmp_path)
    assert init_repository(mine, MESSAGE).outcome is GitOutcome.REPOSITORY
    plain_way(theirs)
    assert summary(mine) == summary(theirs)
    assert git(mine, "symbolic-ref", "HEAD") == "refs/heads/trunk"  # init.defaultBranch
    committed = git(mine, "ls-files").splitlines()
    assert ".env" not in committed  # the project's own .gitignore holds
    assert "notes.local" in committed  # the user's global excludes do not
    assert "100755" in git(mine, "ls-files", "-s", "manage.py")


def test_same_repository_without_an_identity(
    hermetic_git: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no identity the commit is the neutral one, the rest as the plain commands."""
    hermetic_git.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    mine, theirs = twin_projects(tmp_path)
    assert init_repository(mine, MESSAGE).outcome is GitOutcome.REPOSITORY
    monkeypatch.setenv("GIT_AUTHOR_NAME", "scaffold")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "scaffold@localhost")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "scaffold")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "scaffold@localhost")
    plain_way(theirs)
    assert summary(mine) == summary(theirs)


def test_inside_a_repository_only_a_template_branch_is_made(
    hermetic_git: Path, tmp_path: Path
) -> None:
    """A project inside a work tree gets no repository of its own, but a branch in that
    one whose tree is the project's files, as the template's .gitignore leaves them;
    nothing else there changes: no commit on HEAD, nothing staged."""
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    project = write_tree(repo / "deep" / "demo")
    branch = "scaffold/templates/deep/demo"

    made = init_repository(project, MESSAGE)

    assert made.outcome is GitOutcome.TEMPLATE_BRANCH and branch in made.message

    assert not (project / ".git").exists()
    files = git(repo, "ls-tree", "-r", "--name-only", branch).splitlines()
    assert "README.md" in files and "demo/settings.py" in files and "notes.local" in files
    assert ".env" not in files and "db.sqlite3" not in files
    assert git(repo, "status", "--porcelain") == "?? deep/"
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=repo).returncode


def test_below_a_git_directory_git_decides(hermetic_git: Path, tmp_path: Path) -> None:
    """A .git above that is no work tree (here: inside a repository's git dir) is asked about."""
    git(tmp_path, "init", "-q")
    project = write_tree(tmp_path / ".git" / "demo")
    assert init_repository(project, MESSAGE).outcome is GitOutcome.REPOSITORY
    assert git(project, "rev-parse", "--show-toplevel") == str(project.resolve())


def test_git_failure_is_a_warning(hermetic_git: Path, tmp_path: Path) -> None:
    """A git step that fails leaves the project written, with a one-line warning."""
    hermetic_git.write_text("[init]\n\tdefaultBranch = no..branch\n", encoding="utf-8")
    project = write_tree(tmp_path / "demo")
    status = init_repository(project, MESSAGE)
    assert status.outcome is GitOutcome.FAILED and not status.updatable
    assert status.message.startswith("warning: git init failed (fatal: invalid initial branch name")
    assert (project / "README.md").exists()


@pytest.mark.slow  # the git it starts is a Python script
def test_a_git_out_of_ctrl_c_s_reach_has_ctrl_c_blocked_from_its_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session git is made in the child after the fork; a Ctrl-C to scaffold's group
    landing before that would kill it (seen as a read-tree dying mid-update). It starts
    with SIGINT blocked, so it cannot; a git that may be interrupted starts without."""
    log = tmp_path / "masks"
    real_git = shutil.which("git")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "git"  # not a shell script: a shell resets the signal mask
    shim.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        "mask = [l for l in open('/proc/self/status') if l.startswith('SigBlk')][0]\n"
        f"open({str(log)!r}, 'a').write(mask)\n"
        f"os.execv({real_git!r}, ['git', *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    vcs.git(tmp_path, "--version", session=True)
    vcs.git(tmp_path, "--version")
    held, free = (int(line.split()[1], 16) for line in log.read_text().splitlines())
    sigint = 1 << (signal.SIGINT - 1)
    assert held & sigint and not free & sigint


def test_resolve_names_each_object_or_none_in_one_git(
    tmp_path: Path, hermetic_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`resolve` answers as `git rev-parse -q --verify` would, name by name: an id, or
    None for a name that names nothing; a name git cannot read in a list is asked alone."""
    project = tmp_path / "demo"
    (project / "app").mkdir(parents=True)
    (project / "app" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    init_repository(project, "first")
    names = ["HEAD", "HEAD^{tree}", "HEAD:app", "MERGE_HEAD", "HEAD:nothing", "no-such-ref"]
    expected = [git(project, "rev-parse", "-q", "--verify", n) or None for n in names[:3]]
    calls: list[list[str]] = []
    real = vcs._run

    def counted(args: list[str], *rest: object, **kw: object) -> object:
        calls.append(args)
        return real(args, *rest, **kw)

    monkeypatch.setattr(vcs, "_run", counted)
    assert resolve(project, *names) == [*expected, None, None, None]
    assert len(calls) == 1
    assert resolve(project, "HEAD", "bad\nname") == [expected[0], None]
    assert resolve(project, "HEAD", "HEAD@{99}") == [expected[0], None]  # cat-file stops
    assert resolve(tmp_path, "HEAD") == [None]  # not a repository

"""Ctrl-C on a real `scaffold update` process: the project ends as it was or updated,
the one line says which, no temporary directory is left, and the next update works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import git_shim, python_was_still_starting

# Slow: real processes interrupted at many moments; kept out of the fast suite, run by CI.
pytestmark = pytest.mark.slow

NOTHING = "Interrupted: nothing was written."
APPLIED = "Interrupted: the update was already applied in full and committed; "
WITH_CONFLICTS = "Interrupted: the update was already applied, with conflicts to resolve; "
IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, **IDENTITY, "TMPDIR": str(scratch), "CI": "true", **extra}


def _git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Flask project made by `scaffold new`, copied by each test."""
    where = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, "-m", "scaffold", "new", "demo", "--no-input", "--framework", "flask"],
        cwd=where, env=_env(where), check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return where / "demo"


def _copy(generated: Path, tmp_path: Path, *, conflicting: bool = False) -> Path:
    project = tmp_path / "demo"
    shutil.copytree(generated, project, symlinks=True)
    if conflicting:  # a line the accounts option also changes
        env = project / ".env.example"
        env.write_text(env.read_text().replace("# PROXY_COUNT=1", "PROXY_COUNT=2"))
        _git(project, "commit", "-qam", "behind one proxy")
    return project


def _state(project: Path) -> tuple[str, str, str]:
    return (
        _git(project, "rev-parse", "HEAD"),
        _git(project, "rev-parse", "scaffold/template"),
        _git(project, "rev-parse", "-q", "--verify", "MERGE_HEAD"),
    )


def _check_outcome(project: Path, before: tuple[str, str, str], code: int, err: str) -> str:
    """The project is as it was, merged, or a merge in progress; the message says which."""
    assert not (project / ".git" / "index.lock").exists()
    state = _state(project)
    if python_was_still_starting(code, err):
        assert state == before and _git(project, "status", "--porcelain") == "", err
        return "not started"
    assert "Traceback" not in err, err
    if code in (0, 3):  # 3: merged with conflicts
        last = "done"
    else:
        assert code == 130, err
        last = err.strip().splitlines()[-1]
    if state == before:
        assert last == NOTHING, err
        assert _git(project, "status", "--porcelain") == ""
        return "not started"
    head, template, merging = state
    if merging:
        assert last == "done" or last.startswith(WITH_CONFLICTS), err
        assert merging == template
        assert _git(project, "diff", "--name-only", "--diff-filter=U")
        return "conflicts"
    assert last == "done" or last.startswith(APPLIED), err
    assert _git(project, "rev-parse", "HEAD^2") == template
    assert _git(project, "status", "--porcelain") == ""
    return "merged"


def _command(project: Path) -> list[str]:
    return [sys.executable, "-m", "scaffold", "update", str(project), "--set", "accounts=true"]


def _update(project: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    # In a session of its own, so that a signal to its group is the terminal's Ctrl-C.
    return subprocess.Popen(
        _command(project), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


@pytest.mark.parametrize("conflicting", [False, True], ids=["clean", "conflicting"])
@pytest.mark.parametrize("moment", [0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.3])
def test_ctrl_c_at_any_moment_leaves_a_state_the_next_update_finishes(
    generated: Path, tmp_path: Path, moment: float, conflicting: bool
) -> None:
    project = _copy(generated, tmp_path, conflicting=conflicting)
    before = _state(project)
    env = _env(tmp_path)
    run = _update(project, env)
    time.sleep(moment)  # where the interrupt lands; every outcome is checked, not the timing
    if run.poll() is None:
        os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=120)

    outcome = _check_outcome(project, before, run.returncode, err)

    assert os.listdir(tmp_path / "tmp") == []
    if outcome == "not started":
        again = subprocess.run(_command(project), env=env, capture_output=True, text=True)
        assert again.returncode == (3 if conflicting else 0), again.stderr
        outcome = _check_outcome(project, before, again.returncode, again.stderr)
    assert outcome == ("conflicts" if conflicting else "merged")
    assert os.listdir(tmp_path / "tmp") == []


@pytest.mark.parametrize(
    ("step", "expected"),
    [("merge-tree", NOTHING), ("read-tree -m -u", APPLIED), ("update-ref", APPLIED)],
)
def test_ctrl_c_during_a_git_step(
    generated: Path, tmp_path: Path, step: str, expected: str
) -> None:
    """git interrupts scaffold during one step: before the merge is applied nothing is
    written; once it is being applied, it is applied in full."""
    path = git_shim(tmp_path, f'case " $* " in *" {step} "*) kill -INT "$PPID" ;; esac')
    project = _copy(generated, tmp_path)
    before = _state(project)
    env = _env(tmp_path, PATH=path)
    run = _update(project, env)
    _, err = run.communicate(timeout=120)

    assert run.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith(expected), err
    outcome = _check_outcome(project, before, run.returncode, err)
    assert outcome == ("not started" if expected == NOTHING else "merged")
    assert os.listdir(tmp_path / "tmp") == []


def test_a_merge_marker_left_after_the_commit_is_cleared(generated: Path, tmp_path: Path) -> None:
    """Killed after HEAD moved but before MERGE_HEAD was removed: the next update does not
    refuse with "a merge is in progress"."""
    project = _copy(generated, tmp_path)
    env = _env(tmp_path)
    first = subprocess.run(_command(project), env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    git_dir = project / ".git"
    (git_dir / "MERGE_HEAD").write_text(_git(project, "rev-parse", "HEAD^2") + "\n")
    (git_dir / "MERGE_MSG").write_text("Update\n")

    again = subprocess.run(
        [sys.executable, "-m", "scaffold", "update", str(project)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip

    assert again.returncode == 0, again.stderr
    assert not (git_dir / "MERGE_HEAD").exists() and not (git_dir / "MERGE_MSG").exists()

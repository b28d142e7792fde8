"""Ctrl-C on a real `scaffold new` process: one line, exit code 130, no traceback, and
the line says exactly what is on disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import git_shim, python_was_still_starting

# Slow: real processes interrupted at many moments; kept out of the fast suite, run by CI.
pytestmark = pytest.mark.slow

NOTHING = "Interrupted: nothing was written."


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(scratch), "CI": "true", **extra}


def _with_git_shim(tmp_path: Path, each_argument: str) -> dict[str, str]:
    """The environment of a run whose git first runs the shell line ``each_argument``
    for each of its arguments (``$arg``), then the real git."""
    line = f'for arg in "$@"; do {each_argument}; done'
    return _env(tmp_path, PATH=git_shim(tmp_path, line))


def _state(work: Path) -> str:
    """'nothing' when the directory is empty, 'project' when it holds a whole project."""
    entries = sorted(os.listdir(work))
    if not entries:
        return "nothing"
    assert entries == ["demo"], entries
    branches = subprocess.run(
        ["git", "branch", "--list", "scaffold/template"], cwd=work / "demo",
        capture_output=True, text=True,
    )  # fmt: skip
    assert "scaffold/template" in branches.stdout, "a project without its template branch"
    assert (work / "demo" / ".scaffold-answers.yml").is_file()
    return "project"


def test_ctrl_c_while_the_command_line_is_imported(tmp_path: Path) -> None:
    """The interrupt lands in the middle of importing click, cookiecutter and jinja2."""
    code = textwrap.dedent(
        """
        import builtins, os, signal, sys, time
        real_import = builtins.__import__
        def importing(name, *args, **kwargs):
            if name == "scaffold.cli":
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(5)
            return real_import(name, *args, **kwargs)
        builtins.__import__ = importing
        sys.argv = ["scaffold", "new", "demo", "--no-input"]
        from scaffold._entry import main
        sys.exit(main())
        """
    )
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=_env(tmp_path), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 130
    assert done.stderr.strip() == NOTHING
    assert _state(work) == "nothing"


def test_the_entry_point_imports_nothing_heavy_before_its_handler(tmp_path: Path) -> None:
    code = (
        "import sys, scaffold._entry; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('click', 'cookiecutter', 'jinja2', 'rich', 'yaml', 'scaffold.cli')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


# From inside the interpreter's own start (see python_was_still_starting) to the end.
MOMENTS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0, 1.5]


@pytest.mark.parametrize("moment", MOMENTS)
def test_ctrl_c_at_any_moment_says_what_is_on_disk(tmp_path: Path, moment: float) -> None:
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "new", "demo", "--no-input", "--framework", "flask"],
        cwd=work, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(moment)  # where the interrupt lands; every outcome is checked, not the timing
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    state = _state(work)
    if python_was_still_starting(run.returncode, err):
        assert state == "nothing", err
        return
    assert "Traceback" not in err
    if run.returncode == 0:
        assert state == "project"
        return
    assert run.returncode == 130, err
    last = err.strip().splitlines()[-1]
    if last == NOTHING:
        assert state == "nothing"
    else:
        assert last.startswith("Interrupted: the project was already complete in "), last
        assert state == "project"


def test_ctrl_c_during_the_git_step_keeps_a_whole_project(tmp_path: Path) -> None:
    """git interrupts its parent on `git init`: the commit and the branch still happen."""
    env = _with_git_shim(tmp_path, '[ "$arg" = init ] && kill -INT "$PPID"')
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "scaffold", "new", "demo", "--no-input", "--framework", "django"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"Interrupted: the project was already complete in {work / 'demo'}; kept it."
    )
    assert _state(work) == "project"


@pytest.mark.parametrize("step", ["init", "add", "commit", "branch"])
def test_the_terminals_ctrl_c_during_the_git_step_does_not_kill_git(
    tmp_path: Path, step: str
) -> None:
    """A terminal sends Ctrl-C to its whole foreground process group, git included:
    git must be out of that group, or the project is left without its repository."""
    running = tmp_path / "git-is-running"
    env = _with_git_shim(tmp_path, f'[ "$arg" = {step} ] && touch {running} && sleep 2')
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "new", "demo", "--no-input", "--framework", "flask"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # a process group of its own, as a terminal's job is
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not running.exists():
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    _, err = run.communicate(timeout=120)

    assert run.returncode == 130, err
    assert err.strip().splitlines()[-1] == (
        f"Interrupted: the project was already complete in {work / 'demo'}; kept it."
    ), err
    assert _state(work) == "project"
    log = subprocess.run(
        ["git", "log", "--format=%s", "scaffold/template"], cwd=work / "demo",
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert len(log.stdout.splitlines()) == 1

"""Two runs racing for one target: exactly one wins, and nothing scaffold did not create
is ever moved, replaced or deleted."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Slow: real processes racing; kept out of the fast suite, run by CI.
pytestmark = pytest.mark.slow

ALREADY = "already exists"


def _start(work: Path, tmp_path: Path, framework: str) -> subprocess.Popen[str]:
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "scaffold", "new", "demo", "--no-input", "--framework", framework],
        cwd=work, env={**os.environ, "TMPDIR": str(scratch), "CI": "true"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.parametrize("round_", range(3))
def test_two_racing_runs_one_wins(tmp_path: Path, round_: int) -> None:
    work = tmp_path / "work"
    work.mkdir()
    runs = [_start(work, tmp_path, "django"), _start(work, tmp_path, "flask")]
    results = [(run.wait(timeout=120), run.communicate()) for run in runs]
    codes = sorted(code for code, _ in results)
    said = [f"exit {code}, stderr: {err!r}" for code, (_, err) in results]
    assert codes == [0, 1], (said, sorted(os.listdir(work)))
    loser_err = next(err for code, (_, err) in results if code == 1)
    assert ALREADY in loser_err and "Traceback" not in loser_err
    assert len(loser_err.strip().splitlines()) == 1
    winner = 0 if results[0][0] == 0 else 1
    framework = ("django", "flask")[winner]
    answers = (work / "demo" / ".scaffold-answers.yml").read_text(encoding="utf-8")
    assert f"framework: {framework}" in answers
    assert sorted(os.listdir(work)) == ["demo"]  # no staging directory left behind


def test_a_directory_filled_during_the_render_is_left_alone(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    run = _start(work, tmp_path, "flask")
    # Wait until the run has claimed the target and started rendering beside it.
    while run.poll() is None and not list(work.glob(".demo.scaffold-*")):
        time.sleep(0.005)
    assert run.poll() is None, "the render finished before the test could step in"
    (work / "demo" / "mine.txt").write_text("my work\n", encoding="utf-8")
    _, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert "was filled by another program" in err and "Traceback" not in err
    assert sorted(os.listdir(work / "demo")) == ["mine.txt"]
    assert (work / "demo" / "mine.txt").read_text(encoding="utf-8") == "my work\n"
    assert sorted(os.listdir(work)) == ["demo"]

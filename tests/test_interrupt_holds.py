"""Ctrl-C held across a step, in-process: who answers it, and what the answer says."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from scaffold.catalog import load_template
from scaffold.cli import cli
from scaffold.interrupt import Interrupted, held
from scaffold.render import render_project


def test_a_ctrl_c_in_a_hold_inside_a_hold_is_the_outer_blocks_to_answer() -> None:
    """The inner block (a temporary directory made inside the git step) must not raise
    it half-way through the outer step: the outer one answers once its step is done."""
    with held() as outer:
        with held() as inner:
            os.kill(os.getpid(), signal.SIGINT)
        assert inner == []
    assert outer == [signal.SIGINT]


def test_an_interrupt_after_the_move_says_the_project_is_complete(tmp_path: Path) -> None:
    def finish(project: Path) -> None:
        raise KeyboardInterrupt  # as a step inside the git step would raise it

    values = {"project_name": "Demo", "project_slug": "demo"}
    with pytest.raises(Interrupted) as interrupt:
        render_project(load_template("flask"), values, tmp_path, finish=finish)
    target = tmp_path / "demo"
    assert interrupt.value.message == (
        f"Interrupted: the project was already complete in {target}; kept it."
    )
    assert (target / "pyproject.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no stage left


def test_a_ctrl_c_while_the_summary_prints_says_the_project_is_complete(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("scaffold.project.next_steps", interrupted)
    args = ["new", "demo", "--no-input", "--framework", "flask", "--no-git", "-o", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 130
    assert result.output.strip().splitlines()[-1] == (
        f"Interrupted: the project was already complete in {tmp_path / 'demo'}; kept it."
    )

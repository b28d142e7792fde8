"""Smoke environments from a generated project's uv.lock (scaffold.smoke.locked)."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from scaffold.catalog import load_template
from scaffold.render import render_template
from scaffold.smoke import locked
from scaffold.smoke.environment import Environment, Recipe
from scaffold.smoke.interpreter import current_interpreter
from scaffold.smoke.locked import has_lock, lock_digest, locked_environments, locked_key


def _project(root: Path, lock: str | None) -> Path:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\n')
    if lock is not None:
        (root / "uv.lock").write_text(lock)
    return root


def test_a_project_without_a_lock_keeps_pip(tmp_path: Path) -> None:
    """No uv.lock (or a directory by that name): not installed from a lock."""
    assert not has_lock(_project(tmp_path / "a", None))
    (tmp_path / "a" / "uv.lock").mkdir()
    assert not has_lock(tmp_path / "a")
    assert has_lock(_project(tmp_path / "b", "version = 1\n"))


def test_one_environment_per_distinct_lock(tmp_path: Path, monkeypatch) -> None:
    """Projects with the same lock share one environment; another lock gets its own."""
    built: list[Path] = []

    def ensure(template: str, project: Path, root: Path, recipe: Recipe) -> Environment:
        built.append(project)
        return Environment(template, root / project.name, project.name, ())

    monkeypatch.setattr(locked, "ensure_locked", ensure)
    same = [_project(tmp_path / name, "one\n") for name in ("a", "b")]
    other = _project(tmp_path / "c", "two\n")
    found = locked_environments("flask", [*same, other], tmp_path / "cache", Recipe())
    assert built == [same[0], other]
    assert found[lock_digest(same[1]) or ""].path.name == "a"


def test_the_key_is_the_lock_and_the_interpreter(tmp_path: Path) -> None:
    """A changed lock, or another Python, is another environment."""
    one = lock_digest(_project(tmp_path / "a", "one\n")) or ""
    two = lock_digest(_project(tmp_path / "b", "two\n")) or ""
    recipe = Recipe(current_interpreter())
    other = Recipe(dataclasses.replace(current_interpreter(), executable="/other/python"))
    assert len({locked_key(one, recipe), locked_key(two, recipe), locked_key(one, other)}) == 3


@pytest.mark.slow  # python -m venv and uv sync, from PyPI when uv's cache lacks a file
def test_a_generated_projects_lock_becomes_its_environment(tmp_path: Path) -> None:
    """The locked set with pip beside it, the project itself not installed; built once."""
    template = load_template("django")
    (tmp_path / "out").mkdir()
    project = render_template(template, {}, tmp_path / "out")
    envs = locked_environments("django", [project], tmp_path / "cache", Recipe())
    env = envs[lock_digest(project) or ""]
    assert env.ok and env.created, env.output
    python = str(env.bin / "python")
    code = "import django, pytest, pip; print(django.get_version())"
    version = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("5.2.")
    listed = subprocess.run([python, "-m", "pip", "list"], capture_output=True, text=True)
    assert "my-site" not in listed.stdout.replace("_", "-")
    again = locked_environments("django", [project], tmp_path / "cache", Recipe())
    assert not again[lock_digest(project) or ""].created

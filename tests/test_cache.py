"""`scaffold cache`: list, clear, clear --older-than, and pruning of stale environments."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scaffold.cli import cli
from scaffold.smoke.environment import (
    READY,
    Environment,
    _prune_stale,
    cached_environments,
    environment_key,
)


def _fake(root: Path, template: str, requirements: list[str], days_unused: float = 0) -> Path:
    key = environment_key(requirements)
    path = root / f"{template}-{key}"
    (path / "bin").mkdir(parents=True)
    (path / "bin" / "python").write_bytes(b"x" * 2048)
    (path / READY).write_text("\n".join(sorted(requirements)) + "\n", encoding="utf-8")
    (root / f"{template}-{key}.log").write_text("built\n", encoding="utf-8")
    used = time.time() - days_unused * 86400
    os.utime(path / READY, (used, used))
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    root.mkdir()
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(root))
    return root


def test_list_shows_each_environment_with_size_and_age(runner, cache: Path) -> None:
    _fake(cache, "django", ["django==5.2"], days_unused=3)
    _fake(cache, "flask", ["flask==3.1"])
    result = runner.invoke(cli, ["cache"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"cache: {cache}"
    assert "django-" in lines[1] and "used 3 days ago" in lines[1]
    assert "flask-" in lines[2] and "KB" in lines[2]
    assert lines[-1].startswith("2 environments")


def test_an_empty_cache_says_so(runner, cache: Path) -> None:
    result = runner.invoke(cli, ["cache"])
    assert result.exit_code == 0
    assert "no cached environments" in result.output


def test_clear_older_than_keeps_recent_ones(runner, cache: Path) -> None:
    old = _fake(cache, "django", ["django==5.1"], days_unused=40)
    recent = _fake(cache, "django", ["django==5.2"], days_unused=1)
    result = runner.invoke(cli, ["cache", "clear", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed 1 environments")
    assert not old.exists() and not old.with_name(old.name + ".log").exists()
    assert recent.is_dir()


def test_clear_removes_everything(runner, cache: Path) -> None:
    _fake(cache, "django", ["django==5.2"])
    _fake(cache, "flask", ["flask==3.1"], days_unused=2)
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0
    assert cached_environments(cache) == []
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize("bad", ["x", "-1"])
def test_a_bad_age_is_refused_and_removes_nothing(runner, cache: Path, bad: str) -> None:
    kept = _fake(cache, "django", ["django==5.2"], days_unused=100)
    result = runner.invoke(cli, ["cache", "clear", "--older-than", bad])
    assert result.exit_code == 2
    assert "--older-than" in result.output
    assert kept.is_dir()


def test_a_new_environment_prunes_the_stale_ones_of_its_template(cache: Path) -> None:
    stale = _fake(cache, "django", ["django==5.1", "ruff==0.5"])
    subset = _fake(cache, "django", ["django==5.2"])
    larger = _fake(cache, "django", ["django==5.2", "ruff==0.6", "psycopg==3.2"])
    other_template = _fake(cache, "flask", ["flask==3.0"])
    wanted = ("django==5.2", "ruff==0.6")
    new = _fake(cache, "django", list(wanted))
    _prune_stale(Environment("django", new, environment_key(wanted), wanted), cache)
    assert not stale.exists() and not subset.exists()
    assert larger.is_dir() and other_template.is_dir() and new.is_dir()


def test_compiled_templates_are_not_an_environment(runner, cache: Path) -> None:
    """The compiled-templates file `scaffold new` keeps beside them is neither listed nor
    counted as an unfinished environment."""
    from scaffold.cache import COMPILED_TEMPLATES

    _fake(cache, "flask", ["flask==3.1"])
    (cache / COMPILED_TEMPLATES).mkdir()
    (cache / COMPILED_TEMPLATES / "cpython-311.marshal").write_bytes(b"{}")
    result = runner.invoke(cli, ["cache"])
    assert COMPILED_TEMPLATES not in result.output
    assert result.output.splitlines()[-1].startswith("1 environments")


@pytest.mark.usefixtures("no_home")
def test_without_a_home_new_keeps_compiled_templates_in_memory_only(runner, tmp_path: Path) -> None:
    """No cache directory only costs the cache: the project is written all the same."""
    result = runner.invoke(cli, ["new", "demo", "--no-input", "--no-git", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / ".scaffold-answers.yml").is_file()


@pytest.mark.usefixtures("no_home")
def test_without_a_home_the_cache_command_says_what_to_set(runner) -> None:
    result = runner.invoke(cli, ["cache"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: no cache directory: this user has no home directory; "
        "set SCAFFOLD_CACHE_DIR (or HOME)"
    ]

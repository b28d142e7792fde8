"""scaffold leaves nothing outside the project: its temp directory and HOME stay empty.

Each command runs as a user runs it, in a process of its own, with a private TMPDIR
and HOME; afterwards both must be empty (the environment cache lives where
SCAFFOLD_CACHE_DIR says, as the README documents).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import make_template

# Each test starts scaffold two to four times as a fresh interpreter, as a user does;
# test_render checks in-process that rendering leaves nothing in TMPDIR or HOME.
pytestmark = pytest.mark.slow

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


@pytest.fixture
def private(tmp_path: Path) -> dict[str, Path]:
    places = {name: tmp_path / name for name in ("tmp", "home", "work", "cache")}
    for place in places.values():
        place.mkdir()
    return places


def _env(private: dict[str, Path]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "GIT_", "SCAFFOLD_CACHE"))
    }
    env.update(GIT_IDENTITY)
    # A user's own tools keep their state where it always is: pip (run by a smoke
    # environment's build) asks rustc its version for its user agent, and a rustup
    # installation otherwise writes its settings into the private HOME.
    env.setdefault("RUSTUP_HOME", str(Path.home() / ".rustup"))
    env.setdefault("CARGO_HOME", str(Path.home() / ".cargo"))
    env.update(
        TMPDIR=str(private["tmp"]),
        HOME=str(private["home"]),
        SCAFFOLD_CACHE_DIR=str(private["cache"]),
        GIT_CONFIG_NOSYSTEM="1",
        CI="true",
    )
    return env


def _scaffold(private: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=private["work"], env=_env(private), capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _left(place: Path) -> list[str]:
    return sorted(str(path.relative_to(place)) for path in place.rglob("*"))


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_new_and_update_leave_nothing_behind(private: dict[str, Path], framework: str) -> None:
    made = _scaffold(private, "new", "demo", "--no-input", "--framework", framework)
    assert made.returncode == 0, made.stderr
    dry = _scaffold(private, "new", "other", "--no-input", "--framework", framework, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    changed = _scaffold(private, "update", "demo", "--set", "docker=true")
    assert changed.returncode == 0, changed.stderr
    assert _left(private["tmp"]) == []
    assert _left(private["home"]) == []


def test_an_interrupted_update_leaves_nothing_behind(private: dict[str, Path]) -> None:
    made = _scaffold(private, "new", "demo", "--no-input", "--framework", "flask")
    assert made.returncode == 0, made.stderr
    update = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "update", "demo", "--set", "database=postgresql"],
        cwd=private["work"], env=_env(private),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # Interrupt it once it has started writing in its temp directory (or finished).
    while update.poll() is None and not any(private["tmp"].iterdir()):
        time.sleep(0.01)
    update.send_signal(signal.SIGINT)
    update.communicate(timeout=120)
    assert _left(private["tmp"]) == []
    assert _left(private["home"]) == []


def test_a_smoke_run_leaves_only_its_cache(private: dict[str, Path], tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "tiny",
        config={
            "project_name": "Demo",
            "project_slug": "demo",
            "database": ["sqlite", "none"],
        },
        hooks={"post_gen_project.py": "print('hook ran')\n"},
    )
    (template.path / "scaffold-checks.yml").write_text(
        "version: 1\nsteps:\n  - name: files\n"
        "    run: [python, -c, 'import tempfile; tempfile.mkstemp()']\n",
        encoding="utf-8",
    )
    ran = _scaffold(private, "smoke", str(template.path), "--jobs", "1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert _left(private["tmp"]) == []
    assert _left(private["home"]) == []
    assert any(private["cache"].iterdir())  # the documented cache is where it was told to go

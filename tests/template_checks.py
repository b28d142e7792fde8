"""Checks both template test files make on a generated project."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def project_files(root: Path) -> list[Path]:
    """Every file of a generated project, relative to its root."""
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def assert_ruff_clean(root: Path) -> None:
    """The project passes its own `ruff check` and `ruff format --check`."""
    for command in (["check"], ["format", "--check"]):
        ruff = [sys.executable, "-m", "ruff", *command, "."]
        result = subprocess.run(ruff, cwd=root, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def assert_fresh_ignored_secret(root: Path, again: Path, key: str) -> None:
    """`.env` holds a long ``key`` no other file has, git ignores it, and ``again`` differs."""
    secret = re.search(rf"^{key}=(\S+)$", (root / ".env").read_text(), re.MULTILINE)
    assert secret and len(secret.group(1)) >= 50
    for path in project_files(root):
        if path.name != ".env":
            assert secret.group(1) not in (root / path).read_text(), path
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert subprocess.run(["git", "-C", str(root), "check-ignore", "-q", ".env"]).returncode == 0
    assert secret.group(1) not in (again / ".env").read_text()

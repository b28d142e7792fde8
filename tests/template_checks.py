"""Checks both template test files make on a generated project, and the renders they share."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scaffold.catalog import parse_template
from scaffold.render import compiled_templates, render_template

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# Each template with every option on, and with every option off: the renders most
# of its tests read.
EVERY_ON: dict[str, dict[str, Any]] = {
    "django": {
        "database": "postgresql",
        "api": True,
        "accounts": True,
        "tasks": True,
        "docker": True,
        "ci": "github",
    },
    "flask": {
        "database": "postgresql",
        "accounts": True,
        "forms": True,
        "api": True,
        "admin": True,
        "tasks": True,
        "docker": True,
        "ci": "github",
    },
}
EVERY_OFF: dict[str, dict[str, Any]] = {
    "django": {
        "database": "sqlite",
        "api": False,
        "accounts": False,
        "tasks": False,
        "docker": False,
        "ci": "none",
    },
    "flask": {
        "database": "none",
        "accounts": False,
        "forms": False,
        "api": False,
        "admin": False,
        "tasks": False,
        "docker": False,
        "ci": "none",
    },
}
LONG_SLUG = "a_fifty_character_project_slug_for_the_line_limits"  # the longest accepted
LONG_NAME = "A Fifty Character Project Name For The Line Limits"


def project_files(root: Path) -> list[Path]:
    """Every file of a generated project, relative to its root."""
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


class Renders:
    """Projects rendered once per test session, for the many tests that only read them.

    Each (template, answers, copy) is rendered on first use through scaffold's render
    path (cookiecutter's generation API, as ``scaffold new`` calls it) with one shared
    Jinja bytecode cache; ``copy`` asks for a second, separate render of the same
    answers. A test that changes a project must render its own instead.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.compiled = compiled_templates()
        self.projects: dict[str, Path] = {}
        self.ruff_outcomes: dict[tuple[Path, ...], str] = {}

    def project(self, template: str, answers: Mapping[str, Any], *, copy: int = 0) -> Path:
        """The project ``template`` renders with ``answers`` (the others take their defaults)."""
        key = json.dumps([template, dict(answers), copy], sort_keys=True)
        if key not in self.projects:
            output = self.root / f"{template}-{len(self.projects)}"
            output.mkdir()
            parsed = parse_template(template, TEMPLATES / template)
            self.projects[key] = render_template(parsed, answers, output, compiled=self.compiled)
        return self.projects[key]

    def ruff_clean(self, root: Path, group: Sequence[Path]) -> None:
        """Assert that ``root`` passes its own ruff checks; ruff runs once for all of ``group``.

        Each project is checked with its own configuration (ruff reads the closest
        pyproject.toml), so one run over the whole group says whether every project is
        clean; only when it is not is each project run alone, to say which one failed.
        """
        group = tuple(group)
        if group not in self.ruff_outcomes:
            self.ruff_outcomes[group] = ruff_output(group)
        if self.ruff_outcomes[group]:
            output = ruff_output([root])
            assert not output, output


def ruff_output(roots: Sequence[Path]) -> str:
    """What `ruff check` and `ruff format --check` say about ``roots``; empty when clean.

    No cache: it would be written into the shared projects other tests read.
    """
    output = ""
    where = os.path.commonpath(roots)
    for command in (["check"], ["format", "--check"]):
        ruff = [sys.executable, "-m", "ruff", *command, "--no-cache", *map(str, roots)]
        result = subprocess.run(ruff, cwd=where, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output += result.stdout + result.stderr
    return output


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


def readme_blocks(readme: str, heading: str) -> list[list[str]]:
    """The lines of each shell code block in the README section called ``heading``."""
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```(?:sh|bash)\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    return [block.splitlines() for block in blocks]


def dockerfile_instructions(text: str) -> list[str]:
    """The Dockerfile's instructions, each on one line: continuations joined, comments out."""
    joined = re.sub(r"\\\n\s*", "", text)
    lines = (line.strip() for line in joined.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def uv_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """The environment a user's shell has with uv on PATH: no virtualenv active."""
    uv = Path(sys.executable).with_name("uv")
    assert uv.is_file(), f"{uv} is missing: pip install uv into the venv that runs the tests"
    bin_dir = tmp_path / "uv-bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "uv").exists():
        (bin_dir / "uv").symlink_to(uv)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV" and not k.startswith("UV_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return {**env, **variables}


def run_lines(lines: Sequence[str], cwd: Path, env: Mapping[str, str]) -> None:
    """Run ``lines`` in one bash, as typed, stopping at the first that fails."""
    script = "set -e\n" + "\n".join(lines)
    result = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{script}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


def locked_project(root: Path, env: Mapping[str, str]) -> Path:
    """``root`` with a uv.lock (made by `uv lock` if the template gave none) and a git repo."""
    if not (root / "uv.lock").exists():
        run_lines(["uv lock --quiet"], root, env)
    if not (root / ".git").exists():
        run_lines(["git init -q"], root, env)
    return root

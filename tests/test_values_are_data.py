"""Every value a user types is written as data: never evaluated by cookiecutter's Jinja,
never evaluated by the generated project's own template engine, and still valid TOML/Python.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffold.cli import cli
from scaffold.smoke.environment import cache_dir, ensure_environment, project_requirements

NAME = "Acme {{ 7*7 }} News"
DESCRIPTION = '{{ 7*7 }} {% raw %} He said "hi" \\ back {# note #}'
AUTHOR = "O'Brien {% endraw %}"


def _generate(runner, tmp_path: Path, framework: str) -> Path:
    result = runner.invoke(
        cli,
        ["new", NAME, "--no-input", "--no-git", "--framework", framework, "-o", str(tmp_path),
         "--set", f"description={DESCRIPTION}", "--set", f"author_name={AUTHOR}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (project,) = [path for path in tmp_path.iterdir() if path.is_dir()]
    return project


@pytest.fixture(scope="module", params=["django", "flask"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project `new` makes from such values, once per template; the tests only read it."""
    return _generate(CliRunner(), tmp_path_factory.mktemp(request.param), request.param)


def test_values_are_written_as_typed(generated: Path) -> None:
    project = generated
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {NAME}\n")
    assert DESCRIPTION in readme
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["description"] == DESCRIPTION
    assert meta["authors"][0]["name"] == AUTHOR
    every_text = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in project.rglob("*")
        if path.is_file() and path.name != "uv.lock"  # PyPI's URLs and sizes, not values
    )
    # 49 as a word of its own: what an evaluated {{ 7*7 }} would leave ("Acme 49 News"),
    # never part of a hash, a secret or a version number.
    assert not re.search(r"(?<![\w.-])49(?!\w)", every_text)


def test_pages_never_hand_a_value_to_the_projects_template_engine(generated: Path) -> None:
    project = generated
    for page in project.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "{{ 7*7 }}" not in text, page
        assert "{% raw %}" not in text and "{# note #}" not in text, page
    pages = "".join(page.read_text(encoding="utf-8") for page in project.rglob("*.html"))
    assert "&#123;&#123; 7*7 }}" in pages


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_the_project_passes_its_own_tests_with_such_values(
    runner, tmp_path: Path, framework: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    project = _generate(runner, out, framework)
    venv = ensure_environment(framework, project_requirements(project), cache_dir())
    assert venv.ok, venv.output
    env = {**os.environ, "PATH": f"{venv.bin}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(venv.bin / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]

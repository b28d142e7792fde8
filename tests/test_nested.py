"""The repository root is a cookiecutter nested-templates entry: Django or Flask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Plain cookiecutter and pytest-cookies, as their users run them: a Python of their own
# or the hook scripts.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _cookiecutter(tmp_path: Path, *args: str, stdin: str | None = None):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    config = tmp_path / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'cc'}\nreplay_dir: {home / 'replay'}\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--config-file",
            str(config),
            *args,
            "-o",
            str(tmp_path / "out"),
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_plain_cookiecutter_asks_which_template(tmp_path: Path) -> None:
    """`cookiecutter <repo>` asks Django or Flask; answering 2 renders the Flask template."""
    done = _cookiecutter(tmp_path, str(ROOT), stdin="2\n" + "\n" * 20)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "out" / "my_app"
    assert "Select a template" in done.stdout
    assert '"flask>=3.1,<3.2"' in (project / "pyproject.toml").read_text().lower()
    assert (project / "uv.lock").is_file()
    assert (project / ".env").is_file()


def test_plain_cookiecutter_directory(tmp_path: Path) -> None:
    """`cookiecutter <repo> --directory templates/django --no-input` renders Django."""
    done = _cookiecutter(tmp_path, str(ROOT), "--directory", "templates/django", "--no-input")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "my_site" / "manage.py").is_file()


def test_pytest_cookies_nested_root(cookies) -> None:
    """pytest-cookies bakes the nested root; with no input it takes the first template."""
    result = cookies.bake(template=str(ROOT))
    assert result.exit_code == 0, result.exception
    assert result.project_path.joinpath("manage.py").is_file()


def test_pytest_cookies_each_template(cookies) -> None:
    """pytest-cookies bakes each template directly with options set."""
    flask = cookies.bake(
        template=str(ROOT / "templates" / "flask"),
        extra_context={"project_name": "Shop", "api": True},
    )
    assert flask.exit_code == 0, flask.exception
    assert flask.project_path.name == "shop"
    django = cookies.bake(
        template=str(ROOT / "templates" / "django"),
        extra_context={"project_name": "News", "accounts": True},
    )
    assert django.exit_code == 0, django.exception
    assert django.project_path.joinpath("news", "settings.py").is_file()

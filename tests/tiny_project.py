"""The tiny template of the update tests and the git helpers they share.

A template named like a shipped one (so its projects record framework flask) whose
files the tests change between renders, and a git with a home of the test's own.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scaffold.catalog import Template, parse_template
from tests.conftest import make_template

APP = "".join(f"line {n}\n" for n in range(1, 13))
FILES = {
    "README.md": "# {{ cookiecutter.project_name }}\n",
    "app.py": APP,
    "notes.txt": "notes\n",
    "extra.txt": "extra\n",
    ".gitignore": ".env\n",
    ".env.example": "SECRET=change-me\n",
}
# Writes a git-ignored .env, as the real templates' post-generation hooks do, and
# removes accounts.py unless accounts were chosen. A hook script as the shipped
# templates have it: scaffold calls its function in its own process, no Python started.
POST_GEN_PROJECT = """\
import json
from pathlib import Path

CONTEXT = r'''{{ cookiecutter | tojson }}'''


def post_gen_project(project, values):
    (project / ".env").write_text("SECRET=fresh\\n")
    if not values["accounts"]:
        (project / "accounts.py").unlink()


if __name__ == "__main__":
    post_gen_project(Path.cwd(), json.loads(CONTEXT))
"""


def hermetic_git(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git reads a config of its own in ``home``: an identity, a default branch, no user hooks.

    scaffold's cache is one beside ``home``, for the whole session: the templates'
    compiled code is shared between tests, as a user's runs share it.
    """
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(home.parent / "scaffold-cache"))
    config = home / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(project: Path, message: str = "my change") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def template_root(tmp_path: Path) -> Path:
    return tmp_path / "templates" / "flask"


def tiny(tmp_path: Path, files: dict[str, str] | None = None) -> Template:
    """A template named like a shipped one, so its projects record framework flask."""
    return make_template(
        template_root(tmp_path),
        files={**FILES, "accounts.py": "LOGIN = True\n", **(files or {})},
        hooks={"post_gen_project.py": POST_GEN_PROJECT},
    )


def edit_template(tmp_path: Path, name: str, text: str | None) -> Template:
    """Change (or with None, delete) one file of the tiny template; return it parsed again."""
    path = template_root(tmp_path) / "{{cookiecutter.project_slug}}" / name
    if text is None:
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")
    return parse_template("flask", template_root(tmp_path))


def set_template_version(tmp_path: Path, version: int) -> Template:
    """Give the tiny template a release number (its ``_template_version``)."""
    path = template_root(tmp_path) / "cookiecutter.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**config, "_template_version": version}), encoding="utf-8")
    return parse_template("flask", template_root(tmp_path))


def tiny_as_edited(tmp_path: Path) -> Template:
    return parse_template("flask", template_root(tmp_path))


def clone(remote: Path, where: Path, name: str, *args: str) -> Path:
    """A teammate's clone, with their own identity."""
    git(where.parent, "clone", "-q", *args, str(remote), str(where))
    git(where, "config", "user.name", name.capitalize())
    git(where, "config", "user.email", f"{name}@example.com")
    return where

"""This template's hooks as functions, with the option values as a plain dict.

The hook scripts beside this file call them under plain cookiecutter; scaffold
calls them in its own process, so both write the same files. Standard library
only: the hooks run under whatever Python runs cookiecutter.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from template_contract import pre_gen_project, remove, write_private

__all__ = ["pre_gen_project", "post_gen_project"]

# Files that belong to one option: removed when that option is not chosen.
OPTION_FILES = {
    "api": ["api", "tests/test_api.py"],
    "accounts": [
        "accounts/checks.py",
        "accounts/forms.py",
        "accounts/urls.py",
        "accounts/views.py",
        "templates/registration",
        "tests/test_accounts.py",
    ],
    "docker": ["Dockerfile", "compose.yaml", ".dockerignore"],
}
CI_FILES = {"github": [".github"], "gitlab": [".gitlab-ci.yml"]}

# .env.example marks each secret with this value; .env gets a fresh one per line.
PLACEHOLDER = "change-me"


def unchosen_paths(options: dict) -> list[str]:
    """List the paths that belong to options the user did not choose."""
    paths = []
    for option, files in OPTION_FILES.items():
        if not options[option]:
            paths += files
    for ci, files in CI_FILES.items():
        if options["ci"] != ci:
            paths += files
    return paths


def env_from_example(example: str) -> str:
    """Copy .env.example, replacing each placeholder value with a fresh random secret."""
    lines = []
    for line in example.splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#") and value == PLACEHOLDER:
            line = f"{name}={secrets.token_urlsafe(50)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def post_gen_project(project: Path, values: dict) -> None:
    """Remove the files of options not chosen and write a git-ignored .env with fresh secrets."""
    for path in unchosen_paths(values):
        remove(project / path)
    write_private(project / ".env", env_from_example((project / ".env.example").read_text()))

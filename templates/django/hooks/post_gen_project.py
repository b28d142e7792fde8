"""Remove the files of options not chosen, then write a git-ignored .env with fresh secrets.

Written as ../../_hooks/pre_gen_project.py explains: Python before rendering, with
the values in CONTEXT alone; cookiecutter runs it, scaffold calls post_gen_project.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

CONTEXT = r'''{{ cookiecutter | tojson }}'''


# The uv lock of every set of dependency lists the options can render, made by
# scripts/lock_templates.py (scaffold.locks); the one matching pyproject.toml stays.
LOCKS = ".scaffold-locks"


def dependency_lists(pyproject: dict) -> dict:
    """[project] dependencies and extras, the project's own name written as {project}."""
    project = pyproject.get("project", {})
    own = re.sub(r"[-_.]+", "-", str(project.get("name", ""))).lower()

    def mark(requirement: str) -> str:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)", requirement, re.S)
        if match and re.sub(r"[-_.]+", "-", match.group(1)).lower() == own:
            return "{project}" + match.group(2)
        return requirement

    extras = project.get("optional-dependencies", {})
    return {
        "dependencies": [mark(r) for r in project.get("dependencies", [])],
        "optional-dependencies": {k: [mark(r) for r in v] for k, v in sorted(extras.items())},
    }


def write_lock(project: Path) -> None:
    """Keep the lock made for pyproject.toml's dependency lists as uv.lock, named for
    the project (uv compares a lock by content, so the name is all that changes)."""
    locks = project / LOCKS
    if not locks.is_dir():
        return
    try:
        import tomllib  # Python 3.11: an older Python running cookiecutter gets no lock
    except ImportError:
        shutil.rmtree(locks)
        return
    index = json.loads((locks / "index.json").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = dependency_lists(pyproject)
    name = re.sub(r"[-_.]+", "-", pyproject["project"]["name"]).lower()
    for entry in index["locks"]:
        if entry["requires"] == wanted:
            # Stored once for every lock: its header and package tables, in order.
            parts = json.loads((locks / "parts.json").read_text(encoding="utf-8"))
            text = "".join(parts[digest] for digest in entry["parts"])
            text = text.replace(json.dumps(index["placeholder"]), json.dumps(name))
            (project / "uv.lock").write_text(text, encoding="utf-8")
            break
    shutil.rmtree(locks)

# Files that belong to one option: removed when that option is not chosen.
OPTION_FILES = {
    "api": ["api", "tests/test_api.py"],
    "accounts": [
        "accounts/checks.py",
        "accounts/forms.py",
        "accounts/mail.py",
        "accounts/urls.py",
        "accounts/views.py",
        "templates/registration",
        "tests/test_accounts.py",
    ],
    "tasks": ["pages/tasks.py", "tests/test_tasks.py"],
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
    for path in map(project.joinpath, unchosen_paths(values)):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    write_lock(project)
    env = env_from_example((project / ".env.example").read_text(encoding="utf-8"))
    # Readable by its owner only, from its first byte: it holds the secrets.
    fd = os.open(project / ".env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(env)
    os.chmod(project / ".env", 0o600)  # an existing file keeps its mode through O_CREAT


if __name__ == "__main__":
    post_gen_project(Path.cwd(), json.loads(CONTEXT))

"""Remove the files of options not chosen, then write a git-ignored .env with a fresh secret.

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

# Each option's tables come in their own migration, after the ones it builds on, so
# adding an option to a project (scaffold update) adds a migration instead of
# changing one the database has already applied.
USERS_MIGRATION = "migrations/versions/8b2d6e1f4a90_create_the_users_table.py"
ADMIN_MIGRATION = "migrations/versions/c47e9a3b15d2_add_the_is_admin_column_to_users.py"
AUTHORS_MIGRATION = "migrations/versions/d5a8f3e2b6c1_add_note_authors_and_api_tokens.py"
# The admin and note author revisions both revise the users one: this joins them.
ADMIN_MERGE_MIGRATION = (
    "migrations/versions/e9b4c7d1a2f6_merge_the_admin_and_note_author_revisions.py"
)
RATE_LIMITS_MIGRATION = (
    "migrations/versions/f1b3d5a7c9e2_add_rate_limits_and_address_confirmation.py"
)
# The rate limits revision builds on the note authors one too: this joins it in.
RATE_LIMITS_MERGE_MIGRATION = (
    "migrations/versions/a6c8e0f2b4d7_merge_the_admin_and_rate_limit_revisions.py"
)


def optional_paths(values: dict) -> list[tuple[bool, list[str]]]:
    """(chosen, paths): the paths, relative to the project, exist only when chosen."""
    slug = values["project_slug"]
    database = values["database"] != "none"
    forms = values["forms"]
    return [
        (
            database,
            [
                "migrations",
                f"{slug}/models.py",
                f"{slug}/templates/notes.html",
                "tests/test_migrations.py",
                "tests/test_notes.py",
            ],
        ),
        (database or forms, ["tests/test_csrf.py"]),
        (
            values["accounts"],
            [
                f"{slug}/auth.py",
                f"{slug}/mail.py",
                f"{slug}/rate_limits.py",
                f"{slug}/templates/auth",
                "tests/test_auth.py",
                USERS_MIGRATION,
                AUTHORS_MIGRATION,
                RATE_LIMITS_MIGRATION,
            ],
        ),
        (forms and database, [f"{slug}/forms.py", f"{slug}/templates/_macros.html"]),
        (database and not forms, [f"{slug}/csrf.py"]),
        (values["api"], [f"{slug}/api.py", f"{slug}/schemas.py", "tests/test_api.py"]),
        (
            values["admin"],
            [
                f"{slug}/admin.py",
                "tests/test_admin.py",
                ADMIN_MIGRATION,
                ADMIN_MERGE_MIGRATION,
                RATE_LIMITS_MERGE_MIGRATION,
            ],
        ),
        (values["tasks"], [f"{slug}/tasks.py", "tests/test_tasks.py"]),
        (values["docker"], ["Dockerfile", ".dockerignore", "compose.yaml"]),
        (values["ci"] == "github", [".github"]),
        (values["ci"] == "gitlab", [".gitlab-ci.yml"]),
    ]


def write_env(project: Path) -> None:
    """Write .env (git-ignored, readable by its owner only) with a fresh SECRET_KEY."""
    example = (project / ".env.example").read_text(encoding="utf-8").splitlines()
    while example and example[0].startswith("#"):
        del example[0]  # the example's header, which speaks about copying it
    secret = secrets.token_urlsafe(48)
    lines = ["# Local settings and secrets, loaded by `flask`: never commit this file."]
    for line in example:
        lines.append(f"SECRET_KEY={secret}" if line.startswith("SECRET_KEY=") else line)
    # Readable by its owner only, from its first byte: it holds the secret key.
    fd = os.open(project / ".env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    os.chmod(project / ".env", 0o600)  # an existing file keeps its mode through O_CREAT


def post_gen_project(project: Path, values: dict) -> None:
    """Remove the files of options not chosen, keep the matching uv.lock, write .env."""
    unchosen = [path for chosen, paths in optional_paths(values) if not chosen for path in paths]
    for path in map(project.joinpath, unchosen):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    write_lock(project)
    write_env(project)


if __name__ == "__main__":
    post_gen_project(Path.cwd(), json.loads(CONTEXT))

"""Remove the files of options not chosen, then write .env with a fresh secret."""

import secrets
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the template
sys.path.insert(0, str(Path(r"""{{ cookiecutter._repo_dir }}""") / "hooks"))
from template_contract import remove, write_private  # noqa: E402

SLUG = "{{ cookiecutter.project_slug }}"
DATABASE = "{{ cookiecutter.database }}"
ACCOUNTS = {{ cookiecutter.accounts }}
FORMS = {{ cookiecutter.forms }}
API = {{ cookiecutter.api }}
ADMIN = {{ cookiecutter.admin }}
DOCKER = {{ cookiecutter.docker }}
CI = "{{ cookiecutter.ci }}"

# Each option's tables come in their own migration, after the ones it builds on, so
# adding an option to a project (scaffold update) adds a migration instead of
# changing one the database has already applied.
USERS_MIGRATION = "migrations/versions/8b2d6e1f4a90_create_the_users_table.py"
ADMIN_MIGRATION = "migrations/versions/c47e9a3b15d2_add_the_is_admin_column_to_users.py"

# (chosen, paths): the paths, relative to the project, exist only when chosen.
OPTIONAL_PATHS = [
    (
        DATABASE != "none",
        [
            "migrations",
            f"{SLUG}/models.py",
            f"{SLUG}/templates/notes.html",
            "tests/test_migrations.py",
            "tests/test_notes.py",
        ],
    ),
    (DATABASE != "none" or FORMS, ["tests/test_csrf.py"]),
    (
        ACCOUNTS,
        [
            f"{SLUG}/auth.py",
            f"{SLUG}/mail.py",
            f"{SLUG}/templates/auth",
            "tests/test_auth.py",
            USERS_MIGRATION,
        ],
    ),
    (FORMS and DATABASE != "none", [f"{SLUG}/forms.py", f"{SLUG}/templates/_macros.html"]),
    (DATABASE != "none" and not FORMS, [f"{SLUG}/csrf.py"]),
    (API, [f"{SLUG}/api.py", "tests/test_api.py"]),
    (ADMIN, [f"{SLUG}/admin.py", "tests/test_admin.py", ADMIN_MIGRATION]),
    (DOCKER, ["Dockerfile", ".dockerignore", "compose.yaml"]),
    (CI == "github", [".github"]),
    (CI == "gitlab", [".gitlab-ci.yml"]),
]


def write_env() -> None:
    """Write .env (git-ignored, readable by its owner only) with a fresh SECRET_KEY."""
    example = Path(".env.example").read_text(encoding="utf-8").splitlines()
    while example and example[0].startswith("#"):
        del example[0]  # the example's header, which speaks about copying it
    secret = secrets.token_urlsafe(48)
    lines = ["# Local settings and secrets, loaded by `flask`: never commit this file."]
    for line in example:
        lines.append(f"SECRET_KEY={secret}" if line.startswith("SECRET_KEY=") else line)
    write_private(Path(".env"), "\n".join(lines) + "\n")


def main() -> None:
    for chosen, paths in OPTIONAL_PATHS:
        if not chosen:
            for path in paths:
                remove(Path(path))
    write_env()


if __name__ == "__main__":
    main()

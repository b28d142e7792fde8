"""A migration file a released template shipped never changes: databases have applied
it, and a rewritten one fails `flask db upgrade` ("table already exists") or
`manage.py migrate` (Django sees it as applied and never runs the change)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parents[1] / "templates"
PROJECT = "{{cookiecutter.project_slug}}"
# Each template's migrations, and the files among them that are migrations.
MIGRATIONS = {
    "flask": (TEMPLATES / "flask" / PROJECT / "migrations" / "versions", "*.py"),
    "django": (TEMPLATES / "django" / PROJECT / "accounts" / "migrations", "0*.py"),
}


def released(template: str) -> dict[str, dict[str, str]]:
    path = TEMPLATES / template / "released-migrations.json"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    return {version: files for version, files in recorded.items() if not version.startswith("_")}


@pytest.mark.parametrize("template", sorted(MIGRATIONS))
def test_released_migrations_are_unchanged(template: str) -> None:
    folder, _ = MIGRATIONS[template]
    for version, files in released(template).items():
        for name, digest in files.items():
            path = folder / name
            assert path.is_file(), f"{name}, released with version {version}, was deleted"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, (
                f"{name}, released with template version {version}, was edited: "
                "add a new migration instead"
            )


@pytest.mark.parametrize("template", sorted(MIGRATIONS))
def test_the_current_version_lists_every_migration(template: str) -> None:
    """A new migration is recorded under the template version that first ships it."""
    folder, pattern = MIGRATIONS[template]
    config = json.loads((TEMPLATES / template / "cookiecutter.json").read_text(encoding="utf-8"))
    recorded = {name for files in released(template).values() for name in files}
    shipped = {path.name for path in folder.glob(pattern)}
    assert shipped and shipped <= recorded, f"not recorded: {sorted(shipped - recorded)}"
    assert str(config["_template_version"]) in released(template)

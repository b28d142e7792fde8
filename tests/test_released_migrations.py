"""A migration file a released Flask template shipped never changes: databases have
applied it, and a rewritten one fails `flask db upgrade` ("table already exists")."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

TEMPLATE = Path(__file__).parents[1] / "templates" / "flask"
VERSIONS = TEMPLATE / "{{cookiecutter.project_slug}}" / "migrations" / "versions"
RELEASED = json.loads((TEMPLATE / "released-migrations.json").read_text(encoding="utf-8"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_released_migrations_are_unchanged() -> None:
    for version, files in RELEASED.items():
        if version.startswith("_"):
            continue
        for name, digest in files.items():
            path = VERSIONS / name
            assert path.is_file(), f"{name}, released with version {version}, was deleted"
            assert _digest(path) == digest, (
                f"{name}, released with template version {version}, was edited: "
                "add a new migration instead"
            )


def test_the_current_version_lists_every_migration() -> None:
    """A new migration is recorded under the template version that first ships it."""
    config = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    recorded = {
        name for key, files in RELEASED.items() if not key.startswith("_") for name in files
    }
    shipped = {path.name for path in VERSIONS.glob("*.py")}
    assert shipped <= recorded, f"not recorded: {sorted(shipped - recorded)}"
    assert str(config["_template_version"]) in RELEASED

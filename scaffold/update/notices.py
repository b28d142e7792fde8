"""What an update asks of the user beyond the merge: migrations to run, .env lines to add.

Option changes never touch the local ``.env`` (it holds the user's secrets and is
git-ignored), so the update lists the variables ``.env.example`` now sets that the
local ``.env`` lacks, or has at the value the previous ``.env.example`` gave when that
value changed, each as the line to add.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from scaffold.repository import FileChange

ENV_FILE = ".env"
ENV_EXAMPLE = ".env.example"


def migration_changes(changes: Iterable[FileChange]) -> tuple[FileChange, ...]:
    """The changed files that are database migrations (in a ``migrations`` folder)."""
    return tuple(
        change
        for change in changes
        if "migrations" in PurePosixPath(change.path).parts[:-1]
        and change.path.endswith(".py")
        and not change.path.endswith("/env.py")
    )


def env_assignments(text: str | None) -> dict[str, str]:
    """The ``KEY=value`` lines of an env file (comments and blank lines skipped)."""
    found: dict[str, str] = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        found[key.strip()] = value.strip()
    return found


# Said instead of the lines to add when there is no local .env at all (a fresh clone):
# the project's README makes one from .env.example, with a new secret.
NO_ENV_NOTE = (
    "there is no .env here (a fresh clone has none): make it from .env.example "
    "as the project's README shows, with a new secret key"
)


def env_additions(
    project: Path, old_example: str | None, new_example: str | None
) -> tuple[str, ...]:
    """The lines the local ``.env`` needs for what the new ``.env.example`` sets;
    none when there is no local ``.env`` (see NO_ENV_NOTE)."""
    local_path = project / ENV_FILE
    if not local_path.is_file():
        return ()
    local = env_assignments(local_path.read_text(encoding="utf-8"))
    old, new = env_assignments(old_example), env_assignments(new_example)
    lines = []
    for key, value in new.items():
        missing = key not in local
        stale = key in old and old[key] != value and local.get(key) == old[key]
        if missing or stale:
            lines.append(f"{key}={value}")
    return tuple(lines)

"""What update, check and adopt report: plain data, with the JSON each command prints."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.repository import FileChange
from scaffold.update.merge import Conflict


class UpdateStatus(enum.StrEnum):
    """How an update ended."""

    UP_TO_DATE = "up to date"  # the render is the last one merged: nothing to do
    MERGED = "merged"  # merged and committed
    CONFLICTS = "conflicts"  # merged, with conflicts left for the user to resolve
    DRY_RUN = "dry run"  # nothing written: what the merge would do


@dataclass(frozen=True)
class Update:
    """What ``update_project`` did, or would do on a dry run."""

    project: Path
    template: str
    status: UpdateStatus
    branch: str | None = None
    changes: tuple[FileChange, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    kept: tuple[str, ...] = ()
    answers: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    diff: str = ""
    commit: str | None = None
    migrations: tuple[FileChange, ...] = ()  # migration files among the changes
    migrate: str | None = None  # the command that applies them
    env_lines: tuple[str, ...] = ()  # lines the local .env lacks for the new options

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "status": self.status,
            "branch": self.branch,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
            "conflicts": [{"path": c.path, "reason": c.reason} for c in self.conflicts],
            "kept": list(self.kept),
            "answers": {k: {"old": old, "new": new} for k, (old, new) in self.answers.items()},
            "notes": list(self.notes),
            "commit": self.commit,
            "migrations": [{"status": c.status, "path": c.path} for c in self.migrations],
            "migrate": self.migrate,
            "env_lines": list(self.env_lines),
            "diff": self.diff,
        }


@dataclass(frozen=True)
class Check:
    """Whether a project is behind its template; ``exact`` is False when only fingerprints
    could be compared (no template branch, as in a shallow CI checkout)."""

    project: Path
    template: str
    behind: bool
    exact: bool
    changes: tuple[FileChange, ...] = ()
    older: bool = False  # the installed template is older than the one last merged
    in_repository: bool = True  # False: the project is in no git repository at all

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "behind": self.behind,
            "exact": self.exact,
            "older": self.older,
            "in_repository": self.in_repository,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
        }


@dataclass(frozen=True)
class Adoption:
    """What ``adopt_project`` did: the render it made the base, and what that assumed.

    ``exact`` is True when the installed template is the one the answers file names
    (same version and fingerprint); ``changes`` are how the project differs from the
    render, which later updates keep as the user's own.
    """

    project: Path
    template: str
    branch: str
    commit: str
    recorded_version: int
    installed_version: int
    generated_by: str | None  # the scaffold release the answers file names
    exact: bool
    changes: tuple[FileChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": str(self.project),
            "template": self.template,
            "branch": self.branch,
            "commit": self.commit,
            "recorded_version": self.recorded_version,
            "installed_version": self.installed_version,
            "generated_by": self.generated_by,
            "exact": self.exact,
            "changes": [{"status": c.status, "path": c.path} for c in self.changes],
        }

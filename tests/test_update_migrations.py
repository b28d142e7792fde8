"""`scaffold update` on a real Flask project with a migration of its own: one Alembic head.

The option migrations chain after the template's own (their down_revision is fixed),
so the update adds a merge revision to its merge commit; turning the option off again
rewrites that merge and never leaves a revision that revises a deleted one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffold.catalog import load_template
from scaffold.cli import cli
from scaffold.update.revisions import MARKER, heads, read_graph
from tests.test_update import (  # noqa: F401 (_hermetic_git is an autouse fixture)
    _hermetic_git,
    commit_all,
    git,
    hermetic_git,
    run_template_checks,
)

VERSIONS = "migrations/versions"
INITIAL, USERS = "3f1c2a9b7d4e", "8b2d6e1f4a90"
AUTHORS = "d5a8f3e2b6c1"  # note authors and API tokens, after USERS
RATE_LIMITS = "f1b3d5a7c9e2"  # the rate limits table, after AUTHORS: the accounts head

# What a user's hand-written (or `flask db migrate`-written) revision looks like: it
# revises the initial one, as the template's users revision does.
WELCOME = '''"""Add a welcome note

Revision ID: {revision}
Revises: {down}
Create Date: 2026-11-23 00:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "INSERT INTO notes (text, created_at) VALUES ('Welcome', CURRENT_TIMESTAMP)"
    )


def downgrade():
    op.execute("DELETE FROM notes WHERE text = 'Welcome'")
'''


def flask_project(tmp_path: Path, runner, database: str = "sqlite") -> Path:
    """A Flask project without accounts, with a committed migration of its own."""
    args = ["new", "Shop", "--no-input", "--framework", "flask", "-o", str(tmp_path), "--json"]
    created = runner.invoke(cli, [*args, "--set", f"database={database}"])
    assert created.exit_code == 0, created.output
    project = Path(json.loads(created.output)["output"])
    add_migration(project, "5e7a0c1d2b3f", INITIAL)
    return project


@pytest.fixture(scope="module")
def shop_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``flask_project`` on SQLite, made once per module."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)
        return flask_project(tmp_path_factory.mktemp("shop"), CliRunner())


@pytest.fixture
def project(tmp_path: Path, shop_once: Path) -> Path:
    """A copy of ``flask_project`` (its repository included), for one test to change."""
    project = tmp_path / shop_once.name
    shutil.copytree(shop_once, project, symlinks=True)
    return project


def add_migration(project: Path, revision: str, down: str) -> None:
    text = WELCOME.format(revision=revision, down=down)
    (project / VERSIONS / f"{revision}_add_a_welcome_note.py").write_text(text, encoding="utf-8")
    commit_all(project, "a migration of our own")


def graph(project: Path) -> dict:
    files = {
        f"{VERSIONS}/{path.name}": path.read_text(encoding="utf-8")
        for path in (project / VERSIONS).glob("*.py")
    }
    return read_graph(files)


def update(runner, project: Path, *args: str):
    return runner.invoke(cli, ["update", str(project), *args])


def test_accounts_by_update_leave_one_head_in_the_merge_commit(project: Path, runner) -> None:

    done = update(runner, project, "--set", "accounts=true")

    assert done.exit_code == 0, done.output
    revisions = graph(project)
    [head] = heads(revisions)
    assert revisions[head].ours and revisions[head].down == ("5e7a0c1d2b3f", RATE_LIMITS)
    merge = revisions[head].path
    assert git(project, "status", "--porcelain") == ""
    assert merge in git(project, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert f"note: added {merge}: a merge revision" in done.output
    assert "Apply them to your database with `flask db upgrade`." in done.output


def test_dry_run_shows_the_merge_revision(project: Path, runner) -> None:
    head = git(project, "rev-parse", "HEAD")

    dry = update(runner, project, "--set", "accounts=true", "--dry-run")

    assert dry.exit_code == 0, dry.output
    assert f'+down_revision = ("5e7a0c1d2b3f", "{RATE_LIMITS}")' in dry.stdout
    assert "_merge_heads.py: a merge revision" in dry.stderr
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") == ""


def test_accounts_off_again_leave_no_reference_to_a_deleted_revision(project: Path, runner) -> None:
    assert update(runner, project, "--set", "accounts=true").exit_code == 0

    done = update(runner, project, "--set", "accounts=false")

    assert done.exit_code == 0, done.output
    revisions = graph(project)
    assert USERS not in revisions and RATE_LIMITS not in revisions
    assert all(down in revisions for r in revisions.values() for down in r.down)
    [head] = heads(revisions)
    assert revisions[head].down == ("5e7a0c1d2b3f",)
    assert MARKER in (project / revisions[head].path).read_text()
    assert f"note: rewrote {revisions[head].path}: it merged {RATE_LIMITS}" in done.output


def test_a_migration_of_the_users_revising_a_removed_one_refuses_the_update(
    project: Path, runner
) -> None:
    assert update(runner, project, "--set", "accounts=true").exit_code == 0
    add_migration(project, "9d1e2f3a4b5c", USERS)
    head = git(project, "rev-parse", "HEAD")

    done = update(runner, project, "--set", "accounts=false")

    assert done.exit_code == 1
    assert done.output == (
        f"Error: {VERSIONS}/9d1e2f3a4b5c_add_a_welcome_note.py revises {USERS}, which this update "
        f"removes ({VERSIONS}/{USERS}_create_the_users_table.py): make it revise another "
        "revision, commit, and update again\n"
    )
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") == ""


def test_api_by_update_adds_no_revision_and_keeps_one_head(project: Path, runner) -> None:
    """The API brings no table of its own without accounts: the project's head stays."""

    done = update(runner, project, "--set", "api=true")

    assert done.exit_code == 0, done.output
    assert heads(graph(project)) == ("5e7a0c1d2b3f",)
    assert "merge revision" not in done.output


def test_api_then_accounts_by_update_leave_one_head(project: Path, runner) -> None:
    """With the API on, accounts bring the note authors and API tokens revision, merged
    with the project's own into one head."""
    assert update(runner, project, "--set", "api=true").exit_code == 0

    done = update(runner, project, "--set", "accounts=true")

    assert done.exit_code == 0, done.output
    revisions = graph(project)
    [head] = heads(revisions)
    assert revisions[head].down == ("5e7a0c1d2b3f", RATE_LIMITS)
    assert revisions[RATE_LIMITS].down == (AUTHORS,)
    assert revisions[AUTHORS].down == (USERS,)


def test_api_on_a_project_with_accounts_and_admin_leaves_one_head(project: Path, runner) -> None:
    """Admin's revision and the note authors' (then rate limits') are joined by the
    template's own merge revisions; the project's own revision by scaffold's."""
    assert update(runner, project, "--set", "accounts=true", "--set", "admin=true").exit_code == 0

    done = update(runner, project, "--set", "api=true")

    assert done.exit_code == 0, done.output
    revisions = graph(project)
    [head] = heads(revisions)
    assert revisions[head].ours
    assert "a6c8e0f2b4d7" in revisions[head].down


def test_a_graph_broken_already_is_one_line(project: Path, runner) -> None:
    add_migration(project, "0a0a0a0a0a0a", "ffffffffffff")

    done = update(runner, project, "--set", "accounts=true")

    assert done.exit_code == 1
    assert done.output.startswith("Error: ") and done.output.count("\n") == 1
    assert "revises ffffffffffff, which no migration in its folder defines" in done.output


# -- the project's own checks: flask db upgrade, flask db check, ruff, its tests -------------


def checked_round_trip(tmp_path: Path, runner, database: str) -> None:
    """The API and accounts on by update, then accounts off again: the project's checks
    (the API's production requests included) pass after each."""
    project = flask_project(tmp_path, runner, database)
    assert update(runner, project, "--set", "api=true").exit_code == 0
    run_template_checks(project, load_template("flask"))
    (project / "smoke.sqlite3").unlink(missing_ok=True)  # a fresh database for the next run
    assert update(runner, project, "--set", "accounts=true").exit_code == 0
    run_template_checks(project, load_template("flask"))
    (project / "smoke.sqlite3").unlink(missing_ok=True)  # a fresh database for the next run
    assert update(runner, project, "--set", "accounts=false").exit_code == 0
    run_template_checks(project, load_template("flask"))


@pytest.mark.slow
def test_a_project_with_its_own_migration_works_after_the_update_on_sqlite(
    tmp_path: Path, runner
) -> None:
    checked_round_trip(tmp_path, runner, "sqlite")


@pytest.mark.postgres
def test_a_project_with_its_own_migration_works_after_the_update_on_postgresql(
    tmp_path: Path, runner, postgres_url: str
) -> None:
    checked_round_trip(tmp_path, runner, "postgresql")


def test_a_service_in_a_monorepo_gets_its_merge_revision_in_its_own_folder(
    tmp_path: Path, runner
) -> None:
    """The project is a subdirectory of the repository: its migrations are read, and the
    merge revision written, under its own directory, not the repository's root."""
    mono = tmp_path / "mono"
    mono.mkdir()
    git(mono, "init", "-q")
    (mono / "README.md").write_text("services\n", encoding="utf-8")
    commit_all(mono, "the monorepo")
    project = flask_project(mono / "services", runner)

    done = update(runner, project, "--set", "accounts=true")

    assert done.exit_code == 0, done.output
    revisions = graph(project)
    [head] = heads(revisions)
    assert revisions[head].ours and revisions[head].down == ("5e7a0c1d2b3f", RATE_LIMITS)
    assert f"note: added {revisions[head].path}: a merge revision" in done.output
    assert git(mono, "status", "--porcelain") == ""
    assert not (mono / VERSIONS).exists()

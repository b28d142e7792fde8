"""The committed migrations build exactly the models' schema, and undo it."""

import shutil
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect

from {{ cookiecutter.project_slug }}.extensions import db

PROJECT_DIR = Path(__file__).resolve().parents[1]


def table_names(app):
    """Return the names of the tables in the app's database."""
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def empty_database(app):
    """Drop every table, alembic_version too, like a new deployment's database."""
    with app.app_context():
        tables = MetaData()
        tables.reflect(db.engine)
        tables.drop_all(db.engine)


def revisions():
    """Return the migrations' revision ids, oldest first."""
    script = ScriptDirectory(str(PROJECT_DIR / "migrations"))
    return [migration.revision for migration in reversed(list(script.walk_revisions()))]


def test_migrations_form_one_line():
    """Each migration builds on the one before; a second head would need a merge."""
    script = ScriptDirectory(str(PROJECT_DIR / "migrations"))
    assert len(script.get_heads()) == 1
    assert script.get_revision(revisions()[0]).down_revision is None


def test_upgrade_check_and_downgrade(app, runner, monkeypatch):
    """`flask db upgrade` matches the models; `flask db downgrade base` drops it all."""
    monkeypatch.chdir(PROJECT_DIR)  # Flask-Migrate looks for ./migrations
    empty_database(app)
    models = set(db.metadata.tables)

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert models <= table_names(app)

    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output

    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert not models & table_names(app)


def test_each_migration_downgrades_and_upgrades_again(app, runner, monkeypatch):
    """Each migration, applied one at a time, undoes cleanly and applies again."""
    monkeypatch.chdir(PROJECT_DIR)
    empty_database(app)
    previous = "base"
    for revision in revisions():
        steps = [("upgrade", revision), ("downgrade", previous), ("upgrade", revision)]
        for command, target in steps:
            result = runner.invoke(args=["db", command, target])
            assert result.exit_code == 0, f"{command} {target}: {result.output}"
        previous = revision

    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output

    # Leave no alembic_version behind: it would tell the next upgrade all is done.
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output


def test_new_migrations_pass_ruff(app, runner, monkeypatch, tmp_path):
    """`flask db migrate` runs ruff on the files it writes (alembic.ini hooks)."""
    migrations = tmp_path / "migrations"
    shutil.copytree(PROJECT_DIR / "migrations", migrations)
    for path in (migrations / "versions").glob("*.py"):
        path.unlink()
    monkeypatch.chdir(tmp_path)
    empty_database(app)

    result = runner.invoke(args=["db", "migrate", "-m", "everything"])
    assert result.exit_code == 0, result.output
    (written,) = (migrations / "versions").glob("*.py")
    for command in (["check", "--ignore", "E501"], ["format", "--check"]):
        ruff = [sys.executable, "-m", "ruff", *command, str(written)]
        checked = subprocess.run(ruff, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr

"""The committed migrations build exactly the models' schema, and undo it."""

from pathlib import Path

from sqlalchemy import inspect

from {{ cookiecutter.project_slug }}.extensions import db

PROJECT_DIR = Path(__file__).resolve().parents[1]


def table_names(app):
    """Return the names of the tables in the app's database."""
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_upgrade_check_and_downgrade(app, runner, monkeypatch):
    """`flask db upgrade` matches the models; `flask db downgrade base` drops it all."""
    monkeypatch.chdir(PROJECT_DIR)  # Flask-Migrate looks for ./migrations
    with app.app_context():
        db.drop_all()  # start empty, like a new deployment
    models = set(db.metadata.tables)

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert models <= table_names(app)

    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output

    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert not models & table_names(app)

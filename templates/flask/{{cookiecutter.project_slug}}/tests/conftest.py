{% set db = cookiecutter.database != "none" %}
"""Fixtures: an app on the testing config, its test client and its CLI runner."""

{% if db %}
import os
from pathlib import Path

import pytest
from dotenv import load_dotenv
{% if cookiecutter.tasks %}
from fakeredis import FakeRedis
from flask import current_app
from rq import Queue
{% endif %}
{% if cookiecutter.accounts %}
from sqlalchemy import select
{% endif %}
from sqlalchemy.engine import make_url

from {{ cookiecutter.project_slug }} import create_app{% if cookiecutter.accounts %}, mail{% endif %}{% if cookiecutter.tasks %}, tasks{% endif %}

from {{ cookiecutter.project_slug }}.extensions import db
{% else %}
import pytest
{% if cookiecutter.tasks %}
from fakeredis import FakeRedis
from flask import current_app
from rq import Queue
{% endif %}

from {{ cookiecutter.project_slug }} import create_app{{ ", tasks" if cookiecutter.tasks else "" }}
{% endif %}
{% if cookiecutter.accounts %}
from {{ cookiecutter.project_slug }}.models import User, utcnow

PASSWORD = "correct horse battery staple"
{% endif %}
{% if db %}

# TEST_DATABASE_URL may be set in .env, as `flask` commands would read it.
load_dotenv(Path(__file__).resolve().parents[1] / ".env")


def pytest_report_header(config):
    """Name the database the tests use, so SQLite is never taken for PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "database: in-memory SQLite (set TEST_DATABASE_URL for another)"
    return f"database: {make_url(url).render_as_string(hide_password=True)}"
{% endif %}


@pytest.fixture
def app():
{% if db %}
    """Return a fresh app with empty tables; its database is dropped afterwards."""
    app = create_app("testing")
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
{% else %}
    """Return a fresh app on the testing config."""
    return create_app("testing")
{% endif %}


{% if cookiecutter.tasks %}
@pytest.fixture(autouse=True)
def _jobs_at_once(app, monkeypatch):
    """Run each job as it is enqueued, on an in-memory Redis (fakeredis), in any app."""
    queue = Queue(is_async=False, connection=FakeRedis())
    app.extensions["tasks"] = queue
    # An app a test makes itself (other settings) gets the same queue.
    monkeypatch.setattr(
        tasks, "get_queue", lambda: current_app.extensions.get("tasks", queue)
    )


{% endif %}
@pytest.fixture
def client(app):
    """Return a test client that keeps cookies between requests."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's `flask` commands."""
    return app.test_cli_runner()
{% if db and not cookiecutter.accounts %}


@pytest.fixture
def author():
    """Nothing to do: without accounts, anyone may write notes."""
{% endif %}
{% if cookiecutter.accounts %}


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    """Deliver mail in the test's own thread, so it has left when a request returns."""
    monkeypatch.setattr(mail, "background", lambda function, *args: function(*args))


@pytest.fixture
def user(app):
    """Return the email of a registered user whose password is PASSWORD."""
    with app.app_context():
        user = User(email="ada@example.com", verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    return "ada@example.com"


class AuthActions:
    """Sign up, log in and log out through the real forms."""

    def __init__(self, client):
        self.client = client

    def sign_up(self, email, password=PASSWORD, confirm=None):
        data = {"email": email, "password": password, "confirm": confirm or password}
        return self.client.post("/auth/signup", data=data)

    def log_in(self, email="ada@example.com", password=PASSWORD, next_url=None):
        url = "/auth/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, data={"email": email, "password": password})

    def log_out(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    """Return sign-up, login and logout actions for the test client."""
    return AuthActions(client)


@pytest.fixture
def author(app, client, user):
    """Sign the test client in as `user`, without a form (so CSRF may be on)."""
    with app.app_context():
        session_id = db.session.scalar(select(User).where(User.email == user)).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id  # where Flask-Login keeps the user
        session["_fresh"] = True
    return user
{% endif %}

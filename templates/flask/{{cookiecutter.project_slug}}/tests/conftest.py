{% set db = cookiecutter.database != "none" %}
"""Fixtures: an app on the testing config, its test client and its CLI runner."""

import pytest

from {{ cookiecutter.project_slug }} import create_app
{% if db %}
from {{ cookiecutter.project_slug }}.extensions import db
{% endif %}
{% if cookiecutter.accounts %}
from {{ cookiecutter.project_slug }}.models import User

PASSWORD = "correct horse battery staple"
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


@pytest.fixture
def client(app):
    """Return a test client that keeps cookies between requests."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's `flask` commands."""
    return app.test_cli_runner()
{% if cookiecutter.accounts %}


@pytest.fixture
def user(app):
    """Return the email of a registered user whose password is PASSWORD."""
    with app.app_context():
        user = User(email="ada@example.com")
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
{% endif %}

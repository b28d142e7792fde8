{% set db = cookiecutter.database != "none" %}
"""The factory, the config classes, the home page and the error pages."""

import pytest

from {{ cookiecutter.project_slug }} import config, create_app
{% if db %}
from {{ cookiecutter.project_slug }}.extensions import db
{% endif %}


def test_testing_config(app):
    """The fixtures' app runs on the testing config."""
    assert app.testing
{% if db %}
    assert app.config["SQLALCHEMY_DATABASE_URI"]
{% endif %}


def test_unknown_config_name_is_refused():
    """A misspelt config name fails loudly instead of falling back."""
    with pytest.raises(ValueError, match="unknown config"):
        create_app("prodution")


@pytest.mark.parametrize("key", [None, "", "short", config.DEV_SECRET_KEY])
def test_production_refuses_a_missing_or_weak_secret_key(monkeypatch, key):
    """Production does not start without a real SECRET_KEY."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_uses_secure_cookies(monkeypatch):
    """Production marks the session cookie Secure and HttpOnly."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 50)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert not app.debug


def test_home_page(client):
    """The home page extends base.html and links the stylesheet."""
    response = client.get("/")
    assert response.status_code == 200
    assert {{ cookiecutter.project_name | e | tojson }} in response.text
    assert "/static/css/style.css" in response.text


def test_stylesheet_is_served(client):
    """The plain CSS file is served as text/css."""
    response = client.get("/static/css/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_unknown_page_shows_404_page(client):
    """A missing page gets the site's 404 page."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_server_error_shows_500_page(app, client{% if db %}, monkeypatch{% endif %}):
{% if db %}
    """An unhandled error rolls the session back and renders the 500 page."""
    rollbacks = []
    monkeypatch.setattr(db.session, "rollback", lambda: rollbacks.append(True))
{% else %}
    """An unhandled error renders the 500 page."""
{% endif %}
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
{% if db %}
    assert rollbacks
{% endif %}

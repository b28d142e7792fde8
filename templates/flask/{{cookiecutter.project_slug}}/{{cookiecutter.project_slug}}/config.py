"""Configuration classes, picked by name: development, testing or production.

Every setting comes from the environment. `flask` commands load `.flaskenv` and
`.env` into it first (python-dotenv); in production, set the variables for real.
"""

import os

from flask import Flask

# The fallback key for development without a .env; production refuses it.
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = """python -c 'import secrets; print(secrets.token_urlsafe(48))'"""


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
{% if cookiecutter.database == "sqlite" %}
    # A relative SQLite path lives in the instance/ folder.
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL",
        "sqlite:///{{ cookiecutter.project_slug }}.sqlite3",
    )
{% elif cookiecutter.database == "postgresql" %}
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL",
        "postgresql://postgres@localhost:5432/{{ cookiecutter.project_slug }}",
    )
{% endif %}
{% if not cookiecutter.forms and cookiecutter.database != "none" %}
    CSRF_ENABLED = True
{% endif %}

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Check the settings once they are loaded into `app`."""


class DevelopmentConfig(Config):
    """`flask run` on your machine; FLASK_DEBUG=1 comes from .flaskenv."""


class TestingConfig(Config):
{% if cookiecutter.database != "none" %}
    """The test suite: in-memory SQLite unless TEST_DATABASE_URL names a database."""
{% else %}
    """The test suite."""
{% endif %}

    TESTING = True
    SECRET_KEY = "testing"
{% if cookiecutter.database != "none" %}
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
{% endif %}
{% if cookiecutter.forms %}
    # Tests post forms without tokens; the CSRF tests switch this back on.
    WTF_CSRF_ENABLED = False
{% elif cookiecutter.database != "none" %}
    # Tests post forms without tokens; the CSRF tests switch this back on.
    CSRF_ENABLED = False
{% endif %}


class ProductionConfig(Config):
    """Behind HTTPS: secure cookies and a real secret key, or no start at all."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
{% if cookiecutter.accounts %}
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
{% endif %}
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Refuse to start with a missing, placeholder or short SECRET_KEY."""
        key = app.config.get("SECRET_KEY") or ""
        if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be a random string of {MIN_SECRET_KEY_LENGTH}+"
                f" characters in production; make one with: {MAKE_A_KEY}"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> type[Config]:
    """Return the config class called `name`, or $FLASK_CONFIG, or production."""
    name = name or os.environ.get("FLASK_CONFIG", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        choices = ", ".join(CONFIGS)
        raise ValueError(f"unknown config {name!r}; use one of: {choices}") from None

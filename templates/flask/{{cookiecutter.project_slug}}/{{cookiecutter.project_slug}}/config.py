{% set db = cookiecutter.database != "none" %}
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
{% if db %}


def database_url(url: str) -> str:
    """Return `url` for SQLAlchemy: postgres:// and postgresql:// use psycopg 3."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url
{% endif %}


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no setting: false, 0, no and off (any case) mean no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"false", "0", "no", "off", ""}


def env_list(name: str) -> list[str] | None:
    """Read a comma-separated setting; None when it is unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",")]
    return [item for item in items if item] or None


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # The host names the site answers to (example.com,www.example.com; .example.com
    # takes its subdomains); other Host headers get 400, so links the app builds
    # (password reset mails) cannot point elsewhere. Unset: any host (development).
    TRUSTED_HOSTS = env_list("TRUSTED_HOSTS")
{% if cookiecutter.database == "sqlite" %}
    # A relative SQLite path lives in the instance/ folder.
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get(
            "DATABASE_URL",
            "sqlite:///{{ cookiecutter.project_slug }}.sqlite3",
        )
    )
{% elif cookiecutter.database == "postgresql" %}
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get(
            "DATABASE_URL",
            "postgresql://postgres@localhost:5432/{{ cookiecutter.project_slug }}",
        )
    )
{% endif %}
{% if not cookiecutter.forms and db %}
    CSRF_ENABLED = True
{% endif %}
{% if db and not cookiecutter.accounts %}
    # Whether anyone may add notes through the /notes form: without accounts such
    # writes are anonymous and unthrottled, so production turns the form off
    # unless NOTES_FORM_OPEN=true{% if cookiecutter.api %} (the API writes with API_KEY){% endif %}.
    NOTES_FORM_OPEN = env_flag("NOTES_FORM_OPEN", True)
{% endif %}
    # Server errors go to this Sentry project when set (the SDK starts only then).
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
    # The largest request body read, in bytes (default 1 MB); larger ones get 413.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024))
    # Strict-Transport-Security max-age in seconds; 0 sends no header.
    HSTS_SECONDS = 0
    # How many reverse proxies (load balancer, nginx) stand in front of the app.
    # Their X-Forwarded-For/-Proto/-Host headers are trusted only when this is set,
    # so rate limits count clients, not the proxy; 0 ignores the headers.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
{% if cookiecutter.tasks %}
    # The Redis server holding the background tasks' queue (RQ), e.g.
    # redis://localhost:6379/0 or rediss://:password@host:6380/0 (TLS).
    REDIS_URL = os.environ.get("REDIS_URL", "")
{% endif %}
{% if cookiecutter.accounts %}
    # Outgoing mail: smtp://[user:password@]host[:port], smtp+starttls://...
    # or smtps://...; without it, mail is written to the log, links and all
    # (development), and production refuses to start.
    EMAIL_URL = os.environ.get("EMAIL_URL", "")
    EMAIL_FROM = os.environ.get("EMAIL_FROM", "webmaster@localhost")
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid
    CONFIRMATION_MAX_AGE = 3 * 24 * 3600  # seconds a sign-up's link stays valid
    # Where Flask-Limiter counts login, sign-up and reset attempts: database:// (the
    # rate_limits table every worker shares), redis://host:6379/0 or
    # memcached://host:11211. memory:// counts per process: tests only.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "database://")
    RATELIMIT_HEADERS_ENABLED = True
{% endif %}
{% if cookiecutter.api %}
    # The JSON API and its OpenAPI document, at /api/openapi.json and /api/docs.
    API_TITLE = {{ cookiecutter.project_name | tojson }}
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    # Web front ends on other origins allowed to call the API, comma-separated
    # (https://app.example.com,https://admin.example.com); none by default.
    CORS_ORIGINS = [
        origin.strip()
        for origin in os.environ.get("CORS_ORIGINS", "").split(",")
        if origin.strip()
    ]
{% if cookiecutter.accounts %}
    # Seconds an API token from POST /api/tokens stays valid.
    API_TOKEN_MAX_AGE = int(os.environ.get("API_TOKEN_MAX_AGE", 30 * 24 * 3600))
{% elif db %}
    # The bearer token API clients write with; unset, the API is read-only.
    API_KEY = os.environ.get("API_KEY", "")
{% endif %}
{% endif %}

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Check the settings once they are loaded into `app`."""


class DevelopmentConfig(Config):
    """`flask run` on your machine; FLASK_DEBUG=1 comes from .flaskenv."""
{% if cookiecutter.tasks %}

    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
{% endif %}


class TestingConfig(Config):
{% if db %}
    """The test suite: in-memory SQLite unless TEST_DATABASE_URL names a database."""
{% else %}
    """The test suite."""
{% endif %}

    TESTING = True
    SECRET_KEY = "testing"
    # The test client's host, so tests see what production does with another one.
    TRUSTED_HOSTS = ["localhost"]
{% if cookiecutter.forms %}
    # Tests post forms without tokens; the CSRF tests switch this back on.
    WTF_CSRF_ENABLED = False
{% elif db %}
    # Tests post forms without tokens; the CSRF tests switch this back on.
    CSRF_ENABLED = False
{% endif %}
{% if cookiecutter.accounts %}
    # Tests log in many times a minute; the rate-limit tests switch this back on.
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    EMAIL_URL = ""
{% endif %}
{% if db %}

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Read TEST_DATABASE_URL when the app is made, after conftest loads .env."""
        url = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(url)
{% endif %}


class ProductionConfig(Config):
    """Behind HTTPS: secure cookies and a real secret key, or no start at all."""

    # Set SECURE_COOKIES=false only to try production over plain HTTP (compose.yaml).
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
{% if cookiecutter.accounts %}
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
{% endif %}
    PREFERRED_URL_SCHEME = "https"
{% if db and not cookiecutter.accounts %}
    NOTES_FORM_OPEN = env_flag("NOTES_FORM_OPEN", False)
{% endif %}
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))

    @classmethod
    def init_app(cls, app: Flask) -> None:
{% if cookiecutter.accounts %}
        """Refuse a weak SECRET_KEY, no TRUSTED_HOSTS, mail or shared rate limits."""
{% else %}
        """Refuse a weak SECRET_KEY or no TRUSTED_HOSTS; log INFO (LOG_LEVEL)."""
{% endif %}
        key = app.config.get("SECRET_KEY") or ""
        if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be a random string of {MIN_SECRET_KEY_LENGTH}+"
                f" characters in production; make one with: {MAKE_A_KEY}"
            )
        if not app.config.get("TRUSTED_HOSTS"):
            raise RuntimeError(
                "TRUSTED_HOSTS must name the site's hosts in production,"
                " comma-separated: TRUSTED_HOSTS=example.com,www.example.com"
            )
{% if cookiecutter.tasks %}
        if not app.config.get("REDIS_URL"):
            raise RuntimeError(
                "REDIS_URL must name the Redis server of the background tasks"
                " in production: REDIS_URL=redis://localhost:6379/0"
            )
{% endif %}
{% if cookiecutter.accounts %}
        if not app.config["EMAIL_URL"]:
            raise RuntimeError(
                "EMAIL_URL must name the mail server in production (reset links go"
                " by mail): EMAIL_URL=smtp+starttls://user:password@smtp.example.com"
            )
        if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
            raise RuntimeError(
                "RATELIMIT_STORAGE_URI=memory:// counts per process, so each worker"
                " allows every guess again; leave it unset (database://) or use redis://"
            )
{% endif %}
        # Flask's own handler writes to stderr, which gunicorn's error log keeps;
        # without a level of its own the logger would drop INFO messages.
        app.logger.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())


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

"""Django settings for the {{ cookiecutter.project_slug }} project.

Everything that differs between machines comes from environment variables. A
`.env` file beside manage.py fills in the ones the process environment does not
set; see `.env.example` for the list.

https://docs.djangoproject.com/en/5.2/topics/settings/
https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

import logging
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables already set in the process environment win over the file.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; a typo is an error rather than a silent default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name: str, default: int) -> int:
    """Read a whole-number variable; a typo is an error naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}"
        ) from None


def env_list(name: str) -> list[str]:
    """Read a comma-separated variable into a list."""
    items = os.environ.get(name, "").split(",")
    return [item.strip() for item in items if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment or in .env")

# Off unless the environment turns it on, so production never runs in debug mode.
DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Comma-separated, e.g. "example.com,www.example.com" and
# "https://example.com,https://www.example.com".
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


# Application definition

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
{%- if cookiecutter.api %}
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
{%- endif %}
{%- if cookiecutter.tasks %}
    "django_tasks",
    "django_tasks_db",
{%- endif %}
    "accounts",
    "pages",
{%- if cookiecutter.api %}
    "api",
{%- endif %}
]

MIDDLEWARE = [
{%- if cookiecutter.api %}
    # First, so that every answer to another origin's request carries its headers.
    "corsheaders.middleware.CorsMiddleware",
{%- endif %}
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "{{ cookiecutter.project_slug }}.middleware.permissions_policy",
]

ROOT_URLCONF = "{{ cookiecutter.project_slug }}.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "{{ cookiecutter.project_slug }}.wsgi.application"


# Database: DATABASE_URL, e.g. postgres://user:password@host:5432/name
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases

DATABASES = {
    "default": dj_database_url.config(
{%- if cookiecutter.database == "postgresql" %}
        default="postgres://localhost:5432/{{ cookiecutter.project_slug }}",
{%- else %}
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
{%- endif %}
        conn_max_age=600,
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # gunicorn's workers share the file: WAL lets them read while one writes, a writer
    # waits up to 20 s for another rather than failing with "database is locked", and
    # each transaction takes the write lock as it starts, so two cannot deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


# Users and passwords
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/

AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.NumericPasswordValidator",
    },
]

# Password guessing: past a limit every login for that account, or from that client,
# is refused until its window ends. (how many failures, in how many seconds)
AUTHENTICATION_BACKENDS = ["accounts.backends.LimitedModelBackend"]
# Clients are told apart by address: REMOTE_ADDR, or with this many proxies in front
# the address the outermost one adds to X-Forwarded-For. A client can forge the
# header, so it is only read when proxies are declared; behind undeclared proxies
# every client has the proxy's address and shares one per-client limit.
NUM_PROXIES = env_int("DJANGO_NUM_PROXIES", 0)
ACCOUNT_LIMITS = {
    "login_per_account": (10, 15 * 60),
    "login_per_client": (50, 15 * 60),
{%- if cookiecutter.accounts %}
    # Mail a visitor can have sent: password resets per address and per client.
    "mail_per_address": (3, 60 * 60),
    "mail_per_client": (20, 60 * 60),
{%- endif %}
}

# Where a login ends (the admin's, the browsable API's and the site's own).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"


# Email: SMTP configured from EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587
# (smtp:// plain, smtp+tls:// STARTTLS, smtp+ssl:// TLS from the start), or from the
# DJANGO_EMAIL_HOST, _PORT, _HOST_USER, _HOST_PASSWORD, _USE_TLS and _USE_SSL variables.
# With neither, mail is printed on the console
{%- if cookiecutter.accounts %}; `check --deploy` refuses that when DEBUG is
# off, as password-reset links must never land in a log
{%- endif %}.
# https://docs.djangoproject.com/en/5.2/topics/email/


def smtp_from_url(url: str) -> tuple[str, int, str, str, bool, bool]:
    """Host, port, user, password, STARTTLS and TLS from an EMAIL_URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtp+tls", "smtp+ssl"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp+tls://user:password@host:587 "
            "(schemes: smtp, smtp+tls, smtp+ssl)"
        )
    port = parts.port or {"smtp+ssl": 465, "smtp+tls": 587}.get(parts.scheme, 25)
    return (
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        parts.scheme == "smtp+tls" or "tls" in parse_qs(parts.query),
        parts.scheme == "smtp+ssl",
    )


if EMAIL_URL := os.environ.get("EMAIL_URL", "").strip():
    (
        EMAIL_HOST,
        EMAIL_PORT,
        EMAIL_HOST_USER,
        EMAIL_HOST_PASSWORD,
        EMAIL_USE_TLS,
        EMAIL_USE_SSL,
    ) = smtp_from_url(EMAIL_URL)
else:
    EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
{%- if cookiecutter.accounts and not cookiecutter.tasks %}
# The account pages mail from a background thread, so a page answers as fast for an
# address with an account as for one without (the tests send at once).
MAIL_IN_BACKGROUND = True
{%- endif %}
{%- if cookiecutter.tasks %}


# Background tasks: django-tasks, the backport of Django 6's django.tasks (the same
# @task and .enqueue()). Tasks wait in a database table until a worker runs them:
#   python manage.py db_worker
# Without a running worker, enqueued tasks{% if cookiecutter.accounts %} (the account pages' mail among them){% endif %} wait.
# https://github.com/RealOrangeOne/django-tasks-db
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
{%- endif %}


# The cache is a database table (the accounts app's migrations create it), so the
# login limits{% if cookiecutter.api %} and the API's throttles{% endif %} count across every gunicorn worker.
# https://docs.djangoproject.com/en/5.2/topics/cache/#database-caching
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        # Past MAX_ENTRIES the table culls a third of its rows, counts included: room
        # for what a busy site counts in a window (expired rows go first).
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


# Internationalization
# https://docs.djangoproject.com/en/5.2/topics/i18n/

LANGUAGE_CODE = "en-us"

TIME_ZONE = "UTC"

USE_I18N = True

USE_TZ = True


# Static files, served by WhiteNoise from STATIC_ROOT after `collectstatic`
# https://whitenoise.readthedocs.io/en/stable/django.html

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded files. Serve them from a web server or object storage in production.
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
{%- if cookiecutter.api %}


# Django REST framework
# https://www.django-rest-framework.org/api-guide/settings/

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Requests per client; the token view checks passwords, so it has a strict rate of
    # its own ("token"). Counts live in the database cache, shared by every worker.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_ANON_RATE", "100/hour"),
        "user": os.environ.get("DJANGO_API_USER_RATE", "1000/hour"),
        "token": os.environ.get("DJANGO_API_TOKEN_RATE", "10/minute"),
    },
    # Clients are told apart by address, as the login limits tell them (NUM_PROXIES).
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# Cross-origin requests: browser pages on the origins in DJANGO_CORS_ALLOWED_ORIGINS
# (e.g. "https://app.example.com") may call the API with a token; none by default.
# Cookies are never sent cross-origin, so session logins stay on this site.
# https://github.com/adamchainz/django-cors-headers#configuration
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"

# OpenAPI schema at /api/schema/, Swagger UI at /api/docs/ (its files are served from
# STATIC_ROOT, so the page needs no outside CDN).
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "{{ cookiecutter.project_name|replace('\\', '\\\\')|replace('"', '\\"') }} API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
{%- endif %}


# HTTPS and security headers, on whenever DEBUG is off
# https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.security

# Behind a proxy that terminates TLS, the proxy says a request came over HTTPS in
# X-Forwarded-Proto. Trust it only when DJANGO_BEHIND_PROXY says such a proxy is in
# front (one that replaces the header a client sends): a client reaching gunicorn
# directly could otherwise pass plain HTTP off as HTTPS.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_BEHIND_PROXY", default=False)
    else None
)
# Set DJANGO_SECURE_SSL_REDIRECT=False only where the proxy redirects to HTTPS itself.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and Docker's HEALTHCHECK probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz{% if cookiecutter.tasks %}(/worker)?{% endif %}$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# HSTS: browsers then refuse plain HTTP for this many seconds. It starts at an hour so
# a mistake is short-lived; once every page works over HTTPS raise it step by step to a
# year (31536000), then consider DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS and _PRELOAD.
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_SECURE_HSTS_SECONDS", 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Subdomains and preload are choices for the whole domain, not defaults: their
# deploy-check warnings are silenced while they are off, and come back when set.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]


# Content-Security-Policy on every response: scripts, styles, fonts and images from
# this site only (images also as data: URLs), no plugins, no framing, and forms that
# post back here. A page that needs more says so with csp.decorators.csp_update.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page uses, turned off for the site and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


# Logging: every logger (Django's and the project's own) to stdout with a timestamp,
# where gunicorn and containers collect it; the level from DJANGO_LOG_LEVEL.


class WithoutTraceback(logging.Filter):
    """Log a request with a bad Host header in one line: it is noise, not a bug."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "timestamped": {
            "format": "{asctime} {levelname} {name}: {message}",
            "style": "{",
        },
    },
    "filters": {
        "without_traceback": {"()": WithoutTraceback},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "timestamped",
        },
        "stdout_one_line": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "timestamped",
            "filters": ["without_traceback"],
        },
        # Mails each server error to ADMINS, when there are any and DEBUG is off.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own handlers: everything to stdout, errors to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        "django.security.DisallowedHost": {
            "handlers": ["stdout_one_line"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}


# Errors reach someone: DJANGO_ADMINS ("ops@example.com,dev@example.com") are mailed
# each server error, and with SENTRY_DSN set errors also go to Sentry (the SDK starts
# only then). Neither sends passwords, cookies or other personal data on its own.
ADMINS = [(address, address) for address in env_list("DJANGO_ADMINS")]

if SENTRY_DSN := os.environ.get("SENTRY_DSN", "").strip():
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
    )

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
{% if cookiecutter.project_slug|length > 6 %}
from {{ cookiecutter.project_slug }}.settings import (
    WithoutTraceback,
    env_bool,
    env_int,
    env_list,
    smtp_from_url,
)
{%- else %}
from {{ cookiecutter.project_slug }}.settings import WithoutTraceback, env_bool, env_int, env_list, smtp_from_url
{%- endif %}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("True", True), ("yes", True), ("1", True), ("False", False), ("0", False)],
)
def test_env_bool(monkeypatch, value, expected):
    """Yes/no variables accept the usual spellings."""
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG", default=False) is expected


def test_env_bool_default(monkeypatch):
    """An unset or empty variable means the default: DEBUG stays off unless turned on."""
    monkeypatch.setenv("FLAG", "")
    assert env_bool("FLAG", default=False) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_bool_refuses_a_typo(monkeypatch):
    """A misspelt value stops startup instead of silently meaning False."""
    monkeypatch.setenv("FLAG", "Ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


def test_env_int(monkeypatch):
    """Whole-number variables are read, and unset or empty means the default."""
    monkeypatch.setenv("SECONDS", " 31536000 ")
    assert env_int("SECONDS", default=3600) == 31536000
    monkeypatch.setenv("SECONDS", "")
    assert env_int("SECONDS", default=3600) == 3600


def test_env_int_refuses_a_typo_in_one_line(monkeypatch):
    """A value such as 1y stops startup with the variable's name, not a bare ValueError."""
    monkeypatch.setenv("DJANGO_SECURE_HSTS_SECONDS", "1y")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECURE_HSTS_SECONDS"):
        env_int("DJANGO_SECURE_HSTS_SECONDS", default=3600)


def test_env_list(monkeypatch):
    """Comma-separated lists ignore spaces and empty items."""
    monkeypatch.setenv("HOSTS", " example.com, www.example.com ,")
    assert env_list("HOSTS") == ["example.com", "www.example.com"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS") == []


def test_email_url_gives_the_smtp_settings():
    """EMAIL_URL carries host, port, user, password and the TLS mode."""
    tls = smtp_from_url("smtp+tls://ada:s%40cret@smtp.example.com:2525")
    assert tls == ("smtp.example.com", 2525, "ada", "s@cret", True, False)
    ssl = smtp_from_url("smtp+ssl://mail.example.com")
    assert ssl == ("mail.example.com", 465, "", "", False, True)
    assert smtp_from_url("smtp://127.0.0.1:1025")[:2] == ("127.0.0.1", 1025)


@pytest.mark.parametrize("url", ["console://", "http://example.com", "smtp://"])
def test_a_wrong_email_url_stops_startup(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        smtp_from_url(url)


# A DSN of the right shape; the tests never send to it.
SENTRY_TEST_DSN = "https://public@sentry.invalid/1"


def production(**env):
    """The settings a production process gets from its environment alone."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k) for k in "
        "('EMAIL_BACKEND', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'LOGIN_REDIRECT_URL', 'MEDIA_ROOT', "
        "'SECURE_PROXY_SSL_HEADER', 'ADMINS', 'DATABASES')} | "
        "{'sentry': __import__('sentry_sdk').get_client().is_active()}, default=str))"
    )
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "{{ cookiecutter.project_slug }}.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_DEBUG": "False",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    return json.loads(done.stdout)


def test_production_sends_mail_over_smtp_when_configured():
    configured = production(EMAIL_URL="smtp+tls://u:p@smtp.example.com:587")
    assert configured["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production()["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_hsts_starts_low_and_is_read_from_the_environment():
    settings = production()
    assert settings["SECURE_HSTS_SECONDS"] == 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert settings["SECURE_HSTS_PRELOAD"] is False
    raised = production(
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="True",
    )
    assert raised["SECURE_HSTS_SECONDS"] == 31536000
    assert raised["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_the_proxy_header_is_trusted_only_behind_a_declared_proxy():
    """Without DJANGO_BEHIND_PROXY, X-Forwarded-Proto from a client means nothing."""
    assert production()["SECURE_PROXY_SSL_HEADER"] is None
    behind = production(DJANGO_BEHIND_PROXY="True")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_server_errors_are_mailed_to_the_admins_given(settings, mailoutbox):
    """DJANGO_ADMINS get each logged server error while DEBUG is off."""
    settings.ADMINS = [("ops@example.com", "ops@example.com")]
    logging.getLogger("django.request").error("Internal Server Error: /boom/")
    assert mailoutbox[0].to == ["ops@example.com"]
    assert "Internal Server Error" in mailoutbox[0].subject


def test_admins_come_from_the_environment():
    admins = production(DJANGO_ADMINS="ops@example.com, dev@example.com")["ADMINS"]
    assert [address for _, address in admins] == ["ops@example.com", "dev@example.com"]
    assert production()["ADMINS"] == []


@pytest.mark.parametrize(("dsn", "active"), [("", False), (SENTRY_TEST_DSN, True)])
def test_sentry_starts_only_with_a_dsn(dsn, active):
    """Without SENTRY_DSN the SDK stays off and sends nothing anywhere."""
    assert production(SENTRY_DSN=dsn)["sentry"] is active


def test_sqlite_is_set_up_for_several_workers(tmp_path):
    """WAL, a busy timeout and immediate transactions: gunicorn's workers share the file."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    options = production(DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_media_and_login_redirect_are_set():
    settings = production()
    assert settings["LOGIN_REDIRECT_URL"] == "home"
    assert settings["MEDIA_ROOT"].endswith("media")


def test_a_bad_host_header_is_logged_in_one_line():
    record = logging.LogRecord(
        "django.security.DisallowedHost",
        logging.ERROR,
        __file__,
        1,
        "Invalid HTTP_HOST header",
        None,
        (ValueError, ValueError(), None),
    )
    assert WithoutTraceback().filter(record) is True
    assert record.exc_info is None

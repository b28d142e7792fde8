{% set db = cookiecutter.database != "none" %}
"""The factory, the config classes, the home page, the headers and the error pages."""

import logging
import runpy
from pathlib import Path

import pytest
import sentry_sdk
from flask import abort, request

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


@pytest.mark.parametrize(
    ("dsn", "started"), [("", False), ("https://key@sentry.invalid/1", True)]
)
def test_sentry_starts_only_with_a_dsn(monkeypatch, dsn, started):
    """Without SENTRY_DSN the SDK stays off and sends nothing anywhere."""
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    monkeypatch.setattr(config.TestingConfig, "SENTRY_DSN", dsn)
    create_app("testing")
    assert bool(calls) is started
    assert all(call["dsn"] == dsn and not call["send_default_pii"] for call in calls)


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


@pytest.mark.parametrize("hosts", [None, []])
def test_production_refuses_to_start_without_trusted_hosts(monkeypatch, hosts):
    """Production does not start without the host names it answers to."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 50)
    monkeypatch.setattr(config.ProductionConfig, "TRUSTED_HOSTS", hosts)
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS"):
        create_app("production")


def test_trusted_hosts_come_from_the_environment(monkeypatch):
    """TRUSTED_HOSTS is a comma-separated list; empty means unset."""
    monkeypatch.setenv("TRUSTED_HOSTS", "example.com, .example.org,")
    assert config.env_list("TRUSTED_HOSTS") == ["example.com", ".example.org"]
    monkeypatch.setenv("TRUSTED_HOSTS", " ")
    assert config.env_list("TRUSTED_HOSTS") is None


@pytest.mark.parametrize("path", ["/", "/no-such-page"])
def test_an_untrusted_host_gets_a_400_page(client, path):
    """A Host header outside TRUSTED_HOSTS is refused with a page that renders."""
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "does not answer to that host name" in response.text
    assert "evil.example" not in response.text
    assert client.get(path, headers={"Host": "localhost:5000"}).status_code != 400
{% if cookiecutter.api %}


def test_an_untrusted_host_gets_a_json_400_under_the_api(client):
    """The API refuses a forged Host in JSON, like its other errors."""
    response = client.get("/api/openapi.json", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.is_json
{% endif %}


def test_a_body_over_max_content_length_gets_413(app, client):
    """The body is not read past MAX_CONTENT_LENGTH (1 MB unless set)."""
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024

    @app.post("/size")
    def size():
        return str(len(request.get_data()))

    assert client.post("/size", data=b"x" * 1000).text == "1000"
    response = client.post("/size", data=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "Request too large" in response.text


def test_max_content_length_comes_from_the_environment(monkeypatch):
    """MAX_CONTENT_LENGTH is a number of bytes from the environment."""
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "2048")
    reloaded = runpy.run_path(config.__file__)
    assert reloaded["Config"].MAX_CONTENT_LENGTH == 2048
{% if cookiecutter.api %}


def test_a_body_over_max_content_length_gets_a_json_413_under_the_api(app, client):
    """Under /api/, a too large body is refused in JSON."""

    @app.post("/api/size")
    def api_size():
        return {"size": len(request.get_data())}

    response = client.post("/api/size", json={"text": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert response.is_json
{% endif %}


@pytest.mark.parametrize(
    ("path", "data"),
    [("/echo?q=a%00b", None), ("/echo", {"text": "a\x00b"}), ("/echo", {"a\x00": "b"})],
)
def test_nul_characters_are_refused(app, client, path, data):
    """A NUL character in the query string or a form field gets 400."""

    @app.post("/echo")
    def echo():
        return "read"

    assert client.post("/echo?q=ab", data={"text": "ab"}).text == "read"
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Bad request" in response.text


@pytest.mark.parametrize("body", [{"text": "a\x00b"}, {"list": [{"a\x00": 1}]}])
def test_nul_characters_in_json_are_refused(app, client, body):
    """A NUL character anywhere in a JSON body gets 400."""

    @app.post("/json")
    def echo_json():
        return request.get_json()

    assert client.post("/json", json={"text": "ab"}).json == {"text": "ab"}
    assert client.post("/json", json=body).status_code == 400


def test_production_uses_secure_cookies(production_app):
    """Production marks the session cookie Secure and HttpOnly."""
    app = production_app
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert not app.debug


def test_home_page(client):
    """The home page extends base.html and links the stylesheet."""
    response = client.get("/")
    assert response.status_code == 200
    assert {{ cookiecutter.project_name | e | replace("{", "&#123;" | safe) | tojson }} in response.text
    assert "/static/css/style.css" in response.text


def test_stylesheet_is_served(client):
    """The plain CSS file is served as text/css."""
    response = client.get("/static/css/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


@pytest.fixture
def production_app(monkeypatch):
    """Return an app on the production config, with a valid secret key."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 50)
    monkeypatch.setattr(config.ProductionConfig, "TRUSTED_HOSTS", ["localhost"])
{% if cookiecutter.tasks %}
    monkeypatch.setattr(config.ProductionConfig, "REDIS_URL", "redis://localhost:6379")
{% endif %}
{% if cookiecutter.accounts %}
    monkeypatch.setattr(config.ProductionConfig, "EMAIL_URL", "smtp://localhost")
{% endif %}
    return create_app("production")


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (400, "Bad request"),
        (403, "Forbidden"),
        (404, "Page not found"),
        (405, "Method not allowed"),
    ],
)
def test_error_pages_are_styled_with_a_way_back(app, client, code, title):
    """Each error a visitor can meet gets the site's page and a link home."""

    @app.route("/error", methods=["GET"])
    def error():
        abort(code)

    path, method = {404: ("/missing", "GET"), 405: ("/error", "POST")}.get(
        code, ("/error", "GET")
    )
    response = client.open(path, method=method)
    assert response.status_code == code
    assert title in response.text
    assert "/static/css/style.css" in response.text
    assert 'href="/"' in response.text


def test_health(client):
    """/healthz answers a JSON status{% if db %} once the database answers{% endif %};
    /health, its path before template version 3, still answers; the home page links
    /healthz."""
    for path in ("/healthz", "/health"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.get_json() == {"status": "ok"}
    assert 'href="/healthz"' in client.get("/").text


def test_security_headers(client):
    """Pages cannot be framed or sniffed, and send only their origin elsewhere."""
    headers = client.get("/").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # not over local HTTP


def test_content_security_policy_allows_this_site_only(client):
    """Every page limits scripts and styles to the site, with a fresh nonce each."""
    first = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in first
    assert "frame-ancestors 'none'" in first
    assert "unsafe-inline" not in first
    assert client.get("/").headers["Content-Security-Policy"] != first  # the nonce
    assert "Content-Security-Policy" in client.get("/no-such-page").headers


def test_permissions_policy_turns_off_unused_features(client):
    """No camera, microphone or location for the site or what it embeds."""
    policy = client.get("/").headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in policy


def test_production_sends_hsts(production_app):
    """Production tells browsers to use HTTPS only."""
    response = production_app.test_client().get("/")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_logs_info_messages(production_app, caplog):
    """Under gunicorn the app's INFO messages reach the log."""
    assert production_app.logger.isEnabledFor(logging.INFO)
    with caplog.at_level(logging.INFO, logger=production_app.logger.name):
        production_app.logger.info("started")
    assert "started" in caplog.text


def test_gunicorn_control_socket_is_the_projects_own(monkeypatch):
    """gunicornc's socket is in instance/, not shared with the user's other projects."""
    path = str(Path(__file__).parents[1] / "gunicorn.conf.py")
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert runpy.run_path(path)["control_socket"] == "instance/gunicorn.ctl"
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/run/site/gunicorn.ctl")
    assert runpy.run_path(path)["control_socket"] == "/run/site/gunicorn.ctl"


def client_seen_by(proxies: int, monkeypatch) -> str:
    """Return the client address and scheme the app sees for a proxied request."""
    monkeypatch.setattr(config.TestingConfig, "PROXY_COUNT", proxies)
    app = create_app("testing")

    @app.get("/client-seen")
    def client_seen():
        return f"{request.remote_addr} {request.scheme}"

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    return app.test_client().get("/client-seen", headers=headers).text


def test_behind_a_proxy_the_client_is_the_forwarded_one(monkeypatch):
    """With PROXY_COUNT=1, rate limits and links see the client, not the proxy."""
    assert client_seen_by(1, monkeypatch) == "203.0.113.7 https"


def test_forwarded_headers_are_ignored_without_a_proxy(monkeypatch):
    """Without PROXY_COUNT, a client cannot pick its address with a header."""
    assert client_seen_by(0, monkeypatch) == "127.0.0.1 http"


def test_gunicorn_workers_come_from_web_concurrency(monkeypatch):
    """gunicorn.conf.py reads WEB_CONCURRENCY and logs requests."""
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    settings = runpy.run_path(str(Path(__file__).parents[1] / "gunicorn.conf.py"))
    assert settings["workers"] == 5
    assert settings["accesslog"] == "-"
    assert settings["wsgi_app"] == f"{create_app.__module__}.wsgi:app"
{% if cookiecutter.docker %}


def test_compose_keeps_the_session_cookie_over_http(monkeypatch):
    """SECURE_COOKIES=false (compose.yaml, plain HTTP) drops the Secure flag."""
    monkeypatch.setenv("SECURE_COOKIES", "false")
    assert not config.env_flag("SECURE_COOKIES", True)
    monkeypatch.setenv("SECURE_COOKIES", "true")
    assert config.env_flag("SECURE_COOKIES", True)
{% endif %}
{% if db %}


@pytest.mark.parametrize(
    "url",
    ["postgres://u:p@host:5432/name", "postgresql://u:p@host:5432/name"],
    ids=["postgres", "postgresql"],
)
def test_postgres_urls_use_psycopg_3(url):
    """Both spellings hosts give work, with the psycopg 3 driver."""
    assert config.database_url(url) == "postgresql+psycopg://u:p@host:5432/name"


def test_test_database_url_is_used(monkeypatch):
    """TEST_DATABASE_URL picks the tests' database (read when the app is made)."""
{% if cookiecutter.database == "postgresql" %}
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://u@host/tests")
    app = create_app("testing")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@host/tests"
{% else %}
    # psycopg is installed only with PostgreSQL; a SQLite URL shows the same choice.
    monkeypatch.setenv("TEST_DATABASE_URL", "sqlite:///chosen-by-test.db")
    app = create_app("testing")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///chosen-by-test.db"
{% endif %}
{% endif %}


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

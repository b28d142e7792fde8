import runpy
from pathlib import Path

from django.conf import settings
from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_port_and_workers_come_from_the_environment(monkeypatch):
    """Hosts set PORT and WEB_CONCURRENCY; gunicorn.conf.py follows them."""
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    conf = runpy.run_path(str(CONF))
    assert conf["bind"] == "0.0.0.0:5000"
    assert conf["workers"] == 5


def test_access_log_goes_to_stdout(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["accesslog"] == "-"
    assert conf["bind"] == "0.0.0.0:8000"


def test_every_name_is_a_gunicorn_setting():
    """A misspelt setting would be silently ignored by gunicorn."""
    conf = runpy.run_path(str(CONF))
    names = {name for name in conf if not name.startswith("_") and name != "os"}
    assert names <= set(Config().settings)


def test_it_serves_this_project():
    conf = runpy.run_path(str(CONF))
    assert f"{conf['wsgi_app']}.application" == settings.WSGI_APPLICATION


def test_gunicorn_leaves_x_forwarded_proto_to_django():
    """Only DJANGO_BEHIND_PROXY in the settings makes a forwarded scheme count."""
    assert runpy.run_path(str(CONF))["secure_scheme_headers"] == {}

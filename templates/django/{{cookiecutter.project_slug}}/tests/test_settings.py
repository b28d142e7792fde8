import pytest
from django.core.exceptions import ImproperlyConfigured
{% if cookiecutter.project_slug|length > 48 %}
from {{ cookiecutter.project_slug }}.settings import (
    env_bool,
    env_list,
)
{%- else %}
from {{ cookiecutter.project_slug }}.settings import env_bool, env_list
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


def test_env_list(monkeypatch):
    """Comma-separated lists ignore spaces and empty items."""
    monkeypatch.setenv("HOSTS", " example.com, www.example.com ,")
    assert env_list("HOSTS") == ["example.com", "www.example.com"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS") == []

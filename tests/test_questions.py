"""Questions are data; answers are layered and checked in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import AnswersError, NameError_
from scaffold.questions import (
    QUESTIONS,
    check_name,
    load_answers_file,
    parse_assignments,
    split_layers,
    with_defaults,
)


def test_every_question_but_the_name_has_a_default() -> None:
    """--no-input works with nothing but a name."""
    answers = with_defaults({"project_name": "demo"})
    assert set(answers) == {q.key for q in QUESTIONS}


def test_missing_name_without_prompts_is_an_error() -> None:
    """The name is the one required value."""
    with pytest.raises(AnswersError, match="project_name is required"):
        with_defaults({})


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Acme News", "acme_news"), ("my-blog", "my_blog"), ("  Shop 2 ", "shop_2")],
)
def test_names_become_slugs(name: str, slug: str) -> None:
    """A human name becomes a package name."""
    assert check_name(name) == slug


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("!!!", "no letters or digits"),
        ("123", "not a valid Python package name"),
        ("class", "keyword"),
        ("n" * 51, "longer than 50 characters"),
        ("os", "shadow Python's os module"),
        ("test", "would shadow the 'test' module"),
        ("site", "shadow Python's site module"),
        ("django", "shadow the 'django' module"),
        ("flask", "shadow the 'flask' module"),
        ("../escape", "is a path, not a name"),
        ("/tmp/abs", "is a path, not a name"),
        ("a/b", "is a path, not a name"),
    ],
    ids=[
        "empty",
        "blank",
        "punctuation",
        "digits",
        "keyword",
        "too-long",
        "os",
        "test",
        "site",
        "django",
        "flask",
        "dotdot",
        "absolute",
        "nested",
    ],
)
def test_bad_names_say_why(name: str, message: str) -> None:
    """A bad name is refused with its reason."""
    with pytest.raises(NameError_, match=message):
        check_name(name)


@pytest.mark.parametrize(("name", "suggestion"), [("os", "os_project"), ("123", "project_123")])
def test_bad_names_come_with_a_valid_suggestion(name: str, suggestion: str) -> None:
    """The error suggests a slug that itself passes."""
    with pytest.raises(NameError_) as caught:
        check_name(name)
    assert caught.value.suggestion == suggestion
    assert check_name(suggestion) == suggestion


def test_set_wins_over_file() -> None:
    """--set is the later layer."""
    layers = split_layers({"database": "postgresql"}, {"database": "none"}, ())
    assert layers.answers["database"] == "none"


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("false", False), ("1", True)])
def test_set_converts_yes_no_text(text: str, value: bool) -> None:
    """--set values are text; yes/no questions accept the usual words."""
    assert split_layers({}, {"admin": text}, ()).answers["admin"] is value


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"colour": "red"}, "unknown answer 'colour'"),
        ({"database": "mysql"}, "database must be one of none, sqlite, postgresql"),
        ({"admin": "maybe"}, "admin must be true or false"),
        ({"admin": "yes"}, "admin must be true or false"),  # a file must give a real boolean
        ({"project_name": 12}, "project_name must be text"),
        ({"framework": "rails"}, "framework must be one of django, flask"),
    ],
    ids=["unknown-key", "bad-choice", "bad-bool", "string-bool-in-file", "name-type", "framework"],
)
def test_bad_file_values_name_the_key(values: dict, message: str) -> None:
    """Unknown keys, wrong types and values outside the choices name the key."""
    with pytest.raises(AnswersError, match=message):
        split_layers(values, {}, ())


def test_template_variables_pass_through() -> None:
    """Keys of the template's own variables are accepted and kept apart."""
    layers = split_layers({"author_name": "Ada"}, {}, {"author_name"})
    assert layers.template_values == {"author_name": "Ada"}


def test_recorded_metadata_is_ignored() -> None:
    """The _scaffold block that scaffold records does not count as an unknown key."""
    assert split_layers({"_scaffold": {"version": "1"}}, {}, ()).answers == {}


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("purpose: [api\n", ".yml", "not valid YAML"),
        ('{"purpose": ', ".json", "not valid JSON"),
        ("- api\n- website\n", ".yml", "not a list"),
        ("just text", ".yml", "not str"),
    ],
    ids=["yaml", "json", "list", "scalar"],
)
def test_malformed_answers_files(tmp_path: Path, text: str, suffix: str, message: str) -> None:
    """A malformed answers file is a one-line error naming the file."""
    path = tmp_path / f"answers{suffix}"
    path.write_text(text)
    with pytest.raises(AnswersError, match=message):
        load_answers_file(path)


def test_json_answers_file(tmp_path: Path) -> None:
    """JSON answers files are read like YAML ones."""
    path = tmp_path / "a.json"
    path.write_text('{"purpose": "api", "admin": false}')
    assert load_answers_file(path) == {"purpose": "api", "admin": False}


@pytest.mark.parametrize("item", ["database", "=sqlite"])
def test_set_needs_key_and_equals(item: str) -> None:
    """--set without KEY=VALUE is refused."""
    with pytest.raises(AnswersError, match="KEY=VALUE"):
        parse_assignments([item])

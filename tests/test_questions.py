"""Questions are data; answers are layered and checked in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.errors import AnswersError, ProjectNameError
from scaffold.questions import (
    PURPOSES,
    QUESTIONS,
    Question,
    check_name,
    coerce,
    load_answers_file,
    question,
    with_defaults,
)

USAGE = Path(__file__).resolve().parents[1] / "docs" / "usage.md"


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
    with pytest.raises(ProjectNameError, match=message):
        check_name(name)


@pytest.mark.parametrize(("name", "suggestion"), [("os", "os_project"), ("123", "project_123")])
def test_bad_names_come_with_a_valid_suggestion(name: str, suggestion: str) -> None:
    """The error suggests a slug that itself passes."""
    with pytest.raises(ProjectNameError) as caught:
        check_name(name)
    assert caught.value.suggestion == suggestion
    assert check_name(suggestion) == suggestion


def test_template_options_are_not_requirement_questions() -> None:
    """Template options come from cookiecutter.json, not from this table."""
    assert not {"database", "accounts", "forms", "api", "docker", "ci"} & {q.key for q in QUESTIONS}


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


def test_an_endless_answers_file_is_refused_without_reading_it_all() -> None:
    """`--answers /dev/zero` (or a file far too big to be one) is refused, not read forever."""
    with pytest.raises(AnswersError, match="is over 256 KiB"):
        load_answers_file(Path("/dev/zero"))


def test_a_yaml_merge_may_be_overridden_in_an_answers_file(tmp_path: Path) -> None:
    """A key given twice is refused, but one that overrides a merged mapping is YAML's own."""
    path = tmp_path / "answers.yml"
    path.write_text("base: &base {admin: true, team: solo}\nmine:\n  <<: *base\n  team: large\n")
    assert load_answers_file(path)["mine"] == {"admin": True, "team": "large"}


def test_json_answers_file(tmp_path: Path) -> None:
    """JSON answers files are read like YAML ones."""
    path = tmp_path / "a.json"
    path.write_text('{"purpose": "api", "admin": false}')
    assert load_answers_file(path) == {"purpose": "api", "admin": False}


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Café Münchën", "cafe_munchen"), ("Ｆｕｌｌ Ｗｉｄｔｈ", "full_width"), ("naïve", "naive")],
    ids=["accents", "full-width", "diaeresis"],
)
def test_accented_names_are_transliterated(name: str, slug: str) -> None:
    """Accents are dropped and compatibility forms folded (Unicode NFKD), not turned into _."""
    assert check_name(name) == slug


def test_a_name_in_another_script_is_accepted_with_an_explicit_slug() -> None:
    """A name with no Latin letters is fine when a valid slug is given."""
    assert check_name("東京ニュース", slug="tokyo_news") == "tokyo_news"


def test_a_name_in_another_script_without_a_slug_says_how_to_give_one() -> None:
    """Without a slug the error says to pass one."""
    with pytest.raises(ProjectNameError, match="--set project_slug="):
        check_name("Новости")


def test_an_explicit_slug_is_still_checked() -> None:
    """The name may be in any script; the slug must still be a package name."""
    with pytest.raises(ProjectNameError, match="not a valid Python package name"):
        check_name("東京", slug="9lives")


def test_the_purpose_question_says_what_each_value_means() -> None:
    """Each purpose is offered with its meaning, the one the recommendation scores."""
    purpose = question("purpose")
    assert purpose.choices == tuple(value for value, _ in PURPOSES)
    for value, meaning in PURPOSES:
        assert f"{value}: {meaning}" in purpose.help


def test_the_usage_page_answers_file_section_says_what_each_purpose_means() -> None:
    """The usage page's answers-file section gives each purpose with the question's meaning."""
    text = USAGE.read_text(encoding="utf-8")
    section = text[text.index("### The answers file") : text.index("### The recommendation")]
    flat = " ".join(section.split())
    for value, meaning in PURPOSES:
        assert f"`{value}`: {meaning}" in flat, value


VERSIONS = Question("python_version", "choice", "Python", "", "3.11", ("3.11", "3.12"))


def test_a_yaml_number_that_spells_a_choice_is_that_choice() -> None:
    """`python_version: 3.12` in an answers file is the text "3.12" it was meant as."""
    assert coerce(VERSIONS, 3.12, from_text=False) == "3.12"


def test_a_yaml_number_outside_the_choices_is_told_to_use_quotes() -> None:
    """YAML reads 3.10 as 3.1: the error says so, as quotes keep it text."""
    with pytest.raises(AnswersError, match=r"not 3\.1 \(a number: put it in quotes\)$"):
        coerce(VERSIONS, 3.1, from_text=False)

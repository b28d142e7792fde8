"""One function layers answers: defaults < recorded < file < --set < NAME < prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.answers import layer_answers, option_questions, parse_set
from scaffold.catalog import Template
from scaffold.errors import AnswersError
from scaffold.questions import Question
from tests.conftest import make_template


def test_later_layers_win(tiny_template: Template) -> None:
    """Each layer beats the ones before it, and says where the value came from."""
    answers = layer_answers(
        framework=tiny_template,
        recorded={"project_name": "Old", "database": "sqlite", "purpose": "api"},
        file_values={"database": "postgresql", "team": "large"},
        set_values={"database": "none"},
        name="New",
    )
    got = {key: (a.value, a.source) for key, a in answers.values.items()}
    assert got["project_name"] == ("New", "name")
    assert got["database"] == ("none", "set")
    assert got["team"] == ("large", "file")
    assert got["purpose"] == ("api", "recorded")
    assert got["growth"] == (False, "default")


def test_prompts_are_the_last_layer(tiny_template: Template) -> None:
    """Only what no layer gives is asked, through the callback."""
    asked: list[str] = []

    def ask(q: Question) -> object:
        asked.append(q.key)
        return True if q.type == "bool" else q.default

    answers = layer_answers(
        framework=tiny_template, name="demo", set_values={"accounts": "no"}, ask=ask
    )
    assert "accounts" not in asked and "project_name" not in asked
    assert "database" in asked and "purpose" in asked
    assert answers.values["admin"].source == "prompt"


def test_given_leaves_out_defaults(tiny_template: Template) -> None:
    """The recommendation scores only what the user gave."""
    answers = layer_answers(framework=tiny_template, name="demo", set_values={"team": "large"})
    assert answers.given == {"project_name", "team"}


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("false", False), ("1", True)])
def test_set_converts_yes_no_text(tiny_template: Template, text: str, value: bool) -> None:
    """--set values are text; yes/no options accept the usual words."""
    answers = layer_answers(framework=tiny_template, name="d", set_values={"accounts": text})
    assert answers.values["accounts"].value is value


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"colour": "red"}, "unknown answer 'colour'"),
        ({"database": "mysql"}, "database must be one of sqlite, postgresql, none"),
        ({"admin": "maybe"}, "admin must be true or false"),
        ({"admin": "yes"}, "admin must be true or false"),  # a file must give a real boolean
        ({"project_name": 12}, "project_name must be text"),
        ({"framework": "rails"}, "framework must be one of django, flask"),
    ],
    ids=["unknown-key", "bad-choice", "bad-bool", "string-bool-in-file", "name-type", "framework"],
)
def test_bad_file_values_name_the_key(tiny_template: Template, values: dict, message: str) -> None:
    """Unknown keys, wrong types and values outside the choices name the key."""
    with pytest.raises(AnswersError, match=message):
        layer_answers(framework=tiny_template, file_values=values, name="d")


def test_option_of_another_template_is_refused_for_this_one() -> None:
    """forms is a Flask option: asking Django for it is a one-line error saying so."""
    with pytest.raises(AnswersError, match="django template has no option 'forms'.*flask"):
        layer_answers(framework="django", name="d", set_values={"forms": "true"})


def test_option_of_another_template_is_set_aside_when_the_framework_is_recommended() -> None:
    """Recommended, not chosen: forms (Flask's) is not used, and the reason says so."""
    answers = layer_answers(
        framework="django", name="d", set_values={"forms": "true"}, recommended=True
    )
    assert "forms" not in answers.values
    assert answers.unused == {
        "forms": "forms is an option of the flask template, not of django's: not used "
        "(--framework flask uses it)"
    }


def test_an_answers_file_that_names_its_framework_still_refuses_the_others_options() -> None:
    """framework: django in the answers themselves is a choice: forms is refused."""
    with pytest.raises(AnswersError, match="django template has no option 'forms'"):
        layer_answers(
            framework="django",
            name="d",
            file_values={"forms": True, "framework": "django"},
            recommended=True,
        )


def test_any_template_option_is_accepted_before_the_framework_is_chosen() -> None:
    """Before the choice, every template's options are known (forms reaches the decision)."""
    answers = layer_answers(name="d", set_values={"forms": "true"})
    assert answers.values["forms"].value is True and "forms" in answers.given


def test_prompted_options_the_template_lacks_are_dropped() -> None:
    """An option asked for the recommendation is dropped if the chosen template lacks it."""
    first = layer_answers(name="d", ask=lambda q: q.default, ask_only={"forms"})
    assert first.values["forms"].source == "prompt"
    assert "forms" not in first.for_framework("django").values


def test_recorded_metadata_is_ignored(tiny_template: Template) -> None:
    """The _scaffold block that scaffold records does not count as an unknown key."""
    answers = layer_answers(framework=tiny_template, name="d", file_values={"_scaffold": {}})
    assert "_scaffold" not in answers.values


def test_missing_name_without_prompts_is_an_error(tiny_template: Template) -> None:
    """The name is the one required value, unless the caller does not need it."""
    with pytest.raises(AnswersError, match="project_name is required"):
        layer_answers(framework=tiny_template)
    assert "project_name" not in layer_answers(framework=tiny_template, need_name=False).values


def test_requirement_fix_is_derived_with_its_reason(tiny_template: Template) -> None:
    """Accounts without a database get a database, marked derived with the reason."""
    answers = layer_answers(
        framework=tiny_template, name="d", set_values={"accounts": "y", "database": "none"}
    )
    fixed = answers.derived["database"]
    assert fixed.value == "sqlite" and fixed.reason.startswith("accounts need a database")


def test_value_the_template_lacks_falls_back_derived(tmp_path: Path) -> None:
    """database=none on a template without it takes its default, and says why."""
    template = make_template(
        tmp_path / "django",
        config={"project_name": "x", "project_slug": "x", "database": ["sqlite", "postgresql"]},
    )
    first = layer_answers(name="d", set_values={"database": "none"})
    answers = first.for_framework(template)
    assert answers.derived["database"].value == "sqlite"
    assert "using sqlite" in answers.derived["database"].reason


def test_purpose_api_turns_the_api_option_on() -> None:
    """purpose: api suggests the API option, unless the user set it."""
    derived = layer_answers(framework="flask", name="d", set_values={"purpose": "api"})
    assert derived.derived["api"].value is True
    kept = layer_answers(framework="flask", name="d", set_values={"purpose": "api", "api": "n"})
    assert kept.values["api"].value is False and "api" not in kept.derived


def test_the_api_prompt_offers_yes_after_purpose_api() -> None:
    """Asked, the API option's default follows the same rule: yes after purpose api, and
    what the user answers is kept (no is no)."""
    offered: dict[str, object] = {}

    def ask(question):  # type: ignore[no-untyped-def]
        offered[question.key] = question.default
        return False if question.key == "api" else question.default

    answers = layer_answers(
        framework="flask", name="d", set_values={"purpose": "api"}, ask=ask, ask_only={"api"}
    )
    assert offered == {"api": True}
    assert answers.values["api"].value is False and answers.values["api"].source == "prompt"
    offered.clear()
    layer_answers(framework="flask", name="d", set_values={"purpose": "website"}, ask=ask,
                  ask_only={"api"})  # fmt: skip
    assert offered == {"api": False}


def test_options_come_from_the_template(tmp_path: Path) -> None:
    """A template's option is a question with its prompt, choices and labels as help."""
    template = make_template(
        tmp_path / "t",
        config={
            "project_name": "x",
            "queue": ["redis", "rabbitmq"],
            "__prompts__": {"queue": {"__prompt__": "Queue", "redis": "Redis"}},
        },
    )
    (q,) = option_questions(template)
    assert (q.key, q.type, q.prompt, q.choices, q.default) == (
        "queue",
        "choice",
        "Queue",
        ("redis", "rabbitmq"),
        "redis",
    )
    assert q.help == "redis: Redis"


@pytest.mark.parametrize("item", ["database", "=sqlite"])
def test_set_needs_key_and_equals(item: str) -> None:
    """--set without KEY=VALUE is refused, in one format."""
    with pytest.raises(AnswersError, match=r"--set takes KEY=VALUE, not '.*'"):
        parse_set([item])


def test_a_non_latin_name_is_layered_with_an_explicit_slug(tiny_template: Template) -> None:
    """layer_answers accepts any name when --set project_slug gives a valid slug."""
    answers = layer_answers(
        framework=tiny_template, name="東京ニュース", set_values={"project_slug": "tokyo_news"}
    )
    assert answers.values["project_name"].value == "東京ニュース"
    assert answers.values["project_slug"].value == "tokyo_news"


def test_prompting_asks_author_email_and_description(tiny_template: Template) -> None:
    """With a prompt callback, the metadata variables are asked with the template's default."""
    asked: dict[str, object] = {}

    def ask(q: Question) -> object:
        asked[q.key] = q.default
        return "Ada" if q.key == "author_name" else q.default

    answers = layer_answers(framework=make_template_with_metadata(tiny_template), ask=ask)
    assert {"author_name", "email", "description"} <= set(asked)
    assert asked["email"] == "you@example.com"
    assert answers.values["author_name"].value == "Ada"
    assert answers.values["author_name"].source == "prompt"


def make_template_with_metadata(template: Template) -> Template:
    from dataclasses import replace

    metadata = {"author_name": "Your Name", "email": "you@example.com", "description": "An app."}
    return replace(template, variables={**template.variables, **metadata})

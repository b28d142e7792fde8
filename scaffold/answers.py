"""The one place answers are layered: defaults < recorded < file < --set < NAME < prompts.

The requirement questions come from ``questions``; every template option comes from
the template's own cookiecutter.json through ``catalog``. Each value keeps where it
came from (its source), so the recommendation scores only what the user gave and
the summary can say which values were derived from others, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scaffold.catalog import Option, Template, load_template, load_templates
from scaffold.errors import AnswersError
from scaffold.options import enforce_requirements
from scaffold.questions import (
    FRAMEWORKS,
    QUESTIONS,
    Question,
    check_email,
    check_name,
    check_text,
    coerce,
)

# The layers, weakest first; "default" and "derived" are filled in, not given.
LAYERS = ("recorded", "file", "set", "name", "prompt")
GIVEN = frozenset(LAYERS)

Ask = Callable[[Question], Any]

# Free-text template variables asked when prompting (pyproject.toml's metadata).
ASKED_TEXT = ("author_name", "email", "description")


@dataclass(frozen=True)
class Answer:
    """One value, where it came from, and for a derived value the reason."""

    value: Any
    source: str  # "default", one of LAYERS, or "derived"
    reason: str = ""
    requested: Any = None  # for a derived value: what the layers asked for, if anything


@dataclass(frozen=True)
class Answers:
    """Every answer with its source, for one framework's template or (``None``) for any."""

    values: Mapping[str, Answer]
    framework: str | None  # chosen in the answers themselves (file or --set)
    scope: str | None  # the framework whose template options these were checked against
    sources: Mapping[str, Any] = field(default_factory=dict)  # layer_answers' arguments
    # Options of another template that were given but not used, each with the reason
    # (only when the framework was recommended, not chosen: see layer_answers).
    unused: Mapping[str, str] = field(default_factory=dict)

    def plain(self) -> dict[str, Any]:
        """The values alone."""
        return {key: answer.value for key, answer in self.values.items()}

    def requested(self) -> dict[str, Any]:
        """The values as the layers gave them, before any was derived from the others."""
        return {
            key: a.requested if a.source == "derived" and a.requested is not None else a.value
            for key, a in self.values.items()
        }

    @property
    def given(self) -> frozenset[str]:
        """The keys the user gave (recorded, file, --set, NAME, prompt), not defaults."""
        return frozenset(k for k, a in self.values.items() if a.source in GIVEN)

    @property
    def derived(self) -> dict[str, Answer]:
        """The values decided from other answers, each with its reason."""
        return {k: a for k, a in self.values.items() if a.source == "derived"}

    @property
    def prompted(self) -> dict[str, Any]:
        return {k: a.value for k, a in self.values.items() if a.source == "prompt"}

    def for_framework(
        self, framework: str | Template, *, ask: Ask | None = None, recommended: bool = False
    ) -> Answers:
        """The same layers checked against ``framework``'s template, asking what is missing.

        ``recommended``: the framework is the recommendation's, not the user's choice, so
        an option only another template has is set aside with a note, not refused.
        """
        sources = {
            **self.sources,
            "prompted": {**(self.sources.get("prompted") or {}), **self.prompted},
        }
        return layer_answers(framework=framework, ask=ask, recommended=recommended, **sources)


def parse_set(items: Iterable[str]) -> dict[str, str]:
    """Turn ``KEY=VALUE`` strings into a mapping; the one parser of ``--set``."""
    pairs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise AnswersError(f"--set takes KEY=VALUE, not {item!r}")
        pairs[key.strip()] = value
    return pairs


def option_question(option: Option) -> Question:
    """A template option as a question: its prompt, choices and default from cookiecutter.json."""
    if option.is_bool:
        return Question(option.name, "bool", option.prompt, option.help, option.default)
    return Question(
        option.name, "choice", option.prompt, option.help, option.default, option.choices
    )


def _merged(options: list[Option]) -> Option:
    """One option declared by several templates: the first one's prompt, every choice."""
    choices: list[Any] = []
    labels: dict[str, str] = {}
    for option in options:
        choices += [c for c in option.choices if c not in choices]
        labels = {**option.labels, **labels}
    first = options[0]
    return Option(first.name, tuple(choices), first.prompt, labels)


def _templates(framework: str | Template | None) -> tuple[Template, ...]:
    if isinstance(framework, str):
        return (load_template(framework),)
    return (framework,) if framework else load_templates()


def option_questions(framework: str | Template | None = None) -> tuple[Question, ...]:
    """The template options as questions: one template's, or every template's (merged)."""
    by_name: dict[str, list[Option]] = {}
    for template in _templates(framework):
        for option in template.options:
            by_name.setdefault(option.name, []).append(option)
    requirement_keys = {q.key for q in QUESTIONS}
    return tuple(
        option_question(_merged(options))
        for name, options in by_name.items()
        if name not in requirement_keys
    )


def all_questions(framework: str | Template | None = None) -> tuple[Question, ...]:
    """The requirement questions, then the template options, in asking order."""
    return QUESTIONS + option_questions(framework)


def _text_keys(framework: str | Template | None) -> set[str]:
    """Free-text template variables (description, author_name...) settable by name."""
    keys = {k for t in _templates(framework) for k in t.variables}
    return keys - {"project_name"}


class UnknownAnswer(AnswersError):
    """A key the template does not have; ``others`` are the templates that have it."""

    def __init__(self, message: str, others: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.others = others


def _unknown(key: str, template: Template | None, known: Collection[str]) -> UnknownAnswer:
    others = tuple(t.name for t in load_templates() if t.option(key) or key in t.variables)
    if template is not None and others:
        options = ", ".join(o.name for o in template.options)
        return UnknownAnswer(
            f"the {template.name} template has no option {key!r} (its options: {options}): "
            f"drop {key} or choose --framework {others[0]}",
            others,
        )
    return UnknownAnswer(f"unknown answer {key!r}: the keys are {', '.join(sorted(known))}")


def layer_answers(
    *,
    framework: str | Template | None = None,
    recorded: Mapping[str, Any] | None = None,
    file_values: Mapping[str, Any] | None = None,
    set_values: Mapping[str, str] | None = None,
    name: str | None = None,
    prompted: Mapping[str, Any] | None = None,
    ask: Ask | None = None,
    ask_only: Collection[str] | None = None,
    need_name: bool = True,
    recommended: bool = False,
) -> Answers:
    """Layer every source into checked answers; ask ``ask`` for what no layer gives.

    With ``framework`` the answers are checked against that template's options: a key
    it does not have is refused (only recorded and earlier prompted values are dropped
    quietly, since the tool wrote or asked them), and values it cannot take or its
    ``_requires`` rule out are derived, with the reason. When the framework is only
    ``recommended`` (the user did not choose it), an option another template has is
    set aside in ``unused``, with the reason, instead: an answers file cannot know
    which template the recommendation will pick. ``ask_only`` limits which missing
    questions are asked; the rest take their defaults.
    """
    template = _templates(framework)[0] if framework else None
    questions = {q.key: q for q in all_questions(template)}
    # A value another template offers (database=none for Django) is accepted here and
    # falls back in _derive with a reason; a value no template offers is refused.
    offered = {q.key: q for q in option_questions(None)}
    checks = {
        key: replace(q, choices=tuple(dict.fromkeys(q.choices + offered[key].choices)))
        if q.choices and key in offered
        else q
        for key, q in questions.items()
    }
    text_keys = _text_keys(template)
    known = set(questions) | text_keys | {"framework"}
    layers: dict[str, Mapping[str, Any]] = {
        "recorded": dict(recorded or {}),
        "file": dict(file_values or {}),
        "set": dict(set_values or {}),
        "name": {} if name is None else {"project_name": name},
        "prompt": dict(prompted or {}),
    }
    sources = {
        "recorded": recorded,
        "file_values": file_values,
        "set_values": set_values,
        "name": name,
        "prompted": prompted,
    }

    values: dict[str, Answer] = {}
    unused: dict[str, str] = {}
    chosen: str | None = None
    for source in LAYERS:
        # A record written by scaffold lists the keys the user gave; the rest were defaults.
        meta = layers[source].get("_scaffold")
        listed = meta.get("given") if isinstance(meta, dict) else None
        for key, value in layers[source].items():
            if key.startswith("_"):
                continue  # metadata recorded by scaffold itself, such as _scaffold
            if key not in known:
                if source in ("recorded", "prompt"):
                    continue
                refusal = _unknown(key, template, known)
                if recommended and template is not None and refusal.others:
                    unused[key] = (
                        f"{key} is an option of the {refusal.others[0]} template, not of "
                        f"{template.name}'s: not used (--framework {refusal.others[0]} uses it)"
                    )
                    continue
                raise refusal
            if key == "framework":
                if value not in FRAMEWORKS:
                    raise AnswersError(
                        f"framework must be one of {', '.join(FRAMEWORKS)}, not {value!r}"
                    )
                chosen = value
                continue
            if key in questions:
                value = coerce(checks[key], value, from_text=source == "set")
            elif not isinstance(value, str):
                if isinstance(value, bool | int | float) and source != "set":
                    value = str(value).lower() if isinstance(value, bool) else str(value)
                else:
                    raise AnswersError(f"{key} must be text, not {value!r}")
            if source != "recorded":
                _check(key, value)
            given = listed is None or key in listed
            values[key] = Answer(value, source if given else "default")

    if "project_name" in values:
        slug = values.get("project_slug")
        check_name(str(values["project_name"].value), slug=str(slug.value) if slug else None)
    for key, q in questions.items():
        if key in values:
            continue
        if ask is not None and (ask_only is None or key in ask_only):
            # The prompt offers what the answers so far suggest (the API for purpose api).
            suggested = _suggested(values).get(key, q.default)
            values[key] = Answer(ask(replace(q, default=suggested)), "prompt")
        elif q.default is not None:
            values[key] = Answer(q.default, "default")
        elif need_name:
            raise AnswersError(
                f"{key} is required: pass NAME or --set {key}=VALUE when not prompting"
            )

    if ask is not None and template is not None:
        # The free-text variables a project's metadata needs, asked after the options.
        for key in ASKED_TEXT:
            if key in template.variables and key not in values:
                if ask_only is None or key in ask_only:
                    prompt = str(template.prompts.get(key) or key)
                    default = template.variables[key]
                    answer = _check(key, ask(Question(key, "text", prompt, "", default)))
                    values[key] = Answer(answer, "prompt")

    _derive(values, template)
    ordered = {k: values[k] for k in [*questions, *sorted(text_keys)] if k in values}
    scope = template.name if template else None
    if chosen is not None and unused:  # the answers chose it: nothing is set aside
        raise _unknown(next(iter(unused)), template, known)
    return Answers(values=ordered, framework=chosen, scope=scope, sources=sources, unused=unused)


def _check(key: str, value: Any) -> Any:
    """``value``, given for ``key``, if it is plain text and (for the email) an address."""
    if isinstance(value, str):
        check_text(key, value)
    if key == "email":
        check_email(value)
    return value


def _suggested(values: Mapping[str, Answer]) -> dict[str, Any]:
    """Option values the given answers suggest: the API option for a JSON API."""
    purpose = values.get("purpose")
    if purpose and purpose.source in GIVEN and purpose.value == "api":
        return {"api": True}
    return {}


def _derive(values: dict[str, Answer], template: Template | None) -> None:
    """Decide the values that follow from others, once, each with its reason."""
    api = values.get("api")
    if api and api.source == "default" and api.value is False and _suggested(values).get("api"):
        values["api"] = Answer(True, "derived", "api: on, because purpose is api", False)
    if template is None:
        return
    for option in template.options:
        answer = values.get(option.name)
        if answer is not None and answer.value not in option.choices:
            reason = (
                f"{option.name} is {answer.value} but the {template.name} template offers "
                f"{', '.join(map(str, option.choices))}: using {option.default}"
            )
            values[option.name] = Answer(option.default, "derived", reason, answer.value)
    current = {key: answer.value for key, answer in values.items()}
    for key, reason in enforce_requirements(template, current).items():
        values[key] = Answer(current[key], "derived", reason, values[key].value)

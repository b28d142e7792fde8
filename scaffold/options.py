"""Answers plus a framework become the chosen template's cookiecutter variables.

This is the one place where an answer turns into a template option and where the
template's constraints (its ``_requires``) are enforced for the tool: a broken
requirement is fixed to the first allowed value, and the reason is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import AnswersError
from scaffold.questions import check_slug, slugify


@dataclass(frozen=True)
class Context:
    """The values handed to cookiecutter, and the notes explaining any adjustment."""

    values: dict[str, Any]
    notes: tuple[str, ...] = field(default_factory=tuple)


def _database(answers: Mapping[str, Any], template: Template) -> tuple[str, list[str]]:
    option = template.option("database")
    wanted = answers["database"]
    if option is None or wanted in option.choices:
        return wanted, []
    fallback = option.default
    return fallback, [
        f"database is {wanted} but {template.name.capitalize()} keeps users and sessions in a "
        f"database: using {fallback}"
    ]


def build_context(
    template: Template,
    answers: Mapping[str, Any],
    template_values: Mapping[str, Any] | None = None,
) -> Context:
    """Map validated answers (and explicit template variables) onto ``template``'s variables."""
    template_values = dict(template_values or {})
    unknown = sorted(set(template_values) - set(template.variables) - _option_names(template))
    if unknown:
        raise AnswersError(
            f"unknown {template.name} template variable {unknown[0]!r}: it has "
            f"{', '.join(sorted(set(template.variables) | _option_names(template)))}"
        )

    values: dict[str, Any] = {}
    notes: list[str] = []
    # Every option the template has takes the answer of the same name; the
    # questions were written to match the templates' option names.
    for option in template.options:
        if option.name == "database":
            values["database"], database_notes = _database(answers, template)
            notes.extend(database_notes)
        elif option.name in answers:
            values[option.name] = answers[option.name]
        else:
            values[option.name] = option.default

    for key, value in template_values.items():
        given = template.option(key)
        if given is not None:
            if value not in given.choices:
                raise AnswersError(
                    f"{key} must be one of {', '.join(map(str, given.choices))}, not {value!r}"
                )
            values[key] = value
    notes.extend(_enforce_requirements(template, values))

    name = str(answers["project_name"]).strip()
    values["project_name"] = name
    slug = template_values.get("project_slug") or slugify(name)
    values["project_slug"] = check_slug(slug, template.reserved_slugs)
    # Every variable is passed explicitly, so the recorded answers replay exactly.
    for key, default in template.variables.items():
        if key not in ("project_name", "project_slug"):
            values[key] = template_values.get(key, default)
    return Context(values=values, notes=tuple(notes))


def _option_names(template: Template) -> set[str]:
    return {option.name for option in template.options}


def _enforce_requirements(template: Template, values: dict[str, Any]) -> list[str]:
    """Fix broken requirements in place, returning one note per fix."""
    notes: list[str] = []
    # A fix can make another requirement apply (admin -> accounts -> database),
    # so repeat until nothing changes; each pass only ever sets allowed values.
    for _ in range(len(template.requirements) + 1):
        changed = False
        for requirement in template.requirements:
            for key, allowed in requirement.broken(values).items():
                values[key] = allowed[0]
                notes.append(f"{requirement.reason}: set {key} to {_show(allowed[0])}")
                changed = True
        if not changed:
            break
    return notes


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)

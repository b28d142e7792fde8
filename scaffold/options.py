"""Answers plus a framework become the chosen template's cookiecutter variables.

This is where an answer turns into a template variable, and the one place the
template's constraints (its ``_requires``) are enforced for the tool: a broken
requirement is fixed to the first allowed value, and the reason is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import AnswersError, ProjectNameError
from scaffold.questions import check_slug, slugify


@dataclass(frozen=True)
class Context:
    """The values handed to cookiecutter, and the notes explaining any adjustment."""

    values: dict[str, Any]
    notes: tuple[str, ...] = field(default_factory=tuple)


def build_context(
    template: Template,
    answers: Mapping[str, Any],
    template_values: Mapping[str, Any] | None = None,
) -> Context:
    """Map layered answers onto ``template``'s variables, every one passed explicitly."""
    given = {**answers, **(template_values or {})}
    values: dict[str, Any] = {}
    for option in template.options:
        value = given.get(option.name, option.default)
        if value not in option.choices:
            raise AnswersError(
                f"{option.name} must be one of {', '.join(map(_show, option.choices))}, "
                f"not {_show(value)}"
            )
        values[option.name] = value
    notes = list(enforce_requirements(template, values).values())

    name = str(given["project_name"]).strip()
    values["project_name"] = name
    slug = given.get("project_slug") or slugify(name)
    values["project_slug"] = check_slug(slug, template.reserved_slugs)
    if len(slug) > template.slug_max_length:
        raise ProjectNameError(
            f"{slug!r} is longer than the {template.name} template's "
            f"{template.slug_max_length} characters: choose a shorter name"
        )
    # Every variable is passed explicitly, so the recorded answers replay exactly.
    for key, default in template.variables.items():
        if key not in ("project_name", "project_slug"):
            values[key] = given.get(key, default)
    return Context(values=values, notes=tuple(notes))


def enforce_requirements(template: Template, values: dict[str, Any]) -> dict[str, str]:
    """Fix broken ``_requires`` in place; return each changed option with the reason."""
    notes: dict[str, str] = {}
    # A fix can make another requirement apply (admin -> accounts -> database),
    # so repeat until nothing changes; each pass only ever sets allowed values.
    for _ in range(len(template.requirements) + 1):
        changed = False
        for requirement in template.requirements:
            for key, allowed in requirement.broken(values).items():
                notes[key] = (
                    f"{requirement.message(key, values.get(key))}: set {key} to {_show(allowed[0])}"
                )
                values[key] = allowed[0]
                changed = True
        if not changed:
            break
    return notes


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)

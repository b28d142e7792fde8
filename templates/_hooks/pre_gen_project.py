"""Refuse answers that cannot make a working project, with one line on stderr.

The pre-generation hook every scaffold template shares (each template's
hooks/pre_gen_project.py links here). It checks what the template's
cookiecutter.json declares: ``_reserved_slugs``, ``_slug_max_length`` and
``_requires``. scaffold reads ``_requires`` through this same file, so a rule
means one thing and is explained in one format everywhere.

This file is Python before it is rendered: cookiecutter's Jinja fills CONTEXT
alone, with the template's values as JSON. cookiecutter (its CLI, ``--replay``,
cruft, pytest-cookies) runs the rendered copy from a temporary file, as
``__main__``; scaffold loads this file as a module and calls ``pre_gen_project``
in its own process. So it imports nothing from beside it, and only the standard
library: it runs under whatever Python runs cookiecutter.
"""

from __future__ import annotations

import json
import keyword
import sys

CONTEXT = r'''{{ cookiecutter | tojson }}'''


def show(value: object) -> str:
    """Spell a value the way cookiecutter.json does (true, not True)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def broken_keys(rule: dict, values: dict) -> dict:
    """The keys a ``_requires`` rule needs changed, with their allowed values (empty if none)."""
    if not all(values.get(key) == value for key, value in rule["when"].items()):
        return {}
    return {
        key: list(allowed)
        for key, allowed in rule["require"].items()
        if values.get(key) not in allowed
    }


def requirement_message(rule: dict, key: str, value: object) -> str:
    """One line for a broken rule: its reason, what it needs, and what it got."""
    when = ", ".join(f"{k}={show(v)}" for k, v in rule["when"].items())
    needs = " or ".join(f"{key}={show(v)}" for v in rule["require"][key])
    return f"{rule['reason']} ({when} needs {needs}; got {key}={show(value)})"


def requirement_problem(values: dict, rules: list) -> str | None:
    """The first ``_requires`` rule the values break, as a message; None if they break none."""
    for rule in rules:
        for key in broken_keys(rule, values):
            return requirement_message(rule, key, values.get(key))
    return None


def slug_problem(slug: str, reserved: list, max_length: int) -> str | None:
    """Why ``slug`` cannot name the project package, or None if it can."""
    if not (slug.isascii() and slug.isidentifier()):
        return (
            f"project_slug {slug!r} is not a valid Python identifier "
            "(use ASCII letters, digits and underscores, not starting with a digit)"
        )
    if len(slug) > max_length:
        # Longer names push generated lines past the linter's line length.
        return f"project_slug {slug!r} has {len(slug)} characters; use {max_length} at most"
    if keyword.iskeyword(slug):
        return f"project_slug {slug!r} is a Python keyword; choose another name"
    if slug in sys.stdlib_module_names:
        return f"project_slug {slug!r} shadows the standard library module {slug!r}; choose another name"
    if slug in reserved:
        return (
            f"project_slug {slug!r} shadows a module the project uses or a name it reserves; "
            "choose another name"
        )
    return None


def pre_gen_project(variables: dict) -> int:
    """The check of cookiecutter's ``variables``: print one ``ERROR:`` line and return 1, or 0."""
    problem = slug_problem(
        variables["project_slug"],
        variables.get("_reserved_slugs", []),
        variables.get("_slug_max_length", 50),
    ) or requirement_problem(variables, variables.get("_requires", []))
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(pre_gen_project(json.loads(CONTEXT)))

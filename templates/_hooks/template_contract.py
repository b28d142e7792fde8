"""The contract every scaffold template's hooks share, read from its cookiecutter.json.

``_reserved_slugs``, ``_slug_max_length`` and ``_requires`` are checked here for
plain cookiecutter users; scaffold itself reads ``_requires`` through this same
module, so a rule means one thing and is explained in one format everywhere.
Standard library only: the hooks run under whatever Python runs cookiecutter.
"""

from __future__ import annotations

import json
import keyword
import os
import shutil
import sys
from pathlib import Path


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


def refuse_bad_answers(values: dict, contract: dict) -> int:
    """The pre-generation check: print one ``ERROR:`` line and return 1, or return 0."""
    problem = slug_problem(
        values["project_slug"],
        contract.get("_reserved_slugs", []),
        contract.get("_slug_max_length", 50),
    ) or requirement_problem(values, contract.get("_requires", []))
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return 1
    return 0


def pre_gen_project(variables: dict) -> int:
    """The pre-generation hook in-process: ``variables`` is cookiecutter's whole dict."""
    values = {key: value for key, value in variables.items() if not key.startswith("_")}
    return refuse_bad_answers(values, variables)


def remove(path: Path) -> None:
    """Delete a file or a whole directory, if it is still there."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (0600), from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_CREAT

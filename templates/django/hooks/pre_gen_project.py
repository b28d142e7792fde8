"""Reject answers that would produce a project which cannot import or run."""

import json
import keyword
import re
import sys

ANSWERS = json.loads(
    r"""{
        "project_slug": {{ cookiecutter.project_slug | tojson }},
        "database": {{ cookiecutter.database | tojson }},
        "api": {{ cookiecutter.api | tojson }},
        "accounts": {{ cookiecutter.accounts | tojson }},
        "docker": {{ cookiecutter.docker | tojson }},
        "ci": {{ cookiecutter.ci | tojson }}
    }"""
)
REQUIRES = json.loads(r"""{{ cookiecutter._requires | tojson }}""")
RESERVED = set(json.loads(r"""{{ cookiecutter._reserved_slugs | tojson }}"""))
# Longer names push generated lines such as WSGI_APPLICATION past ruff's line length.
MAX_SLUG_LENGTH = 50


def slug_problem(slug: str) -> str | None:
    """Say why the slug cannot name the project package, or None if it can."""
    if not (slug.isidentifier() and slug.isascii()):
        return (
            f"project_slug {slug!r} is not a valid Python identifier: use lowercase letters, "
            f"digits and underscores, e.g. {identifier_like(slug)!r}"
        )
    if len(slug) > MAX_SLUG_LENGTH:
        return f"project_slug {slug!r} has {len(slug)} characters; use {MAX_SLUG_LENGTH} at most"
    if keyword.iskeyword(slug):
        reason = "is a Python keyword"
    elif slug in sys.stdlib_module_names:
        reason = "shadows a Python standard library module"
    elif slug in RESERVED:
        reason = "shadows a module the project uses"
    else:
        return None
    return f"project_slug {slug!r} {reason}; choose another name, e.g. '{slug}_site'"


def identifier_like(slug: str) -> str:
    """A valid slug close to an invalid one: 'My-Site!' -> 'my_site'."""
    name = re.sub(r"[^a-z0-9]+", "_", slug.lower()).strip("_") or "my_site"
    return f"site_{name}" if name[0].isdigit() else name


def requirement_problem(answers: dict, requires: list) -> str | None:
    """Say which `_requires` rule the answers break, or None if they break none."""
    for rule in requires:
        if all(answers.get(key) == value for key, value in rule["when"].items()):
            for key, allowed in rule["require"].items():
                if answers.get(key) not in allowed:
                    return f"{rule['reason']} ({key}={answers.get(key)!r}, allowed: {allowed})"
    return None


def main() -> int:
    problem = slug_problem(ANSWERS["project_slug"]) or requirement_problem(ANSWERS, REQUIRES)
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

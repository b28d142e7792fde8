"""Refuse answers that cannot make a working project, with one line on stderr."""

import json
import keyword
import sys

# The whole cookiecutter context, including the private keys read below.
CONTEXT = json.loads(r'''{{ cookiecutter | tojson }}''')


def show(value):
    """Spell a value the way cookiecutter.json does (true, not True)."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def slug_problem(slug, reserved):
    """Return why `slug` cannot name the package, or None if it can."""
    if not (slug.isascii() and slug.isidentifier()):
        return (
            f"project_slug {slug!r} is not a valid Python identifier "
            "(use ASCII letters, digits and underscores, not starting with a digit)"
        )
    if keyword.iskeyword(slug):
        return f"project_slug {slug!r} is a Python keyword; choose another name"
    if slug in sys.stdlib_module_names:
        return (
            f"project_slug {slug!r} shadows the standard library module {slug!r}; "
            "choose another name"
        )
    if slug in reserved:
        return (
            f"project_slug {slug!r} shadows a module the project uses or a name "
            "it reserves; choose another name"
        )
    return None


def requirement_problem(context, rules):
    """Return the first `_requires` rule the answers break, as a message."""
    for rule in rules:
        if all(context.get(key) == value for key, value in rule["when"].items()):
            for key, allowed in rule["require"].items():
                if context.get(key) not in allowed:
                    when = ", ".join(f"{k}={show(v)}" for k, v in rule["when"].items())
                    choices = " or ".join(f"{key}={show(v)}" for v in allowed)
                    return (
                        f"{rule['reason']} ({when} needs {choices}; "
                        f"got {key}={show(context.get(key))})"
                    )
    return None


def main():
    problem = slug_problem(
        CONTEXT["project_slug"], CONTEXT["_reserved_slugs"]
    ) or requirement_problem(CONTEXT, CONTEXT["_requires"])
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

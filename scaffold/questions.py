"""The requirement questions, as data, and the checks of one answer and of a project name.

These are the questions the recommendation reads. The template options (database,
accounts, ci...) are not here: each template declares them in its cookiecutter.json,
and ``answers`` layers both.
"""

from __future__ import annotations

import functools
import json
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import AnswersError, ProjectNameError

# Long package names push generated code past the linter's line length.
MAX_SLUG_LENGTH = 50
TRUE_WORDS = frozenset({"true", "yes", "y", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "off", "0"})

# Names a project package must not take because `import <name>` would then find
# the wrong module. The templates add their own in `_reserved_slugs`.
RESERVED_NAMES = frozenset(
    {"django", "flask", "werkzeug", "jinja2", "click", "test", "tests", "site", "config", "app"}
)


@dataclass(frozen=True)
class Question:
    """One requirement question; ``choices`` is empty for text and yes/no questions."""

    key: str
    type: str  # "text", "bool" or "choice"
    prompt: str
    help: str
    default: Any = None
    choices: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "prompt": self.prompt,
            "help": self.help,
            "default": self.default,
            "choices": list(self.choices),
            "required": self.default is None,
        }


# What each purpose means, as the recommendation reads it. An answer that says otherwise
# (a website with no database, an API with logins) is taken at its word: see the rules.
PURPOSES: tuple[tuple[str, str], ...] = (
    (
        "api",
        "JSON endpoints for other programs, such as a mobile app's backend or a "
        "microservice (with logins, an admin or growth, more than a single-purpose API)",
    ),
    (
        "website",
        "a site whose content editors change through an admin, kept in a database, such "
        "as news or a CMS (without an admin or a database, not one)",
    ),
    (
        "small-site",
        "a few pages of fixed content, or of content fed from another service, with no admin",
    ),
    (
        "product",
        "a multi-feature app with many models, user accounts and roles in a database, such "
        "as a shop or a social network (if it stays small or keeps no data, not one)",
    ),
    (
        "prototype",
        "a first version to find out what to build (with logins or an admin, a prototype "
        "with structure)",
    ),
    ("learning", "a project to learn web development with"),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "project_name",
        "text",
        "Project name",
        "a human name; the Python package is its slug (Acme News -> acme_news)",
    ),
    Question(
        "purpose",
        "choice",
        "What are you building",
        "; ".join(f"{value}: {meaning}" for value, meaning in PURPOSES),
        "website",
        tuple(value for value, _ in PURPOSES),
    ),
    Question("admin", "bool", "Do you need an admin interface to manage data", "", False),
    Question(
        "team",
        "choice",
        "Who will work on it",
        "solo: just you; small: a few developers; large: several developers of mixed experience",
        "solo",
        ("solo", "small", "large"),
    ),
    Question("growth", "bool", "Might it grow into a major multi-feature app", "", False),
    Question(
        "prefer",
        "choice",
        "Would you rather have decisions made for you, or make them yourself",
        "batteries: have them made for you; minimal: make them yourself; none: no preference",
        "none",
        ("batteries", "minimal", "none"),
    ),
    Question("stays_small", "bool", "Will it stay small, a few pages or endpoints", "", False),
    Question("deadline", "bool", "Is there a tight deadline", "", False),
    Question(
        "experience",
        "choice",
        "What does the team already know",
        "beginner: new to web development; django or flask: knows that framework or "
        "already runs it; "
        "experienced: knows web development and wants to pick its own libraries; "
        "none: no particular experience to weigh",
        "none",
        ("beginner", "django", "flask", "experienced", "none"),
    ),
    Question(
        "realtime",
        "bool",
        "Does it need real-time features (WebSockets, long-lived connections)",
        "",
        False,
    ),
    Question(
        "own_stack",
        "bool",
        "Do you want to choose your own ORM, template engine or a NoSQL database",
        "",
        False,
    ),
)

QUESTION_KEYS = tuple(question.key for question in QUESTIONS)
FRAMEWORKS = ("django", "flask")


def question(key: str) -> Question:
    """Return the question with ``key``."""
    return next(q for q in QUESTIONS if q.key == key)


def coerce(q: Question, value: Any, *, from_text: bool) -> Any:
    """Return ``value`` checked against ``q``; text from --set is converted, files must be typed."""
    if q.type == "bool":
        if isinstance(value, bool):
            return value
        if from_text and isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
            return value.lower() in TRUE_WORDS
        raise AnswersError(f"{q.key} must be true or false, not {value!r}")
    if q.type == "choice":
        # YAML reads `python_version: 3.12` as a number: its text is the choice meant.
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and str(value) in q.choices:
            return str(value)
        if value not in q.choices:
            # ... and 3.10 as 3.1, which only quotes can keep.
            hint = " (a number: put it in quotes)" if number else ""
            raise AnswersError(
                f"{q.key} must be one of {', '.join(q.choices)}, not {value!r}{hint}"
            )
        return value
    if not isinstance(value, str):
        raise AnswersError(f"{q.key} must be text, not {value!r}")
    return value


def slugify(name: str) -> str:
    """Turn a project name into a package name: Acme News -> acme_news, Café -> cafe.

    Letters are transliterated where Unicode decomposes them (NFKD: an accented letter
    into its base letter and the accent, which is dropped); other characters become _.
    """
    decomposed = unicodedata.normalize("NFKD", name.strip())
    ascii_name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-zA-Z]+", "_", ascii_name).strip("_").lower()


def _suggest(slug: str) -> str:
    if not slug:
        return "my_project"
    if slug[0].isdigit():
        slug = f"project_{slug}"
    if not is_free_slug(slug):
        slug = f"{slug}_project"
    return slug


def is_free_slug(slug: str, reserved: Iterable[str] = ()) -> bool:
    """True when ``slug`` can be imported as a package without shadowing anything."""
    return (
        slug.isidentifier()
        and slug.isascii()
        and not keyword.iskeyword(slug)
        and slug not in sys.stdlib_module_names
        and slug not in RESERVED_NAMES
        and slug not in set(reserved)
    )


def check_slug(slug: str, reserved: Iterable[str] = ()) -> str:
    """Return ``slug`` if it is a usable package name; raise ProjectNameError with a suggestion."""
    reserved = set(reserved)
    if not slug:
        raise ProjectNameError("the project name has no letters or digits", _suggest(slug))
    suggestion = _suggest(slug if slug.isidentifier() else slugify(slug))
    hint = f"; try {suggestion!r}"
    if len(slug) > MAX_SLUG_LENGTH:
        shorter = _suggest(slug[:MAX_SLUG_LENGTH].rstrip("_"))
        raise ProjectNameError(
            f"{slug!r} is longer than {MAX_SLUG_LENGTH} characters; try {shorter!r}", shorter
        )
    if not (slug.isidentifier() and slug.isascii()):
        raise ProjectNameError(f"{slug!r} is not a valid Python package name{hint}", suggestion)
    if keyword.iskeyword(slug):
        raise ProjectNameError(
            f"{slug!r} is a Python keyword and cannot be imported{hint}", suggestion
        )
    if slug in sys.stdlib_module_names:
        raise ProjectNameError(f"{slug!r} would shadow Python's {slug} module{hint}", suggestion)
    if slug in RESERVED_NAMES or slug in reserved:
        raise ProjectNameError(f"{slug!r} would shadow the {slug!r} module{hint}", suggestion)
    return slug


def check_name(name: str, slug: str | None = None) -> str:
    """Return the package slug of a project name, or raise ProjectNameError saying why not.

    With an explicit ``slug`` the name may be in any script: only the slug must be a
    package name.
    """
    name = name.strip()
    if not name:
        raise ProjectNameError(
            "the project name is empty: give a name such as 'acme_news'", "acme_news"
        )
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute():
        raise ProjectNameError(
            f"{name!r} is a path, not a name: give a plain name and choose where with -o DIR",
            slugify(Path(name).name) or None,
        )
    if slug:
        return check_slug(slug)
    derived = slugify(name)
    if not derived:
        raise ProjectNameError(
            f"the project name {name!r} has no letters or digits a package name can use "
            "(a-z, 0-9): give one with --set project_slug=NAME",
            _suggest(derived),
        )
    return check_slug(derived)


# What packaging metadata accepts as an author's address (hatchling parses it as one):
# a local part and a domain, with nothing a mail header would read as more.
EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+")


def check_text(key: str, value: str) -> str:
    """Return ``value`` unless it holds a control character (a NUL, a newline, an escape),
    which no name, description or address in a project's files should carry."""
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise AnswersError(f"{key} holds the control character {char!r}: give plain text")
    return value


def check_email(value: str) -> str:
    """Return ``value`` if it is an address a project's metadata can carry, else refuse it."""
    if not EMAIL.fullmatch(value):
        raise AnswersError(f"email must be one address such as you@example.com, not {value!r}")
    return value


def _unique(path: Path, pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """A mapping of ``pairs`` (JSON's, or a YAML mapping's), refused if a key comes twice:
    YAML and JSON readers keep the last one, so an answer would be lost unseen."""
    mapping: dict[Any, Any] = {}
    for key, value in pairs:
        try:
            twice = key in mapping
        except TypeError:  # YAML's complex keys ("? [a, b]")
            raise AnswersError(
                f"answers file {path} has a key that is not a name: {key!r}"
            ) from None
        if twice:
            raise AnswersError(f"answers file {path} sets {key!r} twice: keep one")
        mapping[key] = value
    return mapping


def _unique_keys_loader(path: Path) -> type:
    """yaml's SafeLoader, with mappings that refuse a key given twice."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        # The mapping's own keys (a merge, "<<: *defaults", may be overridden by them).
        own = [key for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
        _unique(path, [(loader.construct_object(key, deep=True), None) for key in own])
        return loader.construct_mapping(node, deep=True)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


# An answers file holds a few dozen short values; anything far larger is not one.
MAX_ANSWERS_BYTES = 256 * 1024


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read an answers file (YAML or JSON) into a mapping."""
    import yaml

    try:
        with path.open("rb") as file:
            raw = file.read(MAX_ANSWERS_BYTES + 1)  # a device or a huge file: read no further
    except OSError as err:
        raise AnswersError(f"cannot read answers file {path}: {err.strerror}") from err
    if len(raw) > MAX_ANSWERS_BYTES:
        raise AnswersError(f"answers file {path} is over {MAX_ANSWERS_BYTES // 1024} KiB: not one")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AnswersError(
            f"answers file {path} is not UTF-8 text (byte {err.start + 1} is not)"
        ) from err
    try:
        if path.suffix == ".json":
            data = json.loads(text, object_pairs_hook=functools.partial(_unique, path))
        else:
            data = yaml.load(text, Loader=_unique_keys_loader(path))  # noqa: S506 - a SafeLoader
    except json.JSONDecodeError as err:
        raise AnswersError(f"answers file {path} is not valid JSON: {err}") from err
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise AnswersError(f"answers file {path} is not valid YAML{line}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise AnswersError(f"answers file {path} must hold a mapping of keys to values, not {kind}")
    return data


def with_defaults(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Fill every unanswered requirement question with its default; the name has none."""
    filled = dict(answers)
    for q in QUESTIONS:
        if q.key not in filled:
            if q.default is None:
                raise AnswersError(
                    f"{q.key} is required: pass NAME or --set {q.key}=VALUE when not prompting"
                )
            filled[q.key] = q.default
    return filled

"""The templates scaffold ships, read from their own cookiecutter.json files.

Each template declares its options (lists and booleans), its free-text variables,
the constraints between options (``_requires``) and the slugs it refuses
(``_reserved_slugs``). The checks that prove a generated project works live beside
it, in ``scaffold-checks.yml`` (docs/checks.md; ``_checks`` in cookiecutter.json is
still read when there is no such file), which may also list option values
cookiecutter.json does not show. The tool, the template hooks and the smoke runner
all read these same declarations, so they cannot drift apart.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from scaffold.checks_source import CHECKS_FILE, checks_source, listed_options
from scaffold.errors import SmokeError, TemplateError
from scaffold.hooks import run_module

if TYPE_CHECKING:
    from scaffold.checks_model import Checks

TEMPLATE_NAMES = ("django", "flask")
# The pre-generation hook both templates share (each template's hooks/ links to it):
# the one reading of ``_requires``.
HOOK_LIBRARY = Path("_hooks") / "pre_gen_project.py"


def templates_root() -> Path:
    """Return the directory holding the shipped templates."""
    # In a wheel the templates sit inside the package; in a source checkout
    # (editable install, or tests run from the repo) they sit beside it.
    # The package's own directory, as importlib.resources would give it, without
    # importing importlib.resources (a few milliseconds on every command).
    packaged = Path(__file__).parent / "_templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise TemplateError(
        "the scaffold templates are missing: reinstall with `pip install scaffold-web`"
    )


@functools.cache
def contract() -> ModuleType:
    """The templates' shared pre-generation hook: the one reading of ``_requires``."""
    path = templates_root() / HOOK_LIBRARY
    try:
        return run_module(path)
    except OSError as err:
        raise TemplateError(f"the templates' hook library is missing at {path}") from err


@dataclass(frozen=True)
class Option:
    """A template option with a fixed set of values; the first is the default."""

    name: str
    choices: tuple[Any, ...]
    prompt: str
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def help(self) -> str:
        """The choice labels of ``__prompts__`` as one line, or nothing for yes/no options."""
        return "; ".join(f"{value}: {label}" for value, label in self.labels.items())

    @property
    def default(self) -> Any:
        return self.choices[0]

    @property
    def is_bool(self) -> bool:
        return all(isinstance(choice, bool) for choice in self.choices)

    @property
    def is_toggle(self) -> bool:
        """A yes/no option spelled as strings ("y"/"n", "Yes"/"No"): cookiecutter's usual toggle."""
        words = {str(choice).lower() for choice in self.choices}
        return (
            len(self.choices) == 2
            and all(isinstance(choice, str) for choice in self.choices)
            and len(words & YES) == 1
            and len(words & NO) == 1
        )


@dataclass(frozen=True)
class Requirement:
    """When every ``when`` item matches, each ``require``d option must take an allowed value."""

    when: Mapping[str, Any]
    require: Mapping[str, tuple[Any, ...]]
    reason: str

    def as_rule(self) -> dict[str, Any]:
        """The rule as cookiecutter.json spells it, for the shared hook library."""
        return {
            "when": dict(self.when),
            "require": {key: list(allowed) for key, allowed in self.require.items()},
            "reason": self.reason,
        }

    def broken(self, values: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
        """Return the required options whose values are not allowed (empty when satisfied)."""
        found = contract().broken_keys(self.as_rule(), dict(values))
        return {key: tuple(allowed) for key, allowed in found.items()}

    def message(self, key: str, value: Any) -> str:
        """The one-line explanation the template's hook gives for this broken rule."""
        return str(contract().requirement_message(self.as_rule(), key, value))


@dataclass(frozen=True)
class Template:
    """One cookiecutter template and what its cookiecutter.json declares."""

    name: str
    path: Path
    variables: Mapping[str, str]
    options: tuple[Option, ...]
    requirements: tuple[Requirement, ...]
    reserved_slugs: frozenset[str]
    prompts: Mapping[str, str] = field(default_factory=dict)
    slug_max_length: int = 50
    # Where the checks are declared: a checks file, or else ``_checks`` (``checks_data``).
    # A file is read when its checks are first used, or at once when it may list options.
    checks_path: Path | None = None
    checks_data: Any = field(default=None, repr=False)
    notices: tuple[str, ...] = ()  # one line each, for the user: "the file wins"

    @functools.cached_property
    def checks(self) -> Checks:
        """The template's checks, read and validated (``TemplateError`` when malformed)."""
        from scaffold.checks_file import load_checks

        return load_checks(self)

    def option(self, name: str) -> Option | None:
        return next((option for option in self.options if option.name == name), None)

    @property
    def defaults(self) -> dict[str, Any]:
        """Every option at its default value."""
        return {option.name: option.default for option in self.options}

    def broken_requirements(self, values: Mapping[str, Any]) -> list[Requirement]:
        """Return the requirements that ``values`` break."""
        return [req for req in self.requirements if req.broken(values)]

    def to_dict(self) -> dict[str, Any]:
        """The template's declarations as plain data, for ``scaffold templates --json``."""
        return {
            "name": self.name,
            "path": str(self.path),
            "variables": dict(self.variables),
            "options": [
                {
                    "name": o.name,
                    "choices": list(o.choices),
                    "default": o.default,
                    "prompt": o.prompt,
                    "help": o.help,
                }
                for o in self.options
            ],
            "requires": [
                {
                    "when": dict(r.when),
                    "require": {k: list(v) for k, v in r.require.items()},
                    "reason": r.reason,
                }
                for r in self.requirements
            ],
            "checks": str(self.checks_path) if self.checks_path else None,
        }

    def fingerprint(self) -> str:
        """A short hash of every file in the template: changes whenever the template does.

        The checks file is left out: it changes how scaffold tests the template, never
        what the template writes.
        """
        digest = hashlib.sha256()
        for path in sorted(self.path.rglob("*")):
            if path == self.path / CHECKS_FILE:
                continue
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(self.path).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


# The strings cookiecutter templates use for a yes/no toggle ("use_docker": "n").
YES = frozenset({"y", "yes"})
NO = frozenset({"n", "no"})
_OTHER = {"y": "n", "n": "y", "yes": "no", "no": "yes"}


def _other_answer(value: str) -> str:
    """The other answer of a yes/no string, in the same spelling: "No" -> "Yes", "y" -> "n"."""
    other = _OTHER[value.lower()]
    if value.isupper():
        return other.upper()
    return other.capitalize() if value[0].isupper() else other


def _option_choices(name: str, value: Any) -> tuple[Any, ...] | None:
    if isinstance(value, bool):
        return (value, not value)
    if isinstance(value, str) and value.lower() in YES | NO:
        # A toggle: both answers, the template's own spelling, its default first.
        return (value, _other_answer(value))
    if isinstance(value, list):
        if not value or not all(isinstance(item, str | bool) for item in value):
            raise TemplateError(f"option {name!r} must list at least one string value")
        return tuple(value)
    return None


def _requirements(raw: Any, template: str, options: list[str]) -> tuple[Requirement, ...]:
    try:
        requirements = tuple(
            Requirement(
                when=dict(item["when"]),
                require={key: tuple(values) for key, values in item["require"].items()},
                reason=str(item["reason"]),
            )
            for item in raw
        )
    except (KeyError, TypeError, AttributeError) as err:
        raise TemplateError(
            f"template {template!r}: _requires entries need 'when', 'require' and 'reason'"
        ) from err
    # A rule about a variable that is not an option would quietly exclude (or keep)
    # combinations for a value no combination sets.
    for requirement in requirements:
        for key in [*requirement.when, *requirement.require]:
            if key not in options:
                raise TemplateError(
                    f"template {template!r}: the _requires rule {requirement.reason!r} names "
                    f"{key!r}, which is not an option (the options: {', '.join(options)})"
                )
    return requirements


def parse_template(name: str, path: Path, checks_file: Path | None = None) -> Template:
    """Read a template directory's cookiecutter.json into a Template.

    Its checks come from ``checks_file`` if given, else from the CHECKS_FILE beside
    cookiecutter.json, else from ``_checks``; the file's ``options`` apply here.
    """
    config_path = path / "cookiecutter.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise TemplateError(f"template {name!r} has no cookiecutter.json at {config_path}") from err
    except json.JSONDecodeError as err:
        raise TemplateError(f"{config_path} is not valid JSON: {err}") from err
    if not isinstance(config, dict):
        raise TemplateError(f"{config_path} must hold a JSON object")

    checks_path, checks_data, notices = checks_source(name, path, config, checks_file)
    listed = listed_options(config, checks_data, checks_path or config_path)
    prompts = config.get("__prompts__", {})
    variables: dict[str, str] = {}
    options: list[Option] = []
    for key, value in config.items():
        if key.startswith("_"):
            continue
        choices = listed.get(key) or _option_choices(key, value)
        if choices is None:
            variables[key] = str(value)
        else:
            prompt = prompts.get(key, key)
            labels: dict[str, str] = {}
            if isinstance(prompt, dict):  # choice prompts carry a __prompt__ plus labels
                labels = {str(k): str(v) for k, v in prompt.items() if k != "__prompt__"}
                prompt = prompt.get("__prompt__", key)
            options.append(Option(name=key, choices=choices, prompt=str(prompt), labels=labels))
    return Template(
        name=name,
        path=path,
        variables=variables,
        options=tuple(options),
        requirements=_requirements(
            config.get("_requires", []), name, [option.name for option in options]
        ),
        reserved_slugs=frozenset(config.get("_reserved_slugs", [])),
        slug_max_length=int(config.get("_slug_max_length", 50)),
        prompts={key: str(value) for key, value in prompts.items() if isinstance(value, str)},
        checks_path=checks_path,
        checks_data=checks_data,
        notices=notices,
    )


def with_checks_file(templates: list[Template], checks_file: Path) -> Template:
    """The one template of ``templates`` read again, its checks from ``checks_file``."""
    if len(templates) != 1:
        raise SmokeError("--checks gives the checks of one template: name one, not all")
    if not checks_file.is_file():
        raise SmokeError(f"--checks {checks_file}: no such file")
    return parse_template(templates[0].name, templates[0].path, checks_file=checks_file)


@functools.cache
def load_template(name: str) -> Template:
    """Return the shipped template called ``name``."""
    if name not in TEMPLATE_NAMES:
        raise TemplateError(f"unknown template {name!r}: choose one of {', '.join(TEMPLATE_NAMES)}")
    return parse_template(name, templates_root() / name)


def load_templates() -> tuple[Template, ...]:
    """Return every shipped template."""
    return tuple(load_template(name) for name in TEMPLATE_NAMES)


# A template's release number (see update/version.py for what it guards).
VERSION_KEY = "_template_version"


def template_version(template: Template) -> int:
    """The template's release number; 0 for a template that declares none."""
    config = json.loads((template.path / "cookiecutter.json").read_text(encoding="utf-8"))
    value = config.get(VERSION_KEY, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

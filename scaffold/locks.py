"""The uv lock files a template ships, one per distinct set of dependency lists.

A generated project gets a ``uv.lock`` from its first commit, without network: the
template carries a lock for every set of dependency lists its options can render,
made by a maintainer with ``python scripts/lock_templates.py`` when the dependencies
change. They sit in the project directory's ``.scaffold-locks/`` folder: ``index.json``
names each lock's dependency lists and the parts it is made of, ``parts.json`` holds
each part (a lock's header, or one ``[[package]]`` table) once, as the locks share
most of them (5.4 MB of Flask locks are 350 KB of parts). The post-generation hook
keeps the one matching the rendered ``pyproject.toml`` as ``uv.lock`` and removes the
folder. Locks are made for a placeholder project name, which the hook replaces with
the project's: uv compares a lock with the project by content, not by line order, so
the lock holds for any slug.

``stale_locks`` is what the fast suite checks: every combination's dependency lists
have a lock, and each lock's recorded requirements are the ones it was made for.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import ScaffoldError

LOCKS_DIR = ".scaffold-locks"
INDEX = "index.json"
# Every lock's header and package tables, each once: the locks share most of them.
PARTS = "parts.json"
# The slug the locks are made for; the hook writes the project's own name instead.
PLACEHOLDER_SLUG = "scaffold_lock_placeholder"
PLACEHOLDER = "scaffold-lock-placeholder"  # as uv.lock spells it
OWN = "{project}"  # stands for the project's own name in the index's requirement lists
PYPI = "https://pypi.org/simple"


class LockError(ScaffoldError):
    """Raised when a template's locks cannot be made."""


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_template_dir(template: Template) -> Path:
    """The template's project directory (``{{cookiecutter.project_slug}}``)."""
    found = sorted(path for path in template.path.iterdir() if path.is_dir() and "{{" in path.name)
    if not found:
        raise LockError(f"template {template.name!r} has no project directory")
    return found[0]


def dependency_lists(pyproject: Mapping[str, Any]) -> dict[str, Any]:
    """``[project]`` dependencies and extras, the project's own name written as OWN."""
    project = pyproject.get("project", {})
    own = canonical(str(project.get("name", "")))

    def mark(requirement: str) -> str:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)", requirement, re.S)
        if match and canonical(match.group(1)) == own:
            return OWN + match.group(2)
        return requirement

    extras = project.get("optional-dependencies", {})
    return {
        "dependencies": [mark(r) for r in project.get("dependencies", [])],
        "optional-dependencies": {k: [mark(r) for r in v] for k, v in sorted(extras.items())},
    }


def lock_key(lists: Mapping[str, Any]) -> str:
    """A short hash naming a lock by the dependency lists it was made for."""
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()[:12]


def render_pyproject(template: Template, values: Mapping[str, Any]) -> str:
    """The template's ``pyproject.toml`` as ``values`` render it (nothing else rendered)."""
    from cookiecutter.environment import StrictEnvironment

    from scaffold.variables import cookiecutter_context

    context = cookiecutter_context(template, values, Path(tempfile.gettempdir()))
    options = context["cookiecutter"].get("_jinja2_env_vars", {})
    environment = StrictEnvironment(context=context, keep_trailing_newline=True, **options)
    source = project_template_dir(template) / "pyproject.toml"
    return environment.from_string(source.read_text(encoding="utf-8")).render(**context)


def _pyproject_options(template: Template) -> list[str]:
    """The options ``pyproject.toml``'s Jinja reads: only they change its dependencies."""
    text = (project_template_dir(template) / "pyproject.toml").read_text(encoding="utf-8")
    used = set(re.findall(r"cookiecutter\.(\w+)", text))
    return [option.name for option in template.options if option.name in used]


def combinations(template: Template) -> Iterator[dict[str, Any]]:
    """Every valid combination of the options pyproject.toml reads (others at defaults)."""
    names = _pyproject_options(template)
    choices = [template.option(name).choices for name in names]  # type: ignore[union-attr]
    for row in itertools.product(*choices):
        values = {**template.defaults, **dict(zip(names, row, strict=True))}
        if not template.broken_requirements(values):
            yield dict(zip(names, row, strict=True))


@dataclass(frozen=True)
class DependencySet:
    """One distinct set of dependency lists, and the combinations that render it."""

    key: str
    lists: dict[str, Any]
    pyproject: str  # rendered with the placeholder slug
    combinations: tuple[dict[str, Any], ...]


def dependency_sets(template: Template) -> dict[str, DependencySet]:
    """The template's distinct dependency lists over every combination, by lock key."""
    found: dict[str, DependencySet] = {}
    for values in combinations(template):
        text = render_pyproject(template, {**values, "project_slug": PLACEHOLDER_SLUG})
        lists = dependency_lists(tomllib.loads(text))
        key = lock_key(lists)
        if key in found:
            known = found[key]
            found[key] = DependencySet(key, lists, known.pyproject, (*known.combinations, values))
        else:
            found[key] = DependencySet(key, lists, text, (values,))
    return found


def uv_environ() -> dict[str, str]:
    """The environment uv runs in to lock or install a template's dependency sets: no
    index, find-links or config but PyPI's (and the user's uv cache)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))}
    if "UV_CACHE_DIR" in os.environ:
        environ["UV_CACHE_DIR"] = os.environ["UV_CACHE_DIR"]
    return environ


def uv_binary() -> str:
    """The ``uv`` installed with scaffold (a dependency), else the one on PATH."""
    try:
        from uv import find_uv_bin
    except ImportError:
        found = shutil.which("uv")
        if not found:
            raise LockError("uv is not installed: pip install uv") from None
        return found
    return str(find_uv_bin())


def lock_template(template: Template, *, uv: str | None = None) -> list[str]:
    """Make the template's locks with ``uv lock`` against PyPI; return one line per lock."""
    uv = uv or uv_binary()
    sets = dependency_sets(template)
    folder = project_template_dir(template) / LOCKS_DIR
    made: dict[str, str] = {}
    lines = []
    with tempfile.TemporaryDirectory(prefix="scaffold-lock-") as scratch:
        for key, found in sets.items():
            project = Path(scratch) / key
            project.mkdir()
            (project / "pyproject.toml").write_text(found.pyproject, encoding="utf-8")
            (project / "README.md").write_text("", encoding="utf-8")
            command = [uv, "lock", "--no-config", "--quiet", "--default-index", PYPI]
            result = subprocess.run(
                command, cwd=project, env=uv_environ(), capture_output=True, text=True
            )
            if result.returncode != 0:
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise LockError(f"uv lock failed for {template.name} {key}: {detail[-1:]}")
            text = (project / "uv.lock").read_text(encoding="utf-8")
            if outside := foreign_sources(text):
                raise LockError(f"the {key} lock names an index other than PyPI: {outside[0]}")
            made[key] = text
    parts: dict[str, str] = {}
    entries = []
    for key in sorted(made):
        digests = []
        for part in split_lock(made[key]):
            digest = hashlib.sha256(part.encode()).hexdigest()[:16]
            parts[digest] = part
            digests.append(digest)
        entries.append({"key": key, "requires": sets[key].lists, "parts": digests})
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    index = {"placeholder": PLACEHOLDER, "locks": entries}
    (folder / INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    stored = json.dumps(dict(sorted(parts.items())), indent=0)
    (folder / PARTS).write_text(stored + "\n", encoding="utf-8")
    total = sum(len(text.encode()) for text in made.values())
    lines.append(
        f"{template.name}: {len(made)} locks, {total // 1024} KiB, "
        f"stored as {len(parts)} distinct parts in {len(stored.encode()) // 1024} KiB"
    )
    return lines


def split_lock(text: str) -> list[str]:
    """A lock's header and its ``[[package]]`` tables, which join back into the same text."""
    return re.split(r"(?m)^(?=\[\[package\]\]$)", text)


def stored_locks(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The index and every lock stored in ``folder``, by key (``LockError`` when unreadable)."""
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        parts = json.loads((folder / PARTS).read_text(encoding="utf-8"))
        return index, {
            entry["key"]: "".join(parts[digest] for digest in entry["parts"])
            for entry in index["locks"]
        }
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise LockError(f"no readable {LOCKS_DIR}/{INDEX} and {PARTS}: {err}") from err


def foreign_sources(lock_text: str) -> list[str]:
    """Registries and paths in a lock other than PyPI and the project itself."""
    sources = re.findall(r"source = \{ (\w+) = \"([^\"]*)\"", lock_text)
    return [
        f"{kind} {where}"
        for kind, where in sources
        if (kind, where) not in {("registry", PYPI), ("editable", "."), ("virtual", ".")}
    ]


def _requirement_parts(requirement: str) -> tuple[str, tuple[str, ...], str]:
    """(name, extras, specifier) of a PEP 508 string, markers aside, spaces removed."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?([^;]*)", requirement)
    if not match:
        return ("", (), "")
    extras = tuple(sorted(e.strip() for e in (match.group(2) or "[]")[1:-1].split(",") if e))
    specifier = ",".join(sorted(s.strip() for s in match.group(3).split(",") if s.strip()))
    return (canonical(match.group(1)), extras, specifier.replace(" ", ""))


def locked_requirements(lock_text: str) -> set[tuple[str, tuple[str, ...], str]]:
    """What a lock records the project requires: its ``[package.metadata] requires-dist``."""
    for package in tomllib.loads(lock_text).get("package", []):
        if package.get("name") == PLACEHOLDER:
            return {
                (
                    canonical(entry["name"]),
                    tuple(sorted(entry.get("extras", []))),
                    ",".join(sorted(entry.get("specifier", "").replace(" ", "").split(",")))
                    if entry.get("specifier")
                    else "",
                )
                for entry in package.get("metadata", {}).get("requires-dist", [])
            }
    return set()


def declared_requirements(lists: Mapping[str, Any]) -> set[tuple[str, tuple[str, ...], str]]:
    """The same triples for dependency lists (the project's own name as the placeholder)."""
    strings = list(lists["dependencies"])
    for requirements in lists["optional-dependencies"].values():
        strings += requirements
    return {_requirement_parts(s.replace(OWN, PLACEHOLDER)) for s in strings}


def stale_locks(template: Template) -> list[str]:
    """Why the template's locks do not fit its dependency lists (empty when they do)."""
    folder = project_template_dir(template) / LOCKS_DIR
    try:
        index, locks = stored_locks(folder)
    except LockError as err:
        return [f"{template.name}: {err}"]
    stored = {entry["key"]: entry["requires"] for entry in index["locks"]}
    problems = []
    sets = dependency_sets(template).values()
    for key, lists in stored.items():
        if not any(found.lists == lists for found in sets):
            problems.append(f"{template.name}: lock {key} is for lists no combination renders")
    for found in sets:
        matching = [key for key, lists in stored.items() if lists == found.lists]
        if not matching:
            problems.append(f"{template.name}: no lock for {found.combinations[0]}")
            continue
        text = locks[matching[0]]
        if locked_requirements(text) != declared_requirements(found.lists):
            problems.append(f"{template.name}: lock {matching[0]} records other requirements")
        if outside := foreign_sources(text):
            problems.append(f"{template.name}: lock {matching[0]} names {outside[0]}")
    return problems

"""What a generated project declares it needs, read as PEP 508 requirement strings.

A project may declare its packages in several places; scaffold reads all of them and
installs their union (``project_requirements``), because a smoke run installs
everything a project could need, extras and development tools included:

1. ``pyproject.toml`` ``[project]``: ``dependencies`` and every
   ``optional-dependencies`` extra;
2. ``[dependency-groups]`` (PEP 735): every group, ``include-group`` followed;
3. uv: ``[tool.uv] dev-dependencies``; a name whose ``[tool.uv.sources]`` entry is a
   path or a workspace member is left out (it lives inside the project), a git or
   url source becomes a direct reference;
4. Poetry: ``[tool.poetry.dependencies]`` (not ``python``), the legacy
   ``[tool.poetry.dev-dependencies]`` and every ``[tool.poetry.group.*.dependencies]``,
   with ``^``/``~`` constraints turned into PEP 440 ranges;
5. requirements files: ``requirements*.txt`` in the project and ``requirements/*.txt``,
   each followed through its ``-r`` includes (relative to the including file).

A requirement naming the project itself (``my-site[test]`` in an extra or a group,
``-e .`` or another local path in a requirements file) is left out: it lives in the
project's own temporary directory, its dependencies are read already, and a shared
cached environment must never point into a directory that is about to be removed.
Options in requirements files (``--index-url``, ``-c``, ``--hash``...) are ignored.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from scaffold.errors import ScaffoldError


class DeclarationError(ScaffoldError):
    """Raised when a generated project's declarations cannot be read."""


def canonical(name: str) -> str:
    """A distribution (or group) name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """The canonical distribution name a requirement string starts with ('' for none)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return canonical(match.group(1)) if match else ""


def project_requirements(project_dir: Path) -> list[str]:
    """Every requirement the project declares, in the order of the module docstring."""
    found: list[str] = []
    own_name = ""
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise DeclarationError(f"{pyproject.name} is not valid TOML: {err}") from err
        try:
            poetry_name = data.get("tool", {}).get("poetry", {}).get("name", "")
            own_name = canonical(str(data.get("project", {}).get("name", poetry_name)))
            found += pyproject_requirements(data)
        except DeclarationError as err:
            raise DeclarationError(f"{pyproject.name}: {err}") from None
        except (AttributeError, TypeError):  # a table where a list is due, or the reverse
            raise DeclarationError(f"{pyproject.name}: a table scaffold cannot read") from None
    found += requirements_files(project_dir)
    seen: set[str] = set()
    kept = []
    for requirement in found:
        if own_name and requirement_name(requirement) == own_name:
            continue  # `dev = ["my-site[test]"]`: the project's own extras are read already
        if requirement not in seen:
            seen.add(requirement)
            kept.append(requirement)
    return kept


def pyproject_requirements(data: Mapping[str, Any]) -> list[str]:
    """The requirements a parsed pyproject.toml declares (PEP 621, PEP 735, uv, Poetry)."""
    project = data.get("project", {})
    tool = data.get("tool", {})
    found = list(_strings(project.get("dependencies", []), "[project] dependencies"))
    for extra, requirements in project.get("optional-dependencies", {}).items():
        found += _strings(requirements, f"optional dependencies {extra!r}")
    groups = data.get("dependency-groups", {})
    for group in groups:
        found += dependency_group(groups, group)
    uv = tool.get("uv", {})
    found += _strings(uv.get("dev-dependencies", []), "[tool.uv] dev-dependencies")
    found = _apply_uv_sources(found, uv.get("sources", {}))
    found += poetry_requirements(tool.get("poetry", {}))
    return found


def dependency_group(
    groups: Mapping[str, Any], name: str, _seen: tuple[str, ...] = ()
) -> list[str]:
    """One PEP 735 dependency group's requirements, its ``include-group`` entries expanded."""
    by_name = {canonical(key): key for key in groups}
    key = by_name.get(canonical(name))
    if key is None:
        raise DeclarationError(f"dependency group {name!r} is included but not declared")
    if canonical(name) in _seen:
        chain = " -> ".join([*_seen, canonical(name)])
        raise DeclarationError(f"dependency groups include each other: {chain}")
    entries = groups[key]
    if not isinstance(entries, list):
        raise DeclarationError(f"dependency group {key!r} is not a list")
    found: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, Mapping) and isinstance(entry.get("include-group"), str):
            found += dependency_group(groups, entry["include-group"], (*_seen, canonical(name)))
        else:
            raise DeclarationError(f"dependency group {key!r} has an entry scaffold cannot read")
    return found


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DeclarationError(f"{where} must be a list of requirement strings")
    return list(value)


def _apply_uv_sources(requirements: list[str], sources: Mapping[str, Any]) -> list[str]:
    """Drop requirements uv takes from the project's own tree; pin git and url sources."""
    by_name = {canonical(name): source for name, source in sources.items()}
    kept = []
    for requirement in requirements:
        source = by_name.get(requirement_name(requirement))
        if not isinstance(source, Mapping):
            kept.append(requirement)
        elif "git" in source:
            ref = source.get("rev") or source.get("tag") or source.get("branch")
            at = f"@{ref}" if ref else ""
            kept.append(f"{_name_part(requirement)} @ git+{source['git']}{at}")
        elif "url" in source:
            kept.append(f"{_name_part(requirement)} @ {source['url']}")
        elif "path" in source or "workspace" in source:
            continue
        else:
            kept.append(requirement)  # an index source: the name and version still hold
    return kept


def _name_part(requirement: str) -> str:
    """The name with its extras, without the version: what goes before `` @ URL``."""
    match = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*(\s*\[[^\]]*\])?", requirement)
    return match.group(0).replace(" ", "") if match else requirement


# Poetry ------------------------------------------------------------------------------


def poetry_requirements(poetry: Mapping[str, Any]) -> list[str]:
    """``[tool.poetry]`` dependencies, dev-dependencies and every group, as PEP 508."""
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [group.get("dependencies", {}) for group in poetry.get("group", {}).values()]
    found = []
    for table in tables:
        for name, spec in table.items():
            if canonical(name) != "python":
                found += poetry_requirement(name, spec)
    return found


def poetry_requirement(name: str, spec: Any) -> list[str]:
    """One Poetry dependency as PEP 508 strings (none for a local path, several for a list)."""
    if isinstance(spec, str):
        return [name + poetry_specifier(spec)]
    if isinstance(spec, list):
        return [found for item in spec for found in poetry_requirement(name, item)]
    if not isinstance(spec, Mapping):
        raise DeclarationError(f"Poetry dependency {name!r} has a value scaffold cannot read")
    extras = f"[{','.join(spec['extras'])}]" if spec.get("extras") else ""
    markers = [f"({spec['markers']})"] if spec.get("markers") else []
    if "python" in spec:
        markers += _python_markers(str(spec["python"]))
    marker = f" ; {' and '.join(markers)}" if markers else ""
    if "path" in spec:
        return []  # inside the project: see the module docstring
    if "git" in spec:
        ref = spec.get("rev") or spec.get("tag") or spec.get("branch")
        url = f"git+{spec['git']}" + (f"@{ref}" if ref else "")
        return [f"{name}{extras} @ {url}{marker}"]
    if "url" in spec:
        return [f"{name}{extras} @ {spec['url']}{marker}"]
    return [f"{name}{extras}{poetry_specifier(str(spec.get('version', '*')))}{marker}"]


def poetry_specifier(constraint: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier (``^1.2`` is ``>=1.2,<2.0``).

    ``*`` is no constraint; of alternatives joined by ``||`` (which PEP 440 cannot
    say) the last, usually the newest, is kept.
    """
    constraint = constraint.split("||")[-1].strip()
    parts = [part for part in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint) if part]
    specifiers = [spec for part in parts for spec in _poetry_part(part.replace(" ", ""))]
    return ",".join(specifiers)


def _poetry_part(part: str) -> list[str]:
    if part in ("*", ""):
        return []
    if part.startswith("^"):
        version = part[1:]
        numbers = _numbers(version, part)
        # The upper bound bumps the first non-zero number (or the last one given).
        first = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
        return [f">={version}", f"<{_bump(numbers, first)}"]
    if part.startswith("~") and not part.startswith("~="):
        version = part[1:]
        numbers = _numbers(version, part)
        return [f">={version}", f"<{_bump(numbers, 1 if len(numbers) > 1 else 0)}"]
    if re.match(r"[<>=!~]", part):
        return [part]
    return [f"=={part}"]  # a bare version (``1.2.3``, ``1.2.*``) pins it


def _numbers(version: str, part: str) -> list[int]:
    match = re.match(r"(\d+(?:\.\d+)*)", version)
    if not match:
        raise DeclarationError(f"Poetry constraint {part!r} has no version scaffold can read")
    return [int(number) for number in match.group(1).split(".")]


def _bump(numbers: list[int], index: int) -> str:
    """The version that ends a ``^``/``~`` range: ``numbers[index]`` plus one, then zeros."""
    bumped = [*numbers[:index], numbers[index] + 1]
    bumped += [0] * (len(numbers) - len(bumped))
    return ".".join(map(str, bumped))


def _python_markers(constraint: str) -> list[str]:
    specifiers = poetry_specifier(constraint)
    return [
        f'python_full_version {match.group(1)} "{match.group(2)}"'
        for spec in filter(None, specifiers.split(","))
        if (match := re.match(r"([<>=!~]+)(.+)", spec))
    ]


# Requirements files --------------------------------------------------------------------


def requirements_files(project_dir: Path) -> list[str]:
    """The requirements of ``requirements*.txt`` and ``requirements/*.txt``, with includes."""
    files = sorted(project_dir.glob("requirements*.txt"))
    files += sorted(project_dir.glob("requirements/*.txt"))
    found: list[str] = []
    read: set[Path] = set()
    for path in files:
        if path.is_file():
            found += _read_requirements(path, project_dir, read)
    return found


INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)$")
EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+.*)$")


def _read_requirements(path: Path, project_dir: Path, read: set[Path]) -> list[str]:
    """One requirements file's requirements and those of the files it includes (once each)."""
    resolved = path.resolve()
    if resolved in read:
        return []
    read.add(resolved)
    found = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DeclarationError(f"cannot read {path.relative_to(project_dir)}: {err}") from None
    for line in _logical_lines(text):
        if include := INCLUDE.match(line):
            included = path.parent / include.group(1)
            if not included.is_file():
                where = (
                    included.relative_to(project_dir)
                    if included.is_relative_to(project_dir)
                    else included
                )
                raise DeclarationError(
                    f"{path.relative_to(project_dir)} includes {where}, which does not exist"
                )
            found += _read_requirements(included, project_dir, read)
        elif requirement := _requirement_line(line):
            found.append(requirement)
    return found


def _logical_lines(text: str) -> Iterator[str]:
    """Lines with comments removed and backslash continuations joined."""
    pending = ""
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield line
    if pending.strip():
        yield pending.strip()


def _requirement_line(line: str) -> str | None:
    """The requirement a line names, or None for an option or a local path."""
    if editable := EDITABLE.match(line):
        target = editable.group(1).strip()
        # An editable VCS checkout is installed as a plain one: nothing points into the env.
        return target if re.match(r"^[a-z]+\+[a-z]+://", target) else None
    if line.startswith("-"):
        return None  # --index-url, -c, -f, --pre...: the index is the machine's
    if _local_path(line):
        return None
    # Per-requirement options (--hash=...) follow the requirement.
    return re.split(r"\s+--?[a-z]", line, maxsplit=1)[0].strip()


def _local_path(line: str) -> bool:
    return bool(re.match(r"^(\.|/|~|file:)", line)) or line in (".", "..")


DECLARATIONS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements*.txt", "requirements/*")


def distinct_declarations(projects: Iterable[Path]) -> list[Path]:
    """One project of each set of declaration files (pyproject.toml, requirements...).

    Install commands build the shared environment from these alone: projects that
    declare the same packages would install the same again.
    """
    chosen: dict[str, Path] = {}
    for project in projects:
        digest = hashlib.sha256()
        for pattern in DECLARATIONS:
            for path in sorted(project.glob(pattern)):
                if path.is_file():
                    digest.update(str(path.relative_to(project)).encode() + b"\0")
                    digest.update(path.read_bytes() + b"\0")
        chosen.setdefault(digest.hexdigest(), project)
    return list(chosen.values())

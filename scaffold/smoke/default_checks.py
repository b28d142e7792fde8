"""The checks a template gets when it declares none: read the project, start nothing.

Both run in scaffold's own process, on the generated files only, so they need no
virtualenv: ``unrendered`` finds template syntax cookiecutter left behind (in a
file or directory name, or in a UTF-8 text file), ``compile`` compiles every
``.py`` file with the running Python's ``compile()`` (no bytecode is written).

What the template's own cookiecutter.json says is left alone: a file its
``_copy_without_render`` names is copied verbatim by design, and a templated default
(``"{{ cookiecutter.project_name.lower() }}"``) may be written out as declared, as a
``{{ _cookiecutter | jsonify }}`` replay file does.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.smoke.checks import StepResult

# In a name, any Jinja markup is left over. In a file's text only markup that reads
# the cookiecutter context is: a project's own Jinja or Django templates hold
# `{% block %}` and `{{ user }}` by design.
NAME_MARKUP = re.compile(r"\{\{|\{%")
TEXT_MARKUP = re.compile(r"\{\{-?\s*cookiecutter\.|\{%-?[^%]*?\bcookiecutter\.")
SKIPPED_DIRS = frozenset({".git", ".hg", "__pycache__"})
SHOWN = 10  # problems quoted in a step's output; the rest are counted

# compile() warns (SyntaxWarning) through the process-wide warnings filters: one
# thread at a time changes them.
_WARNINGS = threading.Lock()


@dataclass(frozen=True)
class Declared:
    """What a template's cookiecutter.json allows in its projects, as the checks read it."""

    verbatim: tuple[str, ...] = ()  # its _copy_without_render patterns
    texts: tuple[str, ...] = ()  # its templated defaults, as declared and as JSON spells them
    project_dir: str = ""  # the name of its project directory, unrendered

    @classmethod
    def of(cls, template_dir: Path | None) -> Declared:
        """What ``template_dir``'s cookiecutter.json declares (nothing, when unreadable)."""
        if template_dir is None:
            return cls()
        try:
            config = json.loads((template_dir / "cookiecutter.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(config, dict):
            return cls()
        patterns = config.get("_copy_without_render", [])
        if not isinstance(patterns, list):
            patterns = []
        verbatim = tuple(pattern for pattern in patterns if isinstance(pattern, str))
        defaults = [text for text in _strings(config) if "{{" in text or "{%" in text]
        spelled = {form for text in defaults for form in (text, json.dumps(text)[1:-1])}
        texts = tuple(sorted(spelled, key=len, reverse=True))
        names = sorted(
            path.name
            for path in template_dir.iterdir()
            if path.is_dir() and "cookiecutter" in path.name and "{{" in path.name
        )
        return cls(verbatim, texts, names[0] if names else "")

    def copied(self, relative: str) -> bool:
        """Whether the file or directory at ``relative`` (below the project's parent), or a
        directory above it, is one cookiecutter copies without rendering.

        Cookiecutter matches the patterns against the template's paths, whose first
        part is the project directory's name unrendered: both spellings are tried.
        """
        parts = relative.split("/")
        spellings = [parts, [self.project_dir, *parts[1:]]] if self.project_dir else [parts]
        return any(
            fnmatch.fnmatch("/".join(spelled[:end]), pattern)
            for spelled in spellings
            for end in range(2, len(parts) + 1)
            for pattern in self.verbatim
        )

    def without_defaults(self, line: str) -> str:
        """``line`` with every templated default the template declares taken out."""
        for text in self.texts:
            line = line.replace(text, "")
        return line


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def run_default_checks(project: Path, template_dir: Path | None = None) -> list[StepResult]:
    """Both default checks on a generated project, in order; each one a step result.

    ``template_dir`` is the template's: what its cookiecutter.json declares is allowed.
    """
    declared = Declared.of(template_dir)
    return [_timed(name, check, project, declared) for name, check in _CHECKS.items()]


def _timed(
    name: str, check: Callable[[Path, Declared], list[str]], project: Path, declared: Declared
) -> StepResult:
    started = time.perf_counter()
    problems = check(project, declared)
    seconds = time.perf_counter() - started
    if not problems:
        return StepResult(name, True, seconds)
    message = f"{len(problems)} found: {problems[0]}"
    shown = problems[:SHOWN]
    if len(problems) > SHOWN:
        shown.append(f"... and {len(problems) - SHOWN} more")
    return StepResult(name, False, seconds, None, message, "\n".join(shown))


def _paths(project: Path) -> Iterator[Path]:
    """The project's directory and every directory and file under it (not .git's)."""
    yield project
    for top, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in [*dirs, *sorted(files)]:
            yield Path(top) / name


def unrendered(project: Path, declared: Declared = Declared()) -> list[str]:
    """Every name holding Jinja markup, and every text line reading the cookiecutter context.

    A file cookiecutter copies without rendering, and a templated default of the
    template's own written out as declared, are not counted.
    """
    problems = []
    for path in _paths(project):
        where = path.relative_to(project.parent).as_posix()
        if NAME_MARKUP.search(path.name):
            problems.append(f"{where}: unrendered name")
        if path.is_symlink() or not path.is_file() or declared.copied(where):
            continue
        text = _text(path)
        for number, line in enumerate(text.splitlines() if text else (), start=1):
            if found := TEXT_MARKUP.search(declared.without_defaults(line)):
                problems.append(f"{where} line {number}: unrendered {found.group(0)!r}")
    return problems


def _text(path: Path) -> str | None:
    """A file's text, or None when it is not UTF-8 text (a binary, an image)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def uncompiled(project: Path, declared: Declared = Declared()) -> list[str]:
    """Every .py file the running Python cannot compile, with its error."""
    problems = []
    for path in _paths(project):
        if path.suffix != ".py" or path.is_symlink() or not path.is_file():
            continue
        where = path.relative_to(project.parent).as_posix()
        try:
            with _WARNINGS, warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a warning is not a failure
                compile(path.read_bytes(), where, "exec", dont_inherit=True)
        except SyntaxError as err:
            problems.append(f"{where} line {err.lineno}: {err.msg}")
        except ValueError as err:  # source with null bytes
            problems.append(f"{where}: {err}")
    return problems


_CHECKS: dict[str, Callable[[Path, Declared], list[str]]] = {
    "unrendered": unrendered,
    "compile": uncompiled,
}

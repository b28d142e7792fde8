"""The checks a template gets when it declares none: read the project, start nothing.

Both run in scaffold's own process, on the generated files only, so they need no
virtualenv: ``unrendered`` finds template syntax cookiecutter left behind (in a
file or directory name, or in a UTF-8 text file), ``compile`` compiles every
``.py`` file with the running Python's ``compile()`` (no bytecode is written).
"""

from __future__ import annotations

import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

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


def run_default_checks(project: Path) -> list[StepResult]:
    """Both default checks on a generated project, in order; each one a step result."""
    return [_timed(name, check, project) for name, check in _CHECKS.items()]


def _timed(name: str, check: Callable[[Path], list[str]], project: Path) -> StepResult:
    started = time.perf_counter()
    problems = check(project)
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


def unrendered(project: Path) -> list[str]:
    """Every name holding Jinja markup, and every text line reading the cookiecutter context."""
    problems = []
    for path in _paths(project):
        where = path.relative_to(project.parent).as_posix()
        if NAME_MARKUP.search(path.name):
            problems.append(f"{where}: unrendered name")
        if path.is_symlink() or not path.is_file():
            continue
        text = _text(path)
        for number, line in enumerate(text.splitlines() if text else (), start=1):
            if found := TEXT_MARKUP.search(line):
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


def uncompiled(project: Path) -> list[str]:
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


_CHECKS: dict[str, Callable[[Path], list[str]]] = {"unrendered": unrendered, "compile": uncompiled}

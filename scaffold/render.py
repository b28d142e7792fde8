"""Render a template with cookiecutter's Python API, atomically.

The project is rendered into a temporary directory beside the target and moved
into place with one rename, so a failure, a failing hook or Ctrl-C leaves no
partial project and touches no existing file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import RenderError, TargetExistsError
from scaffold.interrupt import Interrupted, held, temporary_directory


@dataclass(frozen=True)
class Rendered:
    """Where the project went (or would go) and the files it holds, relative and sorted."""

    path: Path
    files: tuple[str, ...]
    dry_run: bool = False


def list_files(root: Path) -> tuple[str, ...]:
    """Every file below ``root`` as a sorted relative POSIX path, ignoring a .git directory."""
    return tuple(
        sorted(
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if (path.is_file() or path.is_symlink()) and ".git" not in path.relative_to(root).parts
        )
    )


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what hooks print to stderr, so that stdout stays machine-readable."""
    try:
        stdout_fd = sys.__stdout__.fileno() if sys.__stdout__ else 1
        saved = os.dup(stdout_fd)
    except (OSError, ValueError):
        yield
        return
    try:
        sys.stdout.flush()
        os.dup2(sys.__stderr__.fileno() if sys.__stderr__ else 2, stdout_fd)
        yield
    finally:
        os.dup2(saved, stdout_fd)
        os.close(saved)


def literal(value: Any) -> Any:
    """A value cookiecutter renders back to itself: user values are data, never templates.

    cookiecutter renders every context value as a Jinja template, so ``{{ 7*7 }}`` typed
    as a description would be written as ``49`` (and a template could run code). A string
    holding a brace is passed as a Jinja string literal instead; every character outside
    printable ASCII, and the quote and backslash, is written as a ``\\U`` escape.
    """
    if not isinstance(value, str) or "{" not in value:
        return value
    chars = (ch if 32 <= ord(ch) < 127 and ch not in '"\\' else f"\\U{ord(ch):08x}" for ch in value)
    return '{{ "' + "".join(chars) + '" }}'


_tempdir_lock = threading.Lock()


@contextlib.contextmanager
def _temp_inside(directory: str) -> Iterator[None]:
    """Point Python's temp directory into ``directory`` (removed afterwards) while rendering.

    cookiecutter writes each hook to a temp file it never deletes (cookiecutter/hooks.py,
    ``NamedTemporaryFile(delete=False)``); this is the one place that keeps them from
    piling up in the user's temp directory. Renders in one process take turns.
    """
    inner = Path(directory) / "tmp"
    inner.mkdir()
    with _tempdir_lock:
        saved = tempfile.tempdir
        tempfile.tempdir = str(inner)
        try:
            yield
        finally:
            tempfile.tempdir = saved


def run_cookiecutter(template: Template, values: Mapping[str, Any], output_dir: Path) -> Path:
    """Render ``template`` with ``values`` into ``output_dir``; return the project directory.

    ``values`` are final: every one is written as given, none is evaluated.
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter
    from jinja2 import TemplateError

    with temporary_directory(prefix="scaffold-cookiecutter-") as home, _temp_inside(home):
        # A config of our own keeps cookiecutter's replay files out of the user's home.
        config = Path(home) / "config.yaml"
        config.write_text(
            f"cookiecutters_dir: {Path(home) / 'cookiecutters'}\n"
            f"replay_dir: {Path(home) / 'replay'}\n",
            encoding="utf-8",
        )
        try:
            with _stdout_to_stderr():
                project = cookiecutter(
                    str(template.path),
                    no_input=True,
                    extra_context={key: literal(value) for key, value in values.items()},
                    output_dir=str(output_dir),
                    config_file=str(config),
                )
        except FailedHookException as err:
            raise RenderError(
                f"the {template.name} template's hook refused these answers (see its message above)"
            ) from err
        except (CookiecutterException, TemplateError) as err:
            raise RenderError(f"the {template.name} template failed to render: {err}") from err
    drop_bytecode(Path(project))
    return Path(project)


def drop_bytecode(project: Path) -> None:
    """Remove the bytecode pip compiled inside an installed template: it is never the project's.

    Installing scaffold byte-compiles the templates' ``.py`` files, and cookiecutter
    copies whatever the template folder holds.
    """
    for cache in sorted(project.rglob("__pycache__"), reverse=True):
        if cache.is_dir() and not cache.is_symlink():
            shutil.rmtree(cache)
    for compiled in project.rglob("*.py[co]"):
        compiled.unlink()


def render_project(
    template: Template,
    values: Mapping[str, Any],
    output_dir: Path,
    *,
    extra_files: Mapping[str, str] | None = None,
    force: bool = False,
    dry_run: bool = False,
    finish: Callable[[Path], object] | None = None,
) -> Rendered:
    """Render ``template`` into ``output_dir/<project_slug>`` in one step.

    Without ``force`` the target is claimed first by creating it empty, which fails if
    anything is there: of two runs racing for one name exactly one wins, and a
    directory scaffold did not create is never moved or deleted. The rendered tree is
    renamed onto the claimed directory. ``finish`` (the git step) runs right after the
    move, with Ctrl-C held, so an interrupt never leaves a half-made project.
    """
    output_dir = output_dir.resolve()
    target = output_dir / str(values["project_slug"])
    if not output_dir.is_dir():
        raise RenderError(f"output directory {output_dir} does not exist: create it first")
    exists = TargetExistsError(f"{target} already exists: choose another name or pass --force")
    if (target.exists() or target.is_symlink()) and not force:
        raise exists
    claimed = False
    if not dry_run and not (target.exists() or target.is_symlink()):
        try:
            target.mkdir()
            claimed = True
        except FileExistsError:
            if not force:
                raise exists from None
        except OSError as err:
            raise RenderError(f"cannot write in {output_dir}: {err.strerror}") from err

    moved = False
    try:
        # A dry run renders into the system temp dir so it writes nothing beside the target.
        try:
            stage = Path(
                tempfile.mkdtemp(
                    prefix=f".{target.name}.scaffold-", dir=None if dry_run else output_dir
                )
            )
        except OSError as err:
            raise RenderError(f"cannot write in {output_dir}: {err.strerror}") from err
        try:
            project = run_cookiecutter(template, values, stage)
            for name, text in (extra_files or {}).items():
                (project / name).write_text(text, encoding="utf-8")
            files = list_files(project)
            if not dry_run:
                with held() as caught:
                    _move_into_place(project, target, stage, claimed=claimed)
                    moved = True
                    if finish is not None:
                        finish(target)
                if caught:
                    raise Interrupted(
                        f"Interrupted: the project was already complete in {target}; kept it."
                    )
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    finally:
        if claimed and not moved:
            with contextlib.suppress(OSError):
                target.rmdir()  # only ever the empty directory this run created
    return Rendered(path=target, files=files, dry_run=dry_run)


def _move_into_place(project: Path, target: Path, stage: Path, *, claimed: bool) -> None:
    """Rename ``project`` onto ``target``: the empty directory this run claimed, or (with
    --force) an existing one, which is replaced only after the rename succeeded."""
    previous = stage / ".previous"
    if not claimed and (target.exists() or target.is_symlink()):
        target.rename(previous)
    try:
        project.rename(target)
    except OSError as err:
        if previous.exists() or previous.is_symlink():
            previous.rename(target)
        if claimed and err.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise TargetExistsError(
                f"{target} was filled by another program while scaffold rendered: left it as is"
            ) from err
        raise RenderError(f"cannot move the project into {target}: {err.strerror}") from err

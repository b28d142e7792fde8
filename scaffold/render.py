"""Render a template with cookiecutter's generation API, atomically.

The project is rendered into a temporary directory beside the target and moved
into place with one rename, so a failure, a failing hook or Ctrl-C leaves no
partial project and touches no existing file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.catalog import Template, hook_functions
from scaffold.errors import RenderError, TargetExistsError
from scaffold.interrupt import Interrupted, held, temporary_directory, written


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


def compiled_templates(directory: Path | None = None) -> Any:
    """A cache of Jinja's compiled code to share between renders (smoke renders many).

    With a ``directory`` (``scaffold new`` uses scaffold's cache directory) the code
    also outlives the process. Passed to ``render_template`` it rides in the
    template's own ``_jinja2_env_vars`` and ``_extensions``, cookiecutter's
    documented ways to configure its Jinja environment (see ``scaffold.compiled``).
    """
    from scaffold.compiled import CompiledTemplates

    return CompiledTemplates(directory)


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


def _context(template: Template, values: Mapping[str, Any], output_dir: Path) -> dict[str, Any]:
    """cookiecutter's context for ``values``, as ``cookiecutter --no-input`` would build it.

    The values are used literally: a user's value is data, never rendered as a template.
    Only the template's own defaults for variables not given are rendered (a slug
    derived from the name, say), as cookiecutter does.
    """
    from cookiecutter.environment import StrictEnvironment
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import render_variable

    try:
        context = generate_context(
            context_file=str(template.path / "cookiecutter.json"), extra_context=dict(values)
        )
    except ValueError as err:  # a value outside an option's choices
        raise RenderError(f"the {template.name} template refused a value: {err}") from err
    variables = context["cookiecutter"]
    env = StrictEnvironment(context=context)
    for key, value in list(variables.items()):
        if key.startswith("_"):
            continue
        if isinstance(value, list):  # the chosen value was moved first
            variables[key] = value[0]
        elif key not in values:
            variables[key] = render_variable(env, value, variables)
    context["_cookiecutter"] = {k: v for k, v in variables.items() if not k.startswith("_")}
    variables["_template"] = str(template.path)
    variables["_output_dir"] = str(output_dir.resolve())
    variables["_repo_dir"] = str(template.path)
    variables["_checkout"] = None
    return context


# Where Jinja's default syntax starts: a file holding none of these has no Jinja in it.
JINJA_MARKS = (b"{{", b"{%", b"{#")


def _verbatim_files(template_dir: Path) -> list[str]:
    """The project files of ``template_dir`` that rendering would give back unchanged.

    A UTF-8 file with no Jinja syntax and no carriage return renders to its own bytes
    (cookiecutter keeps the trailing newline and writes the file's own newlines), so
    cookiecutter may copy it as it copies ``_copy_without_render`` files: same bytes,
    same mode, no compiling. The names are cookiecutter's (relative to the project
    template, unrendered), escaped for its pattern match.
    """
    found = [
        entry
        for entry in template_dir.iterdir()
        if entry.is_dir() and "cookiecutter" in entry.name and "{{" in entry.name
    ]
    if len(found) != 1:
        return []
    root = found[0]
    verbatim = []
    for directory, _, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            if path.is_symlink():
                continue
            try:
                data = path.read_bytes()
                data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if b"\r" in data or any(mark in data for mark in JINJA_MARKS):
                continue
            verbatim.append(glob.escape(path.relative_to(root).as_posix()))
    return verbatim


def render_template(
    template: Template,
    values: Mapping[str, Any],
    output_dir: Path,
    *,
    compiled: Any = None,
) -> Path:
    """Render ``template`` with ``values`` into ``output_dir``; return the project directory.

    The one render path: ``scaffold new``, ``update``'s pristine render and smoke all
    call it. It uses cookiecutter's generation API, so no config file, replay file or
    clone directory is read or written; the hooks' temp files stay in a directory of
    scaffold's own, removed afterwards; bytecode an installed template carries is
    dropped. ``compiled`` is a cache from ``compiled_templates`` to reuse across renders.
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError

    context = _context(template, values, output_dir)
    variables = context["cookiecutter"]
    if not variables.get("_jinja2_env_vars") and not variables.get("_new_lines"):
        # Jinja's default syntax and newlines: a file without Jinja renders to itself.
        variables["_copy_without_render"] = [
            *variables.get("_copy_without_render", []),
            *_verbatim_files(template.path),
        ]
    if compiled is not None:
        variables["_jinja2_env_vars"] = {
            **variables.get("_jinja2_env_vars", {}),
            "bytecode_cache": compiled,
        }
        variables["_extensions"] = [
            *variables.get("_extensions", []),
            "scaffold.compiled.CompiledNames",
        ]
    hooks = hook_functions(template.path)
    refused = RenderError(
        f"the {template.name} template's hook refused these answers (see its message above)"
    )
    with temporary_directory(prefix="scaffold-cookiecutter-") as home, _temp_inside(home):
        try:
            with _stdout_to_stderr():
                if hooks is not None and _hook(template, hooks.pre_gen_project, variables):
                    raise refused
                project = generate_files(
                    repo_dir=str(template.path),
                    context=context,
                    output_dir=str(output_dir),
                    accept_hooks=hooks is None,
                )
                if hooks is not None:
                    _hook(template, hooks.post_gen_project, Path(project), variables)
                if compiled is not None:
                    compiled.save()
        except FailedHookException as err:
            raise refused from err
        except (CookiecutterException, TemplateError) as err:
            raise RenderError(f"the {template.name} template failed to render: {err}") from err
    drop_bytecode(Path(project))
    return Path(project)


def _hook(template: Template, function: Callable[..., Any], *args: Any) -> Any:
    """Call one of ``template``'s hook functions; whatever goes wrong in it is one line."""
    try:
        return function(*args)
    except Exception as err:  # the template's code: any failure means the hook failed
        raise RenderError(
            f"the {template.name} template's {function.__name__} hook failed: {err}"
        ) from err


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
    compiled: Any = None,
) -> Rendered:
    """Render ``template`` into ``output_dir/<project_slug>`` in one step.

    Without ``force`` the target is claimed first by creating it empty, which fails if
    anything is there: of two runs racing for one name exactly one wins, and a
    directory scaffold did not create is never moved or deleted. The rendered tree is
    renamed onto the claimed directory. ``finish`` (the git step) runs right after the
    move, with Ctrl-C held, so an interrupt never leaves a half-made project.
    ``compiled`` is a cache from ``compiled_templates``.
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
            project = render_template(template, values, stage, compiled=compiled)
            for name, text in (extra_files or {}).items():
                (project / name).write_text(text, encoding="utf-8")
            files = list_files(project)
            if not dry_run:
                with held() as caught:
                    _move_into_place(project, target, stage, claimed=claimed)
                    moved = True
                    if finish is not None:
                        finish(target)
                    shutil.rmtree(stage, ignore_errors=True)
                if caught:
                    raise written(target)
        except KeyboardInterrupt as interrupt:
            if moved and not isinstance(interrupt, Interrupted):
                raise written(target) from None
            raise
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

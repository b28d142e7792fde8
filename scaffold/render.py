"""Render a template with cookiecutter's generation API, atomically.

The project is rendered into a temporary directory beside the target and moved
into place with one rename, so a failure, a failing hook or Ctrl-C leaves no
partial project and touches no existing file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import HookRefused, RenderError, TargetExistsError
from scaffold.hooks import hook_functions
from scaffold.interrupt import Interrupted, held, temporary_directory, written
from scaffold.variables import cookiecutter_context


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
    also outlives the process. Passed to ``render_template`` it is given to the Jinja
    environment cookiecutter renders the files with (see ``scaffold.compiled``), never
    put in the template's context.
    """
    from scaffold.compiled import CompiledTemplates

    return CompiledTemplates(directory)


# cookiecutter changes the working directory, and scaffold points the temp directory,
# the import path and three of cookiecutter's functions somewhere else while it
# renders: renders in one process take turns.
_render_lock = threading.Lock()


@contextlib.contextmanager
def _rendering(template: Template, home: str) -> Iterator[None]:
    """Render in turn, with Python's temp directory inside ``home`` and the template
    importable.

    cookiecutter writes each hook to a temp file it never deletes (cookiecutter/hooks.py,
    ``NamedTemporaryFile(delete=False)``); this is the one place that keeps them from
    piling up in the user's temp directory. The template's directory is on the import
    path, as ``cookiecutter()`` puts it there, for the local Jinja extensions a
    template's ``_extensions`` may name.
    """
    inner = Path(home) / "tmp"
    inner.mkdir()
    with _render_lock:
        saved_tempdir, saved_path = tempfile.tempdir, list(sys.path)
        tempfile.tempdir = str(inner)
        sys.path.append(str(template.path))
        try:
            yield
        finally:
            tempfile.tempdir = saved_tempdir
            sys.path[:] = saved_path


# Where Jinja's default syntax starts: a file holding none of these has no Jinja in it.
JINJA_MARKS = (b"{{", b"{%", b"{#")


def _verbatim_files(template_dir: Path) -> frozenset[str]:
    """The project files of ``template_dir`` that rendering would give back unchanged.

    A UTF-8 file with no Jinja syntax and no carriage return renders to its own bytes
    (cookiecutter keeps the trailing newline and writes the file's own newlines), so
    it may be copied as cookiecutter copies its ``_copy_without_render`` files: same
    bytes, same mode, no compiling. The names are the paths cookiecutter asks
    ``is_copy_only_path`` about (relative to the project template, unrendered).
    """
    found = [
        entry
        for entry in template_dir.iterdir()
        if entry.is_dir() and "cookiecutter" in entry.name and "{{" in entry.name
    ]
    if len(found) != 1:
        return frozenset()
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
            verbatim.append(os.path.relpath(path, root))
    return frozenset(verbatim)


@contextlib.contextmanager
def _generation(template: Template, compiled: Any, verbatim: frozenset[str]) -> Iterator[None]:
    """cookiecutter's ``generate_files`` with scaffold's speed-ups, none in the context.

    Its environment gets the compiled-code cache (and the extension that lets file and
    directory names use it too); the ``verbatim`` files are copied as
    ``_copy_without_render`` files are; a hook script that fails says which hook it
    was. Only while the render holds ``_render_lock``.
    """
    import cookiecutter.generate as generate
    from cookiecutter.exceptions import FailedHookException

    from scaffold.compiled import use_cache

    create_env, copy_only, run_hook = (
        generate.create_env_with_context,
        generate.is_copy_only_path,
        generate.run_hook_from_repo_dir,
    )

    def environment(context: dict[str, Any]) -> Any:
        return use_cache(create_env(context), compiled)

    def is_copy_only_path(path: str, context: dict[str, Any]) -> bool:
        return path in verbatim or copy_only(path, context)

    def hook(repo_dir: Any, hook_name: str, *args: Any) -> None:
        try:
            run_hook(repo_dir, hook_name, *args)
        except FailedHookException as err:
            raise _hook_failed(template, hook_name, str(err)) from err

    generate.create_env_with_context = environment
    generate.is_copy_only_path = is_copy_only_path
    generate.run_hook_from_repo_dir = hook
    try:
        yield
    finally:
        generate.create_env_with_context = create_env
        generate.is_copy_only_path = copy_only
        generate.run_hook_from_repo_dir = run_hook


def _hook_failed(template: Template, hook_name: str, detail: str) -> RenderError:
    """A pre-generation hook that says no refuses the answers; a post-generation one failed."""
    if hook_name == "pre_gen_project":
        return HookRefused(
            f"the {template.name} template's pre-generation hook refused these answers "
            "(see its message above)"
        )
    return RenderError(f"the {template.name} template's post-generation hook failed: {detail}")


def render_template(
    template: Template,
    values: Mapping[str, Any],
    output_dir: Path,
    *,
    compiled: Any = None,
    moved_to: Path | None = None,
) -> Path:
    """Render ``template`` with ``values`` into ``output_dir``; return the project directory.

    The one render path: ``scaffold new``, ``update``'s pristine render and smoke all
    call it. It uses cookiecutter's generation API, so no config file, replay file or
    clone directory is read or written; the hooks' temp files stay in a directory of
    scaffold's own, removed afterwards; bytecode an installed template carries is
    dropped. ``compiled`` is a cache from ``compiled_templates`` to reuse across renders.
    Raises ``HookRefused`` when the template's pre-generation hook refuses the values.
    ``moved_to`` is the directory the project is moved into afterwards: the template's
    ``_output_dir``, as cookiecutter would give it there.
    """
    from cookiecutter.exceptions import CookiecutterException, OutputDirExistsException
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError

    hooks = hook_functions(template.path)
    with temporary_directory(prefix="scaffold-cookiecutter-") as home, _rendering(template, home):
        context = cookiecutter_context(template, values, moved_to or output_dir, compiled)
        variables = context["cookiecutter"]
        # Jinja's default syntax and newlines: a file without Jinja renders to itself.
        plain = not variables.get("_jinja2_env_vars") and not variables.get("_new_lines")
        verbatim = _verbatim_files(template.path) if plain else frozenset()
        try:
            with _stdout_to_stderr(), _generation(template, compiled, verbatim):
                pre, post = (
                    (hooks.pre_gen_project, hooks.post_gen_project) if hooks else (None, None)
                )
                if pre is not None and _hook(template, "pre-generation", pre, dict(variables)):
                    raise _hook_failed(template, "pre_gen_project", "")
                project = generate_files(
                    repo_dir=str(template.path),
                    context=context,
                    output_dir=str(output_dir),
                    accept_hooks=hooks is None,
                )
                if post is not None:
                    _hook(template, "post-generation", post, Path(project), dict(variables))
                if compiled is not None:
                    compiled.save()
        except OutputDirExistsException as err:
            if empty := _empty_project_name(template, variables, output_dir, err):
                raise RenderError(empty) from err
            raise RenderError(f"the {template.name} template failed to render: {err}") from err
        except (CookiecutterException, TemplateError) as err:
            raise RenderError(f"the {template.name} template failed to render: {err}") from err
    drop_bytecode(Path(project))
    return Path(project)


def _empty_project_name(
    template: Template, variables: Mapping[str, Any], output_dir: Path, err: Exception
) -> str:
    """Why the project directory is ``output_dir`` itself: its name rendered empty ('' when
    ``err`` is about another directory). Cookiecutter says only that it exists."""
    if str(output_dir.resolve()) not in str(err) and str(output_dir) not in str(err):
        return ""
    names = sorted(
        path.name for path in template.path.iterdir() if path.is_dir() and "{{" in path.name
    )
    used = re.findall(r"cookiecutter\.(\w+)", names[0]) if names else []
    empty = [name for name in used if str(variables.get(name, "")) == ""] or used
    spelled = " and ".join(f"{name} = {str(variables.get(name, ''))!r}" for name in empty)
    return (
        f"the {template.name} template's project directory {names[0] if names else ''} "
        f"renders to an empty name ({spelled or 'no value'}): give it a value"
    )


def _hook(template: Template, when: str, function: Callable[..., Any], *args: Any) -> Any:
    """Call one of ``template``'s hook functions; whatever goes wrong in it is one line."""
    try:
        return function(*args)
    except Exception as err:  # the template's code: any failure means the hook failed
        raise RenderError(
            f"the {template.name} template's {when} hook failed: {type(err).__name__}: {err}"
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
    ``compiled`` is a cache from ``compiled_templates``. Values without a
    ``project_slug`` (a smoke combination's) leave the project's name to the template:
    the target is then the rendered directory's name, checked once it is rendered.
    """
    given, output_dir = output_dir, output_dir.resolve()
    slug = values.get("project_slug")
    target = output_dir / str(slug) if slug is not None else None
    if not output_dir.is_dir():
        raise RenderError(f"output directory {output_dir} does not exist: create it first")
    claimed = False
    if target is not None:
        if (target.exists() or target.is_symlink()) and not force:
            raise _exists(target)
        if not dry_run and not (target.exists() or target.is_symlink()):
            try:
                target.mkdir()
                claimed = True
            except FileExistsError:
                if not force:
                    raise _exists(target) from None
            except OSError as err:
                raise RenderError(f"cannot write in {output_dir}: {err.strerror}") from err

    moved = False
    try:
        # A dry run renders into the system temp dir so it writes nothing beside the target.
        prefix = f".{target.name if target else 'project'}.scaffold-"
        try:
            stage = Path(tempfile.mkdtemp(prefix=prefix, dir=None if dry_run else output_dir))
        except OSError as err:
            raise RenderError(f"cannot write in {output_dir}: {err.strerror}") from err
        try:
            project = render_template(template, values, stage, compiled=compiled, moved_to=given)
            if target is None:
                target = output_dir / project.name
                if (target.exists() or target.is_symlink()) and not force:
                    raise _exists(target)
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
            if moved and not isinstance(interrupt, Interrupted) and target is not None:
                raise written(target) from None
            raise
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    finally:
        if claimed and not moved and target is not None:
            with contextlib.suppress(OSError):
                target.rmdir()  # only ever the empty directory this run created
    return Rendered(path=target, files=files, dry_run=dry_run)


def _exists(target: Path) -> TargetExistsError:
    return TargetExistsError(f"{target} already exists: choose another name or pass --force")


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

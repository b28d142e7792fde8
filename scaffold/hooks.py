"""A template's hook scripts as functions scaffold calls in its own process.

cookiecutter starts a Python for each hook script; scaffold instead loads a script
of the shape ``CONTEXT_LINE`` describes, unrendered, and calls its function with
the values. Any other script is left to cookiecutter to render and run.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from scaffold.errors import TemplateError

# A hook script scaffold calls in its own process holds cookiecutter's values in this
# one line, the only Jinja in it, and defines a function named as the hook that its
# ``__main__`` block calls with them: ``pre_gen_project(variables)`` returning non-zero
# to refuse, ``post_gen_project(project, variables)``. Unrendered, it is a module
# whose functions take the values directly; no Python is started for it.
CONTEXT_LINE = "CONTEXT = r'''{{ cookiecutter | tojson }}'''"
HOOK_NAMES = ("pre_gen_project", "post_gen_project")


@dataclass(frozen=True)
class Hooks:
    """A template's hooks as functions; None where the template has no such hook."""

    pre_gen_project: Callable[[dict[str, Any]], int] | None
    post_gen_project: Callable[[Path, dict[str, Any]], None] | None


@functools.cache
def hook_functions(template_dir: Path) -> Hooks | None:
    """The template's hook scripts as functions to call in-process (see ``CONTEXT_LINE``).

    None when a hook script is of another kind (it needs cookiecutter to render and
    run it), so that cookiecutter runs every one of them as it would.
    """
    from cookiecutter.hooks import valid_hook

    hooks_dir = template_dir / "hooks"
    try:
        names = sorted(os.listdir(hooks_dir))
    except FileNotFoundError:
        return None
    except OSError as err:
        raise TemplateError(f"cannot read the template's hooks in {hooks_dir}: {err}") from err
    functions: dict[str, Any] = dict.fromkeys(HOOK_NAMES)
    for hook in HOOK_NAMES:
        scripts = [name for name in names if valid_hook(name, hook)]
        if not scripts:
            continue
        function = (
            _hook_function(hooks_dir / scripts[0], hook) if scripts == [f"{hook}.py"] else None
        )
        if function is None:
            return None
        functions[hook] = function
    return Hooks(**functions)


def _hook_function(path: Path, hook: str) -> Callable[..., Any] | None:
    """The function ``hook`` of the script at ``path``, if the script is one to call in-process."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise TemplateError(f"cannot read the template's hook {path}: {err}") from err
    rest = source.replace(CONTEXT_LINE, "", 1)
    if rest == source or any(mark in rest for mark in ("{{", "{%", "{#")):
        return None
    function = getattr(run_module(path), hook, None)
    return function if callable(function) else None


def run_module(path: Path) -> ModuleType:
    """The Python module at ``path``, run from its source: no __pycache__ among the templates."""
    source = path.read_text(encoding="utf-8")
    module = ModuleType(path.stem)
    module.__file__ = str(path)
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as err:
        raise TemplateError(f"the template's hook {path} is not valid Python: {err}") from err
    exec(code, module.__dict__)  # noqa: S102 - the template's own code, as cookiecutter runs it
    return module

"""Every call the web page makes into scaffold's core, in one place.

The page asks for the questions, validates answers, recommends, renders a preview
and writes or zips a project; each of those is one function here, so the rest of
the web package never imports the core directly.
"""

from __future__ import annotations

import concurrent.futures
import functools
import shlex
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import AnswersError, ProjectNameError, ScaffoldError

# Free-text template variables the page offers; the slug is derived unless given.
TEXT_VARIABLES = ("description", "author_name", "email", "project_slug")


class RenderTimeout(ScaffoldError):
    """Raised when rendering a preview takes longer than the page allows."""


@dataclass(frozen=True)
class Request:
    """Answers from the page, checked: question answers, template values, the framework."""

    answers: dict[str, Any]
    template_values: dict[str, str]
    framework: str | None
    given: frozenset[str]


@dataclass(frozen=True)
class Project:
    """A rendered project held in memory: its folder name and every file's bytes and mode."""

    framework: str
    slug: str
    files: dict[str, tuple[bytes, int]]
    notes: tuple[str, ...]


def _templates() -> tuple[Any, ...]:
    from scaffold.catalog import load_templates

    return load_templates()


def form() -> dict[str, Any]:
    """The questions (the requirements, then every template's options) and each template's
    text variables, as plain data."""
    from scaffold.answers import all_questions
    from scaffold.questions import FRAMEWORKS

    questions = all_questions()
    asked = {q.key for q in questions}
    templates = {}
    for template in _templates():
        templates[template.name] = {
            "options": [
                {"name": o.name, "choices": list(o.choices), "default": o.default, "help": o.prompt}
                for o in template.options
                if o.name not in asked
            ],
            "variables": {
                key: {"default": template.variables.get(key, ""), "help": template.prompts.get(key)}
                for key in TEXT_VARIABLES
            },
        }
    return {
        "questions": [q.to_dict() for q in questions],
        "frameworks": list(FRAMEWORKS),
        "templates": templates,
    }


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def validate(raw: Mapping[str, Any]) -> tuple[Request, dict[str, str]]:
    """Check every value as ``--set KEY=VALUE`` would; return the request and one error per key."""
    from scaffold.answers import all_questions, layer_answers
    from scaffold.questions import check_name

    question_keys = {q.key for q in all_questions()}
    answers: dict[str, Any] = {}
    template_values: dict[str, str] = {}
    framework: str | None = None
    errors: dict[str, str] = {}
    for key, value in raw.items():
        if key in TEXT_VARIABLES and value == "":
            continue  # an empty text box means "the template's default"
        try:
            layered = layer_answers(set_values={key: _as_text(value)}, need_name=False)
        except ScaffoldError as error:
            errors[str(key)] = str(error)
            continue
        framework = layered.framework or framework
        if key in layered.values:
            target = answers if key in question_keys | {"project_name"} else template_values
            target[key] = layered.values[key].value
    if "project_name" not in errors and "project_slug" not in errors:
        slug = template_values.get("project_slug")
        try:
            check_name(str(answers.get("project_name", "")), slug=slug)
        except ProjectNameError as error:
            errors["project_slug" if slug else "project_name"] = str(error)
    given = frozenset(answers)
    return Request(answers, template_values, framework, given), errors


def recommendation(request: Request) -> dict[str, Any]:
    """The recommendation for the answers given, as ``scaffold recommend --json`` prints it."""
    from scaffold.decision import recommend
    from scaffold.questions import with_defaults

    answers = {"project_name": "unnamed", **request.answers}
    return recommend(with_defaults(answers), given=request.given - {"project_name"}).to_dict()


def plan(request: Request, framework: str) -> Any:
    """The project plan ``scaffold new --no-input --framework FRAMEWORK`` makes for ``request``."""
    from scaffold.answers import layer_answers
    from scaffold.project import plan_project

    answers = layer_answers(
        framework=framework, file_values={**request.answers, **request.template_values}
    )
    return plan_project(answers, framework=framework)


def field_of(error: ScaffoldError, request: Request) -> str:
    """The form field an error from planning belongs to."""
    if isinstance(error, ProjectNameError):
        return "project_slug" if "project_slug" in request.template_values else "project_name"
    text = str(error)
    for key in (*request.template_values, *request.answers):
        if text.startswith(f"{key} ") or f"variable {key!r}" in text:
            return key
    return "_"


_RENDERER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")


@functools.cache
def _compiled() -> Any:
    """The templates' compiled Jinja code, kept in memory for the server's life (made at
    its first render): a render then costs its files, not compiling them again. Only the
    render thread uses it."""
    from scaffold.render import compiled_templates

    return compiled_templates()


def _render(project_plan: Any) -> Project:
    from scaffold.project import make_project

    workdir = Path(tempfile.mkdtemp(prefix="scaffold-web-"))
    try:
        created = make_project(project_plan, output_dir=workdir, git=False, compiled=_compiled())
        rendered = created.rendered
        files = {}
        for name in rendered.files:
            path = rendered.path / name
            files[name] = (path.read_bytes(), path.stat().st_mode & 0o777)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Project(
        framework=project_plan.framework,
        slug=rendered.path.name,
        files=files,
        notes=tuple(project_plan.context.notes),
    )


def render(project_plan: Any, *, timeout: float) -> Project:
    """Render ``project_plan`` in a temp dir that is always removed; return the files."""
    future = _RENDERER.submit(_render, project_plan)
    try:
        return future.result(timeout=timeout)
    except concurrent.futures.TimeoutError as err:
        raise RenderTimeout(
            f"rendering took longer than {timeout:g} seconds: try again in a moment"
        ) from err


def _make(project_plan: Any, output_dir: Path) -> Any:
    from scaffold.project import make_project

    return make_project(project_plan, output_dir=output_dir, compiled=_compiled())


def write(project_plan: Any, output_dir: Path) -> dict[str, Any]:
    """Write the project into ``output_dir`` as ``scaffold new`` does: atomic, git, next steps."""
    from scaffold.project import next_steps

    created = _RENDERER.submit(_make, project_plan, output_dir).result()
    return {
        "path": str(created.rendered.path),
        "files": len(created.rendered.files),
        "git": created.git.message if created.git else None,
        "git_outcome": created.git.outcome.value if created.git else None,
        "updatable": created.updatable,
        "next_steps": next_steps(project_plan),
    }


def _ordered_keys(request: Request) -> list[str]:
    from scaffold.answers import all_questions

    asked = [q.key for q in all_questions()]
    keys = [key for key in asked if key in request.given and key != "project_name"]
    return keys + [key for key in TEXT_VARIABLES if key in request.template_values]


def _value(request: Request, key: str) -> str:
    value = request.answers.get(key, request.template_values.get(key))
    return str(_as_text(value))


def command_line(request: Request, framework: str) -> str:
    """The ``scaffold new`` command that writes the same project."""
    words = ["scaffold", "new", str(request.answers.get("project_name", "")), "--no-input"]
    words += ["--framework", framework]
    for key in _ordered_keys(request):
        words += ["--set", f"{key}={_value(request, key)}"]
    return shlex.join(words)


def answers_file(request: Request, framework: str) -> str:
    """An answers file for ``scaffold new --no-input --answers FILE`` with the same result."""
    import yaml

    record: dict[str, Any] = {"project_name": request.answers.get("project_name", "")}
    for key in _ordered_keys(request):
        record[key] = request.answers.get(key, request.template_values.get(key))
    record["framework"] = framework
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True)


def query(request: Request, framework: str | None) -> dict[str, str]:
    """The answers as URL query parameters, for a share link."""
    params = {"project_name": str(request.answers.get("project_name", ""))}
    params.update({key: _value(request, key) for key in _ordered_keys(request)})
    if framework:
        params["framework"] = framework
    return params


__all__ = [
    "AnswersError",
    "Project",
    "RenderTimeout",
    "Request",
    "ScaffoldError",
    "answers_file",
    "command_line",
    "field_of",
    "form",
    "plan",
    "query",
    "recommendation",
    "render",
    "validate",
    "write",
]

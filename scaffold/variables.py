"""A template's cookiecutter context for a render, as cookiecutter itself builds it.

The values given are data: used as given, never rendered. Every other variable
takes the template's own default from its cookiecutter.json, rendered as
``cookiecutter --no-input`` renders it, so a template sees exactly the context
cookiecutter would give it, and nothing of scaffold's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import RenderError


def cookiecutter_context(
    template: Template, values: Mapping[str, Any], output_dir: Path, compiled: Any = None
) -> dict[str, Any]:
    """The context ``cookiecutter(<template>, no_input=True, extra_context=values)`` renders.

    The values given are used literally: a user's value is data, never rendered as a
    template. Every other variable takes the template's own default, rendered as
    cookiecutter renders it (``prompt_for_config``): in the order of cookiecutter.json,
    each default seeing the answers before it, dictionaries after every other
    variable, ``__`` variables rendered, ``_`` variables kept as written.
    """
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context

    try:
        context = generate_context(
            context_file=str(template.path / "cookiecutter.json"), extra_context=dict(values)
        )
    except ValueError as err:  # a value outside an option's choices
        raise RenderError(f"the {template.name} template refused a value: {err}") from err
    except CookiecutterException as err:
        raise RenderError(f"the {template.name} template cannot be read: {err}") from err
    variables = context["cookiecutter"]
    context["_cookiecutter"] = {k: v for k, v in variables.items() if not k.startswith("_")}
    variables.pop("__prompts__", None)
    variables.update(_answers(template, context, values, compiled))
    variables["_template"] = str(template.path)
    variables["_output_dir"] = os.path.abspath(output_dir)
    variables["_repo_dir"] = str(template.path)
    variables["_checkout"] = None
    return context


def _answers(
    template: Template, context: dict[str, Any], given: Mapping[str, Any], compiled: Any
) -> dict[str, Any]:
    """cookiecutter's ``prompt_for_config(context, no_input=True)``, given values kept as given."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.prompt import render_variable
    from cookiecutter.utils import create_env_with_context
    from jinja2 import TemplateError

    from scaffold.compiled import use_cache

    try:
        env = use_cache(create_env_with_context(context), compiled)
    except CookiecutterException as err:  # an extension that cannot be imported
        raise RenderError(f"the {template.name} template cannot be rendered: {err}") from err
    answers: dict[str, Any] = {}

    def answer(key: str, raw: Any) -> Any:
        if key in given:  # generate_context moved a given choice first
            value = raw[0] if isinstance(raw, list) else raw
            # cookiecutter writes other scalars (numbers) as text: without rendering here
            return value if value is None or isinstance(value, str | bool | dict) else str(value)
        try:
            if isinstance(raw, list):
                if not raw:
                    raise RenderError(f"the {template.name} template's {key} has no choices")
                return [render_variable(env, choice, answers) for choice in raw][0]
            return render_variable(env, raw, answers)
        except TemplateError as err:
            raise RenderError(
                f"the {template.name} template's default for {key} cannot be rendered: {err}"
            ) from err

    variables = context["cookiecutter"]
    for key, raw in variables.items():  # dictionaries come second: they may use the rest
        if key.startswith("_") and not key.startswith("__"):
            answers[key] = raw
        elif key.startswith("__") or not isinstance(raw, dict):
            answers[key] = answer(key, raw)
    for key, raw in variables.items():
        if isinstance(raw, dict) and not (key.startswith("_") and not key.startswith("__")):
            answers[key] = answer(key, raw)
    return answers

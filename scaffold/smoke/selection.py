"""Which templates and combinations a run takes, and how CI splits them.

A template is named as ``scaffold smoke`` takes it (a shipped one, ``all``, or a
directory); ``--only KEY=VALUE`` narrows the options (a key given twice takes either
value); ``--shard I/N`` takes one contiguous part; ``matrix --github`` lists one job
per template shard, each entry going straight back into ``scaffold smoke``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scaffold.catalog import TEMPLATE_NAMES, Template, load_template, parse_template, templates_root
from scaffold.checks_source import CHECKS_FILE
from scaffold.errors import SmokeError
from scaffold.smoke.combination import Combination
from scaffold.smoke.constraints import format_value, option_value
from scaffold.smoke.matrix import STRATEGIES, Matrix, TooManyCombinations, combinations


def template_argument(template: Template) -> str:
    """How ``scaffold smoke`` names ``template``: a shipped one by name, any other by its path.

    A template inside the working directory gets a relative path (CI jobs share the
    checkout, not its absolute place), one outside its absolute path; either starts
    with ``.`` or ``/``, so a directory called ``flask`` or ``all`` is never read as
    the shipped template of that name.
    """
    path = template.path.resolve()
    if template.name in TEMPLATE_NAMES and path == (templates_root() / template.name).resolve():
        return template.name
    cwd = Path.cwd().resolve()
    if path == cwd or cwd in path.parents:
        return "./" + path.relative_to(cwd).as_posix() if path != cwd else "."
    return path.as_posix()


def nothing_to_vary(template: Template) -> str:
    """One line saying what scaffold sees when no option of ``template`` has two values
    (its prompts live outside cookiecutter.json, say), or '' when one has."""
    if any(len(option.choices) > 1 for option in template.options):
        return ""
    kind = "free text or has one value" if template.options else "free text"
    count = len(template.variables) + len(template.options)
    empty = sum(value == "" for value in template.variables.values())
    return (
        f"template {template.name!r} declares no options scaffold can vary: every variable "
        f"in cookiecutter.json is {kind} ({count} of them, {empty} empty), so there is one "
        f"combination, of the defaults; list option values under options: in {CHECKS_FILE}"
    )


def select_templates(name: str) -> list[Template]:
    """The templates ``name`` means: a shipped one, ``all`` of them, or a template directory."""
    if name == "all":
        return [load_template(shipped) for shipped in TEMPLATE_NAMES]
    if name in TEMPLATE_NAMES:
        return [load_template(name)]
    path = Path(name)
    if (path / "cookiecutter.json").is_file():  # a template being worked on, by its path
        return [parse_template(path.resolve().name, path.resolve())]
    choices = ", ".join((*TEMPLATE_NAMES, "all"))
    raise SmokeError(f"unknown template {name!r}: choose {choices}, or a template directory")


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``I/N`` (1 <= I <= N) into ``(I, N)``."""
    index, slash, count = text.partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise SmokeError(f"--shard {text!r} is not I/N: write e.g. --shard 1/3")
    i, n = int(index), int(count)
    if n < 1 or not 1 <= i <= n:
        example = f"--shard 1/{n}" if n else "--shard 1/3"
        raise SmokeError(f"--shard {text!r} is out of range: I must be 1 to N, e.g. {example}")
    return i, n


def shard(items: Sequence[Any], index: int, count: int) -> list[Any]:
    """Return shard ``index`` (1-based) of ``count``: contiguous, sizes differ by at most one."""
    if not 1 <= index <= count:
        raise SmokeError(f"shard {index}/{count} is out of range")
    size, extra = divmod(len(items), count)
    start = (index - 1) * size + min(index - 1, extra)
    end = start + size + (1 if index <= extra else 0)
    return list(items[start:end])


def github_matrix(
    matrices: Sequence[Matrix], *, shards: int | None = None, per_job: int = 4
) -> dict[str, list[dict[str, Any]]]:
    """A ``strategy.matrix`` object: one job per template shard, for ``fromJSON``.

    Each entry names the template as ``scaffold smoke`` takes it (``template_argument``)
    and the ``--shard I/N`` its job passes, so a job builds one template's environment
    only; ``ids`` lists the ids of its combinations. A
    template gets ``shards`` jobs, or by default one per ``per_job`` combinations,
    and never more jobs than combinations.
    """
    include = []
    for matrix in matrices:
        wanted = shards or math.ceil(len(matrix.combinations) / per_job)
        count = max(1, min(wanted, len(matrix.combinations)))
        for index in range(1, count + 1):
            part = shard(matrix.combinations, index, count)
            include.append(
                {
                    "template": template_argument(matrix.template),
                    "strategy": matrix.strategy,
                    "shard": f"{index}/{count}",
                    "combinations": len(part),
                    "ids": [combination.id for combination in part],
                }
            )
    return {"include": include}


def parse_only(texts: Sequence[str], templates: Sequence[Template]) -> dict[str, tuple[str, ...]]:
    """Parse ``KEY=VALUE`` filters, checking each against the templates' options.

    A key given more than once takes any of its values.
    """
    filters: dict[str, tuple[str, ...]] = {}
    for text in texts:
        key, equals, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key or not value:
            raise SmokeError(f"--only {text!r} is not KEY=VALUE: write e.g. --only database=sqlite")
        options = [t.option(key) for t in templates if t.option(key) is not None]
        if not options:
            known = sorted({option.name for t in templates for option in t.options})
            raise SmokeError(f"--only: unknown option {key!r}: choose one of {', '.join(known)}")
        if not any(option_value(option, value) is not None for option in options if option):
            choices = sorted({format_value(c) for o in options if o for c in o.choices})
            raise SmokeError(f"--only {key}={value}: {key} is one of {', '.join(choices)}")
        if value not in filters.get(key, ()):
            filters[key] = (*filters.get(key, ()), value)
    return filters


def restrict(template: Template, filters: Mapping[str, Sequence[str]]) -> Template | None:
    """The template with filtered options narrowed to the values given; None if it lacks one."""
    options = []
    for option in template.options:
        if option.name in filters:
            wanted = [option_value(option, text) for text in filters[option.name]]
            choices = tuple(choice for choice in option.choices if choice in wanted)
            if not choices:
                return None
            option = dataclasses.replace(option, choices=choices)
        options.append(option)
    if any(template.option(key) is None for key in filters):
        return None
    return dataclasses.replace(template, options=tuple(options))


def plan(
    templates: Sequence[Template],
    *,
    strategy: str = "all",
    only: Sequence[str] = (),
    shard_spec: tuple[int, int] | None = None,
) -> tuple[list[Matrix], list[tuple[Template, Combination]]]:
    """The matrices of the templates and the combinations this run (or shard) checks."""
    if strategy not in STRATEGIES:
        raise SmokeError(f"unknown strategy {strategy!r}: choose one of {', '.join(STRATEGIES)}")
    filters = parse_only(only, templates)
    matrices = []
    for template in templates:
        narrowed = restrict(template, filters)
        if narrowed is None:
            continue
        try:
            matrices.append(combinations(narrowed, strategy, rules_of=template))
        except SmokeError as err:
            # Without filters, a template with no valid combination is an error.
            if not filters or isinstance(err, TooManyCombinations):
                raise
    if not matrices:
        wanted = " ".join(f"{k}={'|'.join(v)}" for k, v in filters.items())
        raise SmokeError(f"no valid combination has {wanted}: loosen --only")
    selected = [(m.template, c) for m in matrices for c in m.combinations]
    if shard_spec is not None:
        selected = shard(selected, *shard_spec)
    return matrices, selected

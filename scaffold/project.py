"""Plan and create a project: answers -> recommendation -> template context -> files on disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold import __version__
from scaffold.answers import Answers
from scaffold.catalog import Template, load_template
from scaffold.decision import Recommendation, recommend
from scaffold.errors import RenderError
from scaffold.new_repository import Initialized, init_repository
from scaffold.options import Context, build_context
from scaffold.questions import QUESTION_KEYS
from scaffold.render import Rendered, render_project

ANSWERS_FILE = ".scaffold-answers.yml"
# The last line of an updated project's answers file: the commit on scaffold/template
# (the pristine render) that update merged, the base of the next three-way merge.
COMMIT_KEY = "_commit"


@dataclass(frozen=True)
class Plan:
    """Everything decided before a file is written."""

    answers: Mapping[str, Any]
    recommendation: Recommendation
    framework: str
    template: Template
    context: Context
    template_values: Mapping[str, Any]
    provenance: Answers | None = None  # where each answer came from
    given: frozenset[str] | None = None  # the answers the user gave; None: every one

    @property
    def overridden(self) -> bool:
        return self.framework != self.recommendation.framework


@dataclass(frozen=True)
class Created:
    """The outcome of ``make_project``: the files, and what the git step did (None: no git
    step, as asked or on a dry run)."""

    plan: Plan
    rendered: Rendered
    git: Initialized | None
    made_output_dir: bool = False  # the output directory did not exist: it was created

    @property
    def updatable(self) -> bool:
        """Whether `scaffold update` can merge into it: a template branch was made."""
        return self.git is not None and self.git.updatable


def plan_project(
    answers: Answers,
    *,
    framework: str | None = None,
    recommendation: Recommendation | None = None,
    template: Template | None = None,
) -> Plan:
    """Recommend a framework for ``answers`` (unless one is given) and build its context.

    The recommendation scores only the answers the user gave (``answers.given``:
    file, --set, NAME, prompts, and a record's own list), never the defaults.
    ``answers`` are checked again against the chosen template when they were layered
    for another (or for none).
    """
    if recommendation is None:
        recommendation = recommend(answers.plain(), given=answers.given, derived=answers.derived)
    chosen = framework or (template.name if template else None)
    chosen = chosen or answers.framework or recommendation.framework
    template = template or load_template(chosen)
    if answers.scope != template.name:
        answers = answers.for_framework(template)
    values = answers.plain()
    context = build_context(template, values)
    derived = (
        *(answer.reason for answer in answers.derived.values()),
        *answers.unused.values(),
    )
    return Plan(
        answers=values,
        recommendation=recommendation,
        framework=chosen,
        template=template,
        context=Context(context.values, derived + context.notes),
        template_values={k: v for k, v in values.items() if k in template.variables},
        provenance=answers,
        given=answers.given & frozenset(values),
    )


def plan_values(template: Template, values: Mapping[str, Any]) -> Plan:
    """A plan from option values alone, as smoke makes each combination of a template.

    No answers are layered, nothing is recommended and no variable is filled in:
    every variable not in ``values`` takes the template's own default, rendered as
    ``cookiecutter --no-input`` renders it. There are no answers to record, so
    ``make_project`` is called with ``answers_file=False``.
    """
    return Plan(
        answers=dict(values),
        recommendation=Recommendation(template.name, {}, (), answered=False),
        framework=template.name,
        template=template,
        context=Context(dict(values)),
        template_values={},
        given=frozenset(),
    )


def answers_record(plan: Plan) -> str:
    """The YAML of ``.scaffold-answers.yml``: enough to render the same project again."""
    import yaml

    from scaffold.catalog import template_version

    record: dict[str, Any] = {key: plan.answers[key] for key in QUESTION_KEYS}
    record["framework"] = plan.framework
    for key in [*(option.name for option in plan.template.options), *plan.template.variables]:
        if key != "project_name":
            record[key] = plan.context.values[key]
    record["_scaffold"] = {
        "version": __version__,
        "template": plan.template.name,
        "template_version": template_version(plan.template),
        "template_fingerprint": plan.template.fingerprint(),
        "recommended": plan.recommendation.framework,
        # The answers the user gave; the other questions took their defaults.
        "given": sorted(plan.given if plan.given is not None else plan.answers),
        "framework_overridden": plan.overridden,
        "context": dict(plan.context.values),
    }
    header = (
        "# The answers this project was generated from.\n"
        f"# Rebuild it with: scaffold new --answers {ANSWERS_FILE}\n"
        f"# {COMMIT_KEY} (written by scaffold update) is the last render it merged.\n"
    )
    return header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True)


def with_commit(text: str, commit: str) -> str:
    """``text`` of an answers file recording ``commit`` as the last merged render."""
    return f"{without_commit(text)}{COMMIT_KEY}: {commit}\n"


def without_commit(text: str) -> str:
    """``text`` of an answers file without its recorded commit: the render's own text."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(f"{COMMIT_KEY}:")
    )


def recorded_commit(text: str) -> str | None:
    """The last merged render an answers file records, if any."""
    for line in text.splitlines():
        if line.startswith(f"{COMMIT_KEY}:"):
            value = line.partition(":")[2].strip()
            if len(value) == 40 and all(c in "0123456789abcdef" for c in value):
                return value
    return None


def commit_message(plan: Plan) -> str:
    """The message of a new project's first commit (and of its template branch's)."""
    return f"Generate the project from scaffold's {plan.template.name} template"


def make_project(
    plan: Plan,
    *,
    output_dir: Path,
    force: bool = False,
    dry_run: bool = False,
    git: bool = True,
    answers_file: bool = True,
    compiled: Any = None,
) -> Created:
    """Render ``plan`` into ``output_dir`` atomically, record its answers and commit it.

    The one way a project is made: ``scaffold new``, the web page and smoke call it
    (smoke with a ``plan_values`` plan, no git and no answers file, so the project is
    the tree ``cookiecutter --no-input`` writes). A missing ``output_dir`` is created,
    and removed again (the empty folders made for it) when the render fails.
    ``compiled`` is a cache of compiled templates (``render.compiled_templates``).
    """
    made_output_dir = not dry_run and not output_dir.exists()
    if made_output_dir:
        try:
            output_dir.mkdir(parents=True)
        except OSError as err:
            raise RenderError(f"cannot create {output_dir}: {err.strerror}") from None
    outcomes: list[Initialized] = []

    def commit(project: Path) -> None:
        outcomes.append(init_repository(project, commit_message(plan)))

    try:
        rendered = render_project(
            plan.template,
            plan.context.values,
            output_dir,
            # A dry run only lists the file: its YAML (and the yaml library) can wait.
            extra_files=(
                {ANSWERS_FILE: "" if dry_run else answers_record(plan)} if answers_file else None
            ),
            force=force,
            dry_run=dry_run,
            finish=commit if git else None,
            compiled=compiled,
        )
    except BaseException:
        if made_output_dir:
            for made in [output_dir, *output_dir.parents]:  # only the empty ones it made
                try:
                    made.rmdir()
                except OSError:
                    break
        raise
    git_outcome = outcomes[0] if outcomes else None
    return Created(plan, rendered, git_outcome, made_output_dir=made_output_dir)


def next_steps(plan: Plan, *, where: str | None = None) -> list[str]:
    """The commands a user types next, in order; ``where`` is the project's path as shown."""
    import shlex

    values = plan.context.values
    steps = [
        f"cd {shlex.quote(where or str(values['project_slug']))}",
        "python -m venv .venv && . .venv/bin/activate",
        "pip install -e '.[dev]'",
    ]
    if values.get("database") == "postgresql":
        # The database DATABASE_URL in .env names; the project's README says the same.
        steps.append(f"createdb {values['project_slug']}")
    if plan.framework == "django":
        steps += ["python manage.py migrate", "python manage.py runserver"]
    else:
        if values.get("database", "none") != "none":
            steps.append("flask db upgrade")
        steps.append("flask run")
    steps.append("pytest")
    return steps

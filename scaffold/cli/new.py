"""The `scaffold new` command: ask, recommend, make the project, say what was made."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import scaffold.cli
from scaffold.cli import (
    answers_from_flags,
    answers_option,
    json_option,
    no_input_option,
    prompts,
    set_option,
    show_recommendation,
)
from scaffold.errors import AnswersError, RenderError, TargetExistsError
from scaffold.interrupt import Interrupted, written
from scaffold.questions import FRAMEWORKS, QUESTIONS, check_name

if TYPE_CHECKING:
    from scaffold.answers import Answers
    from scaffold.project import Created


def _asked_first() -> frozenset[str]:
    """Asked before the recommendation: the name, the requirements, what a rule reads."""
    from scaffold.decision import KEYS

    return frozenset({q.key for q in QUESTIONS} | KEYS)


def _check_output_dir(output_dir: Path) -> None:
    """Refuse an output directory that cannot be one, before any question is asked."""
    existing = next((p for p in [output_dir, *output_dir.parents] if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise RenderError(f"{existing} is a file, not a directory: choose another -o DIR")


def _check_target(output_dir: Path, slug: str, force: bool) -> None:
    """Refuse an existing target before any question is asked, so no answer is lost."""
    target = output_dir / slug
    if not force and (target.exists() or target.is_symlink()):
        raise TargetExistsError(f"{target} already exists: choose another name or pass --force")


@click.command("new")
@click.argument("name", required=False)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory to create the project in.",
)
@answers_option
@set_option
@click.option("--framework", type=click.Choice(FRAMEWORKS), help="Override the recommendation.")
@no_input_option
@click.option("--dry-run", is_flag=True, help="List the files it would write; write nothing.")
@click.option("--force", is_flag=True, help="Replace the target directory if it exists.")
@click.option("--no-git", is_flag=True, help="Do not create a git repository.")
@json_option
def new_command(
    name: str | None,
    output_dir: Path,
    answers_file: Path | None,
    assignments: dict[str, str],
    framework: str | None,
    no_input: bool,
    dry_run: bool,
    force: bool,
    no_git: bool,
    as_json: bool,
) -> None:
    """Answer a few questions and get a project that runs and passes its tests."""
    from scaffold.cache import compiled_templates_dir
    from scaffold.decision import recommend
    from scaffold.project import make_project, plan_project
    from scaffold.render import compiled_templates

    _check_output_dir(output_dir)
    interactive = not no_input and scaffold.cli.can_prompt()
    # What the layers already say, before any question: a name whose target exists is
    # refused now rather than after the questions.
    given = answers_from_flags(
        answers_file, assignments, framework=framework, name=name, need_name=False
    )
    if "project_name" in given.values and not dry_run:
        slug = given.values.get("project_slug")
        shown = check_name(
            str(given.values["project_name"].value), slug=str(slug.value) if slug else None
        )
        _check_target(output_dir, shown, force)
    requirements = answers_from_flags(
        answers_file,
        assignments,
        framework=framework,
        name=name,
        interactive=interactive,
        ask_only=_asked_first(),
        err=as_json,
    )
    recommendation = recommend(
        requirements.plain(), given=requirements.given, derived=requirements.derived
    )
    if not as_json:
        show_recommendation(recommendation)
    if framework and requirements.framework and framework != requirements.framework:
        raise AnswersError(
            f"--framework {framework} and framework={requirements.framework} (from --set or the "
            "answers file) disagree: give one"
        )
    chosen = framework or requirements.framework
    if interactive and chosen is None:
        chosen = click.prompt(
            "Framework",
            type=click.Choice(FRAMEWORKS),
            default=recommendation.framework,
            err=as_json,
        )
    # An answers file or --set may hold options of the template not recommended; they
    # are set aside with a note, unless the user chose this framework.
    recommended = chosen is None
    chosen = chosen or recommendation.framework
    # Then the chosen template's options that were not asked yet.
    ask = functools.partial(prompts.ask, err=as_json)
    answers = requirements.for_framework(
        chosen, ask=ask if interactive else None, recommended=recommended
    )
    plan = plan_project(answers, framework=chosen, recommendation=recommendation)

    created = make_project(
        plan,
        output_dir=output_dir,
        force=force,
        dry_run=dry_run,
        git=not no_git,
        compiled=compiled_templates(compiled_templates_dir()),
    )
    # Past this point the project is on disk: a Ctrl-C while it is reported says so.
    try:
        if as_json:
            click.echo(json.dumps(_as_json(created, answers, dry_run=dry_run), indent=2))
        else:
            _report(created, output_dir, dry_run=dry_run)
    except KeyboardInterrupt as interrupt:
        if dry_run or isinstance(interrupt, Interrupted):
            raise
        raise written(created.rendered.path) from None


def _as_json(created: Created, answers: Answers, *, dry_run: bool) -> dict[str, Any]:
    """What `new --json` prints: the plan, the files, where each answer came from, git."""
    plan, rendered = created.plan, created.rendered
    return {
        "framework": plan.framework,
        "recommended": plan.recommendation.framework,
        "overridden": plan.overridden,
        "output": str(rendered.path),
        "dry_run": dry_run,
        "files": list(rendered.files),
        "options": plan.context.values,
        "notes": list(plan.context.notes),
        "answers": {
            key: {"value": a.value, "source": a.source, "reason": a.reason}
            for key, a in answers.values.items()
        },
        "git": created.git.message if created.git else None,
        "git_outcome": created.git.outcome.value if created.git else None,
        "created_output_dir": created.made_output_dir,
        "updatable": created.updatable,
    }


def _report(created: Created, output_dir: Path, *, dry_run: bool) -> None:
    """What `new` prints for a person: notes, the files, the options, git, next steps."""
    from scaffold.project import next_steps

    plan, rendered = created.plan, created.rendered
    for note in plan.context.notes:
        click.secho(f"  {note}", fg="yellow")
    if plan.overridden:
        click.echo(f"  You chose {plan.framework.capitalize()} over the recommendation.")
    verb = "Would write" if dry_run else "Wrote"
    if created.made_output_dir:
        click.echo(f"  Created the output directory {output_dir}")
    click.secho(f"\n{verb} {len(rendered.files)} files to {rendered.path}", bold=True)
    if dry_run:
        for path in rendered.files:
            click.echo(f"  {path}")
        return
    chosen_options = ", ".join(
        f"{option.name}={json.dumps(value) if isinstance(value, bool) else value}"
        for option in plan.template.options
        for value in [plan.context.values[option.name]]
    )
    click.echo(f"  {plan.framework.capitalize()} template with {chosen_options}")
    if created.git:
        click.echo(f"  {created.git.message}")
    if not created.updatable:
        click.secho(
            "  note: scaffold update merges through git; once this project is committed "
            "to a repository, `scaffold adopt` gives it the base that updates start from",
            fg="yellow",
        )
    click.secho("\nNext steps:", bold=True)
    for step in next_steps(plan, where=_shown_path(rendered.path)):
        click.echo(f"  {step}")


def _shown_path(path: Path) -> str:
    """``path`` as the user types it from here: relative below the current directory.

    The current directory may be gone: ``--force`` replaced it with the project.
    """
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)

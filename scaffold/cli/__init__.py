"""The command line: parse, call one core function, print. Only this module imports click."""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scaffold import __version__
from scaffold.cli.exits import EPILOG, INTERRUPTED, Failure
from scaffold.errors import (
    AnswersError,
    ProjectNameError,
    RenderError,
    ScaffoldError,
    TargetExistsError,
)
from scaffold.interrupt import Interrupted, written
from scaffold.questions import EMAIL, FRAMEWORKS, QUESTIONS, Question, check_name, check_slug

if TYPE_CHECKING:
    from scaffold.answers import Answers


# The commands living in their own modules: imported when they run or when --help
# lists them, so `scaffold new` does not pay for smoke, update, web and cache.
LAZY_COMMANDS = {
    "adopt": ("scaffold.cli.update", "adopt_command"),
    "cache": ("scaffold.cli.cache", "cache_command"),
    "check": ("scaffold.cli.update", "check_command"),
    "matrix": ("scaffold.cli.smoke", "matrix_command"),
    "smoke": ("scaffold.cli.smoke", "smoke_command"),
    "update": ("scaffold.cli.update", "update_command"),
    "web": ("scaffold.cli.web", "web_command"),
}


class ScaffoldGroup(click.Group):
    """Turns ScaffoldError into a one-line error and Ctrl-C into exit code 130."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScaffoldError as error:
            raise Failure(error) from error
        except (KeyboardInterrupt, click.Abort) as interrupt:
            message = getattr(interrupt, "message", "Interrupted: nothing was written.")
            click.echo(f"\n{message}", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


def can_prompt() -> bool:
    """True when a person can answer prompts: a terminal on stdin and no CI variable."""
    ci = os.environ.get("CI", "").strip().lower()
    if ci not in ("", "0", "false", "no"):
        return False
    return sys.stdin.isatty()


def _parse_set(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict:
    from scaffold.answers import parse_set

    try:
        return parse_set(value)
    except ScaffoldError as error:
        raise click.BadParameter(str(error)) from error


answers_option = click.option(
    "--answers",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read answers from a YAML or JSON file.",
)
set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_parse_set,
    help="Set one answer or template variable; repeatable; wins over --answers.",
)
no_input_option = click.option(
    "--no-input", is_flag=True, help="Never prompt: use defaults for every unanswered question."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def _answers(
    answers_file: Path | None,
    assignments: dict[str, str],
    *,
    framework: str | None = None,
    name: str | None = None,
    interactive: bool = False,
    ask_only: frozenset[str] | None = None,
    need_name: bool = True,
    err: bool = False,
) -> Answers:
    from scaffold.answers import layer_answers
    from scaffold.questions import load_answers_file

    return layer_answers(
        framework=framework,
        file_values=load_answers_file(answers_file) if answers_file else None,
        set_values=assignments,
        name=name,
        ask=functools.partial(_ask, err=err) if interactive else None,
        ask_only=ask_only,
        need_name=need_name,
    )


def _asked_first() -> frozenset[str]:
    """Asked before the recommendation: the name, the requirements, what a rule reads."""
    from scaffold.decision import KEYS

    return frozenset({q.key for q in QUESTIONS} | KEYS)


# Template variables whose default is the user's git identity, where set.
GIT_IDENTITY = {"author_name": "user.name", "email": "user.email"}


def _ask(q: Question, *, err: bool = False) -> Any:
    """Ask one question; with ``err`` on stderr, so that stdout holds only JSON."""
    if q.key == "project_name":
        return _ask_name(err=err)
    if q.key in GIT_IDENTITY:
        from scaffold.vcs import git_config

        q = replace(q, default=git_config(GIT_IDENTITY[q.key]) or q.default)
    if q.key == "email":
        return _ask_email(q, err=err)
    if q.help:
        click.secho(f"  {q.help}", dim=True, err=err)
    if q.type == "bool":
        return click.confirm(q.prompt, default=q.default, err=err)
    if q.type == "choice":
        return click.prompt(q.prompt, type=click.Choice(q.choices), default=q.default, err=err)
    return click.prompt(q.prompt, default=q.default, err=err)


def _ask_email(q: Question, *, err: bool = False) -> str:
    """Ask for the author's address until it is one packaging metadata accepts."""
    default = q.default
    if default is not None and not EMAIL.fullmatch(str(default)):
        default = None  # a git identity such as "me" is no address: nothing to offer
    while True:
        value = click.prompt(q.prompt, default=default, err=err)
        if EMAIL.fullmatch(value):
            return str(value)
        click.secho("  give one address such as you@example.com", fg="yellow", err=True)


def _ask_name(default: str | None = None, *, err: bool = False) -> str:
    while True:
        name = click.prompt("Project name", default=default, err=err)
        try:
            slug = check_name(name)
            check_slug(slug, _all_reserved_slugs())
            return name
        except ProjectNameError as error:
            click.secho(f"  {error}", fg="yellow", err=True)
            default = error.suggestion


def _all_reserved_slugs() -> set[str]:
    from scaffold.catalog import load_templates

    return {slug for template in load_templates() for slug in template.reserved_slugs}


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


def _show_recommendation(recommendation: Any) -> None:
    from scaffold.cli.recommendation import format_recommendation

    lines = format_recommendation(recommendation)
    click.secho(f"\n{lines[0]}", bold=True)
    click.echo("\n".join(lines[1:]))


@click.group(
    cls=ScaffoldGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="scaffold")
def cli() -> None:
    """Ask what you are building, recommend Django or Flask, and write a working project."""


@cli.command()
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
def new(
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
    from scaffold.project import make_project, next_steps, plan_project
    from scaffold.render import compiled_templates

    _check_output_dir(output_dir)
    interactive = not no_input and can_prompt()
    # What the layers already say, before any question: a name whose target exists is
    # refused now rather than after the questions.
    given = _answers(answers_file, assignments, framework=framework, name=name, need_name=False)
    if "project_name" in given.values and not dry_run:
        slug = given.values.get("project_slug")
        shown = check_name(
            str(given.values["project_name"].value), slug=str(slug.value) if slug else None
        )
        _check_target(output_dir, shown, force)
    requirements = _answers(
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
        _show_recommendation(recommendation)
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
    ask = functools.partial(_ask, err=as_json)
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
    rendered = created.rendered
    # Past this point the project is on disk: a Ctrl-C while it is reported says so.
    try:
        if as_json:
            click.echo(
                json.dumps(
                    {
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
                    },
                    indent=2,
                )
            )
            return

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
    except KeyboardInterrupt as interrupt:
        if dry_run or isinstance(interrupt, Interrupted):
            raise
        raise written(rendered.path) from None


def _shown_path(path: Path) -> str:
    """``path`` as the user types it from here: relative below the current directory.

    The current directory may be gone: ``--force`` replaced it with the project.
    """
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@cli.command("recommend")
@answers_option
@set_option
@no_input_option
@json_option
@click.option("--explain", is_flag=True, help="Print every rule with the seed it comes from.")
def recommend_command(
    answers_file: Path | None,
    assignments: dict[str, str],
    no_input: bool,
    as_json: bool,
    explain: bool,
) -> None:
    """Only the decision: Django or Flask, with the scores and every reason."""
    from scaffold.decision import KEYS, RULES, recommend

    if explain:
        from scaffold.cli.recommendation import format_rules

        text = json.dumps([rule.to_dict() for rule in RULES], indent=2, ensure_ascii=False)
        click.echo(text if as_json else "\n".join(format_rules(RULES)))
        return
    # Only the questions a rule reads are asked; defaults fill the rest and score nothing.
    answers = _answers(
        answers_file,
        assignments,
        interactive=not no_input and can_prompt(),
        ask_only=KEYS,
        need_name=False,
    )
    recommendation = recommend(answers.plain(), given=answers.given, derived=answers.derived)
    if as_json:
        click.echo(json.dumps(recommendation.to_dict(), indent=2, ensure_ascii=False))
    else:
        _show_recommendation(recommendation)


@cli.command()
@json_option
def questions(as_json: bool) -> None:
    """Every question with its key, type, choices, default and help."""
    from scaffold.answers import all_questions
    from scaffold.catalog import load_templates

    found = load_templates()
    rows = []
    for q in all_questions():
        offered = [t.name for t in found if t.option(q.key)]
        rows.append({**q.to_dict(), "templates": offered or None})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        kind = "|".join(map(_show_value, row["choices"])) if row["choices"] else row["type"]
        default = "(required)" if row["default"] is None else json.dumps(row["default"])
        where = f"  ({', '.join(row['templates'])} template)" if row["templates"] else ""
        click.echo(f"{row['key']:<13} {kind:<40} default {default}{where}")
        click.echo(f"{'':<13} {row['prompt']}{'; ' + row['help'] if row['help'] else ''}")


def _show_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


@cli.command()
@json_option
def templates(as_json: bool) -> None:
    """Each template, its options (from its cookiecutter.json) and its checks file."""
    from scaffold.catalog import load_templates

    found = load_templates()
    if as_json:
        click.echo(json.dumps([template.to_dict() for template in found], indent=2))
        return
    for template in found:
        click.secho(f"{template.name}  ({template.path})", bold=True)
        for option in template.options:
            choices = "|".join(json.dumps(c) if c in (True, False) else c for c in option.choices)
            click.echo(f"  {option.name:<10} {choices:<28} {option.prompt}")
        for requirement in template.requirements:
            click.echo(f"  requires: {requirement.reason}")
        if template.checks_path is not None:
            click.echo(f"  checks: {template.checks_path}")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    try:
        # Not standalone: click would turn a Ctrl-C outside a command into "Aborted!"
        # and exit code 1.
        code = cli.main(args=argv, prog_name="scaffold", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:  # click has ended the line already
        click.echo("Interrupted: nothing was written.", err=True)
        return 130
    except KeyboardInterrupt as interrupt:
        message = getattr(interrupt, "message", "Interrupted: nothing was written.")
        click.echo(f"\n{message}", err=True)
        return 130
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return code if isinstance(code, int) else 0

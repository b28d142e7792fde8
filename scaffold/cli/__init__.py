"""The command line: parse, call one core function, print. Only scaffold.cli imports click.

This module holds the group, the options several commands share and the small
commands; `new`, `update`/`check`/`adopt`, `smoke`/`matrix`, `web` and `cache` live in
modules of their own, imported when they run.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scaffold import __version__
from scaffold.cli.exits import EPILOG, INTERRUPTED, Failure
from scaffold.errors import ScaffoldError

if TYPE_CHECKING:
    from scaffold.answers import Answers


# The commands living in their own modules: imported when they run or when --help
# lists them, so each command pays only for its own.
LAZY_COMMANDS = {
    "adopt": ("scaffold.cli.update", "adopt_command"),
    "cache": ("scaffold.cli.cache", "cache_command"),
    "check": ("scaffold.cli.update", "check_command"),
    "matrix": ("scaffold.cli.smoke", "matrix_command"),
    "new": ("scaffold.cli.new", "new_command"),
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


def answers_from_flags(
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
    """The answers the flags give (--answers, --set, NAME), and, ``interactive``, the
    prompts for the rest (on stderr with ``err``): one call of ``layer_answers``."""
    from scaffold.answers import layer_answers
    from scaffold.cli import prompts
    from scaffold.questions import load_answers_file

    return layer_answers(
        framework=framework,
        file_values=load_answers_file(answers_file) if answers_file else None,
        set_values=assignments,
        name=name,
        ask=functools.partial(prompts.ask, err=err) if interactive else None,
        ask_only=ask_only,
        need_name=need_name,
    )


def show_recommendation(recommendation: Any) -> None:
    """Print the recommendation for a person: the verdict, the scores and the reasons."""
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
    answers = answers_from_flags(
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
        show_recommendation(recommendation)


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

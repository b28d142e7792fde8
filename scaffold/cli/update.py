"""The `update`, `check` and `adopt` commands: parse, call scaffold.update.actions, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scaffold.cli.exits import ANSWER_IS_NO, EPILOG

if TYPE_CHECKING:
    from scaffold.update.results import Update

project_argument = click.argument(
    "path",
    required=False,
    default=Path("."),
    type=click.Path(file_okay=False, path_type=Path),
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
# How many of the files that differ from the adopted render are listed; --json has all.
ADOPT_LISTED = 20


@click.command("update", epilog=EPILOG)
@project_argument
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change one answer or template variable; repeatable; wins over --answers.",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read changed answers from a YAML or JSON file.",
)
@click.option("--dry-run", is_flag=True, help="Show the diff it would apply; write nothing.")
@json_option
@click.pass_context
def update_command(
    ctx: click.Context,
    path: Path,
    assignments: tuple[str, ...],
    answers_file: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Merge what the template changed (or changed answers) into the project at PATH.

    Files you never touched follow the template, your changes stay, and lines
    both changed are left with conflict markers (exit code 3). The update lands
    as one merge commit.
    """
    from scaffold.interrupt import Interrupted
    from scaffold.update.actions import update_project
    from scaffold.update.apply import applied_message
    from scaffold.update.base import project_state

    before = project_state(path)
    try:
        result = update_project(
            path, assignments=assignments, answers_file=answers_file, dry_run=dry_run
        )
    except Interrupted:
        raise
    except KeyboardInterrupt:
        # The steps that change the project run with Ctrl-C held, so it is either as it
        # was or updated: the message says which.
        after = project_state(path)
        if after == before:
            raise Interrupted("Interrupted: nothing was written.") from None
        raise Interrupted(applied_message(conflicts=after[2] is not None)) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_update(result)
    if result.conflicts and result.status == "conflicts":
        ctx.exit(ANSWER_IS_NO)


def _print_update(result: Update) -> None:
    template = f"scaffold's {result.template} template"
    # On a dry run stdout carries only the diff, so that it can be piped to `git apply`.
    err = result.status == "dry run"
    for note in result.notes:
        click.secho(f"  note: {note}", fg="yellow", err=err)
    if result.answers:
        changed = ", ".join(
            f"{key}: {_show(old)} -> {_show(new)}" for key, (old, new) in result.answers.items()
        )
        click.echo(f"Answers: {changed}", err=err)
    if result.status == "up to date":
        click.echo(f"{result.project} is up to date with {template}.")
    elif result.status == "dry run":
        click.echo(result.diff, nl=False)
        summary = f"Would change {_count(result.changes, 'file')} (nothing was written):"
        click.secho(summary, bold=True, err=True)
        _print_files(result, err=True)
        _print_next_steps(result, err=True)
    elif result.status == "merged":
        commit = (result.commit or "")[:12]
        changed = _count(result.changes, "file")
        click.secho(f"Merged {template} into {result.branch} as {commit}: {changed} changed")
        _print_files(result)
        _print_next_steps(result)
        click.echo(
            "Inspect it with `git show --stat HEAD`; undo it with `git reset --keep HEAD~1`."
        )
    else:
        conflicts = _count(result.conflicts, "conflict")
        click.secho(f"Merged {template} into {result.branch} with {conflicts}:", bold=True)
        _print_files(result)
        _print_next_steps(result)
        click.echo(
            "Resolve the conflict markers, then `git add` those files and `git commit`; "
            "or undo the whole update with `git merge --abort`."
        )


def _print_next_steps(result: Update, *, err: bool = False) -> None:
    """Migrations to run and .env lines to add: what the merge itself cannot do."""
    dry = result.status == "dry run"
    applied = [change.path for change in result.migrations if change.status != "deleted"]
    deleted = [change.path for change in result.migrations if change.status == "deleted"]
    if applied:
        verb = "would change" if dry else "changed"
        click.secho(f"Migrations {verb}: {', '.join(applied)}", bold=True, err=err)
        if not dry:
            click.echo(f"Apply them to your database with `{result.migrate}`.", err=err)
    if deleted:
        verb = "would be deleted" if dry else "deleted"
        click.secho(f"Migrations {verb}: {', '.join(deleted)}", bold=True, err=err)
        undo = {"dry run": "", "conflicts": "`git merge --abort`, then "}.get(
            result.status, "`git reset --keep HEAD~1`, then "
        )
        click.echo(
            "A database that has applied them keeps their tables: first "
            f"{undo}migrate it back past them while their files are there, then update "
            '(scaffold\'s README, "Updating a project", gives the commands).',
            err=err,
        )
    if result.env_lines:
        click.secho("Your .env lacks what the new .env.example sets; add:", bold=True, err=err)
        for line in result.env_lines:
            click.echo(f"  {line}", err=err)


def _count(items: tuple[object, ...], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _print_files(result: Update, *, err: bool = False) -> None:
    for change in result.changes:
        click.echo(f"  {change.status:<9} {change.path}", err=err)
    for path in result.kept:
        click.echo(f"  kept      {path} (the template deleted it; you had changed it)", err=err)
    for conflict in result.conflicts:
        click.secho(f"  CONFLICT  {conflict.path} ({conflict.reason})", fg="red", err=err)


def _show(value: object) -> str:
    if value is None:
        return "(unset)"
    return str(value).lower() if isinstance(value, bool) else str(value)


@click.command("check", epilog=EPILOG)
@project_argument
@json_option
@click.pass_context
def check_command(ctx: click.Context, path: Path, as_json: bool) -> None:
    """Say whether the project at PATH is behind its template: exit 0 if not, 3 if it is."""
    from scaffold.update.actions import check_for_update

    result = check_for_update(path)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    elif result.older:
        click.echo(
            f"{result.project} was last rendered from a newer {result.template} template: "
            "your scaffold is older than this project's template; upgrade scaffold."
        )
    elif not result.behind:
        click.echo(f"{result.project} is up to date with scaffold's {result.template} template.")
    else:
        click.echo(
            f"{result.project} is behind scaffold's {result.template} template: "
            "run `scaffold update` to merge the changes."
        )
        for change in result.changes:
            click.echo(f"  {change.status:<9} {change.path}")
    if not result.exact and not as_json and not result.older:
        exact = (
            "fetch the scaffold/template branch for an exact check"
            if result.in_repository
            else "the project is in no git repository; commit it to one and run "
            "`scaffold adopt`, then `scaffold update` can merge"
        )
        click.echo(f"  (compared template fingerprints only: {exact})", err=True)
    if result.behind or result.older:
        ctx.exit(ANSWER_IS_NO)


@click.command("adopt", epilog=EPILOG)
@project_argument
@json_option
def adopt_command(path: Path, as_json: bool) -> None:
    """Let `scaffold update` merge into a committed project that has no template branch.

    For a project made with --no-git and committed later (or one whose branch was
    lost): the installed template, rendered with the project's recorded answers,
    becomes the base of later updates. Only that branch is written.
    """
    from scaffold.interrupt import Interrupted
    from scaffold.update.base import project_state

    before = project_state(path)
    try:
        _adopt(path, as_json)
    except Interrupted:
        raise
    except KeyboardInterrupt:
        # The branch is written by one ref update: it is there or it is not.
        if project_state(path) == before:
            raise Interrupted("Interrupted: nothing was written.") from None
        raise Interrupted(
            "Interrupted: the project was already adopted: its template branch holds the "
            "base `scaffold update` merges from."
        ) from None


def _adopt(path: Path, as_json: bool) -> None:
    from scaffold.update.actions import adopt_project

    result = adopt_project(path)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(
        f"Adopted {result.project}: {result.branch} now holds scaffold's {result.template} "
        f"template (version {result.installed_version}) rendered with the recorded answers, "
        "the base `scaffold update` merges from."
    )
    if result.exact:
        click.echo("  That is the template the project was generated from.")
    else:
        by = f", scaffold {result.generated_by}" if result.generated_by else ""
        click.secho(
            f"  note: the project was generated from version {result.recorded_version}{by}; "
            "adopt assumed it began as the installed template renders it, so what the "
            "template changed since stays as the project has it (as if you had written it). "
            "For an exact base, run `scaffold adopt` with the scaffold that generated it.",
            fg="yellow",
        )
    changed = _count(result.changes, "file")
    click.echo(f"  The project differs from that render in {changed}: updates keep those as yours.")
    for change in result.changes[:ADOPT_LISTED]:
        click.echo(f"  {change.status:<9} {change.path}")
    if len(result.changes) > ADOPT_LISTED:
        click.echo(f"  ... and {len(result.changes) - ADOPT_LISTED} more (see --json)")
    click.echo(f"Push the branch with the rest: `git push origin {result.branch}`.")

"""The ``scaffold matrix`` and ``scaffold smoke`` commands: parse, call one core function, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from scaffold.cli.exits import ANSWER_IS_NO, EPILOG, one_line_errors
from scaffold.errors import SmokeError

TEMPLATE_METAVAR = "[django|flask|all|DIR]"


template_argument = click.argument("template", default="all", metavar=TEMPLATE_METAVAR)
strategy_option = click.option(
    "--strategy",
    default="all",
    show_default=True,
    metavar="all|pairwise",
    help="Every valid combination, or a set covering every pair of option values.",
)


@click.command("matrix")
@template_argument
@strategy_option
@click.option("--json", "as_json", is_flag=True, help="Print the matrix as JSON.")
@click.option(
    "--github",
    is_flag=True,
    help="Print a GitHub Actions strategy.matrix (for fromJSON): one job per template shard.",
)
@click.option(
    "--shards",
    type=int,
    default=None,
    metavar="N",
    help="With --github: jobs per template [default: about 4 combinations a job].",
)
@one_line_errors
def matrix_command(
    template: str, strategy: str, as_json: bool, github: bool, shards: int | None
) -> None:
    """List the option combinations of a template, without the impossible ones."""
    from scaffold.smoke.matrix import combinations
    from scaffold.smoke.selection import github_matrix, nothing_to_vary, select_templates

    if as_json and github:
        raise SmokeError("--json and --github both choose the output: pick one")
    if shards is not None and not github:
        raise SmokeError("--shards sets the jobs of --github: add --github, or drop --shards")
    if shards is not None and shards < 1:
        raise SmokeError(f"--shards {shards} is not a positive number: use --shards 1 or more")
    templates = select_templates(template)
    for note in filter(None, map(nothing_to_vary, templates)):
        click.echo(f"Note: {note}", err=True)
    matrices = [combinations(t, strategy) for t in templates]
    if github:
        jobs = github_matrix(matrices, shards=shards)
        click.echo(json.dumps(jobs, separators=(",", ":")))
    elif as_json:
        click.echo(json.dumps({"matrices": [m.to_dict() for m in matrices]}, indent=2))
    else:
        _print_matrices(matrices)


def _print_matrices(matrices: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from scaffold.smoke.constraints import format_value

    console = Console(highlight=False)
    for matrix in matrices:
        console.print(matrix.summary(), style="bold", soft_wrap=True)
        if not matrix.template.options:
            console.print("no options: the one combination is the template's defaults\n")
            continue
        table = Table(box=None, pad_edge=False)
        table.add_column("#", justify="right")
        for option in matrix.template.options:
            table.add_column(option.name)
        for number, combination in enumerate(matrix.combinations, start=1):
            values = [format_value(value) for value in combination.values.values()]
            table.add_row(str(number), *values)
        console.print(table)
        console.print()


@click.command("smoke", epilog=EPILOG)
@template_argument
@strategy_option
@click.option(
    "--jobs", type=int, default=None, metavar="N", help="Projects checked at once [default: cores]."
)
@click.option(
    "--shard", "shard_text", metavar="I/N", help="Run part I of N: N jobs together run each once."
)
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML.")
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JSON."
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the generated projects in this (new or empty) directory.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only combinations with this option value; repeatable (one key: any of its values).",
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Time limit of each step [default: 600].",
)
@click.option(
    "--python",
    metavar="PATH_OR_NAME",
    help="The interpreter of the projects' environment [default: the template's, else scaffold's].",
)
@click.option(
    "--checks",
    "checks_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The template's checks file [default: scaffold-checks.yml beside cookiecutter.json].",
)
@one_line_errors
def smoke_command(
    template: str,
    strategy: str,
    jobs: int | None,
    shard_text: str | None,
    junit: Path | None,
    json_path: Path | None,
    keep: Path | None,
    only: tuple[str, ...],
    timeout: float | None,
    python: str | None,
    checks_file: Path | None,
) -> None:
    """Generate each combination and run the template's own checks on it.

    The checks (lint, framework checks, migrations, the project's tests, a
    boot-and-request check) are the template's scaffold-checks.yml, beside its
    cookiecutter.json (docs/checks.md); with none declared, the default checks run.
    PostgreSQL combinations use the server in SCAFFOLD_TEST_POSTGRES_URL, or start a
    throwaway one with the machine's initdb. A combination the template's
    pre-generation hook refuses is reported apart, as "refused" (a pass when the
    checks file's expect_refused names it). Exit code 3 when any combination fails
    or is refused unexpectedly, 2 for bad arguments, 1 when the run could not start.
    """
    from scaffold.catalog import with_checks_file
    from scaffold.smoke.report import write_json, write_junit
    from scaffold.smoke.runner import DEFAULT_STEP_TIMEOUT, run_smoke
    from scaffold.smoke.selection import nothing_to_vary, parse_shard, select_templates

    shard_spec = parse_shard(shard_text) if shard_text is not None else None
    templates = select_templates(template)
    if checks_file is not None:
        templates = [with_checks_file(templates, checks_file)]
    for notice in (notice for t in templates for notice in (*t.notices, nothing_to_vary(t))):
        if notice:
            click.echo(f"Note: {notice}", err=True)
    with _ProgressDisplay() as display:
        run = run_smoke(
            templates,
            strategy=strategy,
            jobs=jobs,
            shard_spec=shard_spec,
            only=only,
            keep=keep,
            step_timeout=DEFAULT_STEP_TIMEOUT if timeout is None else timeout,
            progress=display.update,
            python=python,
        )
    if junit:
        write_junit(run, junit)
    if json_path:
        write_json(run, json_path)
    _print_run(run)
    if not run.ok:
        raise click.exceptions.Exit(ANSWER_IS_NO)


class _ProgressDisplay:
    """A progress bar on a terminal; one line per finished combination in a CI log."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _ProgressDisplay:
        if self.console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("planning", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, event: Any) -> None:
        """Show one progress event (called from the worker threads)."""
        if event.kind == "planned":
            from scaffold.smoke.matrix import counted

            self._describe(f"checking {counted(event.total, 'combination')}", total=event.total)
        elif event.kind == "status":
            self._describe(event.message)
        elif event.kind == "step":
            self._describe(f"{event.combination.template} {event.combination.id}: {event.step}")
        elif event.kind == "finished":
            if self.bar is not None:
                self.bar.advance(self.task)
            else:
                from scaffold.smoke.report import combination_lines

                for line in combination_lines(event.result):
                    self.console.print(line, soft_wrap=True, markup=False)

    def _describe(self, text: str, total: int | None = None) -> None:
        if self.bar is not None:
            if total is not None:
                self.bar.update(self.task, total=total)
            self.bar.update(self.task, description=text)


def _print_run(run: Any) -> None:
    from scaffold.smoke.report import text_report

    for line in text_report(run):
        mark = line.split(" ", 1)[0]
        colour = {"pass": "green", "FAIL": "red", "REFUSED": "red"}.get(mark)
        if colour:  # only the outcome's word, so the line keeps its width
            line = click.style(mark, fg=colour, bold=mark != "pass") + line[len(mark) :]
        click.echo(line)

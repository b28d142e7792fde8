"""The `scaffold cache` command: list and clear the smoke runs' cached environments."""

from __future__ import annotations

import json
import time

import click


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GB"


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


@click.group("cache", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def cache_command(ctx: click.Context, as_json: bool) -> None:
    """List the virtualenvs smoke runs keep, with their size and when each was last used.

    They live in SCAFFOLD_CACHE_DIR, else $XDG_CACHE_HOME/scaffold, else
    ~/.cache/scaffold. `scaffold cache clear` removes them.
    """
    if ctx.invoked_subcommand is not None:
        return
    from scaffold.smoke.environment import cache_dir, cached_environments

    found = cached_environments()
    now = time.time()
    if as_json:
        items = [
            {"name": c.name, "path": str(c.path), "bytes": c.size,
             "unused_seconds": round(now - c.last_used), "ready": c.ready}
            for c in found
        ]  # fmt: skip
        click.echo(json.dumps({"cache_dir": str(cache_dir()), "environments": items}, indent=2))
        return
    click.echo(f"cache: {cache_dir()}")
    if not found:
        click.echo("no cached environments")
        return
    for cached in found:
        state = "" if cached.ready else "  (unfinished)"
        click.echo(
            f"  {cached.name:<28} {_size(cached.size):>8}  used {_age(now - cached.last_used)} ago"
            f"{state}"
        )
    total = sum(cached.size for cached in found)
    click.echo(f"{len(found)} environments, {_size(total)}")


@cache_command.command("clear")
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    metavar="DAYS",
    help="Only environments not used for DAYS days.",
)
def clear_command(days: float | None) -> None:
    """Remove the cached environments (all, or those unused for --older-than DAYS)."""
    from scaffold.smoke.environment import clear_cache

    removed = clear_cache(unused_days=days)
    freed = sum(cached.size for cached in removed)
    click.echo(f"removed {len(removed)} environments, {_size(freed)}")

"""The questions `scaffold new` asks a person at a terminal, one at a time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click

from scaffold.errors import ProjectNameError
from scaffold.questions import EMAIL, Question, check_name, check_slug

# Template variables whose default is the user's git identity, where set.
GIT_IDENTITY = {"author_name": "user.name", "email": "user.email"}


def ask(q: Question, *, err: bool = False) -> Any:
    """Ask one question; with ``err`` on stderr, so that stdout holds only JSON."""
    if q.key == "project_name":
        return ask_name(err=err)
    if q.key in GIT_IDENTITY:
        from scaffold.vcs import git_config

        q = replace(q, default=git_config(GIT_IDENTITY[q.key]) or q.default)
    if q.key == "email":
        return ask_email(q, err=err)
    if q.help:
        click.secho(f"  {q.help}", dim=True, err=err)
    if q.type == "bool":
        return click.confirm(q.prompt, default=q.default, err=err)
    if q.type == "choice":
        return click.prompt(q.prompt, type=click.Choice(q.choices), default=q.default, err=err)
    return click.prompt(q.prompt, default=q.default, err=err)


def ask_email(q: Question, *, err: bool = False) -> str:
    """Ask for the author's address until it is one packaging metadata accepts."""
    default = q.default
    if default is not None and not EMAIL.fullmatch(str(default)):
        default = None  # a git identity such as "me" is no address: nothing to offer
    while True:
        value = click.prompt(q.prompt, default=default, err=err)
        if EMAIL.fullmatch(value):
            return str(value)
        click.secho("  give one address such as you@example.com", fg="yellow", err=True)


def ask_name(default: str | None = None, *, err: bool = False) -> str:
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

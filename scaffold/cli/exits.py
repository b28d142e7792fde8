"""What scaffold's exit codes mean, and the one mapping of ScaffoldError to an exit.

0    done (check: up to date; update: merged or up to date; smoke: every project passed)
1    failed: could not do it (not a scaffold project, a hook refused, git missing...)
2    usage error: a bad flag, answer, name or answers file
3    done, and the answer is no: check found the project behind its template, update
     left conflicts to resolve, smoke found a project that fails its checks
130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from scaffold.errors import ScaffoldError

OK = 0
FAILED = 1
USAGE = 2
ANSWER_IS_NO = 3
INTERRUPTED = 130

EPILOG = (
    "Exit codes: 0 done, 1 failed, 2 usage error, 3 the answer is no (check: behind; "
    "update: conflicts left; smoke: a project failed), 130 interrupted."
)


class Failure(click.ClickException):
    """A ScaffoldError shown as click shows errors: one ``Error: ...`` line and its code."""

    def __init__(self, error: ScaffoldError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # a class attribute in click


def one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ScaffoldError into Failure for a command run on its own (tests, another group)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScaffoldError as error:
            raise Failure(error) from error

    return wrapper

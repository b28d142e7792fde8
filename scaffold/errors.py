"""The exceptions scaffold raises; the CLI catches ScaffoldError once.

ScaffoldError            base: exit code 1, message printed as one line
    UsageError           bad input from the user: exit code 2
        AnswersError     an answers file or --set value is malformed or out of range
        ProjectNameError a project name that cannot become a Python package
    TargetExistsError    the target directory exists and --force was not given
    TemplateError        a template is missing or its cookiecutter.json is malformed
    RenderError          cookiecutter or a template hook failed while rendering
        HookRefused      the template's pre-generation hook refused the values
    SmokeError           a smoke run could not start (bad shard, unknown option...)
    UpdateError          a project cannot be updated (not a scaffold project, dirty tree...)
"""

from __future__ import annotations


class ScaffoldError(Exception):
    """Raised for any failure the user should see as one line, not a traceback."""

    exit_code = 1


class UsageError(ScaffoldError):
    """Raised when a flag, an answer or a name is invalid."""

    exit_code = 2


class AnswersError(UsageError):
    """Raised when an answers file or a --set value is malformed, unknown or out of range."""


class ProjectNameError(UsageError):
    """Raised when a project name cannot become a valid, importable package name."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class TargetExistsError(ScaffoldError):
    """Raised when the target directory exists and replacing it was not asked for."""


class TemplateError(ScaffoldError):
    """Raised when a template cannot be found or its cookiecutter.json is malformed."""


class RenderError(ScaffoldError):
    """Raised when cookiecutter or a template hook fails while rendering."""


class HookRefused(RenderError):
    """Raised when a template's pre-generation hook refuses the values (exits non-zero)."""


class SmokeError(UsageError):
    """Raised when a smoke or matrix run is asked for with invalid options."""


class UpdateError(ScaffoldError):
    """Raised when a project cannot be updated as asked."""


class RepositoryRefused(UpdateError):
    """Raised when git will not work in the project's repository (another user's)."""

"""Answers become template variables; the template's own constraints are enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.catalog import Template
from scaffold.errors import AnswersError, ProjectNameError
from scaffold.options import build_context
from scaffold.questions import with_defaults
from tests.conftest import make_template


def _answers(**given: object) -> dict:
    return with_defaults({"project_name": "Acme News", **given})


def test_answers_fill_options_of_the_same_name(tiny_template: Template) -> None:
    """Each template option takes the answer with its name."""
    context = build_context(tiny_template, _answers(database="postgresql", accounts=True))
    assert context.values["database"] == "postgresql"
    assert context.values["accounts"] is True
    assert context.values["project_slug"] == "acme_news"
    assert context.notes == ()


def test_broken_requirement_is_fixed_and_explained(tiny_template: Template) -> None:
    """Accounts without a database get the first allowed database, and a note says so."""
    context = build_context(tiny_template, _answers(database="none", accounts=True))
    assert context.values["database"] == "sqlite"
    assert context.notes == (
        "accounts need a database (accounts=true needs database=sqlite or "
        "database=postgresql; got database=none): set database to sqlite",
    )


def test_requirements_chain(tmp_path: Path) -> None:
    """A fix that triggers another requirement is fixed too (admin -> accounts -> database)."""
    template = make_template(
        tmp_path / "chain",
        config={
            "project_name": "x",
            "project_slug": "x",
            "database": ["sqlite", "none"],
            "accounts": False,
            "admin": False,
            "_requires": [
                {"when": {"accounts": True}, "require": {"database": ["sqlite"]}, "reason": "a"},
                {"when": {"admin": True}, "require": {"accounts": [True]}, "reason": "b"},
            ],
        },
    )
    context = build_context(template, _answers(database="none", admin=True))
    assert context.values["accounts"] is True
    assert context.values["database"] == "sqlite"
    assert template.broken_requirements(context.values) == []


def test_template_variables_override(tiny_template: Template) -> None:
    """An explicit slug or variable wins over the derived one."""
    context = build_context(tiny_template, _answers(), {"project_slug": "news"})
    assert context.values["project_slug"] == "news"


def test_reserved_slug_of_the_template(tiny_template: Template) -> None:
    """The template's _reserved_slugs are refused."""
    with pytest.raises(ProjectNameError, match="forbidden"):
        build_context(tiny_template, _answers(project_name="Forbidden"))


def test_value_outside_the_choices_is_refused(tiny_template: Template) -> None:
    """build_context takes layered answers; a value the option cannot take names the key."""
    with pytest.raises(AnswersError, match="database must be one of sqlite, postgresql, none"):
        build_context(tiny_template, _answers(database="mysql"))

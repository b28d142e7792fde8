"""Answers become template variables; the template's own constraints are enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.catalog import Template
from scaffold.errors import AnswersError, NameError_
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
    assert context.notes == ("accounts need a database: set database to sqlite",)


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


def test_database_the_template_lacks_falls_back(tmp_path: Path) -> None:
    """A template without database=none uses its default database and says so."""
    template = make_template(
        tmp_path / "django",
        config={"project_name": "x", "project_slug": "x", "database": ["sqlite", "postgresql"]},
    )
    context = build_context(template, _answers(database="none"))
    assert context.values["database"] == "sqlite"
    assert "using sqlite" in context.notes[0]


def test_template_variables_override(tiny_template: Template) -> None:
    """An explicit slug or variable wins over the derived one."""
    context = build_context(tiny_template, _answers(), {"project_slug": "news"})
    assert context.values["project_slug"] == "news"


def test_reserved_slug_of_the_template(tiny_template: Template) -> None:
    """The template's _reserved_slugs are refused."""
    with pytest.raises(NameError_, match="forbidden"):
        build_context(tiny_template, _answers(project_name="Forbidden"))


def test_unknown_template_variable(tiny_template: Template) -> None:
    """A variable the chosen template does not have is an error naming it."""
    with pytest.raises(AnswersError, match="unknown tiny template variable 'author_name'"):
        build_context(tiny_template, _answers(), {"author_name": "Ada"})

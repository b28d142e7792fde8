"""make_project: the one way a project is made, for `scaffold new` and the web page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scaffold.answers import layer_answers
from scaffold.catalog import Template
from scaffold.errors import RenderError, TargetExistsError
from scaffold.new_repository import GitOutcome
from scaffold.project import Plan, commit_message, make_project, plan_project, plan_values
from tests.tiny_project import hermetic_git


@pytest.fixture(autouse=True)
def _git_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)


def plan_for(template: Template) -> Plan:
    return plan_project(layer_answers(framework=template, name="Demo"), template=template)


def test_a_new_project_is_committed_and_updatable(tmp_path: Path, tiny_template) -> None:
    """The project gets a repository whose first commit has the one commit message."""
    plan = plan_for(tiny_template)
    created = make_project(plan, output_dir=tmp_path)
    assert created.git is not None and created.git.outcome is GitOutcome.REPOSITORY
    assert created.updatable
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=created.rendered.path, capture_output=True, text=True
    )
    assert log.stdout.strip() == commit_message(plan)


def test_without_git_there_is_no_outcome_and_no_update(tmp_path: Path, tiny_template) -> None:
    """git=False writes the files only: no git outcome, not updatable."""
    created = make_project(plan_for(tiny_template), output_dir=tmp_path, git=False)
    assert created.git is None and not created.updatable
    assert not (created.rendered.path / ".git").exists()


def test_a_failed_git_step_is_typed_not_updatable(
    tmp_path: Path, tiny_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project whose git step failed says so in its outcome, not in a sentence's start."""
    monkeypatch.setattr("scaffold.repository.shutil.which", lambda name: None)
    created = make_project(plan_for(tiny_template), output_dir=tmp_path)
    assert created.git is not None and created.git.outcome is GitOutcome.NO_GIT
    assert not created.updatable


def test_a_missing_output_dir_is_made(tmp_path: Path, tiny_template) -> None:
    """The output directory and its missing parents are created, and reported as such."""
    created = make_project(plan_for(tiny_template), output_dir=tmp_path / "a" / "b", git=False)
    assert created.made_output_dir
    assert created.rendered.path == (tmp_path / "a" / "b" / "demo").resolve()


def test_a_failed_render_removes_only_the_folders_it_made(
    tmp_path: Path, tiny_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render that fails leaves no empty output directory behind, and keeps what was there."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RenderError("the template is broken")

    monkeypatch.setattr("scaffold.project.render_project", broken)
    with pytest.raises(RenderError):
        make_project(plan_for(tiny_template), output_dir=tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists() and tmp_path.is_dir()


def test_a_plan_of_values_alone_leaves_the_rest_to_the_template(
    tmp_path: Path, tiny_template
) -> None:
    """Smoke's plan: only the option values given; the slug the template derives names the
    project; no answers file; a second make into the same place is refused in one line."""
    plan = plan_values(tiny_template, {"database": "none", "accounts": False})
    out = tmp_path / "out"
    created = make_project(plan, output_dir=out, git=False, answers_file=False)
    assert created.rendered.path == (out / "demo").resolve()
    assert created.rendered.files == ("README.md",)
    assert (created.rendered.path / "README.md").read_text() == "# Demo\n"
    with pytest.raises(TargetExistsError, match=r"demo already exists: choose another name"):
        make_project(plan, output_dir=out, git=False, answers_file=False)
    assert list(out.iterdir()) == [out / "demo"]  # no stage left behind

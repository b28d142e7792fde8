"""scaffold update and uv.lock: the lock is taken whole from one side, never line-merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.catalog import parse_template
from scaffold.cli import cli
from scaffold.update.actions import update_project
from scaffold.update.lockfile import RELOCK_NOTE
from tests.tiny_project import commit_all, edit_template, git, hermetic_git, template_root, tiny

LOCK = "".join(f'[[package]]\nname = "p{n}"\nversion = "1.0"\n\n' for n in range(8))


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of the tiny template whose first render has a uv.lock."""
    from scaffold.answers import layer_answers
    from scaffold.project import make_project, plan_project

    monkeypatch.setattr(
        "scaffold.update.record.load_template",
        lambda name: parse_template(name, template_root(tmp_path)),
    )
    template = tiny(tmp_path, {"uv.lock": LOCK})
    layered = layer_answers(framework=template, name="Demo", file_values={})
    plan = plan_project(layered, framework="flask", template=template)
    (tmp_path / "out").mkdir()
    return make_project(plan, output_dir=tmp_path / "out").rendered.path


def test_a_lock_the_user_never_changed_becomes_the_templates(project: Path, tmp_path: Path):
    """The new template's lock replaces the old one, and nothing asks to lock again."""
    template = edit_template(tmp_path, "uv.lock", LOCK.replace('"p3"', '"p3-new"'))
    result = update_project(project, template=template)
    assert result.status == "merged"
    assert (project / "uv.lock").read_text() == LOCK.replace('"p3"', '"p3-new"')
    assert RELOCK_NOTE not in result.notes


def test_a_lock_both_changed_stays_the_users_with_one_note(project: Path, tmp_path: Path):
    """Not conflict markers, not a line merge no resolver wrote: the user's whole lock."""
    mine = LOCK.replace('"p1"', '"p1-mine"')
    (project / "uv.lock").write_text(mine)
    commit_all(project)
    # Far apart in the file: git alone would merge both changes cleanly, into a lock
    # nobody resolved.
    template = edit_template(tmp_path, "uv.lock", LOCK.replace('"p7"', '"p7-new"'))
    result = update_project(project, template=template)
    assert result.status == "merged" and result.conflicts == ()
    assert (project / "uv.lock").read_text() == mine
    assert result.notes.count(RELOCK_NOTE) == 1


def test_a_lock_both_changed_on_the_same_lines_is_no_conflict(project: Path, tmp_path: Path):
    """The same lines changed on both sides: still the user's lock, and the update commits."""
    (project / "uv.lock").write_text(LOCK.replace('"p3"', '"p3-mine"'))
    commit_all(project)
    template = edit_template(tmp_path, "uv.lock", LOCK.replace('"p3"', '"p3-new"'))
    result = update_project(project, template=template)
    assert result.status == "merged" and result.conflicts == ()
    assert "p3-mine" in (project / "uv.lock").read_text()
    assert "<<<<<<<" not in (project / "uv.lock").read_text()
    assert git(project, "status", "--porcelain") == ""


def test_a_lock_only_the_user_changed_stays_without_a_note(project: Path, tmp_path: Path):
    """The template changed something else: the user's lock is theirs, no note."""
    (project / "uv.lock").write_text(LOCK.replace('"p1"', '"p1-mine"'))
    commit_all(project)
    template = edit_template(tmp_path, "notes.txt", "new notes\n")
    result = update_project(project, template=template)
    assert "p1-mine" in (project / "uv.lock").read_text()
    assert RELOCK_NOTE not in result.notes


def test_the_cli_prints_the_note(project: Path, tmp_path: Path, runner) -> None:
    """One line tells the user to run uv lock."""
    (project / "uv.lock").write_text(LOCK.replace('"p3"', '"p3-mine"'))
    commit_all(project)
    edit_template(tmp_path, "uv.lock", LOCK.replace('"p3"', '"p3-new"'))
    outcome = runner.invoke(cli, ["update", str(project)])
    assert outcome.exit_code == 0, outcome.output
    assert "run `uv lock`" in outcome.output


def test_a_dry_run_keeps_the_users_lock_in_its_diff(project: Path, tmp_path: Path) -> None:
    """The dry run shows what the update would do: no change to uv.lock, the note."""
    (project / "uv.lock").write_text(LOCK.replace('"p3"', '"p3-mine"'))
    commit_all(project)
    template = edit_template(tmp_path, "uv.lock", LOCK.replace('"p3"', '"p3-new"'))
    result = update_project(project, template=template, dry_run=True)
    assert "uv.lock" not in result.diff and RELOCK_NOTE in result.notes


def test_a_lock_both_added_stays_the_users(project: Path, tmp_path: Path) -> None:
    """A project from before the template had locks, whose user ran `uv lock`: theirs stays."""
    update_project(project, template=edit_template(tmp_path, "uv.lock", None))
    assert not (project / "uv.lock").exists()
    (project / "uv.lock").write_text(LOCK.replace('"p3"', '"p3-mine"'))
    commit_all(project)
    template = edit_template(tmp_path, "uv.lock", LOCK.replace('"p3"', '"p3-new"'))
    result = update_project(project, template=template)
    assert result.status == "merged" and result.conflicts == ()
    assert "p3-mine" in (project / "uv.lock").read_text()
    assert RELOCK_NOTE in result.notes

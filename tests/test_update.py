"""scaffold update and scaffold check, with real git repositories in tmp dirs.

Most tests use a tiny template built in tmp_path whose files change between
renders; the slow ones update real Django and Flask projects and run their checks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from scaffold import vcs
from scaffold.answers import layer_answers
from scaffold.catalog import Template, load_template, parse_template
from scaffold.cli import cli
from scaffold.errors import AnswersError, UpdateError
from scaffold.project import ANSWERS_FILE, make_project, plan_project
from scaffold.update.actions import Conflict, UpdateStatus, check_for_update, update_project
from scaffold.update.notices import NO_ENV_NOTE
from scaffold.vcs import TEMPLATE_BRANCH
from tests.tiny_project import (
    APP,
    clone,
    commit_all,
    edit_template,
    git,
    hermetic_git,
    set_template_version,
    template_root,
    tiny,
    tiny_as_edited,
)


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's git has a home and config of the test's own."""
    hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)


def new_project(tmp_path: Path, template: Template, **answers: Any) -> Path:
    """What `scaffold new` does, with the tiny template: render, record, commit."""
    layered = layer_answers(framework=template, name="Demo", file_values=answers)
    plan = plan_project(layered, framework="flask", template=template)
    (tmp_path / "out").mkdir(exist_ok=True)
    return make_project(plan, output_dir=tmp_path / "out").rendered.path


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny template and the project `scaffold new` makes from it, made once per module."""
    base = tmp_path_factory.mktemp("base")
    with pytest.MonkeyPatch.context() as monkeypatch:
        hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)
        new_project(base, tiny(base))
    return base


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made_once: Path) -> Path:
    """A copy of the tiny-template project (its repository included) and of its template;
    `scaffold update` finds that template by its name."""
    monkeypatch.setattr(
        "scaffold.update.record.load_template",
        lambda name: parse_template(name, template_root(tmp_path)),
    )
    for name in ("templates", "out"):
        shutil.copytree(made_once / name, tmp_path / name, symlinks=True)
    return tmp_path / "out" / "demo"


def snapshot(project: Path) -> dict[str, Any]:
    """Everything an update could change: files, refs, index and git's object store."""
    files = {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and "index" != path.name and "logs" not in path.parts
    }
    return {"files": files, "refs": git(project, "for-each-ref"), "status": git(project, "status")}


# -- scaffold new keeps the template's output on a branch ----------------------------------


def test_new_keeps_the_first_commit_on_the_template_branch(project: Path) -> None:
    """The first commit is the template's output, and scaffold/template points at it."""
    assert git(project, "rev-parse", TEMPLATE_BRANCH) == git(project, "rev-parse", "HEAD")
    assert git(project, "rev-list", "--count", "HEAD") == "1"
    assert ".env" not in git(project, "ls-files").split()


@pytest.mark.parametrize(("configured", "expected"), [(None, "main"), ("trunk", "trunk")])
def test_the_first_branch_follows_init_default_branch_or_main(
    tmp_path: Path, configured: str | None, expected: str
) -> None:
    """Without init.defaultBranch git would say master; the CI workflow runs on main."""
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text("[user]\n\tname = Test User\n\temail = test@example.com\n")
    if configured:
        git(tmp_path, "config", "--global", "init.defaultBranch", configured)
    project = new_project(tmp_path, tiny(tmp_path))
    assert git(project, "symbolic-ref", "--short", "HEAD") == expected


def test_update_right_after_new_is_up_to_date(project: Path, tmp_path: Path) -> None:
    """Rendering the same template with the same answers changes nothing."""
    head = git(project, "rev-parse", "HEAD")
    result = update_project(project, template=tiny(tmp_path))
    assert result.status is UpdateStatus.UP_TO_DATE and result.to_dict()["status"] == "up to date"
    assert git(project, "rev-parse", "HEAD") == head


# -- the user's own ignore rules never filter the template's output -------------------------


def test_personal_ignore_rules_never_drop_template_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A global excludes file, the XDG ignore file and info/exclude list template files:
    they are still committed by `new`, kept on the template branch and never deleted."""
    monkeypatch.setattr(
        "scaffold.update.record.load_template",
        lambda name: parse_template(name, template_root(tmp_path)),
    )
    home = Path(os.environ["HOME"])
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "ignore").write_text(".env*\nREADME.md\n")
    project = new_project(tmp_path, tiny(tmp_path))
    # Before the update: a core.excludesFile of the user's and the project's info/exclude.
    excludes = home / "excludes"
    excludes.write_text(".env*\nREADME.md\n")
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(config.read_text() + f"[core]\n\texcludesFile = {excludes}\n")
    (project / ".git" / "info" / "exclude").write_text("extra.txt\n")
    expected = {".env.example", "README.md", "extra.txt", "app.py", ".gitignore", "notes.txt"}
    assert expected <= set(git(project, "ls-files").split())

    result = update_project(project, template=edit_template(tmp_path, "notes.txt", "new\n"))

    assert result.status == "merged"
    assert {c.path for c in result.changes} == {"notes.txt", ANSWERS_FILE}
    assert expected <= set(git(project, "ls-files").split())
    assert expected <= set(git(project, "ls-tree", "--name-only", TEMPLATE_BRANCH).split())
    assert (project / ".env.example").read_text() == "SECRET=change-me\n"
    assert check_for_update(project, template=tiny_as_edited(tmp_path)).behind is False


# -- an older scaffold never downgrades a project -------------------------------------------


def test_the_template_version_is_recorded(project: Path, tmp_path: Path) -> None:
    """Each update records the template's release number in the answers file."""
    assert (
        yaml.safe_load((project / ANSWERS_FILE).read_text())["_scaffold"]["template_version"] == 0
    )
    update_project(project, template=set_template_version(tmp_path, 4))
    record = yaml.safe_load((project / ANSWERS_FILE).read_text())
    assert record["_scaffold"]["template_version"] == 4


def test_an_older_scaffold_refuses_to_update_a_newer_project(
    project: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 3 merged; a teammate's install has version 2 and a different output: refused,
    nothing written, and check says to upgrade scaffold rather than "behind"."""
    set_template_version(tmp_path, 3)
    update_project(project, template=edit_template(tmp_path, "m1.py", "M = 1\n"))
    assert (project / "m1.py").is_file()
    edit_template(tmp_path, "m1.py", None)
    set_template_version(tmp_path, 2)
    before = snapshot(project)

    outcome = runner.invoke(cli, ["update", str(project)])

    assert outcome.exit_code != 0
    assert outcome.output.startswith("Error: ")
    assert "version 3 of scaffold's flask template" in outcome.output
    assert "the installed scaffold has version 2" in outcome.output
    assert len(outcome.output.strip().splitlines()) == 1, outcome.output
    assert snapshot(project) == before
    assert (project / "m1.py").is_file()

    checked = runner.invoke(cli, ["check", str(project)])
    assert checked.exit_code != 0
    assert "your scaffold is older than this project's template; upgrade scaffold" in (
        checked.output
    )
    assert "behind" not in checked.output
    git(project, "branch", "-D", TEMPLATE_BRANCH)  # the fingerprint comparison says so too
    checked = runner.invoke(cli, ["check", str(project)])
    assert "your scaffold is older than this project's template" in checked.output


# -- (1) template change, user change elsewhere ---------------------------------------------


def test_template_change_and_user_change_elsewhere_both_survive(
    project: Path, tmp_path: Path
) -> None:
    """The template edits README.md and the top of app.py; the user edits its bottom."""
    (project / "app.py").write_text(APP.replace("line 12", "line 12: mine"))
    (project / "mine.py").write_text("MINE = 1\n")
    commit_all(project)
    edit_template(tmp_path, "README.md", "# {{ cookiecutter.project_name }}\n\nNew docs.\n")
    template = edit_template(tmp_path, "app.py", APP.replace("line 1\n", "line 1: template\n"))

    result = update_project(project, template=template)

    assert result.status == "merged"
    assert (project / "README.md").read_text() == "# Demo\n\nNew docs.\n"
    app = (project / "app.py").read_text()
    assert "line 1: template" in app and "line 12: mine" in app
    assert (project / "mine.py").read_text() == "MINE = 1\n"
    assert {c.path for c in result.changes} == {"README.md", "app.py", ANSWERS_FILE}


def test_the_update_is_one_merge_commit_of_the_template_branch(
    project: Path, tmp_path: Path
) -> None:
    """HEAD becomes a merge of the user's branch and the new pristine render."""
    before = git(project, "rev-parse", "HEAD")
    update_project(project, template=edit_template(tmp_path, "notes.txt", "new notes\n"))
    parents = git(project, "rev-list", "--parents", "-n", "1", "HEAD").split()[1:]
    assert parents == [before, git(project, "rev-parse", TEMPLATE_BRANCH)]
    assert git(project, "show", f"{TEMPLATE_BRANCH}:notes.txt") == "new notes"
    assert git(project, "status", "--porcelain") == ""


def test_a_second_update_merges_from_the_last_render(project: Path, tmp_path: Path) -> None:
    """After a resolved conflict, the next update does not bring the same change again."""
    (project / "notes.txt").write_text("my notes\n")
    commit_all(project)
    update_project(project, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    (project / "notes.txt").write_text("resolved notes\n")
    commit_all(project, "resolve")

    result = update_project(project, template=edit_template(tmp_path, "extra.txt", "more\n"))

    assert result.status == "merged"
    assert (project / "notes.txt").read_text() == "resolved notes\n"
    assert (project / "extra.txt").read_text() == "more\n"


# -- (2) the same lines ---------------------------------------------------------------------


def test_same_lines_conflict_are_marked_listed_and_nothing_else_is_lost(
    project: Path, tmp_path: Path
) -> None:
    """Conflict markers in app.py, the clean template change applied, the user's work intact."""
    (project / "app.py").write_text(APP.replace("line 5", "line 5: mine"))
    (project / "mine.py").write_text("MINE = 1\n")
    commit_all(project)
    edit_template(tmp_path, "README.md", "# Changed\n")
    template = edit_template(tmp_path, "app.py", APP.replace("line 5", "line 5: template"))

    result = update_project(project, template=template)

    assert result.status == "conflicts"
    assert [c.path for c in result.conflicts] == ["app.py"]
    app = (project / "app.py").read_text()
    assert "<<<<<<<" in app and "line 5: mine" in app and "line 5: template" in app
    assert (project / "README.md").read_text() == "# Changed\n"
    assert (project / "mine.py").read_text() == "MINE = 1\n"


def test_conflicts_exit_3_and_are_listed(project: Path, tmp_path: Path, runner) -> None:
    """The CLI names each conflicted file and exits 3 (conflicts left to resolve)."""
    (project / "notes.txt").write_text("mine\n")
    commit_all(project)
    edit_template(tmp_path, "notes.txt", "template's\n")

    outcome = runner.invoke(cli, ["update", str(project)])

    assert outcome.exit_code == 3
    assert "CONFLICT  notes.txt (you and the template both changed it)" in outcome.output


@pytest.mark.parametrize("step", ["merge-tree", "read-tree", "hash-object", "rev-parse"])
def test_a_git_killed_by_ctrl_c_is_an_interrupt_not_a_failure(
    project: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Ctrl-C reaches git too; a git that died of it makes the update say "Interrupted".

    Not "git read-tree failed" with exit code 1, and not a missing answer read as "no".
    """
    (project / "notes.txt").write_text("mine\n")
    commit_all(project)
    edit_template(tmp_path, "notes.txt", "template's\n")
    before = snapshot(project)
    real_git = vcs.git
    killed: list[str] = []

    def git_that_ctrl_c_kills(path: Path, *args: str, **kwargs: Any):
        done = real_git(path, *args, **kwargs)
        if args and args[0] == step and not kwargs.get("session") and not killed:
            killed.append(step)
            return subprocess.CompletedProcess(done.args, -signal.SIGINT, "", "")
        return done

    monkeypatch.setattr(vcs, "git", git_that_ctrl_c_kills)
    outcome = runner.invoke(cli, ["update", str(project)])

    assert killed == [step]
    assert outcome.exit_code == 130, outcome.output
    assert outcome.output.strip().splitlines()[-1] == "Interrupted: nothing was written."
    assert snapshot(project)["refs"] == before["refs"]
    assert snapshot(project)["status"] == before["status"]


@pytest.mark.parametrize(
    ("ignored", "adds"),
    [
        ("api.py", "api.py"),  # a file of the user's where the template adds one
        ("api", "api/views.py"),  # a file where the template adds a folder
        ("api/views.py", "api/views.py"),  # the same file inside a folder
    ],
    ids=["file", "file-where-a-folder-goes", "file-in-a-folder"],
)
def test_a_file_git_ignores_where_the_update_adds_one_is_not_overwritten(
    project: Path, tmp_path: Path, runner, ignored: str, adds: str
) -> None:
    """Git overwrites ignored files without a word; the update names them and writes nothing."""
    (project / ".git" / "info" / "exclude").write_text(f"/{ignored.split('/')[0]}\n")
    (project / ignored).parent.mkdir(parents=True, exist_ok=True)
    (project / ignored).write_text("MY WORK\n")
    before = snapshot(project)
    folder = template_root(tmp_path) / "{{cookiecutter.project_slug}}" / PurePosixPath(adds).parent
    folder.mkdir(parents=True, exist_ok=True)
    edit_template(tmp_path, adds, "from the template\n")

    for args in (["--dry-run"], []):
        outcome = runner.invoke(cli, ["update", *args, str(project)])
        assert outcome.exit_code == 1, outcome.output
        assert outcome.output.startswith(f"Error: the update adds {ignored}, where you have")
        assert outcome.output.count("\n") == 1
    assert (project / ignored).read_text() == "MY WORK\n"
    after = snapshot(project)
    assert (after["refs"], after["status"]) == (before["refs"], before["status"])


@pytest.mark.parametrize("step", ["read-tree", "update-ref"])
def test_a_step_that_fails_half_way_is_undone(
    project: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A git step that fails after writing the work tree (a file it cannot replace, a ref
    it cannot lock) leaves the project as it was: files, index, refs, no merge in progress."""
    edit_template(tmp_path, "notes.txt", "template's\n")
    (template_root(tmp_path) / "{{cookiecutter.project_slug}}" / "new" / "deep").mkdir(parents=True)
    edit_template(tmp_path, "new/deep/file.txt", "added\n")
    before = snapshot(project)
    real_run = vcs.run

    def failing(path: Path, *args: str, **kwargs: Any) -> str:
        if args[0] != step or not kwargs.get("session"):  # the steps that apply the merge
            return real_run(path, *args, **kwargs)
        if step == "read-tree":
            real_run(path, *args, **kwargs)  # it writes the work tree, then fails
        # (a ref update is one transaction: it fails whole)
        raise UpdateError(f"git {step} failed in {path}: Permission denied")

    monkeypatch.setattr(vcs, "run", failing)
    outcome = runner.invoke(cli, ["update", str(project)])

    assert outcome.exit_code == 1
    assert outcome.output.count("\n") == 1, outcome.output
    assert outcome.output.endswith(
        "Permission denied: the update was undone, nothing in the project changed\n"
    )
    after = snapshot(project)
    assert (after["refs"], after["status"]) == (before["refs"], before["status"])
    work_tree = {name: data for name, data in after["files"].items() if name[:5] != ".git/"}
    assert work_tree == {
        name: data for name, data in before["files"].items() if name[:5] != ".git/"
    }
    assert git(project, "diff", "--cached", "--name-only") == ""
    assert not (project / "new").exists()
    assert not (project / ".git" / "MERGE_HEAD").exists()
    monkeypatch.setattr(vcs, "run", real_run)
    assert update_project(project, template=tiny_as_edited(tmp_path)).status == "merged"
    assert (project / "new" / "deep" / "file.txt").read_text() == "added\n"


def test_an_aborted_update_can_be_run_again(project: Path, tmp_path: Path) -> None:
    """After `git merge --abort` the project is behind, and update conflicts the same way."""
    (project / "notes.txt").write_text("mine\n")
    commit_all(project)
    template = edit_template(tmp_path, "notes.txt", "template's\n")
    update_project(project, template=template)
    git(project, "merge", "--abort")

    assert check_for_update(project, template=template).behind
    result = update_project(project, template=template)
    assert [c.path for c in result.conflicts] == ["notes.txt"]


# -- (3) deletions --------------------------------------------------------------------------


def test_template_deletions_follow_untouched_files_and_keep_changed_ones(
    project: Path, tmp_path: Path
) -> None:
    """extra.txt was never touched: deleted. notes.txt was changed: kept and reported."""
    (project / "notes.txt").write_text("my notes\n")
    commit_all(project)
    edit_template(tmp_path, "extra.txt", None)
    template = edit_template(tmp_path, "notes.txt", None)

    result = update_project(project, template=template)

    assert result.status == "merged"
    assert not (project / "extra.txt").exists()
    assert (project / "notes.txt").read_text() == "my notes\n"
    assert result.kept == ("notes.txt",)
    assert git(project, "status", "--porcelain") == ""


def test_a_file_the_user_deleted_and_the_template_changed_is_a_conflict(
    project: Path, tmp_path: Path
) -> None:
    """The user's deletion and the template's edit cannot both win: it is listed."""
    (project / "notes.txt").unlink()
    commit_all(project)
    result = update_project(project, template=edit_template(tmp_path, "notes.txt", "new\n"))
    assert result.conflicts == (Conflict("notes.txt", "you deleted it; the template changed it"),)


def test_a_file_both_added_differently_is_a_conflict(project: Path, tmp_path: Path) -> None:
    """The template adds a file the user had added with other content."""
    (project / "added.txt").write_text("mine\n")
    commit_all(project)
    result = update_project(project, template=edit_template(tmp_path, "added.txt", "theirs\n"))
    assert result.conflicts == (Conflict("added.txt", "you and the template both added it"),)


# -- --set and --answers --------------------------------------------------------------------


def test_set_adds_an_option_and_records_it(project: Path, tmp_path: Path) -> None:
    """--set accounts=true brings accounts.py and updates the record."""
    result = update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    assert result.status == "merged"
    assert (project / "accounts.py").read_text() == "LOGIN = True\n"
    assert result.answers == {"accounts": (False, True)}
    record = (project / ANSWERS_FILE).read_text()
    assert "accounts: true" in record
    assert update_project(project, template=tiny(tmp_path)).status == "up to date"


def test_an_update_without_a_git_identity_commits_as_the_neutral_one(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no identity configured (and git told not to guess one), the render and the
    merge are committed as scaffold's neutral author, as `scaffold new`'s first commit is."""
    config = tmp_path / "no-identity"
    config.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)
    assert subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=project).returncode != 0
    result = update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    assert result.status == "merged"
    authors = git(project, "log", "-2", "--format=%an <%ae>|%cn <%ce>", TEMPLATE_BRANCH, "HEAD")
    assert set(authors.splitlines()) == {
        "scaffold <scaffold@localhost>|scaffold <scaffold@localhost>"
    }
    assert git(project, "rev-parse", "HEAD^2") == git(project, "rev-parse", TEMPLATE_BRANCH)


@pytest.mark.usefixtures("no_home")
def test_an_update_without_a_home_directory_keeps_compiled_templates_in_memory(
    project: Path, tmp_path: Path
) -> None:
    """No HOME, no passwd entry, no cache variable: the update has no cache directory
    for the templates' compiled code, and merges all the same."""
    result = update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    assert result.status == "merged"
    assert (project / "accounts.py").is_file()


def test_the_package_is_not_renamed_by_an_update(project: Path, tmp_path: Path, runner) -> None:
    """--set project_slug=other would move the template's files to other/ and leave the
    user's own modules behind: refused in one line, nothing changed. A new project_name
    keeps the recorded slug, so it is an update like any other."""
    before = snapshot(project)
    outcome = runner.invoke(cli, ["update", str(project), "--set", "project_slug=other"])
    assert outcome.exit_code == 1, outcome.output
    assert outcome.output == (
        "Error: the package is demo: an update cannot rename it to other (your own modules "
        "would stay in demo/); rename it with git mv and your editor, or generate a new "
        "project\n"
    )
    assert snapshot(project) == before
    renamed = update_project(
        project, assignments=["project_name=Demo Two"], template=tiny(tmp_path)
    )
    assert renamed.status == "merged"
    assert (project / "README.md").read_text() == "# Demo Two\n"


@pytest.mark.parametrize(
    "assignments",
    [["database=none"], ["accounts=true", "database=none"]],
    ids=["database-off-under-accounts", "accounts-on-without-database"],
)
def test_a_set_value_the_rules_would_replace_is_refused(
    project: Path, tmp_path: Path, assignments: list[str]
) -> None:
    """--set database=none on a project with accounts is refused with the reason, and
    nothing changes (never recorded as none while SQLite is generated)."""
    update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    if "accounts=true" in assignments:
        update_project(project, assignments=["accounts=false"], template=tiny(tmp_path))
    before = snapshot(project)
    with pytest.raises(AnswersError, match=r"database=none is refused: accounts need a database"):
        update_project(project, assignments=assignments, template=tiny(tmp_path))
    assert snapshot(project) == before


def test_a_refused_value_is_one_line_from_the_cli(project: Path, tmp_path: Path, runner) -> None:
    """The refusal is one `Error:` line and a usage exit code."""
    update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    outcome = runner.invoke(cli, ["update", str(project), "--set", "database=none"])
    assert outcome.exit_code == 2
    assert outcome.output.startswith("Error: database=none is refused: accounts need a database")
    assert len(outcome.output.strip().splitlines()) == 1


def test_a_derived_change_is_recorded_as_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accounts on a project without a database bring SQLite: the change list, the commit
    message and the answers file all say database=sqlite, and the note says why."""
    monkeypatch.setattr(
        "scaffold.update.record.load_template",
        lambda name: parse_template(name, template_root(tmp_path)),
    )
    project = new_project(tmp_path, tiny(tmp_path), database="none")
    result = update_project(project, assignments=["accounts=true"], template=tiny(tmp_path))
    assert result.answers == {"accounts": (False, True), "database": ("none", "sqlite")}
    assert any("accounts need a database" in note for note in result.notes)
    message = git(project, "log", "-1", "--format=%s")
    assert "database=sqlite" in message and "accounts=true" in message
    record = yaml.safe_load((project / ANSWERS_FILE).read_text())
    assert record["database"] == "sqlite" and record["accounts"] is True


def test_answers_file_changes_answers(project: Path, tmp_path: Path) -> None:
    """--answers FILE changes answers like --set does."""
    answers = tmp_path / "changes.yml"
    answers.write_text("accounts: true\n")
    update_project(project, answers_file=answers, template=tiny(tmp_path))
    assert (project / "accounts.py").is_file()


# -- (5) --dry-run --------------------------------------------------------------------------


def test_dry_run_shows_the_diff_and_writes_nothing(project: Path, tmp_path: Path) -> None:
    """No file, ref, index entry or git object changes; the diff shows the template's edit."""
    (project / "notes.txt").write_text("mine\n")
    commit_all(project)
    edit_template(tmp_path, "README.md", "# Changed\n")
    template = edit_template(tmp_path, "notes.txt", "template's\n")
    before = snapshot(project)

    result = update_project(project, dry_run=True, template=template)

    assert snapshot(project) == before
    assert result.status == "dry run"
    assert "+# Changed" in result.diff
    assert [c.path for c in result.conflicts] == ["notes.txt"]


def test_dry_run_cli_prints_a_diff(project: Path, tmp_path: Path, runner) -> None:
    """`scaffold update --dry-run` prints only a diff on stdout, which `git apply` takes."""
    edit_template(tmp_path, "README.md", "# Changed\n")
    outcome = runner.invoke(cli, ["update", str(project), "--dry-run"])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.startswith("diff --git a/.scaffold-answers.yml")
    assert "Would change 2 files" in outcome.stderr
    subprocess.run(["git", "apply", "-"], cwd=project, input=outcome.stdout, text=True, check=True)
    assert (project / "README.md").read_text() == "# Changed\n"


# -- scaffold check -------------------------------------------------------------------------


def test_check_exits_0_when_up_to_date_and_3_when_behind(
    project: Path, tmp_path: Path, runner
) -> None:
    """check compares a fresh render with the last merged one."""
    checked = runner.invoke(cli, ["check", str(project)])
    assert checked.exit_code == 0, checked.output
    edit_template(tmp_path, "README.md", "# Changed\n")
    outcome = runner.invoke(cli, ["check", str(project)])
    assert outcome.exit_code == 3
    assert "README.md" in outcome.output
    assert runner.invoke(cli, ["update", str(project)]).exit_code == 0
    assert runner.invoke(cli, ["check", str(project), "--json"]).exit_code == 0


def test_check_without_the_template_branch_compares_fingerprints(
    project: Path, tmp_path: Path
) -> None:
    """A shallow CI checkout has no scaffold/template: the template's fingerprint decides."""
    git(project, "branch", "-D", TEMPLATE_BRANCH)
    assert not check_for_update(project, template=tiny(tmp_path)).behind
    changed = check_for_update(project, template=edit_template(tmp_path, "README.md", "# New\n"))
    assert changed.behind and not changed.exact and changed.in_repository


def test_check_outside_any_repository_says_how_to_adopt(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --no-git project: the fingerprints decide, and the hint is to commit it and adopt
    it (there is no branch to fetch)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    args = ["new", "Demo", "--no-input", "--no-git", "--framework", "flask", "-o", str(tmp_path)]
    assert runner.invoke(cli, args).exit_code == 0
    checked = runner.invoke(cli, ["check", str(tmp_path / "demo")])
    assert checked.exit_code == 0, checked.output
    assert "is up to date" in checked.stdout
    assert "in no git repository" in checked.stderr and "scaffold adopt" in checked.stderr
    assert "fetch the scaffold/template branch" not in checked.output
    data = json.loads(runner.invoke(cli, ["check", str(tmp_path / "demo"), "--json"]).stdout)
    assert data["in_repository"] is False and data["exact"] is False


def test_a_repository_git_refuses_as_someone_elses_is_said_to_be_so(
    project: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's safe.directory refusal (a repository another user owns) is named as such, not
    as "not a git repository" with advice to adopt it."""
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for this
    for command in ("check", "update"):
        outcome = runner.invoke(cli, [command, str(project)])
        assert outcome.exit_code == 1, outcome.output
        assert "belongs to another user" in outcome.output and "safe.directory" in outcome.output
        assert "adopt" not in outcome.output and "not a git repository" not in outcome.output


def test_check_works_on_a_detached_head(project: Path, tmp_path: Path) -> None:
    """CI checks out a commit, not a branch: check still compares renders."""
    git(project, "checkout", "-q", "--detach")
    result = check_for_update(project, template=edit_template(tmp_path, "README.md", "# New\n"))
    assert result.behind and result.exact


def test_update_json(project: Path, tmp_path: Path, runner) -> None:
    """--json prints one object with the status and the changed files."""
    edit_template(tmp_path, "README.md", "# Changed\n")
    outcome = runner.invoke(cli, ["update", str(project), "--json"])
    data = json.loads(outcome.output)
    assert data["status"] == "merged"
    assert {"status": "modified", "path": "README.md"} in data["changes"]


# -- (6) bad input: one line, non-zero exit, nothing changed --------------------------------


def _hand_edit(project: Path) -> None:
    path = project / ANSWERS_FILE
    path.write_text(path.read_text().replace("accounts: false", "accounts: true"))
    commit_all(project)


def _detach(project: Path) -> None:
    git(project, "checkout", "-q", "--detach")


def _dirty(project: Path) -> None:
    (project / "app.py").write_text("changed\n")
    (project / "new.txt").write_text("untracked\n")


def _merging(project: Path) -> None:
    git(project, "checkout", "-q", "-b", "other")
    (project / "notes.txt").write_text("other\n")
    commit_all(project)
    git(project, "checkout", "-q", "main")
    (project / "notes.txt").write_text("main\n")
    commit_all(project)
    subprocess.run(["git", "merge", "-q", "other"], cwd=project, capture_output=True)


BAD_INPUT = [
    pytest.param(_hand_edit, [], "was edited by hand", id="hand-edited-answers"),
    pytest.param(_detach, [], "HEAD is detached", id="detached-head"),
    pytest.param(_dirty, [], "uncommitted changes in app.py, new.txt", id="dirty-tree"),
    pytest.param(_merging, [], "a merge is in progress", id="merge-in-progress"),
    pytest.param(
        lambda p: git(p, "branch", "-D", TEMPLATE_BRANCH),
        [],
        "no scaffold/template",
        id="no-template-branch",
    ),
    pytest.param(
        lambda p: git(p, "checkout", "-q", TEMPLATE_BRANCH),
        [],
        "check out your own branch",
        id="on-template-branch",
    ),
    pytest.param(None, ["--set", "colour=blue"], "unknown answer 'colour'", id="unknown-key"),
    pytest.param(
        None, ["--set", "accounts=maybe"], "accounts must be true or false", id="bad-value"
    ),
    pytest.param(None, ["--set", "nothing"], "--set takes KEY=VALUE", id="set-without-equals"),
    pytest.param(
        None,
        ["--set", "framework=django"],
        "switching to Django is not an update",
        id="framework-switch",
    ),
]


@pytest.mark.parametrize(("spoil", "args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_changes_nothing(
    project: Path, tmp_path: Path, runner, spoil, args: list[str], message: str
) -> None:
    """Each bad input gets one `Error:` line, a non-zero exit, and the project is untouched."""
    if spoil:
        spoil(project)
    edit_template(tmp_path, "README.md", "# Changed\n")  # so there is something to merge
    before = snapshot(project)

    outcome = runner.invoke(cli, ["update", str(project), *args])

    assert outcome.exit_code != 0
    assert message in outcome.output
    assert len(outcome.output.strip().splitlines()) == 1, outcome.output
    assert outcome.output.startswith("Error: ")
    assert snapshot(project) == before


def test_not_a_scaffold_project(tmp_path: Path, runner) -> None:
    """A directory without .scaffold-answers.yml is refused."""
    outcome = runner.invoke(cli, ["update", str(tmp_path)])
    assert outcome.exit_code == 1
    assert "is not a scaffold project" in outcome.output


def test_a_project_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project made with --no-git cannot be merged into."""
    template = tiny(tmp_path)
    plan = plan_project(layer_answers(framework=template, name="Demo"), template=template)
    (tmp_path / "out").mkdir()
    project = make_project(plan, output_dir=tmp_path / "out", git=False).rendered.path
    with pytest.raises(UpdateError, match="is not a git repository"):
        update_project(project, template=template)


def test_git_not_installed(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git on PATH, update says so."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(UpdateError, match="git is not installed"):
        update_project(project, template=tiny(tmp_path))


def test_a_corrupted_answers_file(project: Path, tmp_path: Path) -> None:
    """An answers file that is not YAML is refused, even on the template branch too."""
    (project / ANSWERS_FILE).write_text("answers: [unclosed\n")
    commit_all(project)
    git(project, "branch", "-f", TEMPLATE_BRANCH, "HEAD")
    with pytest.raises(UpdateError, match="is corrupted: not valid YAML"):
        update_project(project, template=tiny(tmp_path))


def test_an_answers_file_without_its_scaffold_block(project: Path, tmp_path: Path) -> None:
    """An answers file scaffold did not write (no _scaffold block) is refused."""
    shutil.rmtree(project / ".git")
    (project / ANSWERS_FILE).write_text("project_name: Demo\nframework: flask\n")
    with pytest.raises(UpdateError, match="has no _scaffold block"):
        check_for_update(project, template=tiny(tmp_path))


def test_an_unknown_key_in_answers_file(project: Path, tmp_path: Path) -> None:
    """--answers with an unknown key is a usage error naming the key."""
    answers = tmp_path / "changes.yml"
    answers.write_text("colour: blue\n")
    with pytest.raises(AnswersError, match="unknown answer 'colour'"):
        update_project(project, answers_file=answers, template=tiny(tmp_path))


# -- (4) --set on the real templates: the project's own checks pass afterwards -------------


def run_template_checks(project: Path, template: Template) -> None:
    """Run every check the template declares (lint, format, tests, framework checks,
    production serve) on ``project``, the way a smoke run checks what it generates."""
    from scaffold.smoke.steps import check_project

    values = yaml.safe_load((project / ANSWERS_FILE).read_text())["_scaffold"]["context"]
    result = check_project(template, project, values)
    failed = result.failed_step
    assert result.ok, failed and f"{failed.name}: {failed.message}\n{failed.output}"
    assert [step for step in result.steps if not step.skipped], "no check ran"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("framework", "before", "change"),
    [
        pytest.param("django", "api=false", "api=true", id="django-api"),
        pytest.param("flask", "accounts=false", "accounts=true", id="flask-accounts"),
        pytest.param("flask", "database=none", "database=sqlite", id="flask-database"),
    ],
)
def test_set_on_a_real_template_leaves_a_working_project(
    tmp_path: Path, runner, framework: str, before: str, change: str
) -> None:
    """Generate, change the README, `update --set` an option: the project's checks pass."""
    created = runner.invoke(
        cli,
        [
            "new",
            "Shop Front",
            "--no-input",
            "--framework",
            framework,
            "--set",
            before,
            "-o",
            str(tmp_path),
            "--json",
        ],
    )
    assert created.exit_code == 0, created.output
    project = Path(json.loads(created.output)["output"])
    with (project / "README.md").open("a") as readme:
        readme.write("\nOur own notes.\n")
    commit_all(project, "our notes")

    updated = runner.invoke(cli, ["update", str(project), "--set", change])

    assert updated.exit_code == 0, updated.output
    assert "Our own notes." in (project / "README.md").read_text()
    assert git(project, "status", "--porcelain") == ""
    run_template_checks(project, load_template(framework))
    checked = runner.invoke(cli, ["check", str(project)])
    assert checked.exit_code == 0, checked.output


# -- teams: squash merges, rebases, stale branches, fresh clones ----------------------------


# A bare remote and a clone or two, with pushes, pulls and merges between them: dozens of
# git processes each. The merge logic they rely on is checked above on one repository.
TEAM = pytest.mark.slow


def share(project: Path, tmp_path: Path) -> Path:
    """Push the project (its branch and the template branch) to a bare remote."""
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", "main", TEMPLATE_BRANCH)
    return remote


@TEAM
def test_a_squash_merged_update_is_the_base_of_the_next(project: Path, tmp_path: Path) -> None:
    """An update merged by squash (its merge commit gone): the next one still merges from
    it, without a false "edited by hand" and without undoing the user's later work."""
    remote = share(project, tmp_path)
    alice = clone(remote, tmp_path / "alice", "alice")
    git(alice, "switch", "-q", "-c", "template-update")
    update_project(alice, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    git(alice, "switch", "-q", "main")
    git(alice, "merge", "-q", "--squash", "template-update")
    git(alice, "commit", "-q", "-m", "Update from the template (#1)")
    git(alice, "branch", "-q", "-D", "template-update")
    (alice / "notes.txt").write_text("our notes\n")
    (alice / "extra.txt").unlink()
    commit_all(alice, "our notes, no extra")

    result = update_project(alice, template=edit_template(tmp_path, "README.md", "# New\n"))

    assert result.status == "merged", result
    assert (alice / "README.md").read_text() == "# New\n"
    assert (alice / "notes.txt").read_text() == "our notes\n"
    assert not (alice / "extra.txt").exists()
    assert check_for_update(alice, template=tiny_as_edited(tmp_path)).behind is False


@TEAM
def test_pull_rebase_after_an_update(project: Path, tmp_path: Path) -> None:
    """Alice updates, Bob pushes first, Alice pulls with --rebase (the merge commit is
    flattened away): her next update still merges from the right render."""
    remote = share(project, tmp_path)
    alice = clone(remote, tmp_path / "alice", "alice")
    bob = clone(remote, tmp_path / "bob", "bob")
    update_project(alice, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    (bob / "bob.py").write_text("BOB = 1\n")
    commit_all(bob, "bob's work")
    git(bob, "push", "-q", "origin", "main")
    git(alice, "pull", "-q", "--rebase", "origin", "main")
    assert git(alice, "rev-list", "--merges", "HEAD") == ""
    (alice / "extra.txt").unlink()
    commit_all(alice, "no extra")

    result = update_project(alice, template=edit_template(tmp_path, "README.md", "# New\n"))

    assert result.status == "merged", result
    assert (alice / "notes.txt").read_text() == "template notes\n"
    assert (alice / "bob.py").is_file() and not (alice / "extra.txt").exists()
    assert {c.path for c in result.changes} == {"README.md", ANSWERS_FILE}


@TEAM
def test_a_teammate_with_a_stale_template_branch(project: Path, tmp_path: Path) -> None:
    """Bob's local scaffold/template lags the remote's: his update builds on the remote's,
    keeps Alice's template update and his local branch moves ahead of origin's."""
    remote = share(project, tmp_path)
    alice = clone(remote, tmp_path / "alice", "alice")
    bob = clone(remote, tmp_path / "bob", "bob")
    git(bob, "branch", "-q", TEMPLATE_BRANCH, f"origin/{TEMPLATE_BRANCH}")
    update_project(alice, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    (alice / "extra.txt").write_text("alice's extra\n")
    commit_all(alice, "alice's extra")
    git(alice, "push", "-q", "origin", "main", TEMPLATE_BRANCH)
    git(bob, "pull", "-q", "--no-rebase", "origin", "main")  # fetches main only
    alices = git(alice, "rev-parse", TEMPLATE_BRANCH)
    assert git(bob, "rev-parse", TEMPLATE_BRANCH) != alices
    assert git(bob, "rev-parse", f"origin/{TEMPLATE_BRANCH}") != alices
    assert check_for_update(bob, template=tiny_as_edited(tmp_path)).behind is False

    result = update_project(bob, template=edit_template(tmp_path, "README.md", "# New\n"))

    assert result.status == "merged", result
    assert (bob / "notes.txt").read_text() == "template notes\n"
    assert (bob / "extra.txt").read_text() == "alice's extra\n"
    git(bob, "merge-base", "--is-ancestor", alices, TEMPLATE_BRANCH)


@TEAM
@pytest.mark.parametrize("single_branch", [False, True], ids=["clone", "single-branch-clone"])
def test_a_fresh_clone_updates_without_manual_fetching(
    project: Path, tmp_path: Path, single_branch: bool
) -> None:
    """A clone has no local scaffold/template (or, single-branch, not even origin's)."""
    remote = share(project, tmp_path)
    alice = clone(remote, tmp_path / "alice", "alice")
    update_project(alice, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    git(alice, "push", "-q", "origin", "main", TEMPLATE_BRANCH)
    args = ("--single-branch", "--branch", "main") if single_branch else ()
    bob = clone(remote, tmp_path / "bob", "bob", *args)

    result = update_project(bob, template=edit_template(tmp_path, "README.md", "# New\n"))

    assert result.status == "merged", result
    assert {c.path for c in result.changes} == {"README.md", ANSWERS_FILE}
    assert git(bob, "rev-parse", f"{TEMPLATE_BRANCH}^") == git(alice, "rev-parse", TEMPLATE_BRANCH)


@TEAM
def test_a_clone_whose_remote_is_unreachable_says_what_to_run(
    project: Path, tmp_path: Path, runner
) -> None:
    remote = share(project, tmp_path)
    bob = clone(remote, tmp_path / "bob", "bob", "--single-branch", "--branch", "main")
    remote.rename(tmp_path / "moved.git")
    edit_template(tmp_path, "README.md", "# New\n")
    outcome = runner.invoke(cli, ["update", str(bob)])
    assert outcome.exit_code != 0
    assert "could not fetch it from origin" in outcome.output
    assert f"git fetch origin {TEMPLATE_BRANCH}:{TEMPLATE_BRANCH}" in outcome.output
    assert len(outcome.output.strip().splitlines()) == 1, outcome.output


def test_conflict_markers_name_the_branch_and_the_template_version(
    project: Path, tmp_path: Path
) -> None:
    (project / "notes.txt").write_text("mine\n")
    commit_all(project)
    set_template_version(tmp_path, 2)
    update_project(project, template=edit_template(tmp_path, "notes.txt", "template's\n"))
    text = (project / "notes.txt").read_text()
    assert "<<<<<<< main\n" in text
    assert f">>>>>>> {TEMPLATE_BRANCH} (flask template version 2)\n" in text
    git(project, "merge", "--abort")
    assert (project / "notes.txt").read_text() == "mine\n"
    assert git(project, "status", "--porcelain") == ""


# -- what the merge cannot do: migrations to run, .env lines to add -------------------------


MIGRATION = 'revision = "0002"\ndown_revision = "0001"\n'


def test_migrations_are_named_in_the_summary_and_the_dry_run(
    project: Path, tmp_path: Path, runner
) -> None:
    (template_root(tmp_path) / "{{cookiecutter.project_slug}}" / "migrations").mkdir()
    edit_template(tmp_path, "migrations/0002_add_tags.py", MIGRATION)

    dry = runner.invoke(cli, ["update", "--dry-run", str(project)])
    assert dry.exit_code == 0, dry.output
    assert "Migrations would change: migrations/0002_add_tags.py" in dry.stderr
    assert git(project, "status", "--porcelain") == ""

    done = runner.invoke(cli, ["update", str(project)])
    assert done.exit_code == 0, done.output
    assert "Migrations changed: migrations/0002_add_tags.py" in done.output
    assert "Apply them to your database with `flask db upgrade`." in done.output


def test_deleted_migrations_are_named_apart_and_not_to_be_applied(
    project: Path, tmp_path: Path, runner
) -> None:
    """A migration the template drops (an option turned off) is not one to apply: the
    summary names it as deleted and says what a database that applied it needs."""
    (template_root(tmp_path) / "{{cookiecutter.project_slug}}" / "migrations").mkdir()
    edit_template(tmp_path, "migrations/0002_add_tags.py", MIGRATION)
    assert runner.invoke(cli, ["update", str(project)]).exit_code == 0
    edit_template(tmp_path, "migrations/0002_add_tags.py", None)

    dry = runner.invoke(cli, ["update", "--dry-run", str(project)])
    assert dry.exit_code == 0, dry.output
    assert "Migrations would be deleted: migrations/0002_add_tags.py" in dry.stderr

    done = runner.invoke(cli, ["update", str(project)])
    assert done.exit_code == 0, done.output
    assert not (project / "migrations" / "0002_add_tags.py").exists()
    assert "Migrations deleted: migrations/0002_add_tags.py" in done.output
    assert (
        "A database that has applied them keeps their tables: first `git reset --keep HEAD~1`, "
        "then migrate it back past them while their files are there, then update"
    ) in done.output
    assert "first migrate it back past them" in dry.stderr
    assert "changed: migrations" not in done.output and "flask db upgrade" not in done.output


def test_an_update_without_migrations_says_nothing_of_them(
    project: Path, tmp_path: Path, runner
) -> None:
    edit_template(tmp_path, "notes.txt", "new notes\n")
    done = runner.invoke(cli, ["update", str(project)])
    assert done.exit_code == 0, done.output
    assert "Migrations" not in done.output and "flask db upgrade" not in done.output


def test_env_variables_the_new_example_sets_are_listed(
    project: Path, tmp_path: Path, runner
) -> None:
    """.env.example gains MAIL_URL and changes DATABASE_URL: the local .env (git-ignored,
    never touched) lacks the first and has the old value of the second."""
    edit_template(tmp_path, ".env.example", "SECRET=change-me\nDATABASE_URL=sqlite:///a\n")
    update_project(project, template=tiny_as_edited(tmp_path))
    (project / ".env").write_text("SECRET=mine\nDATABASE_URL=sqlite:///a\n")
    example = "SECRET=change-me\nDATABASE_URL=postgresql:///a\n# OPTIONAL=1\nMAIL_URL=smtp://h\n"
    edit_template(tmp_path, ".env.example", example)

    done = runner.invoke(cli, ["update", str(project)])

    assert done.exit_code == 0, done.output
    assert (project / ".env").read_text() == "SECRET=mine\nDATABASE_URL=sqlite:///a\n"
    lines = done.output.splitlines()
    start = lines.index("Your .env lacks what the new .env.example sets; add:")
    assert lines[start + 1 : start + 3] == ["  DATABASE_URL=postgresql:///a", "  MAIL_URL=smtp://h"]
    assert "SECRET" not in done.output and "OPTIONAL" not in done.output


def test_without_a_local_env_the_update_says_to_make_one_not_every_line(
    project: Path, tmp_path: Path, runner
) -> None:
    """A fresh clone has no .env (it is git-ignored): the update points to making one from
    .env.example instead of listing every variable as lacking, and writes none."""
    (project / ".env").unlink()
    edit_template(tmp_path, ".env.example", "SECRET=change-me\nMAIL_URL=smtp://h\n")

    done = runner.invoke(cli, ["update", str(project)])

    assert done.exit_code == 0, done.output
    assert f"  note: {NO_ENV_NOTE}" in done.output.splitlines()
    assert "lacks" not in done.output and "MAIL_URL" not in done.output
    assert not (project / ".env").exists()


@pytest.mark.slow  # the real Flask template: `new` and `update` render it in full
def test_a_real_flask_project_switched_to_postgresql_is_told_its_database_url(
    tmp_path: Path, runner
) -> None:
    """The hook wrote a SQLite DATABASE_URL into .env; the update leaves it and says so."""
    args = ["new", "Shop", "--no-input", "--framework", "flask", "-o", str(tmp_path)]
    assert runner.invoke(cli, args).exit_code == 0
    project = tmp_path / "shop"
    env = (project / ".env").read_text()

    done = runner.invoke(cli, ["update", str(project), "--set", "database=postgresql"])

    assert done.exit_code == 0, done.output
    assert (project / ".env").read_text() == env
    assert "  DATABASE_URL=postgresql://postgres@localhost:5432/shop" in done.output.splitlines()

"""Projects in a subdirectory of a repository (a monorepo), and `scaffold adopt`.

Real git repositories in tmp dirs and the tiny template of tests/tiny_project.py, whose
files change between renders.
"""

from __future__ import annotations

import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scaffold import vcs
from scaffold.answers import layer_answers
from scaffold.catalog import parse_template
from scaffold.cli import cli
from scaffold.errors import UpdateError
from scaffold.project import ANSWERS_FILE, make_project, plan_project
from scaffold.repository import ProjectRepository
from scaffold.update.actions import adopt_project, check_for_update, update_project
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

SHOP = "scaffold/templates/services/shop"
BLOG = "scaffold/templates/services/blog"


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's git has a home and config of the test's own."""
    hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)


def generate(tmp_path: Path, where: Path, name: str, *, git_repo: bool = True) -> Path:
    """What `scaffold new NAME -o WHERE` does with the tiny template."""
    template = parse_template("flask", template_root(tmp_path))
    plan = plan_project(layer_answers(framework=template, name=name), template=template)
    where.mkdir(parents=True, exist_ok=True)
    return make_project(plan, output_dir=where, git=git_repo).rendered.path


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiny template, which `scaffold update` and `adopt` find by its name."""
    monkeypatch.setattr(
        "scaffold.update.record.load_template",
        lambda name: parse_template(name, template_root(tmp_path)),
    )
    tiny(tmp_path)


@pytest.fixture(scope="module")
def monorepo_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The monorepo below, made once per module (with the tiny template beside it)."""
    base = tmp_path_factory.mktemp("mono-base")
    with pytest.MonkeyPatch.context() as monkeypatch:
        hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)
        tiny(base)
        repo = base / "mono"
        git(base, "init", "-q", str(repo))
        (repo / "README.md").write_text("# The monorepo\n")
        (repo / "Makefile").write_text("all:\n")
        commit_all(repo, "the monorepo")
        generate(base, repo / "services", "Shop")
        generate(base, repo / "services", "Blog")
        commit_all(repo, "two services")
    return repo


@pytest.fixture
def monorepo(tmp_path: Path, installed: None, monorepo_once: Path) -> Path:
    """A repository with files of its own and two generated services, all committed:
    a copy of one made once, repository included."""
    repo = tmp_path / "mono"
    shutil.copytree(monorepo_once, repo, symlinks=True)
    return repo


def files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


# -- scaffold new in a subdirectory ----------------------------------------------------------


def test_each_service_has_a_template_branch_of_its_own(monorepo: Path) -> None:
    """Two branches, each holding one service's render at the root of its tree."""
    assert git(monorepo, "rev-parse", SHOP) != git(monorepo, "rev-parse", BLOG)
    assert git(monorepo, "show", f"{SHOP}:README.md") == "# Shop"
    assert git(monorepo, "show", f"{BLOG}:README.md") == "# Blog"
    assert git(monorepo, "branch", "--list", TEMPLATE_BRANCH) == ""


def test_right_after_new_a_service_is_up_to_date(monorepo: Path, tmp_path: Path) -> None:
    shop = monorepo / "services" / "shop"
    assert check_for_update(shop, template=tiny(tmp_path)).behind is False
    assert update_project(shop, template=tiny(tmp_path)).status == "up to date"


# -- updates touch the one service only -------------------------------------------------------


def test_a_template_change_merges_into_one_service_and_nothing_else(
    monorepo: Path, tmp_path: Path
) -> None:
    """The shop's own edit and the template's both survive; the blog, the monorepo's
    files and its uncommitted changes outside the shop are untouched."""
    shop = monorepo / "services" / "shop"
    (shop / "app.py").write_text(APP.replace("line 12", "line 12: mine"))
    commit_all(monorepo, "shop work")
    (monorepo / "Makefile").write_text("all: build\n")  # not staged: does not block
    (monorepo / "scratch.txt").write_text("untracked\n")
    outside = {k: v for k, v in files(monorepo).items() if not k.startswith("services/shop/")}
    template = edit_template(tmp_path, "app.py", APP.replace("line 1\n", "line 1: template\n"))

    result = update_project(shop, template=template)

    assert result.status == "merged", result
    assert {c.path for c in result.changes} == {"app.py", ANSWERS_FILE}
    app = (shop / "app.py").read_text()
    assert "line 1: template" in app and "line 12: mine" in app
    assert {k: v for k, v in files(monorepo).items() if not k.startswith("services/")} == {
        k: v for k, v in outside.items() if not k.startswith("services/")
    }
    assert {k: v for k, v in files(monorepo).items() if k.startswith("services/blog/")} == {
        k: v for k, v in outside.items() if k.startswith("services/blog/")
    }
    assert git(monorepo, "status", "--porcelain") == "M Makefile\n?? scratch.txt"
    assert git(monorepo, "diff", "--name-only", "HEAD~1", "HEAD").splitlines() == [
        f"services/shop/{ANSWERS_FILE}",
        "services/shop/app.py",
    ]
    assert git(monorepo, "rev-parse", "HEAD^2") == git(monorepo, "rev-parse", SHOP)
    assert check_for_update(monorepo / "services" / "blog", template=template).behind is True


def test_set_changes_one_service_and_records_it(monorepo: Path, tmp_path: Path) -> None:
    """--set accounts=true adds the shop's accounts.py and records the answer; the next
    update of the other service starts from its own render."""
    shop, blog = monorepo / "services" / "shop", monorepo / "services" / "blog"

    result = update_project(shop, assignments=["accounts=true"], template=tiny(tmp_path))

    assert result.status == "merged", result
    assert (shop / "accounts.py").is_file() and not (blog / "accounts.py").exists()
    assert "accounts: true" in (shop / ANSWERS_FILE).read_text()
    assert "accounts: false" in (blog / ANSWERS_FILE).read_text()
    changed = update_project(blog, template=edit_template(tmp_path, "notes.txt", "new notes\n"))
    assert {c.path for c in changed.changes} == {"notes.txt", ANSWERS_FILE}
    assert (shop / "notes.txt").read_text() == "notes\n"


def test_the_same_lines_conflict_inside_the_service(monorepo: Path, tmp_path: Path, runner) -> None:
    """Markers in the shop's app.py, listed relative to the shop, exit 3; the merge can be
    aborted with git, which leaves the changes outside the shop as they were."""
    shop = monorepo / "services" / "shop"
    (shop / "app.py").write_text(APP.replace("line 5", "line 5: mine"))
    commit_all(monorepo, "shop work")
    (monorepo / "Makefile").write_text("all: build\n")
    edit_template(tmp_path, "app.py", APP.replace("line 5", "line 5: template"))

    outcome = runner.invoke(cli, ["update", str(shop)])

    assert outcome.exit_code == 3, outcome.output
    assert "CONFLICT  app.py (you and the template both changed it)" in outcome.output
    app = (shop / "app.py").read_text()
    assert "<<<<<<<" in app and "line 5: mine" in app and "line 5: template" in app
    assert f">>>>>>> {SHOP} (flask template version" in app
    unmerged = git(monorepo, "diff", "--name-only", "--diff-filter=U")
    assert unmerged == "services/shop/app.py"
    git(monorepo, "merge", "--abort")
    assert git(monorepo, "status", "--porcelain") == "M Makefile"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        pytest.param(
            lambda repo: (repo / "services/shop/app.py").write_text("x\n"),
            "uncommitted changes in app.py",
            id="dirty-service",
        ),
        pytest.param(
            lambda repo: git(repo, "rm", "-q", "--cached", "Makefile"),
            "changes staged outside the project, in Makefile",
            id="staged-outside",
        ),
    ],
)
def test_what_blocks_an_update_of_a_service(
    monorepo: Path, tmp_path: Path, runner, spoil, message: str
) -> None:
    """Uncommitted changes in the service, or staged ones anywhere: one line, nothing written."""
    spoil(monorepo)
    edit_template(tmp_path, "notes.txt", "new notes\n")
    head = git(monorepo, "rev-parse", "HEAD")

    outcome = runner.invoke(cli, ["update", str(monorepo / "services" / "shop")])

    assert outcome.exit_code == 1
    assert message in outcome.output and outcome.output.startswith("Error: ")
    assert len(outcome.output.strip().splitlines()) == 1, outcome.output
    assert git(monorepo, "rev-parse", "HEAD") == head


def test_a_hand_edited_answers_file_of_a_service_is_refused_as_such(
    monorepo: Path, tmp_path: Path
) -> None:
    """Before its first update a service shares no history with its branch; an answers
    file edited by hand is still named as the problem, with the command that restores it."""
    answers = monorepo / "services/shop" / ANSWERS_FILE
    answers.write_text(answers.read_text().replace("accounts: false", "accounts: true"))
    commit_all(monorepo, "edit the answers")

    with pytest.raises(UpdateError, match="was edited by hand") as caught:
        update_project(monorepo / "services/shop", template=tiny(tmp_path))

    # The command, as a shell runs it: git's output redirected into the answers file.
    command, target = str(caught.value).split("`")[1].split(" > ")
    with (monorepo / "services/shop" / target).open("wb") as restored:
        subprocess.run(
            shlex.split(command), cwd=monorepo / "services/shop", stdout=restored, check=True
        )
    assert "accounts: false" in answers.read_text()


@pytest.mark.parametrize("step", ["merge-tree", "rm", "read-tree --prefix"])
def test_ctrl_c_in_a_service_update_writes_nothing(
    monorepo: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A git that Ctrl-C kills while the service's merge is put back into the repository's
    tree: "Interrupted: nothing was written.", exit 130, refs and work tree as they were."""
    (monorepo / "Makefile").write_text("all: build\n")
    edit_template(tmp_path, "notes.txt", "template's\n")
    refs, status = git(monorepo, "for-each-ref"), git(monorepo, "status", "--porcelain")
    real_git = vcs.git
    killed: list[str] = []

    def git_that_ctrl_c_kills(path: Path, *args: str, **kwargs: Any):
        done = real_git(path, *args, **kwargs)
        if " ".join(args).startswith(step) and not killed:
            killed.append(step)
            return subprocess.CompletedProcess(done.args, -signal.SIGINT, "", "")
        return done

    monkeypatch.setattr(vcs, "git", git_that_ctrl_c_kills)
    outcome = runner.invoke(cli, ["update", str(monorepo / "services" / "shop")])

    assert killed == [step]
    assert outcome.exit_code == 130, outcome.output
    assert outcome.output.strip().splitlines()[-1] == "Interrupted: nothing was written."
    assert git(monorepo, "for-each-ref") == refs
    assert git(monorepo, "status", "--porcelain") == status


def test_a_dry_run_of_a_service_writes_nothing_and_applies_from_the_service(
    monorepo: Path, tmp_path: Path, runner
) -> None:
    """The diff names the repository's paths; `git apply` from the service applies it."""
    shop = monorepo / "services" / "shop"
    edit_template(tmp_path, "notes.txt", "new notes\n")
    refs = git(monorepo, "for-each-ref")

    outcome = runner.invoke(cli, ["update", str(shop), "--dry-run"])

    assert outcome.exit_code == 0, outcome.output
    assert "+++ b/services/shop/notes.txt" in outcome.stdout
    assert git(monorepo, "for-each-ref") == refs and git(monorepo, "status", "--porcelain") == ""
    subprocess.run(["git", "apply", "-"], cwd=shop, input=outcome.stdout, text=True, check=True)
    assert (shop / "notes.txt").read_text() == "new notes\n"


@pytest.mark.slow  # a team's remote and clone, as in test_update.py
def test_a_fresh_clone_of_the_monorepo_updates_a_service(monorepo: Path, tmp_path: Path) -> None:
    """The template branches pushed with the rest: a clone updates, squash merge and all."""
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(monorepo, "remote", "add", "origin", str(remote))
    git(monorepo, "push", "-q", "origin", "main", SHOP, BLOG)
    alice = clone(remote, tmp_path / "alice", "alice")
    shop = alice / "services" / "shop"
    git(alice, "switch", "-q", "-c", "template-update")
    update_project(shop, template=edit_template(tmp_path, "notes.txt", "template notes\n"))
    git(alice, "switch", "-q", "main")
    git(alice, "merge", "-q", "--squash", "template-update")
    git(alice, "commit", "-q", "-m", "Update the shop from the template (#1)")
    git(alice, "push", "-q", "origin", "main", SHOP)
    bob = clone(remote, tmp_path / "bob", "bob")
    (bob / "services/shop/extra.txt").unlink()
    commit_all(bob, "no extra")

    result = update_project(
        bob / "services/shop", template=edit_template(tmp_path, "README.md", "# New\n")
    )

    assert result.status == "merged", result
    assert {c.path for c in result.changes} == {"README.md", ANSWERS_FILE}
    assert (bob / "services/shop/notes.txt").read_text() == "template notes\n"
    assert not (bob / "services/shop/extra.txt").exists()
    assert (
        check_for_update(bob / "services/shop", template=tiny_as_edited(tmp_path)).behind is False
    )


def test_a_service_in_a_linked_work_tree_updates(monorepo: Path, tmp_path: Path) -> None:
    """`git worktree add`: the objects live in the main repository's store, the merge's
    state in the linked work tree's own git directory."""
    linked = tmp_path / "linked"
    git(monorepo, "worktree", "add", "-q", str(linked), "-b", "feature")

    result = update_project(
        linked / "services/shop", template=edit_template(tmp_path, "notes.txt", "new notes\n")
    )

    assert result.status == "merged", result
    assert (linked / "services/shop/notes.txt").read_text() == "new notes\n"
    assert git(monorepo, "rev-parse", "feature^2") == git(monorepo, "rev-parse", SHOP)
    assert (monorepo / "services/shop/notes.txt").read_text() == "notes\n"


# -- scaffold adopt ---------------------------------------------------------------------------


@pytest.fixture
def unversioned(tmp_path: Path, installed: None) -> Path:
    """A project made with --no-git, then put under git by hand, with work of its own."""
    project = generate(tmp_path, tmp_path / "out", "Demo", git_repo=False)
    git(project, "init", "-q")
    (project / "app.py").write_text(APP.replace("line 12", "line 12: mine"))
    commit_all(project, "the project, with work of its own")
    return project


def test_a_project_without_a_template_branch_is_told_to_adopt(unversioned: Path, runner) -> None:
    outcome = runner.invoke(cli, ["update", str(unversioned)])
    assert outcome.exit_code == 1
    assert "scaffold adopt" in outcome.output


def test_an_adopted_project_updates_and_keeps_its_own_work(
    unversioned: Path, tmp_path: Path, runner
) -> None:
    """adopt makes the branch (and nothing else); the next update merges the template's
    change and keeps the user's, which the adoption listed as theirs."""
    head = git(unversioned, "rev-parse", "HEAD")

    outcome = runner.invoke(cli, ["adopt", str(unversioned)])

    assert outcome.exit_code == 0, outcome.output
    assert "That is the template the project was generated from." in outcome.output
    assert "modified  app.py" in outcome.output
    assert git(unversioned, "rev-parse", "HEAD") == head
    assert git(unversioned, "status", "--porcelain") == ""
    template = edit_template(tmp_path, "app.py", APP.replace("line 1\n", "line 1: template\n"))
    result = update_project(unversioned, template=template)
    assert result.status == "merged", result
    app = (unversioned / "app.py").read_text()
    assert "line 1: template" in app and "line 12: mine" in app
    assert update_project(unversioned, template=template).status == "up to date"


def test_adopt_twice_is_refused(unversioned: Path, tmp_path: Path) -> None:
    adopt_project(unversioned, template=tiny(tmp_path))
    with pytest.raises(UpdateError, match="already has its template branch"):
        adopt_project(unversioned, template=tiny(tmp_path))


@pytest.mark.slow  # a team's remote and clone, as in test_update.py
def test_adopt_in_a_clone_of_one_branch_finds_the_adopted_one(
    unversioned: Path, tmp_path: Path
) -> None:
    """A teammate's single-branch clone: adopt fetches the branch, finds it, and refuses
    to make a second, unrelated one."""
    adopt_project(unversioned, template=tiny(tmp_path))
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(unversioned, "remote", "add", "origin", str(remote))
    git(unversioned, "push", "-q", "origin", "main", TEMPLATE_BRANCH)
    bob = clone(remote, tmp_path / "bob", "bob", "--single-branch", "--branch", "main")

    with pytest.raises(UpdateError, match="already has its template branch"):
        adopt_project(bob, template=tiny(tmp_path))


def test_adopt_with_a_newer_template_says_what_it_assumed(
    unversioned: Path, tmp_path: Path, runner
) -> None:
    """The project records version 0; adopting with version 2 is not exact, and says so."""
    set_template_version(tmp_path, 2)
    outcome = runner.invoke(cli, ["adopt", str(unversioned), "--json"])
    assert outcome.exit_code == 0, outcome.output
    assert '"exact": false' in outcome.output
    text = runner.invoke(cli, ["adopt", str(unversioned)]).output
    assert "already has its template branch" in text
    git(unversioned, "branch", "-D", TEMPLATE_BRANCH)
    text = runner.invoke(cli, ["adopt", str(unversioned)]).output
    assert "adopt assumed it began as the installed template renders it" in text


def test_adopt_before_the_first_commit_is_refused(tmp_path: Path) -> None:
    tiny(tmp_path)
    project = generate(tmp_path, tmp_path / "out", "Demo", git_repo=False)
    with pytest.raises(UpdateError, match="is not a git repository"):
        adopt_project(project, template=tiny(tmp_path))
    git(project, "init", "-q")
    with pytest.raises(UpdateError, match="is not committed"):
        adopt_project(project, template=tiny(tmp_path))


def test_a_service_of_an_older_flow_is_adopted_in_place(monorepo: Path, tmp_path: Path) -> None:
    """A service generated in a monorepo without a branch (an older scaffold) adopts one."""
    shop = monorepo / "services" / "shop"
    git(monorepo, "branch", "-D", SHOP)
    adopted = adopt_project(shop, template=tiny(tmp_path))
    assert adopted.branch == SHOP and adopted.exact and adopted.changes == ()
    result = update_project(shop, template=edit_template(tmp_path, "notes.txt", "new\n"))
    assert result.status == "merged", result
    assert (shop / "notes.txt").read_text() == "new\n"


# -- real `scaffold` processes on the real Flask template -------------------------------------


def scaffold(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`scaffold ARGS` run in ``cwd`` as a process of its own."""
    command = [sys.executable, "-m", "scaffold", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_real_services_in_a_monorepo_update_from_their_own_directory(tmp_path: Path) -> None:
    """`scaffold new` twice in a monorepo, commit, then `scaffold check` and `scaffold update
    --set` run in one service's directory change that service only; a fresh clone updates
    the other one."""
    repo = tmp_path / "mono"
    git(tmp_path, "init", "-q", str(repo))
    (repo / "README.md").write_text("# The monorepo\n")
    commit_all(repo, "the monorepo")
    for name in ("shop", "blog"):
        made = scaffold(repo, "new", name, "--no-input", "--framework", "flask", "-o", "services")
        assert made.returncode == 0, made.stderr
        assert f"scaffold/templates/services/{name}" in made.stdout
    commit_all(repo, "two services")
    shop, blog = repo / "services" / "shop", repo / "services" / "blog"
    before = files(blog)

    assert scaffold(shop, "check").returncode == 0
    (repo / "README.md").write_text("# The monorepo, being edited\n")
    updated = scaffold(shop, "update", "--set", "accounts=true")

    assert updated.returncode == 0, updated.stderr
    assert "added     shop/auth.py" in updated.stdout
    assert (shop / "shop" / "auth.py").is_file() and files(blog) == before
    assert (repo / "README.md").read_text() == "# The monorepo, being edited\n"
    assert git(repo, "status", "--porcelain") == "M README.md"
    assert scaffold(shop, "check").returncode == 0
    # The undo the summary prints keeps the edit outside the service.
    assert "undo it with `git reset --keep HEAD~1`" in updated.stdout
    git(shop, "reset", "-q", "--keep", "HEAD~1")
    assert not (shop / "shop" / "auth.py").exists()
    assert (repo / "README.md").read_text() == "# The monorepo, being edited\n"
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main", SHOP, BLOG)
    copy = clone(remote, tmp_path / "copy", "bob")
    again = scaffold(copy / "services" / "blog", "update", "--set", "api=true")
    assert again.returncode == 0, again.stderr
    assert (copy / "services" / "blog" / "blog" / "api.py").is_file()
    assert not (copy / "services" / "shop" / "shop" / "api.py").exists()


@pytest.mark.slow
def test_a_real_no_git_project_is_adopted_then_updated(tmp_path: Path) -> None:
    """`scaffold new --no-git`, then `git init && git add -A && git commit`, `scaffold adopt`
    and `scaffold update --set` as processes: the user's edit survives the update."""
    made = scaffold(tmp_path, "new", "demo", "--no-input", "--framework", "flask", "--no-git")
    assert made.returncode == 0, made.stderr
    assert "scaffold adopt" in made.stdout
    project = tmp_path / "demo"
    git(project, "init", "-q")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur own notes.\n")
    commit_all(project, "the project")
    assert "scaffold adopt" in scaffold(project, "update").stderr

    adopted = scaffold(project, "adopt")
    assert adopted.returncode == 0, adopted.stderr
    assert "modified  README.md" in adopted.stdout
    updated = scaffold(project, "update", "--set", "accounts=true")

    assert updated.returncode == 0, updated.stderr
    assert (project / "demo" / "auth.py").is_file()
    assert "Our own notes." in readme.read_text()
    assert scaffold(project, "check").returncode == 0


def test_a_ctrl_c_after_the_branch_is_made_says_it_was_adopted(
    unversioned: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interrupt lands after the one ref update (while the differences are listed):
    the message says the project was adopted, not that nothing was written."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ProjectRepository, "changed_files", interrupted)
    outcome = runner.invoke(cli, ["adopt", str(unversioned)])

    assert outcome.exit_code == 130
    assert (
        outcome.output.strip()
        .splitlines()[-1]
        .startswith("Interrupted: the project was already adopted")
    ), outcome.output
    assert git(unversioned, "rev-parse", "-q", "--verify", TEMPLATE_BRANCH)


def test_a_ctrl_c_before_the_branch_is_made_says_nothing_was_written(
    unversioned: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ProjectRepository, "keep_render", interrupted)
    outcome = runner.invoke(cli, ["adopt", str(unversioned)])

    assert outcome.exit_code == 130
    assert outcome.output.strip().splitlines()[-1] == "Interrupted: nothing was written."
    branch = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", TEMPLATE_BRANCH], cwd=unversioned, check=False
    )
    assert branch.returncode != 0

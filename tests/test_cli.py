"""The command line: every command, every bad input, atomic output, replayable answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scaffold import __version__
from scaffold.cli import cli
from scaffold.render import list_files


def _new(runner: CliRunner, tmp_path: Path, *args: str):
    return runner.invoke(cli, ["new", *args, "-o", str(tmp_path)])


def _assert_one_line_error(result, code: int, fragment: str) -> None:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: "), result.stderr
    assert fragment in lines[-1]
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("command", ["new", "recommend", "questions", "templates"])
def test_help_on_every_command(runner: CliRunner, command: str) -> None:
    """Every command answers --help."""
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_version(runner: CliRunner) -> None:
    """--version prints the version."""
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.slow  # starts a Python
def test_python_dash_m(tmp_path: Path) -> None:
    """python -m scaffold works like the console script."""
    done = subprocess.run(
        [sys.executable, "-m", "scaffold", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and __version__ in done.stdout


def test_new_no_input_writes_a_project(runner: CliRunner, tmp_path: Path) -> None:
    """scaffold new NAME --no-input writes the project, records answers and commits it."""
    result = _new(runner, tmp_path, "demo", "--no-input")
    assert result.exit_code == 0, result.output
    project = tmp_path / "demo"
    assert (project / ".scaffold-answers.yml").is_file()
    assert "Next steps:" in result.output and f"cd {project}\n" in result.output
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True)
    assert log.returncode == 0 and len(log.stdout.splitlines()) >= 1
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True
    )
    assert status.stdout == ""  # .env is ignored, everything else committed


def test_json_output(runner: CliRunner, tmp_path: Path) -> None:
    """--json prints exactly one JSON object with framework, output, files and options."""
    result = _new(runner, tmp_path, "demo", "--no-input", "--json", "--set", "purpose=api")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["framework"] == "flask"
    assert data["output"] == str(tmp_path / "demo")
    assert ".scaffold-answers.yml" in data["files"]
    assert data["options"]["project_slug"] == "demo"


@pytest.mark.parametrize(
    ("flags", "outcome", "updatable"),
    [((), "repository", True), (("--no-git",), None, False)],
    ids=["git", "no-git"],
)
def test_json_says_what_git_did_in_a_typed_field(
    runner: CliRunner, tmp_path: Path, flags: tuple[str, ...], outcome: str | None, updatable: bool
) -> None:
    """--json's git_outcome names what the git step did; a program reads it, not a sentence."""
    result = _new(runner, tmp_path, "demo", "--no-input", "--json", *flags)
    data = json.loads(result.stdout)
    assert data["git_outcome"] == outcome and data["updatable"] is updatable


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_framework_override_is_recorded(runner: CliRunner, tmp_path: Path, framework: str) -> None:
    """--framework wins over the recommendation, and the answers file says it was overridden."""
    other = {"django": "api", "flask": "product"}[framework]  # a purpose that recommends the other
    result = _new(
        runner,
        tmp_path,
        "demo",
        "--no-input",
        "--framework",
        framework,
        "--set",
        f"purpose={other}",
    )
    assert result.exit_code == 0, result.output
    record = yaml.safe_load((tmp_path / "demo" / ".scaffold-answers.yml").read_text())
    assert record["framework"] == framework
    assert record["_scaffold"]["framework_overridden"] is True


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    """--dry-run lists the files and leaves the output directory empty."""
    result = _new(runner, tmp_path, "demo", "--no-input", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "pyproject.toml" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_regenerate_from_recorded_answers(
    runner: CliRunner, tmp_path: Path, framework: str
) -> None:
    """scaffold new --answers <recorded file> gives the same tree, secrets aside."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    args = ["--no-input", "--no-git", "--framework", framework, "--set", "author_name=Ada"]
    assert runner.invoke(cli, ["new", "Acme News", "-o", str(first), *args]).exit_code == 0
    recorded = first / "acme_news" / ".scaffold-answers.yml"
    result = runner.invoke(
        cli, ["new", "--no-input", "--no-git", "--answers", str(recorded), "-o", str(second)]
    )
    assert result.exit_code == 0, result.output
    one, two = first / "acme_news", second / "acme_news"
    assert list_files(one) == list_files(two)
    for name in list_files(one):
        if name != ".env":
            assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert (one / ".env").read_text() != (two / ".env").read_text()  # a fresh secret each time


def test_git_without_identity(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """With no git identity configured, the first commit uses a neutral one."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for var in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / "out"
    out.mkdir()
    result = _new(runner, out, "demo", "--no-input")
    assert result.exit_code == 0, result.output
    author = subprocess.run(
        ["git", "log", "-1", "--format=%an <%ae>"], cwd=out / "demo", capture_output=True, text=True
    )
    assert author.stdout.strip() == "scaffold <scaffold@localhost>"


def test_no_git_on_the_machine_is_a_warning(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """Without git the project is still written, with a warning."""
    monkeypatch.setattr("scaffold.repository.shutil.which", lambda name: None)
    result = _new(runner, tmp_path, "demo", "--no-input")
    assert result.exit_code == 0
    assert "git is not installed" in result.output
    assert not (tmp_path / "demo" / ".git").exists()


def test_inside_a_repository_git_is_skipped(runner: CliRunner, tmp_path: Path) -> None:
    """Inside an existing repository no nested repository is created; a template branch
    there is, and the output says so (and no note that the project cannot be updated)."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = _new(runner, tmp_path, "demo", "--no-input")
    assert result.exit_code == 0
    assert "inside the repository at" in result.output
    assert "scaffold/templates/demo" in result.output
    assert "note:" not in result.output
    assert not (tmp_path / "demo" / ".git").exists()


def test_no_git_flag(runner: CliRunner, tmp_path: Path) -> None:
    """--no-git skips the repository."""
    assert _new(runner, tmp_path, "demo", "--no-input", "--no-git").exit_code == 0
    assert not (tmp_path / "demo" / ".git").exists()


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "the project name is empty"),
        ("123", "not a valid Python package name"),
        ("django", "would shadow the 'django' module"),
        ("flask", "would shadow the 'flask' module"),
        ("test", "would shadow the 'test' module"),
        ("site", "would shadow Python's site module"),
        ("os", "would shadow Python's os module"),
        ("class", "is a Python keyword"),
        ("../escape", "is a path, not a name"),
        ("/tmp/absolute", "is a path, not a name"),
    ],
    ids=[
        "empty",
        "digits",
        "django",
        "flask",
        "test",
        "site",
        "os",
        "keyword",
        "escape",
        "absolute",
    ],
)
def test_bad_names(runner: CliRunner, tmp_path: Path, name: str, fragment: str) -> None:
    """A bad name is a usage error with one line, and nothing is written."""
    _assert_one_line_error(_new(runner, tmp_path, name, "--no-input"), 2, fragment)
    assert list(tmp_path.iterdir()) == []


def test_missing_name_without_prompts(runner: CliRunner, tmp_path: Path) -> None:
    """With no terminal and no name, the missing value is a usage error."""
    _assert_one_line_error(_new(runner, tmp_path), 2, "project_name is required")


def test_existing_target(runner: CliRunner, tmp_path: Path) -> None:
    """An existing directory is never overwritten without --force."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("mine")
    _assert_one_line_error(_new(runner, tmp_path, "demo", "--no-input"), 1, "already exists")
    assert os.listdir(tmp_path / "demo") == ["mine.txt"]


def test_two_frameworks_asked_at_once_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """--framework django with framework=flask in --set is refused, not decided silently."""
    result = _new(
        runner, tmp_path, "demo", "--no-input", "--framework", "django", "--set", "framework=flask"
    )
    _assert_one_line_error(result, 2, "--framework django and framework=flask")
    assert list(tmp_path.iterdir()) == []


def test_force_replaces_existing_target(runner: CliRunner, tmp_path: Path) -> None:
    """--force replaces the directory with the new project."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("mine")
    assert _new(runner, tmp_path, "demo", "--no-input", "--force", "--no-git").exit_code == 0
    assert not (tmp_path / "demo" / "mine.txt").exists()
    assert (tmp_path / "demo" / "pyproject.toml").is_file()


def test_force_may_replace_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scaffold new demo --force -o ..` run from inside demo: the project replaces the
    directory the shell is in, and the summary names it by its full path."""
    (tmp_path / "demo").mkdir()
    monkeypatch.chdir(tmp_path / "demo")
    result = _new(runner, tmp_path, "demo", "--no-input", "--force", "--no-git")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "pyproject.toml").is_file()
    assert f"cd {tmp_path / 'demo'}" in result.output


def test_unwritable_output_dir(runner: CliRunner, tmp_path: Path) -> None:
    """An output directory that cannot be written is a one-line error."""
    if os.geteuid() == 0:
        target = Path("/proc")  # even root cannot create directories there
    else:
        target = tmp_path / "locked"
        target.mkdir(mode=0o555)
    result = runner.invoke(cli, ["new", "demo", "--no-input", "-o", str(target)])
    _assert_one_line_error(result, 1, "cannot write in")


@pytest.mark.parametrize(
    ("content", "suffix", "fragment"),
    [
        ("purpose: [api\n", ".yml", "is not valid YAML"),
        ('{"purpose": "api",', ".json", "is not valid JSON"),
        ("- purpose\n- api\n", ".yml", "must hold a mapping of keys to values, not a list"),
        ("colour: red\n", ".yml", "unknown answer 'colour'"),
        ("database: mysql\n", ".yml", "database must be one of sqlite, postgresql, none"),
        ("admin: sometimes\n", ".yml", "admin must be true or false"),
        (b"\xff\xfe\x00bad", ".yml", "is not UTF-8 text (byte 1 is not)"),
        (b"purpose: api\n" * 30000, ".yml", "is over 256 KiB: not one"),
        ('project_name: "Demo\\0"\n', ".yml", "project_name holds the control character '\\x00'"),
        ("admin: true\nteam: solo\nadmin: false\n", ".yml", "sets 'admin' twice: keep one"),
        ('{"admin": true, "admin": false}', ".json", "sets 'admin' twice: keep one"),
        ("? [a, b]\n: c\n", ".yml", "has a key that is not a name: ['a', 'b']"),
    ],
    ids=[
        "yaml",
        "json",
        "list",
        "unknown-key",
        "bad-choice",
        "bad-bool",
        "not-utf8",
        "huge",
        "nul",
        "twice-yaml",
        "twice-json",
        "list-key",
    ],
)
def test_bad_answers_files(
    runner: CliRunner, tmp_path: Path, content: str | bytes, suffix: str, fragment: str
) -> None:
    """Malformed answers files are usage errors naming what is wrong."""
    answers = tmp_path / f"answers{suffix}"
    answers.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(
        cli, ["new", "demo", "--no-input", "--answers", str(answers), "-o", str(out)]
    )
    _assert_one_line_error(result, 2, fragment)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("assignment", "fragment"),
    [
        ("database", "--set takes KEY=VALUE"),
        ("colour=red", "unknown answer 'colour'"),
        ("ci=jenkins", "ci must be one of github, gitlab, none"),
        ("email=notanemail", "email must be one address such as you@example.com"),
        ("email=a@b.c, d@e.f", "email must be one address"),
        ("description=an\x1b[31mred app", "description holds the control character '\\x1b'"),
    ],
    ids=["no-equals", "unknown-key", "bad-choice", "email-no-domain", "two-emails", "escape"],
)
def test_bad_set(runner: CliRunner, tmp_path: Path, assignment: str, fragment: str) -> None:
    """A bad --set is a usage error."""
    result = _new(runner, tmp_path, "demo", "--no-input", "--set", assignment)
    assert result.exit_code == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_prompted_email_is_asked_again_until_it_is_an_address(runner: CliRunner) -> None:
    """At the prompt a bad address is asked again (a git identity that is no address is
    not offered as the default)."""
    from scaffold.cli.prompts import ask_email
    from scaffold.questions import Question

    question = Question("email", "text", "Author email", "", "me")
    with runner.isolation(input="me\nme@example.com\n") as (out, err, _):
        assert ask_email(question) == "me@example.com"
    assert "give one address such as you@example.com" in err.getvalue().decode()
    assert "[me]" not in out.getvalue().decode()


def test_bad_framework_flag(runner: CliRunner, tmp_path: Path) -> None:
    """An unknown framework is a usage error."""
    assert _new(runner, tmp_path, "demo", "--no-input", "--framework", "rails").exit_code == 2


def test_constraint_note(runner: CliRunner, tmp_path: Path) -> None:
    """Accounts without a database on Flask default the database to sqlite and say so."""
    result = _new(
        runner,
        tmp_path,
        "demo",
        "--no-input",
        "--json",
        "--framework",
        "flask",
        "--set",
        "accounts=true",
        "--set",
        "database=none",
    )
    data = json.loads(result.stdout)
    assert data["options"]["database"] == "sqlite"
    assert any("set database to sqlite" in note for note in data["notes"])


def test_interactive_flow(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """A bad name is re-asked with a suggestion; the framework can be switched at the end."""
    monkeypatch.setattr("scaffold.cli.can_prompt", lambda: True)
    answers = [
        "os",  # refused: shadows the os module, re-asked with a suggestion
        "",  # accept the suggestion os_project
        "api",  # purpose
        "n",  # admin
        "solo",  # team
        "n",  # growth
        "minimal",  # prefer
        "n",  # stays_small
        "n",  # deadline
        "none",  # experience
        "n",  # realtime
        "n",  # own_stack
        # the template options a rule reads, with the templates' own prompts
        "none",  # database
        "y",  # api
        "n",  # accounts
        "n",  # forms
        "django",  # switch away from the recommended Flask
        # then the Django template's remaining options
        "n",  # tasks
        "n",  # docker
        "none",  # ci
        "",  # python_version, the default
        # then the project's metadata, each default accepted
        "",  # author_name
        "",  # email
        "",  # description
    ]
    result = runner.invoke(
        cli, ["new", "-o", str(tmp_path), "--no-git"], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "shadow Python's os module" in result.stderr
    assert "Recommended: Flask" in result.output
    record = yaml.safe_load((tmp_path / "os_project" / ".scaffold-answers.yml").read_text())
    assert record["framework"] == "django" and record["_scaffold"]["framework_overridden"]


def test_interrupt_exits_130(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C at a prompt exits 130 and writes nothing."""
    monkeypatch.setattr("scaffold.cli.can_prompt", lambda: True)

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("click.prompt", interrupt)
    result = _new(runner, tmp_path)
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []


def test_recommend_json(runner: CliRunner, tmp_path: Path) -> None:
    """recommend --json gives framework, scores and reasons naming their answers."""
    answers = tmp_path / "a.yml"
    answers.write_text("purpose: api\ndatabase: none\n")
    result = runner.invoke(cli, ["recommend", "--answers", str(answers), "--json"])
    data = json.loads(result.stdout)
    assert data["framework"] == "flask"
    assert data["scores"]["flask"] > data["scores"]["django"]
    assert any(reason.startswith("purpose is api") for reason in data["reasons"])


def test_questions_json(runner: CliRunner) -> None:
    """questions --json lists the requirement questions, then each template's options."""
    data = json.loads(runner.invoke(cli, ["questions", "--json"]).stdout)
    keys = [q["key"] for q in data]
    assert keys[:11] == [
        "project_name",
        "purpose",
        "admin",
        "team",
        "growth",
        "prefer",
        "stays_small",
        "deadline",
        "experience",
        "realtime",
        "own_stack",
    ]
    by_key = {q["key"]: q for q in data}
    assert by_key["forms"]["templates"] == ["flask"]
    assert by_key["database"]["templates"] == ["django", "flask"]
    assert by_key["purpose"]["templates"] is None


def test_templates_json(runner: CliRunner) -> None:
    """templates --json reads each template's options from its cookiecutter.json."""
    data = json.loads(runner.invoke(cli, ["templates", "--json"]).stdout)
    by_name = {template["name"]: template for template in data}
    assert set(by_name) == {"django", "flask"}
    flask_options = {option["name"] for option in by_name["flask"]["options"]}
    assert {"database", "accounts", "forms", "api", "admin"} <= flask_options


# -- a new option in a template's cookiecutter.json, with no change to scaffold ------------


@pytest.fixture
def celery_flask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped templates whose Flask one has a new option, celery."""
    import shutil

    import scaffold.catalog

    root = tmp_path / "templates"
    shutil.copytree(scaffold.catalog.templates_root(), root)
    config_path = root / "flask" / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config["celery"] = False
    config["__prompts__"]["celery"] = "Background tasks with Celery?"
    config_path.write_text(json.dumps(config))
    monkeypatch.setattr(scaffold.catalog, "templates_root", lambda: root)
    scaffold.catalog.load_template.cache_clear()
    yield root
    scaffold.catalog.load_template.cache_clear()


def test_new_option_is_listed(runner: CliRunner, celery_flask: Path) -> None:
    """templates and questions list the new option with its prompt."""
    listed = runner.invoke(cli, ["templates"]).stdout
    assert "celery" in listed and "Background tasks with Celery?" in listed
    data = json.loads(runner.invoke(cli, ["questions", "--json"]).stdout)
    (celery,) = [q for q in data if q["key"] == "celery"]
    assert (celery["type"], celery["default"], celery["templates"]) == ("bool", False, ["flask"])


def test_new_option_is_settable_and_recorded(
    runner: CliRunner, tmp_path: Path, celery_flask: Path
) -> None:
    """--set celery=true reaches the template and the answers record."""
    out = tmp_path / "out"
    out.mkdir()
    args = ["new", "demo", "--no-input", "--no-git", "--json", "-o", str(out)]
    result = runner.invoke(cli, [*args, "--framework", "flask", "--set", "celery=true"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["options"]["celery"] is True
    record = yaml.safe_load((out / "demo" / ".scaffold-answers.yml").read_text())
    assert record["celery"] is True


def test_an_answers_file_with_options_of_both_templates_works_with_either(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The usage page's answers file has forms (a Flask option) and gets Django recommended:
    forms is not used, the summary says why, and the project is written."""
    answers = tmp_path / "answers.yml"
    answers.write_text("purpose: website\nadmin: true\nteam: large\nforms: true\n")
    out = tmp_path / "out"
    args = ["new", "demo", "--no-input", "--no-git", "--answers", str(answers), "-o", str(out)]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["framework"] == "django" and "forms" not in shown["options"]
    assert any(
        note.startswith("forms is an option of the flask template") for note in shown["notes"]
    )
    chosen = runner.invoke(cli, [*args, "--framework", "django", "-o", str(tmp_path / "2")])
    _assert_one_line_error(chosen, 2, "django template has no option 'forms'")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--framework", "flask", "--set", "celery=maybe"], "celery must be true or false"),
        (["--framework", "django", "--set", "celery=true"], "django template has no option"),
    ],
    ids=["bad-value", "other-template"],
)
def test_new_option_is_validated(
    runner: CliRunner, tmp_path: Path, celery_flask: Path, args: list[str], fragment: str
) -> None:
    """The new option's values are checked, and the template without it refuses it."""
    result = _new(runner, tmp_path, "demo", "--no-input", *args)
    _assert_one_line_error(result, 2, fragment)


def test_new_option_is_prompted(
    runner: CliRunner, tmp_path: Path, celery_flask: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interactive flow asks the new option with the template's prompt."""
    monkeypatch.setattr("scaffold.cli.can_prompt", lambda: True)
    args = ["new", "demo", "--framework", "flask", "--no-git", "--json", "-o", str(tmp_path)]
    result = runner.invoke(cli, args, input="\n" * 40)
    assert result.exit_code == 0, result.output
    assert "Background tasks with Celery?" in result.output


@pytest.mark.parametrize("command", [[], ["check"], ["update"], ["smoke"]])
def test_help_documents_the_exit_codes(runner: CliRunner, command: list[str]) -> None:
    """--help lists what each exit code means."""
    text = " ".join(runner.invoke(cli, [*command, "--help"]).output.split())
    assert "Exit codes: 0 done, 1 failed, 2 usage error, 3 the answer is no" in text
    assert "130 interrupted" in text


def test_check_that_cannot_check_is_1_not_3(runner: CliRunner, tmp_path: Path) -> None:
    """ "Could not check" (not a scaffold project) is 1, apart from "behind" (3)."""
    result = runner.invoke(cli, ["check", str(tmp_path)])
    _assert_one_line_error(result, 1, "is not a scaffold project")


def test_smoke_usage_error_is_2(runner: CliRunner) -> None:
    """A bad smoke argument is a usage error, apart from a failing project (3)."""
    result = runner.invoke(cli, ["smoke", "flask", "--jobs", "0"])
    _assert_one_line_error(result, 2, "--jobs 0")


def test_author_and_email_default_to_the_git_identity(tmp_path, monkeypatch) -> None:
    """The author and email prompts offer git's user.name and user.email where set."""
    from scaffold.cli.prompts import ask
    from scaffold.questions import Question

    (tmp_path / ".gitconfig").write_text(
        "[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    offered = []

    def prompt(text: str, default: str | None = None, **kw: object) -> str | None:
        offered.append(default)
        return default  # the user takes what is offered

    monkeypatch.setattr("click.prompt", prompt)
    ask(Question("author_name", "text", "Author", "", "Your Name"))
    ask(Question("email", "text", "Author email", "", "you@example.com"))
    ask(Question("description", "text", "One-line description", "", "An app."))
    assert offered == ["Grace Hopper", "grace@example.org", "An app."]

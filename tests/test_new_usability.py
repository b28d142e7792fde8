"""`scaffold new` as a newcomer meets it: JSON stays JSON, no answer is asked in vain,
the output directory is created, and the next steps are exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.cli import cli


@pytest.fixture
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scaffold.cli.can_prompt", lambda: True)


def test_json_keeps_prompts_off_stdout(runner, tmp_path: Path, interactive: None) -> None:
    result = runner.invoke(
        cli, ["new", "demo", "--json", "--dry-run", "-o", str(tmp_path)], input="\n" * 40
    )
    assert result.exit_code == 0, result.output
    reply = json.loads(result.stdout)  # stdout holds the JSON object alone
    assert reply["output"] == str(tmp_path / "demo")
    assert "Framework" in result.stderr


def test_an_existing_target_is_refused_before_any_question(
    runner, tmp_path: Path, interactive: None
) -> None:
    (tmp_path / "demo").mkdir()
    result = runner.invoke(cli, ["new", "demo", "-o", str(tmp_path)], input="")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'demo'} already exists: choose another name or pass --force"
    ]


def test_an_output_path_that_is_a_file_is_refused_first(
    runner, tmp_path: Path, interactive: None
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["new", "demo", "-o", str(tmp_path / "file" / "sub")], input="")
    assert result.exit_code == 1
    assert "is a file, not a directory" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_output_directory_is_created_and_said(runner, tmp_path: Path) -> None:
    where = tmp_path / "a" / "b"
    result = runner.invoke(cli, ["new", "demo", "--no-input", "--no-git", "-o", str(where)])
    assert result.exit_code == 0, result.output
    assert (where / "demo" / "README.md").is_file()
    assert f"Created the output directory {where}" in result.output


def test_a_failed_render_removes_the_output_directory_it_created(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.errors import RenderError

    def broken(*args, **kwargs):
        raise RenderError("the template failed to render: boom")

    monkeypatch.setattr("scaffold.project.render_project", broken)
    where = tmp_path / "a" / "b"
    result = runner.invoke(cli, ["new", "demo", "--no-input", "-o", str(where)])
    assert result.exit_code == 1
    assert not (tmp_path / "a").exists()


def test_next_steps_go_where_the_project_went(
    runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(
        cli, ["new", "demo", "--no-input", "--no-git", "--framework", "flask",
              "--set", "database=postgresql", "-o", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    steps = result.output.split("Next steps:\n", 1)[1].splitlines()
    assert steps[0].strip() == f"cd {tmp_path / 'demo'}"
    assert "createdb demo" in [step.strip() for step in steps]
    readme = (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")
    assert "createdb demo" in readme
    monkeypatch.chdir(tmp_path)
    again = runner.invoke(cli, ["new", "other", "--no-input", "--no-git"])
    assert again.output.split("Next steps:\n", 1)[1].splitlines()[0].strip() == "cd other"


def test_without_git_it_says_how_updates_can_start(runner, tmp_path: Path) -> None:
    """--no-git: the note names `scaffold adopt`, not a project that can never be updated."""
    result = runner.invoke(cli, ["new", "demo", "--no-input", "--no-git", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "scaffold adopt" in result.output
    assert "cannot be updated" not in result.output


def test_a_name_in_another_script_with_a_slug_is_generated(runner, tmp_path: Path) -> None:
    """`scaffold new` takes a name in any script when --set project_slug is valid."""
    result = runner.invoke(
        cli,
        ["new", "東京ニュース", "--no-input", "--no-git", "--framework", "flask",
         "-o", str(tmp_path), "--set", "project_slug=tokyo_news"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    readme = (tmp_path / "tokyo_news" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 東京ニュース\n")


def test_purpose_api_turns_the_api_option_on_and_says_so(runner, tmp_path: Path) -> None:
    """A derived default is applied once and shown with its reason."""
    words = ["new", "demo", "--no-input", "--dry-run", "--framework", "flask", "-o", str(tmp_path)]
    shown = runner.invoke(cli, [*words, "--set", "purpose=api"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count("api: on, because purpose is api") == 1
    data = json.loads(runner.invoke(cli, [*words, "--set", "purpose=api", "--json"]).stdout)
    assert data["options"]["api"] is True
    assert data["answers"]["api"]["source"] == "derived"


@pytest.mark.parametrize("option", ["accounts", "admin"])
def test_accounts_or_admin_bring_a_database_once(runner, tmp_path: Path, option: str) -> None:
    """accounts or admin without a database get SQLite, said once in the summary."""
    words = ["new", "demo", "--no-input", "--dry-run", "--framework", "flask", "-o", str(tmp_path)]
    shown = runner.invoke(cli, [*words, "--set", f"{option}=true", "--set", "database=none"])
    assert shown.exit_code == 0, shown.output
    notes = [line for line in shown.output.splitlines() if "set database to sqlite" in line]
    assert len(notes) == 1, shown.output
    assert "database=sqlite" in shown.output

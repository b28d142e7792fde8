"""`scaffold new` scores only the answers the user gave, as `scaffold recommend` does,
and records which ones they were."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from scaffold.cli import cli


def _new(runner, tmp_path: Path, *args: str) -> dict:
    result = runner.invoke(cli, ["new", "demo", "--no-input", "--json", "-o", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_nothing_said_is_no_recommendation(runner, tmp_path: Path) -> None:
    reply = _new(runner, tmp_path, "--dry-run")
    recommend = runner.invoke(cli, ["recommend", "--no-input", "--json"])
    assert reply["recommended"] == json.loads(recommend.stdout)["framework"]


def test_a_solo_developer_alone_leans_flask(runner, tmp_path: Path) -> None:
    reply = _new(runner, tmp_path, "--set", "team=solo", "--no-git")
    assert reply["recommended"] == "flask"
    record = yaml.safe_load((tmp_path / "demo" / ".scaffold-answers.yml").read_text("utf-8"))
    assert record["_scaffold"]["given"] == ["project_name", "team"]
    assert record["_scaffold"]["recommended"] == "flask"


def test_the_same_as_recommend_for_the_same_answers(runner, tmp_path: Path) -> None:
    sets = ["--set", "purpose=website", "--set", "admin=true", "--set", "team=small"]
    reply = _new(runner, tmp_path, *sets, "--dry-run")
    recommend = json.loads(runner.invoke(cli, ["recommend", "--no-input", "--json", *sets]).stdout)
    assert reply["recommended"] == recommend["framework"] == "django"

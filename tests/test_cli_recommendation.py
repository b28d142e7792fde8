"""`scaffold recommend`: only given answers count, bars, close calls, --json fields, --explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffold.cli import cli
from scaffold.decision import RULES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def recommend(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["recommend", "--no-input", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_empty_answers_file_says_either_works(runner: CliRunner, tmp_path: Path) -> None:
    """An empty answers file scores nothing and says so, instead of picking Django."""
    answers = tmp_path / "a.yml"
    answers.write_text("")
    data = json.loads(recommend(runner, "--answers", str(answers), "--json"))
    assert data["scores"] == {"django": 0, "flask": 0}
    assert data["close_call"] is True and data["answered"] is False
    assert data["verdict"].startswith("no answers yet: either works")
    assert all(not d["given"] and d["points"] == 0 for d in data["details"] if d["key"])


def test_solo_alone_leans_flask(runner: CliRunner, tmp_path: Path) -> None:
    """A file that says only `team: solo` leans Flask; defaults do not outweigh it."""
    answers = tmp_path / "a.yml"
    answers.write_text("team: solo\n")
    data = json.loads(recommend(runner, "--answers", str(answers), "--json"))
    assert (data["framework"], data["scores"]) == ("flask", {"django": 0, "flask": 1})


def test_json_has_margin_close_call_and_reason_fields(runner: CliRunner) -> None:
    """--json gives the margin, the close call and each reason's key, answer, given, seed."""
    data = json.loads(recommend(runner, "--set", "purpose=api", "--set", "admin=true", "--json"))
    assert (data["margin"], data["close_call"]) == (2, False)
    assert data["conflict"] == "the admin leans Django, an API leans Flask"
    admin = next(d for d in data["details"] if d["key"] == "admin")
    assert (admin["answer"], admin["given"], admin["points"], admin["seed"]) == (
        True,
        True,
        3,
        "002",
    )


def test_terminal_shows_bars_and_reasons_by_framework(runner: CliRunner) -> None:
    """Both scores as bars, the winner's reasons first, defaults under "Not counted"."""
    out = recommend(
        runner, "--set", "purpose=website", "--set", "growth=true", "--set", "team=solo"
    )
    lines = out.strip().splitlines()
    assert lines[0] == "Recommended: Django, by 3 points"
    assert lines[1:3] == ["  Django   4 " + "█" * 24, "  Flask    1 " + "█" * 6]
    assert out.index("For Django:") < out.index("For Flask:") < out.index("Not counted:")


def test_close_call_names_the_conflict(runner: CliRunner) -> None:
    """A one-point margin is shown as a close call with the conflict sentence."""
    out = recommend(runner, "--set", "purpose=api", "--set", "prefer=batteries")
    assert out.strip().splitlines()[0] == "Close call: both fit (Django by 1)"
    assert "having decisions made for you leans Django, a single-purpose API leans Flask." in out


def test_explain_prints_every_rule_with_its_quote(runner: CliRunner) -> None:
    """--explain prints the whole rules table, each rule with its seed quote."""
    out = recommend(runner, "--explain")
    flat = " ".join(out.split())
    for rule in RULES:
        assert " ".join(f"“{rule.quote}”".split()) in flat
    assert "tie rule" in out


def test_explain_json_lists_the_rules(runner: CliRunner) -> None:
    """--explain --json gives one object per rule."""
    data = json.loads(recommend(runner, "--explain", "--json"))
    assert len(data) == len(RULES)
    assert {"key", "value", "framework", "points", "seed", "quote"} <= set(data[0])


def test_prompts_ask_only_what_counts(runner: CliRunner, monkeypatch) -> None:
    """Interactive recommend asks only questions a rule reads, and counts what was typed."""
    monkeypatch.setattr("scaffold.cli.can_prompt", lambda: True)
    asked: list[str] = []

    def answer(text: str, **kwargs: object) -> object:
        asked.append(text)
        return kwargs.get("default")

    monkeypatch.setattr("click.prompt", answer)
    monkeypatch.setattr("click.confirm", answer)
    result = runner.invoke(cli, ["recommend", "--set", "purpose=api", "--json"])
    data = json.loads(result.stdout[result.stdout.index("\n{") :])
    assert "Who will work on it" in asked and "Is there a tight deadline" in asked
    assert not any("Dockerfile" in q or "integration" in q for q in asked)
    assert all(d["given"] for d in data["details"])


def test_explain_says_where_each_rule_comes_from(runner: CliRunner) -> None:
    """--explain names each rule's source: a seed by its title, or practice, not the seeds."""
    out = recommend(runner, "--explain")
    practice = [rule for rule in RULES if rule.source == "practice"]
    assert practice and out.count("from practice, not the seeds:") == len(practice)
    seeds = [rule for rule in RULES if rule.source == "seeds"]
    assert out.count("  seed ") == len(seeds) + 1  # and the tie rule's


def test_explain_json_gives_each_rules_source(runner: CliRunner) -> None:
    """--explain --json gives each rule's source; a practice rule has no seed."""
    data = json.loads(recommend(runner, "--explain", "--json"))
    assert {rule["source"] for rule in data} == {"seeds", "practice"}
    for rule in data:
        assert (rule["seed"] is None) == (rule["source"] == "practice"), rule


def test_a_flask_verdict_shows_what_flask_leaves_to_you(runner: CliRunner) -> None:
    """Flask by preference, with logins and a database to build: the terminal lists both
    parts under a heading of their own, and --json among the reasons, worth no points."""
    given = ["--set", "prefer=minimal", "--set", "accounts=true", "--set", "database=postgresql"]
    out = recommend(runner, *given)
    weigh = out[out.index("Worth weighing before you take Flask:") :]
    assert "Flask-Login" in weigh and "Flask-SQLAlchemy" in weigh
    data = json.loads(recommend(runner, *given, "--json"))
    caveats = [d for d in data["details"] if d["caveat"]]
    assert all(d["counted"] and d["points"] == 0 for d in caveats)
    assert {d["key"] for d in caveats} == {"accounts", "database"}
    assert {d["source"] for d in caveats} == {"seeds"}

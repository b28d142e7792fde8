"""Tests for scaffold.smoke.report, and how a smoke run carries a hook's refusals into it.

Every run here is built by hand (or the render child's answer is): nothing is generated.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scaffold.catalog import Template
from scaffold.cli.smoke import smoke_command
from scaffold.smoke import generate, runner
from scaffold.smoke.checks import StepResult
from scaffold.smoke.environment import Environment
from scaffold.smoke.matrix import Combination
from scaffold.smoke.report import run_dict, text_report, write_junit
from scaffold.smoke.runner import CombinationResult, SmokeRun
from scaffold.smoke.steps import StepContext

LONG_VALUE = "a value far longer than any terminal is wide, " * 4
LONG_MESSAGE = "exited with code 1 after printing " + "a very long explanation " * 12
LONG_OUTPUT = "\tTraceback line\x1b[31m " + "x" * 230 + "\x1b[0m\nshort line"


def combination(**values: Any) -> Combination:
    return Combination("tiny", tuple(values.items()))


def ok(name: str, seconds: float = 0.5, message: str = "") -> StepResult:
    return StepResult(name, True, seconds, 0, message)


def passed() -> CombinationResult:
    return CombinationResult(
        "tiny",
        combination(database="sqlite", api=False, notes=LONG_VALUE),
        [ok("generate"), ok("lint"), StepResult("api", True, skipped=True)],
        seconds=1.0,
    )


def failed() -> CombinationResult:
    return CombinationResult(
        "tiny",
        combination(database="postgresql", api=True, notes=LONG_VALUE),
        [ok("generate"), StepResult("tests", False, 2.0, 1, LONG_MESSAGE, LONG_OUTPUT)],
        seconds=2.5,
    )


def refused(expected: str = "") -> CombinationResult:
    hook = "ERROR: the Webpack frontend needs Docker: answer use_docker=y"
    message = "refused, as expected: " + expected if expected else "the hook refused"
    generate = StepResult("generate", bool(expected), 0.3, None, message, hook)
    frontend = "Webpack" if expected else "Vite"
    return CombinationResult(
        "tiny",
        combination(use_docker="n", frontend=frontend),
        [generate],
        seconds=0.3,
        refused=True,
        expected_refusal=expected,
    )


def smoke_run(*results: CombinationResult) -> SmokeRun:
    env = Environment("tiny", Path("/cache/" + "deep/" * 20 + "tiny-0123"), "0123", (), True, 4.0)
    return SmokeRun([], list(results), [env], jobs=2, shard=None, wall_seconds=9.0)


def everything() -> SmokeRun:
    return smoke_run(passed(), failed(), refused(), refused("Webpack needs Docker"))


def test_text_report_fits_80_columns() -> None:
    """Long option values, failure messages, output lines and paths wrap within 80 columns,
    and nothing of them is lost but terminal codes."""
    lines = text_report(everything())
    assert max(map(len, lines)) <= 80
    text = "\n".join(lines)
    assert "\x1b" not in text and "\t" not in text
    assert " ".join(LONG_MESSAGE.split()) in " ".join(text.split())  # wrapped, not cut
    assert "x" * 230 in "".join(line.removeprefix("  | ") for line in lines)


def test_text_report_counts_refusals_apart_from_failures() -> None:
    """A refusal is neither a pass nor a failure: the summary counts each kind, and an
    unexpected refusal is shown with the hook's words."""
    text = "\n".join(text_report(everything()))
    assert (
        "1 passed, 1 failed, 1 refused by the template's hook, 1 refused as expected in 9.0 s"
        in " ".join(text.split())
    )
    assert "REFUSED tiny n-Vite: the hook refused" in text
    assert "| ERROR: the Webpack frontend needs Docker" in text
    assert "(refused, as expected: Webpack needs Docker)" in " ".join(text.split())


def test_junit_gives_each_step_its_own_test_case(tmp_path: Path) -> None:
    """Each combination is a suite, each step a case: a failed step fails, a skipped one is
    skipped, an unexpected refusal is an error of type `refused`."""
    write_junit(everything(), tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "7",
        "1",
        "1",
        "1",
    )
    suites = root.findall("testsuite")
    assert [len(suite.findall("testcase")) for suite in suites] == [3, 2, 1, 1]
    first, second, third, fourth = suites
    assert [case.get("name") for case in first.findall("testcase")] == ["generate", "lint", "api"]
    assert first.find("testcase[@name='api']/skipped") is not None
    assert {case.get("classname") for case in first.findall("testcase")} == {first.get("name")}
    failure = second.find("testcase[@name='tests']/failure")
    assert failure is not None and failure.get("type") == "tests"
    assert second.find("testcase[@name='generate']/failure") is None
    error = third.find("testcase/error")
    assert error is not None and error.get("type") == "refused" and third.get("errors") == "1"
    assert fourth.find("testcase/error") is None and fourth.find("testcase/failure") is None
    assert "refused, as expected" in (fourth.findtext("testcase/system-out") or "")
    database = first.find("properties/property[@name='database']")
    assert database is not None and database.get("value") == "sqlite"


def test_json_counts_refusals_apart() -> None:
    """JSON says how many passed, failed, were refused, and refused as expected."""
    data = run_dict(everything())
    counts = [data[key] for key in ("passed", "failed", "refused", "refused_as_expected")]
    assert counts == [1, 1, 1, 1] and data["ok"] is False
    assert [r["status"] for r in data["results"]] == [
        "passed",
        "failed",
        "refused",
        "refused as expected",
    ]
    assert data["results"][3]["expected_refusal"] == "Webpack needs Docker"


@pytest.mark.parametrize(
    ("results", "code", "seen"),
    [
        ((passed(), refused("Webpack needs Docker")), 0, "1 passed, 0 failed, 1 refused as"),
        ((passed(), refused()), 3, "REFUSED"),
        ((passed(), failed()), 3, "FAIL tiny"),
    ],
    ids=["expected-refusal-passes", "unexpected-refusal-fails", "failure-fails"],
)
def test_smoke_command_exit_code_and_width(
    tiny_template: Template,
    monkeypatch: pytest.MonkeyPatch,
    results: tuple[CombinationResult, ...],
    code: int,
    seen: str,
) -> None:
    """An unexpected refusal fails the run (exit 3) as a failure does; a refusal the
    checks file expects does not. Every line printed fits 80 columns."""
    monkeypatch.setattr(runner, "run_smoke", lambda *args, **kwargs: smoke_run(*results))
    result = CliRunner().invoke(smoke_command, [str(tiny_template.path)])
    assert result.exit_code == code, result.output
    assert seen in result.output
    assert max(map(len, result.output.splitlines())) <= 80


def test_generate_carries_a_refusal_apart_from_a_failure(
    tiny_template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The render child's answer for each job becomes the project, a failed generate step,
    or a failed generate step marked as the hook's refusal."""
    answers = [
        {"project": str(tmp_path / "one" / "out" / "demo"), "seconds": 0.1},
        {"error": "refused: the hook refused these answers", "refused": True, "seconds": 0.1},
        {"error": "RenderError: the template failed to render", "seconds": 0.1},
    ]

    def child(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        stdout = "".join(json.dumps(answer) + "\n" for answer in answers)
        return subprocess.CompletedProcess(args, 0, stdout=stdout)

    monkeypatch.setattr(generate.subprocess, "run", child)
    combo = Combination(tiny_template.name, tuple(tiny_template.defaults.items()))
    jobs = [(tiny_template, combo, tmp_path / name) for name in ("one", "two", "three")]
    (project, first, refused_first), (_, second, refused_second), (_, third, refused_third) = (
        generate.generate_batch(jobs)
    )
    assert project is not None and first.ok and not refused_first
    assert not second.ok and refused_second and "refused" in second.message
    assert not third.ok and not refused_third


def check(
    tmp_path: Path,
    template: Template,
    generated: tuple[Path | None, StepResult, bool],
    expected: str,
) -> CombinationResult:
    """``_check`` on one combination whose render gave ``generated``; no step is run."""
    done: Future[list[Any]] = Future()
    done.set_result([generated])
    env: Future[Environment] = Future()
    env.set_result(Environment(template.name, tmp_path / "env", "key", ()))
    context = StepContext({}, None, 1.0, None, lambda event: None)
    combo = Combination(template.name, tuple(template.defaults.items()))
    return runner._check(
        template, combo, 0, runner._Generated([[0]], [done]), env, context, expected
    )


def test_a_refusal_the_checks_file_expects_passes(tiny_template: Template, tmp_path: Path) -> None:
    """Refused, and the checks file says it would be: a pass that says why."""
    refusal = StepResult("generate", False, 0.2, None, "refused: the hook refused", "ERROR: no")
    result = check(tmp_path, tiny_template, (None, refusal, True), "Webpack needs Docker")
    assert result.ok and result.status == "refused as expected"
    assert (
        result.steps[0].ok
        and "refused, as expected: Webpack needs Docker" in result.steps[0].message
    )


def test_an_unexpected_refusal_is_refused_not_failed(
    tiny_template: Template, tmp_path: Path
) -> None:
    """Refused though nothing said so: not ok, and counted as refused, not as failed."""
    refusal = StepResult("generate", False, 0.2, None, "refused: the hook refused", "ERROR: no")
    result = check(tmp_path, tiny_template, (None, refusal, True), "")
    run = smoke_run(result)
    assert not result.ok and result.status == "refused"
    assert run.refusals == [result] and run.failures == [] and not run.ok


def test_a_combination_expected_refused_but_generated_fails(
    tiny_template: Template, tmp_path: Path
) -> None:
    """Generated, though the checks file expects the hook to refuse it: a failure, and the
    checks are not run on it."""
    project = tmp_path / "out" / "demo"
    project.mkdir(parents=True)
    generated = (project, StepResult("generate", True, 0.2), False)
    result = check(tmp_path, tiny_template, generated, "Webpack needs Docker")
    assert not result.ok and result.status == "failed"
    assert [step.name for step in result.steps] == ["generate", "expected refusal"]
    assert "expects its hook to refuse it: Webpack needs Docker" in result.steps[1].message

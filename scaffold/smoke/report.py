"""Smoke run reports: JSON for tools, JUnit XML for test dashboards, text for people.

A combination the template's hook refused is neither a pass nor a failure: each
report counts refusals on their own (and the ones the checks file expected apart).
"""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from scaffold.smoke.checks import StepResult
from scaffold.smoke.runner import CombinationResult, SmokeRun

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Terminal colour and cursor codes, then any other control character: neither has a width.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")
# The text report reads in an 80-column terminal or CI log, whatever the values are.
WIDTH = 80
# What the text report calls each outcome (see CombinationResult.status).
MARKS = {"passed": "pass", "failed": "FAIL", "refused": "REFUSED", "refused as expected": "pass"}


def _xml(text: str) -> str:
    """Text without the control characters XML 1.0 forbids (terminal colours, say)."""
    return _NOT_XML.sub("", text)


def duration(seconds: float) -> str:
    """``4.2 s`` under a minute, ``3m 07s`` above."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def failure_line(result: CombinationResult) -> str:
    """What failed, in one line: the step and how (for a refusal, the hook's refusal)."""
    step = result.failed_step
    if step is None:
        return ""
    if result.refused:
        return step.message or "refused by the template's pre-generation hook"
    return _step_line(step)


def _step_line(step: StepResult) -> str:
    return f"step {step.name!r} {step.message or 'failed'}".strip()


def _step_dict(step: StepResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": step.name,
        "ok": step.ok,
        "seconds": round(step.seconds, 3),
    }
    if step.skipped:
        data["skipped"] = True
    if step.returncode is not None:
        data["returncode"] = step.returncode
    if step.message:
        data["message"] = step.message
    if not step.ok:
        data["output_tail"] = step.output
    return data


def run_dict(run: SmokeRun) -> dict[str, Any]:
    """The whole run as JSON-ready data."""
    return {
        "ok": run.ok,
        "passed": sum(result.status == "passed" for result in run.results),
        "failed": len(run.failures),
        "refused": len(run.refusals),
        "refused_as_expected": len(run.expected_refusals),
        "jobs": run.jobs,
        "shard": f"{run.shard[0]}/{run.shard[1]}" if run.shard else None,
        "wall_seconds": round(run.wall_seconds, 3),
        "outside_checks_seconds": round(run.outside_seconds, 3),
        "outside_checks_share": round(run.outside_share, 4),
        "matrices": [matrix.summary() for matrix in run.matrices],
        "checks": {m.template.name: m.template.checks.describe() for m in run.matrices},
        "environments": [
            {
                "template": env.template,
                "path": str(env.path),
                "key": env.key,
                "created": env.created,
                "seconds": round(env.seconds, 3),
                "ok": env.ok,
                "requirements": list(env.requirements),
            }
            for env in run.environments
        ],
        "results": [
            {
                "template": result.template,
                "id": result.combination.id,
                "values": result.combination.values,
                "ok": result.ok,
                "status": result.status,
                "expected_refusal": result.expected_refusal or None,
                "seconds": round(result.seconds, 3),
                "setup_seconds": round(result.setup_seconds, 3),
                "checks_seconds": round(result.checks_seconds, 3),
                "failed_step": result.failed_step.name if result.failed_step else None,
                "project_dir": str(result.project_dir) if result.project_dir else None,
                "steps": [_step_dict(step) for step in result.steps],
            }
            for result in run.results
        ],
    }


def write_json(run: SmokeRun, path: Path) -> None:
    """Write the run as JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run_dict(run), indent=2) + "\n", encoding="utf-8")


def write_junit(run: SmokeRun, path: Path) -> None:
    """Write the run as JUnit XML: one suite per combination, one test case per step.

    A failed step is a ``failure``; a refusal the checks file did not expect is an
    ``error`` of type ``refused`` (counted apart from failures); a step skipped by
    its ``when`` is ``skipped``.
    """
    root = ET.Element(
        "testsuites",
        name="scaffold smoke",
        tests=str(sum(len(result.steps) for result in run.results)),
        failures=str(sum(_failed(result, step) for result in run.results for step in result.steps)),
        errors=str(len(run.refusals)),
        skipped=str(sum(step.skipped for result in run.results for step in result.steps)),
        time=f"{run.wall_seconds:.3f}",
    )
    for result in run.results:
        name = f"smoke.{result.template}.{result.combination.id}"
        suite = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(result.steps)),
            failures=str(sum(_failed(result, step) for step in result.steps)),
            errors=str(int(result.status == "refused")),
            skipped=str(sum(step.skipped for step in result.steps)),
            time=f"{result.seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for key, value in result.combination.items:
            text = json.dumps(value) if isinstance(value, bool) else str(value)
            ET.SubElement(properties, "property", name=key, value=_xml(text))
        for step in result.steps:
            case = ET.SubElement(
                suite, "testcase", classname=name, name=step.name, time=f"{step.seconds:.3f}"
            )
            if step.skipped:
                ET.SubElement(case, "skipped", message="its options do not call for it")
            elif result.status == "refused" and not step.ok:
                error = ET.SubElement(
                    case, "error", message=_xml(failure_line(result)), type="refused"
                )
                error.text = _xml(step.output)
            elif not step.ok:
                failure = ET.SubElement(
                    case, "failure", message=_xml(_step_line(step)), type=step.name
                )
                failure.text = _xml(step.output)
            elif step.message:
                ET.SubElement(case, "system-out").text = _xml(step.message)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _failed(result: CombinationResult, step: StepResult) -> bool:
    """Whether ``step`` is a failure (a refusal is counted as one of its own)."""
    return not step.ok and not step.skipped and result.status != "refused"


def text_report(run: SmokeRun, width: int = WIDTH) -> list[str]:
    """The run for people: one line per combination, then what failed or was refused,
    the environments and a summary; no line longer than ``width``."""
    if not run.results:
        where = f"shard {run.shard[0]}/{run.shard[1]}" if run.shard else "this run"
        return wrap(f"{where} has no combinations to check.", width)
    lines: list[str] = []
    for result in run.results:
        lines += combination_lines(result, width)
    for result in [*run.failures, *run.refusals]:
        lines.append("")
        mark = MARKS[result.status]
        lines += wrap(
            f"{mark} {result.template} {result.combination.id}: {failure_line(result)}",
            width,
            indent="    ",
        )
        lines += wrap(f"  options: {result.combination.label()}", width, indent="    ")
        step = result.failed_step
        if step is not None and step.output:
            lines += wrap(f"  last lines of {step.name}:", width, indent="    ")
            for line in step.output.splitlines():
                lines += _chunks(line, width, prefix="  | ")
    lines.append("")
    for matrix in run.matrices:  # a template that declares no checks: say which ran
        checks: Any = matrix.template.checks
        if getattr(checks, "default", False):
            lines += wrap(f"{matrix.template.name}: {checks.describe()}", width, "    ")
    for env in run.environments:
        how = f"built in {duration(env.seconds)}" if env.created else "reused"
        state = "" if env.ok else " (FAILED)"
        lines += wrap(f"{env.template} environment {how}{state}: {env.path}", width, "    ")
    passed = sum(result.status == "passed" for result in run.results)
    counts = f"{passed} passed, {len(run.failures)} failed"
    if run.refusals:
        counts += f", {len(run.refusals)} refused by the template's hook"
    if run.expected_refusals:
        counts += f", {len(run.expected_refusals)} refused as expected"
    where = f" (shard {run.shard[0]}/{run.shard[1]})" if run.shard else ""
    lines += wrap(
        f"{counts} in {duration(run.wall_seconds)} with {run.jobs} jobs{where}; "
        f"{run.outside_share:.1%} of the time went to generating, environments and "
        "databases, the rest to the projects' own checks",
        width,
    )
    return lines


def combination_lines(result: CombinationResult, width: int = WIDTH) -> list[str]:
    """One combination's outcome, its time and what stopped it, in lines of ``width``."""
    line = f"{MARKS[result.status]:<7} {duration(result.seconds):>7}  "
    line += f"{result.template} {result.combination.id}"
    step = result.failed_step
    if result.status == "refused as expected":
        line += f" (refused, as expected: {result.expected_refusal})"
    elif result.status == "refused":
        line += " (refused by the template's hook)"
    elif step is not None:
        line += f" ({'interrupted' if step.interrupted else 'failed'}: {step.name})"
    return wrap(line, width, indent=" " * 17)


def wrap(text: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters, long words broken."""
    return textwrap.wrap(
        _plain(text),
        width,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


def _chunks(line: str, width: int, prefix: str) -> list[str]:
    """A line of a program's output, cut (not reflowed) into pieces that fit after ``prefix``."""
    text = _plain(line.expandtabs()).rstrip()
    size = width - len(prefix)
    return [prefix + text[start : start + size] for start in range(0, len(text), size)] or [
        prefix.rstrip()
    ]


def _plain(text: str) -> str:
    """Text without terminal codes or control characters, which have no width."""
    return _TERMINAL_CODES.sub("", text)

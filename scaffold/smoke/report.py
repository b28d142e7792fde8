"""Smoke run reports for CI: JSON for tools, JUnit XML for test dashboards."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from scaffold.smoke.checks import StepResult
from scaffold.smoke.runner import CombinationResult, SmokeRun

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    """What failed, in one line: the step and how."""
    step = result.failed_step
    if step is None:
        return ""
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
        "passed": len(run.results) - len(run.failures),
        "failed": len(run.failures),
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
    """Write the run as JUnit XML: one suite per template, one test case per combination."""
    root = ET.Element(
        "testsuites",
        name="scaffold smoke",
        tests=str(len(run.results)),
        failures=str(len(run.failures)),
        time=f"{run.wall_seconds:.3f}",
    )
    templates = list(dict.fromkeys(result.template for result in run.results))
    for template in templates:
        results = [result for result in run.results if result.template == template]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"smoke.{template}",
            tests=str(len(results)),
            failures=str(sum(not result.ok for result in results)),
            errors="0",
            skipped="0",
            time=f"{sum(result.seconds for result in results):.3f}",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"smoke.{template}",
                name=result.combination.id,
                time=f"{result.seconds:.3f}",
            )
            step = result.failed_step
            if step is not None:
                failure = ET.SubElement(
                    case, "failure", message=_xml(failure_line(result)), type=step.name
                )
                failure.text = _xml(step.output)
            timings = [
                f"{s.name}: {'skipped' if s.skipped else duration(s.seconds)}" for s in result.steps
            ]
            ET.SubElement(case, "system-out").text = (
                result.combination.label() + "\n" + "\n".join(timings)
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)

"""The GitHub Action and the maintainers' guide call `scaffold smoke` with flags it has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scaffold.cli.smoke import matrix_command, smoke_command
from scaffold.smoke.steps import POSTGRES_ENV, REDIS_ENV

ROOT = Path(__file__).resolve().parent.parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def flags_of(command: Any) -> set[str]:
    return {name for param in command.params for name in getattr(param, "opts", [])}


def action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def smoke_script() -> str:
    (script,) = [
        step["run"] for step in action()["runs"]["steps"] if "args=(smoke" in step.get("run", "")
    ]
    return script


def test_the_action_is_a_composite_action_whose_inputs_all_reach_scaffold() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    steps = spec["runs"]["steps"]
    script_env = next(step["env"] for step in steps if "env" in step)
    used = set(script_env.values())
    used |= {
        str(value)
        for step in steps
        for value in step.get("with", {}).values()
        if "inputs." in str(value)
    }
    for name in spec["inputs"]:
        assert any(f"inputs.{name} " in f"{value} " for value in used), name


def test_every_flag_the_action_passes_is_one_smoke_has() -> None:
    used = set(FLAG.findall(smoke_script()))
    assert {"--strategy", "--shard", "--junit", "--json", "--only"} <= used
    assert used <= flags_of(smoke_command), used - flags_of(smoke_command)


def test_the_guide_only_shows_flags_the_commands_have() -> None:
    guide = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    lines = [line for block in blocks for line in block.splitlines() if "scaffold " in line]
    assert lines
    for line in lines:
        command = smoke_command if "scaffold smoke" in line else matrix_command
        assert set(FLAG.findall(line)) <= flags_of(command), line


def test_the_guides_workflow_gives_the_action_only_inputs_it_declares() -> None:
    guide = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    (workflow,) = re.findall(r"```yaml\n(name: smoke.*?)```", guide, re.S)
    steps = yaml.safe_load(workflow)["jobs"]["smoke"]["steps"]
    (uses,) = [step for step in steps if str(step.get("uses", "")).endswith("/scaffold@main")]
    assert set(uses["with"]) <= set(action()["inputs"])
    outputs = set(re.findall(r"steps\.smoke\.outputs\.(\w+)", workflow))
    assert outputs and outputs <= set(action()["outputs"])


def test_the_smoke_workflow_serves_what_the_shipped_checks_need() -> None:
    """PostgreSQL and Redis run beside every smoke job, and smoke is told where."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/smoke.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["smoke"]
    checks = (ROOT / "templates" / "flask" / "scaffold-checks.yml").read_text(encoding="utf-8")
    assert "{redis_url}" in checks and "postgresql" in checks  # what the services are for
    assert {"postgres", "redis"} <= set(job["services"])
    assert job["env"][POSTGRES_ENV] == "postgresql://postgres@127.0.0.1:5432/postgres"
    assert job["env"][REDIS_ENV] == "redis://127.0.0.1:6379"
    assert job["services"]["redis"]["ports"] == ["6379:6379"]

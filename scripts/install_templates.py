"""Install every dependency set of the shipped templates both ways a README gives:
``python scripts/install_templates.py [TEMPLATE...]``.

For each distinct set of dependency lists (every combination of options renders one
of them), a project is generated as ``scaffold new`` would and installed twice, each
into a new environment with every extra:

- ``uv sync --locked --offline`` from the lock the project was generated with, from
  uv's cache alone. When the cache lacks a file, one ``uv sync --locked`` with the
  index warms it, and the offline sync is tried again in a new environment; the line
  says which happened.
- ``pip install -e ".[...]"`` in a ``python -m venv`` environment, against PyPI alone
  (the machine's pip configuration ignored), then ``pip check``.

Prints one line per set. Needs network to PyPI (pip, and uv when its cache is cold).
Exit code 1 when any install fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaffold.catalog import TEMPLATE_NAMES, load_template
from scaffold.locks import PYPI, dependency_sets, uv_binary, uv_environ
from scaffold.project import make_project, plan_values


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; return '' when it succeeded, else the last line it printed."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def with_uv(project: Path, scratch: Path) -> tuple[str, str]:
    """Sync the project from its lock offline; return (how, failure)."""
    environ = uv_environ()
    sync = [uv_binary(), "sync", "--locked", "--all-extras", "--no-config", "--quiet"]

    def into(name: str, *flags: str) -> str:
        env = scratch / name
        shutil.rmtree(env, ignore_errors=True)
        return run([*sync, *flags], project, {**environ, "UV_PROJECT_ENVIRONMENT": str(env)})

    if not into("uv-offline", "--offline"):
        return "offline", ""
    if failure := into("uv-warm"):
        return "", f"uv sync --locked: {failure}"
    if failure := into("uv-offline", "--offline"):
        return "", f"uv sync --locked --offline after warming: {failure}"
    return "offline after warming", ""


def with_pip(project: Path, scratch: Path, extras: list[str]) -> str:
    """Install the project and its extras with pip; return '' or the failure."""
    env = scratch / "pip"
    shutil.rmtree(env, ignore_errors=True)
    if failure := run([sys.executable, "-m", "venv", str(env)], project):
        return f"venv: {failure}"
    pip = [str(env / "bin" / "python"), "-m", "pip", "--isolated", "--disable-pip-version-check"]
    target = f".[{','.join(extras)}]" if extras else "."
    install = [*pip, "install", "--quiet", "--index-url", PYPI, "-e", target]
    if failure := run(install, project):
        return f"pip install: {failure}"
    if failure := run([*pip, "check"], project):
        return f"pip check: {failure}"
    return ""


def main(names: list[str]) -> int:
    started, failed, count = time.perf_counter(), 0, 0
    for name in names or TEMPLATE_NAMES:
        template = load_template(name)
        for key, found in dependency_sets(template).items():
            began = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="scaffold-install-") as folder:
                scratch = Path(folder)
                plan = plan_values(template, found.combinations[0])
                made = make_project(plan, output_dir=scratch / "out", git=False, answers_file=False)
                project = made.rendered.path
                extras = sorted(found.lists["optional-dependencies"])
                how, failure = with_uv(project, scratch)
                failure = failure or with_pip(project, scratch, extras)
            count += 1
            failed += bool(failure)
            outcome = f"FAILED {failure}" if failure else f"ok (uv {how}, pip)"
            print(f"{name} {key}: {outcome} in {time.perf_counter() - began:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"{count} sets installed both ways, {failed} failed, in {elapsed:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

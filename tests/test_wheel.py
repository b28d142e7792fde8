"""scaffold as pip installs it: from a built wheel, byte-compiled, never from the checkout.

pip byte-compiles every ``.py`` file of an installed wheel, the templates' files
included; a project generated from such an install must hold no bytecode.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scaffold's wheel built from this checkout and installed (compiled) into a folder."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"),
         str(ROOT)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (work / "dist").glob("scaffold_web-*.whl")
    target = work / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--compile",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((target / "scaffold" / "_templates").rglob("*.pyc")), "pip compiled nothing"
    return target


def _scaffold(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    code = "import sys, scaffold.cli; sys.argv[0] = 'scaffold'; scaffold.cli.main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_an_installed_scaffold_writes_no_bytecode(
    installed: Path, tmp_path: Path, framework: str
) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import scaffold; print(scaffold.__file__)"],
        env={**os.environ, "PYTHONPATH": str(installed)}, cwd=tmp_path, capture_output=True,
        text=True,
    )  # fmt: skip
    assert probe.stdout.startswith(str(installed)), probe.stdout
    result = _scaffold(
        installed, "new", "demo", "--no-input", "--no-git", "--framework", framework, "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    project = tmp_path / "demo"
    on_disk = sorted(
        path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()
    )
    assert not [name for name in on_disk if "__pycache__" in name or name.endswith(".pyc")]
    reported = json.loads(result.stdout)["files"]
    assert sorted(reported) == on_disk
    assert "uv.lock" in on_disk  # the wheel ships the templates' .scaffold-locks/


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_an_installed_scaffold_reads_the_templates_checks_file(
    installed: Path, tmp_path: Path, framework: str
) -> None:
    """The checks file ships beside each template's cookiecutter.json, and is read there;
    a generated project does not get a copy."""
    shipped = installed / "scaffold" / "_templates" / framework / "scaffold-checks.yml"
    assert shipped.is_file()
    code = (
        "from scaffold.catalog import load_template; "
        f"print(load_template({framework!r}).checks.source)"
    )
    env = {**os.environ, "PYTHONPATH": str(installed), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == str(shipped)
    result = _scaffold(
        installed, "new", "demo", "--no-input", "--no-git", "--framework", framework,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert not list((tmp_path / "demo").rglob("scaffold-checks.yml"))

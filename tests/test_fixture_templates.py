"""Every fixture template passes ``scaffold smoke`` with the trees plain cookiecutter writes.

Each directory under tests/fixtures/templates/ reproduces one way real templates are
written (derived defaults, a jsonify replay file, y/n toggles, hook-only constraints,
a checks file, no checks, options listed in the checks file, dependency groups). A
fixture added there later is picked up here without listing it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
TEMPLATES = sorted(path for path in FIXTURES.iterdir() if (path / "cookiecutter.json").is_file())
# A replay file written with ``{{ cookiecutter | jsonify }}`` holds the output directory.
OUTPUT_DIR_KEY = "_output_dir"


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path below ``root``: its permission bits, and a file's bytes.

    In a JSON file holding ``_output_dir`` (a replay file written with
    ``{{ cookiecutter | jsonify }}``), that one key is set to a placeholder: it is
    the directory each render wrote to, which differs between any two renders.
    """
    tree: dict[str, tuple[int, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        data = path.read_bytes() if path.is_file() else None
        if data is not None and path.suffix == ".json" and OUTPUT_DIR_KEY.encode() in data:
            data = _normalised_output_dir(data)
        tree[path.relative_to(root).as_posix()] = (mode, data)
    return tree


def _normalised_output_dir(data: bytes) -> bytes:
    parsed = json.loads(data)
    holder = parsed.get("cookiecutter", parsed) if isinstance(parsed, dict) else None
    if isinstance(holder, dict) and OUTPUT_DIR_KEY in holder:
        holder[OUTPUT_DIR_KEY] = "<output dir>"
        return json.dumps(parsed, sort_keys=True).encode()
    return data


def plain_cookiecutter(template: Path, values: dict[str, Any], output_dir: Path) -> Path:
    """The project plain cookiecutter writes for ``values`` (its hooks run as scripts)."""
    from cookiecutter.main import cookiecutter

    return Path(
        cookiecutter(str(template), no_input=True, extra_context=values, output_dir=str(output_dir))
    )


@pytest.mark.slow  # a smoke run per fixture, and plain cookiecutter per combination
@pytest.mark.parametrize("template", TEMPLATES, ids=[path.name for path in TEMPLATES])
def test_fixture_template_smokes_to_the_trees_plain_cookiecutter_writes(
    template: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``scaffold smoke DIR --strategy all --keep K`` passes, and every kept project is,
    path for path, byte for byte and mode for mode, what ``cookiecutter --no-input``
    writes for the same option values. The one difference allowed is a jsonify replay
    file's ``_output_dir`` (the directory rendered into: two renders, two places),
    normalised in both trees. A combination the run reports refused, plain cookiecutter
    must refuse too."""
    from cookiecutter.exceptions import FailedHookException

    kept, report = tmp_path / "kept", tmp_path / "run.json"
    cache = tmp_path_factory.getbasetemp() / "fixture-smoke-cache"
    env = {**os.environ, "SCAFFOLD_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "scaffold", "smoke", str(template), "--strategy", "all"]
    command += ["--keep", str(kept), "--json", str(report), "--jobs", "2"]
    finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Traceback" not in finished.stderr
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert results and all(result["ok"] for result in results)
    for number, result in enumerate(results):
        plain_dir = tmp_path / "plain" / str(number)
        if result["status"] == "refused as expected":
            with pytest.raises(FailedHookException):
                plain_cookiecutter(template, result["values"], plain_dir)
            continue
        assert result["status"] == "passed"
        project = plain_cookiecutter(template, result["values"], plain_dir)
        ours = Path(result["project_dir"])
        assert ours.parent == kept / template.name
        assert ours.name == result["id"]
        assert snapshot(ours) == snapshot(project), result["id"]

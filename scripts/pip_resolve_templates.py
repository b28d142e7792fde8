"""Check that pip resolves every dependency set of the shipped templates:
``python scripts/pip_resolve_templates.py [TEMPLATE...]``.

A generated project installs with uv from its lock or with pip from its
``pyproject.toml`` ranges (the README gives both). The locks prove uv resolves each
set; this runs ``pip install --dry-run`` on each set's requirements (its dependencies
and every extra) against PyPI alone, ignoring the machine's pip configuration, and
prints one line per set. Needs network to PyPI. Exit code 1 when any set fails.
"""

from __future__ import annotations

import subprocess
import sys
import time

from scaffold.catalog import TEMPLATE_NAMES, load_template
from scaffold.locks import OWN, PYPI, dependency_sets


def requirements(lists: dict) -> list[str]:
    """Every requirement of a set, its own project's extras left out."""
    found = list(lists["dependencies"])
    for extra in lists["optional-dependencies"].values():
        found += extra
    return sorted({r for r in found if not r.startswith(OWN)})


def main(names: list[str]) -> int:
    started, failed = time.perf_counter(), 0
    for name in names or TEMPLATE_NAMES:
        for key, found in dependency_sets(load_template(name)).items():
            command = [
                sys.executable, "-m", "pip", "install", "--isolated", "--dry-run",
                "--ignore-installed", "--quiet", "--index-url", PYPI,
                *requirements(found.lists),
            ]  # fmt: skip
            began = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True)
            outcome = "ok" if result.returncode == 0 else "FAILED"
            failed += result.returncode != 0
            print(f"{name} {key} {outcome} in {time.perf_counter() - began:.1f} s", flush=True)
            if result.returncode != 0:
                print(result.stderr.strip().splitlines()[-1:], file=sys.stderr)
    print(f"{failed} failed, in {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

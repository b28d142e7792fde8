"""Make the shipped templates' uv locks: ``python scripts/lock_templates.py [TEMPLATE...]``.

Renders every distinct set of dependency lists of each template (all of them when no
name is given), runs ``uv lock`` on each against PyPI alone, and writes the locks and
their index into the template's ``.scaffold-locks/`` (see scaffold/locks.py). Needs
network to PyPI; run it whenever a template's pyproject.toml changes, then commit.
"""

from __future__ import annotations

import sys
import time

from scaffold.catalog import TEMPLATE_NAMES, load_template
from scaffold.errors import ScaffoldError
from scaffold.locks import lock_template


def main(names: list[str]) -> int:
    started = time.perf_counter()
    for name in names or TEMPLATE_NAMES:
        try:
            lines = lock_template(load_template(name))
        except ScaffoldError as err:
            print(f"Error: {err}", file=sys.stderr)
            return 1
        print("\n".join(lines))
    print(f"locked in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

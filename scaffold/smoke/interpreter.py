"""The Python a smoke environment is built with: scaffold's own, or one the maintainer names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from scaffold.errors import SmokeError


@dataclass(frozen=True)
class Interpreter:
    """The Python an environment is built with."""

    executable: str
    version: tuple[int, ...]
    implementation: str = "cpython"

    @property
    def identity(self) -> list[Any]:
        """What the cache key knows of it: implementation, version, and where it lives."""
        return [self.implementation, list(self.version), os.path.realpath(self.executable)]


def current_interpreter() -> Interpreter:
    """The Python running scaffold (the interpreter behind it, when scaffold runs in a venv)."""
    executable = getattr(sys, "_base_executable", "") or sys.executable
    return Interpreter(executable, tuple(sys.version_info[:3]), sys.implementation.name)


PROBE = "import json, sys; print(json.dumps([sys.implementation.name, sys.version_info[:3]]))"


def find_interpreter(spec: str, origin: str = "--python") -> Interpreter:
    """The interpreter ``spec`` names (a path, or a name on PATH), asked for its version."""
    found = shutil.which(spec) if os.sep not in spec else (spec if os.path.isfile(spec) else None)
    if not found or not os.access(found, os.X_OK):
        where = "no such file" if os.sep in spec else "not found on PATH"
        raise SmokeError(f"{origin} {spec}: {where}; give an interpreter's path or name")
    try:
        answer = subprocess.run(
            [found, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
        )
        implementation, version = json.loads(answer.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        raise SmokeError(f"{origin} {spec}: {found} does not run as Python 3") from None
    return Interpreter(os.path.abspath(found), tuple(version), implementation)

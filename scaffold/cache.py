"""Where scaffold keeps what it can rebuild: smoke virtualenvs and compiled templates."""

from __future__ import annotations

import os
from pathlib import Path

# Jinja's compiled code for the templates' files, shared by every `scaffold new`.
COMPILED_TEMPLATES = "compiled-templates"


def cache_dir() -> Path:
    """SCAFFOLD_CACHE_DIR, else ``$XDG_CACHE_HOME/scaffold``, else ``~/.cache/scaffold``."""
    if explicit := os.environ.get("SCAFFOLD_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scaffold"

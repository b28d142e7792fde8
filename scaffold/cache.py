"""Where scaffold keeps what it can rebuild: smoke virtualenvs and compiled templates."""

from __future__ import annotations

import os
from pathlib import Path

from scaffold.errors import ScaffoldError

# Jinja's compiled code for the templates' files, shared by every `scaffold new`.
COMPILED_TEMPLATES = "compiled-templates"


def cache_dir() -> Path:
    """SCAFFOLD_CACHE_DIR, else ``$XDG_CACHE_HOME/scaffold``, else ``~/.cache/scaffold``."""
    if explicit := os.environ.get("SCAFFOLD_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME, and no home for this user id
            raise ScaffoldError(
                "no cache directory: this user has no home directory; "
                "set SCAFFOLD_CACHE_DIR (or HOME)"
            ) from None
    return Path(base) / "scaffold"


def compiled_templates_dir() -> Path | None:
    """Where the templates' compiled code is kept between runs; None without a cache
    directory, when it is kept in memory only (it is only a cache)."""
    try:
        return cache_dir() / COMPILED_TEMPLATES
    except ScaffoldError:
        return None

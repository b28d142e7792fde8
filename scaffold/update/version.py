"""A template's release number: ``_template_version`` in its cookiecutter.json.

It grows by one with every release of a template whose output changed, so a
project can record which release it was last rendered from, and an older
scaffold can tell that it must not render the project again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scaffold.catalog import Template


def recorded_version(record: Mapping[str, Any]) -> int:
    """The release number an answers file records; 0 when it records none."""
    value = record.get("_scaffold", {}).get("template_version", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def older_message(template: Template, recorded: int, installed: int) -> str:
    return (
        f"this project was last rendered from version {recorded} of scaffold's "
        f"{template.name} template; the installed scaffold has version {installed}: "
        "your scaffold is older than this project's template; upgrade scaffold "
        "(pip install --upgrade scaffold-web) before updating, or it would undo the newer "
        "template's changes"
    )

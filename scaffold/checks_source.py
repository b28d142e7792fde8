"""Where a template's checks are, and the option values they list.

``catalog.parse_template`` calls these as it reads a template: the checks file
beside cookiecutter.json (``scaffold-checks.yml``), or ``smoke --checks FILE``, or
else ``_checks`` inside cookiecutter.json; and the file's ``options``, which change
the template's options. The rest of the file is read, when first used, by
checks_file.py. Every mistake is a one-line ``TemplateError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.errors import TemplateError

CHECKS_FILE = "scaffold-checks.yml"


def shown(value: Any) -> str:
    """A value as the file would spell it (JSON; a YAML date as its text)."""
    return json.dumps(value, default=str)


def checks_source(
    name: str, path: Path, config: Mapping[str, Any], checks_file: Path | None
) -> tuple[Path | None, Any, tuple[str, ...]]:
    """Where the template's checks are (a file, or None), what was read of them yet, notices."""
    beside = path / CHECKS_FILE
    found = checks_file or (beside if beside.is_file() else None)
    declared = config.get("_checks")
    if found is None:
        return None, declared, ()
    if checks_file is not None and not checks_file.is_file():
        raise TemplateError(f"--checks {checks_file}: no such file")
    notices: tuple[str, ...] = ()
    if declared is not None:
        notices = (f"template {name!r}: {found} wins; its cookiecutter.json _checks are ignored",)
    text = _read_text(found)
    # The file is parsed now only if it may list options (YAML costs an import that
    # `scaffold new` need not pay); otherwise when its checks are first used.
    if OPTIONS_LINE.search(text) or text.lstrip().startswith("{"):
        return found, read_checks_file(found, text), notices
    return found, None, notices


# A top-level ``options:`` key, as a checks file in block style spells it.
OPTIONS_LINE = re.compile(r"^[\"']?options[\"']?\s*:", re.MULTILINE)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise TemplateError(f"cannot read the checks file {path}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise TemplateError(f"{path} is not UTF-8 text") from err


def read_checks_file(path: Path, text: str | None = None) -> Any:
    """The YAML content of a checks file (``text``, if read already); one-line errors."""
    import yaml

    try:
        return yaml.safe_load(_read_text(path) if text is None else text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "cannot be read"
        raise TemplateError(f"{path} is not valid YAML{line}: {problem}") from err


def listed_options(
    config: Mapping[str, Any], checks: Any, where: Path
) -> dict[str, tuple[Any, ...]]:
    """The option values the checks list (``options``), validated against cookiecutter.json."""
    listed = checks.get("options", {}) if isinstance(checks, Mapping) else {}
    if not isinstance(listed, Mapping):
        raise TemplateError(f"{where}: 'options' must map variables to lists of values")
    found: dict[str, tuple[Any, ...]] = {}
    for key, values in listed.items():
        at = f"{where}: options {key!r}"
        if not isinstance(key, str) or key.startswith("_") or key not in config:
            known = ", ".join(k for k in config if not k.startswith("_"))
            raise TemplateError(f"{at} is not a variable of cookiecutter.json ({known})")
        if not isinstance(values, list) or not values:
            raise TemplateError(f"{at} must be a list of values, the default first")
        is_bool = isinstance(config[key], bool)
        for value in values:
            if is_bool and not isinstance(value, bool):
                raise TemplateError(f"{at}: cookiecutter.json makes it true/false, not {value!r}")
            if not is_bool and isinstance(value, bool):
                spelled = shown(value)
                raise TemplateError(
                    f"{at}: {spelled} is a YAML boolean; quote the text the template expects"
                )
            if not is_bool and not isinstance(value, str):
                raise TemplateError(f"{at}: {shown(value)} is not text; quote it")
        if len(set(values)) != len(values):
            raise TemplateError(f"{at} lists a value twice")
        found[key] = tuple(values)
    return found

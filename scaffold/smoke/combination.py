"""One combination of a template's option values, and its short, path-safe id.

The id names a combination's directory (``smoke --keep``) and its JUnit test suite.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scaffold.catalog import YES
from scaffold.smoke.constraints import format_value

# The longest combination id: it names a directory (--keep) and a JUnit test suite.
ID_LIMIT = 64
_NOT_IN_ID = re.compile(r"[^\w.+-]")


@dataclass(frozen=True)
class Combination:
    """One set of option values of one template."""

    template: str
    items: tuple[tuple[str, Any], ...]
    # Set by its matrix when another of its combinations reads the same: the id then
    # carries the hash that tells them apart.
    distinct: bool = field(default=False, compare=False)
    # The options that are yes/no toggles spelled as strings ("y"/"n"): like booleans,
    # they add their name to the id when set.
    toggles: frozenset[str] = field(default=frozenset(), compare=False)
    # The options with one value only (a checks file may list one): every combination
    # has it, so it says nothing in the id.
    fixed: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def values(self) -> dict[str, Any]:
        """The option values as a dict, in the template's option order."""
        return dict(self.items)

    @property
    def id(self) -> str:
        """A short, path-safe name: every choice value, and the names of the toggles set.

        No ``/``, no whitespace, no leading dot, at most ``ID_LIMIT`` characters. When
        a value had to be changed to get there (or could be read as an option's name),
        a hash of the values follows, so two combinations never share an id.
        """
        every = [(name, self._token(name, value)) for name, value in self.items]
        tokens = [token for _, token in every if token]
        safe = [_safe(token) for token in tokens]
        readable = "-".join(safe) or "defaults"
        # A value spelled like another option's name reads like that toggle set.
        names = {name for name, _ in self.items}
        ambiguous = any(token in names - {name} for name, token in every)
        if safe == tokens and not ambiguous and not self.distinct and len(readable) <= ID_LIMIT:
            return readable
        return f"{readable[: ID_LIMIT - 9].rstrip('-.')}-{self.digest}"

    @property
    def digest(self) -> str:
        """A short hash of the option values."""
        data = json.dumps([[name, value] for name, value in self.items], default=str)
        return hashlib.sha256(data.encode()).hexdigest()[:8]

    def label(self) -> str:
        """The options as ``key=value`` pairs, for people."""
        return " ".join(f"{name}={format_value(value)}" for name, value in self.items)

    def _token(self, name: str, value: Any) -> str:
        """What one option adds to the id: a toggle set adds its name, one unset nothing."""
        if name in self.fixed:
            return ""
        if isinstance(value, bool):
            return name if value else ""
        if name in self.toggles:
            return name if str(value).lower() in YES else ""
        return str(value)


def _safe(token: str) -> str:
    """``token`` with nothing a path or a list of ids could trip on."""
    safe = _NOT_IN_ID.sub("_", token) or "_"
    return "_" + safe[1:] if safe.startswith(".") else safe


def distinct(combinations: Iterable[Combination]) -> tuple[Combination, ...]:
    """The combinations, those whose ids would read the same given their hash."""
    listed = tuple(combinations)
    counts = Counter(combination.id for combination in listed)
    return tuple(
        dataclasses.replace(combination, distinct=True)
        if counts[combination.id] > 1
        else combination
        for combination in listed
    )

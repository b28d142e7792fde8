"""The checks file's constraints on a template's combinations, and option values as text.

``exclude`` rules name combinations never generated; ``expect_refused`` rules name
those the template's pre-generation hook is expected to refuse. A rule's values, like
``--only``'s, are read the way the options spell them: a yes/no option (a boolean, or
a toggle spelled "y"/"n") also takes ``true``/``false`` and the like.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scaffold.catalog import NO, YES, Option, Template
from scaffold.errors import TemplateError


def format_value(value: Any) -> str:
    """Show a value the way cookiecutter.json and ``--only`` spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


TRUE_WORDS = ("true", "yes", "y", "on", "1")
FALSE_WORDS = ("false", "no", "n", "off", "0")


def option_value(option: Option, text: str) -> Any:
    """The option value ``text`` names, or None.

    A yes/no option (a boolean, or a toggle spelled "y"/"n" or "yes"/"no") also takes
    ``true``/``false`` and the like: for a toggle, its own spelling of that answer.
    """
    lowered = text.lower()
    on = True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else None
    if option.is_bool:
        return on
    if text in option.choices:
        return text
    if option.is_toggle and on is not None:
        words = YES if on else NO
        return next(choice for choice in option.choices if choice.lower() in words)
    return None


@dataclass(frozen=True)
class Rule:
    """A checks-file rule (``exclude``, ``expect_refused``): the combinations it names, and why.

    ``when`` maps options to their allowed values: a combination matches when each of
    these options takes one of them.
    """

    when: Mapping[str, tuple[Any, ...]]
    reason: str

    def matches(self, values: Mapping[str, Any]) -> bool:
        """Whether a combination with these values is one the rule names."""
        return all(key in values and values[key] in allowed for key, allowed in self.when.items())

    def decided(self, values: Mapping[str, Any]) -> bool:
        """Whether ``values`` (maybe a partial row) set every option the rule names."""
        return self.when.keys() <= values.keys()


def declared_rules(template: Template, kind: str) -> tuple[Rule, ...]:
    """The checks file's ``exclude`` or ``expect_refused`` rules of ``template``.

    The checks file has checked each rule's shape and that its keys are options; each
    ``when`` value is read here the way ``--only`` reads one ("yes" for a "y"/"n"
    toggle is its own "y"), so a rule names the values the options really take. A
    value an option cannot take is a one-line error.
    """
    parsed = template.checks.exclude if kind == "exclude" else template.checks.expect_refused
    where = f"template {template.name!r}: checks {kind}"
    rules = []
    for number, rule in enumerate(parsed, start=1):
        allowed: dict[str, tuple[Any, ...]] = {}
        for key, wanted in rule.when.items():
            option = template.option(key)
            assert option is not None  # the checks file names options only
            values = []
            for value in wanted if isinstance(wanted, list | tuple) else [wanted]:
                chosen = (
                    value if value in option.choices else option_value(option, format_value(value))
                )
                if chosen is None:
                    choices = ", ".join(map(format_value, option.choices))
                    raise TemplateError(
                        f"{where} entry {number}: {key} is one of {choices}, "
                        f"not {format_value(value)!r}"
                    )
                values.append(chosen)
            allowed[key] = tuple(values)
        rules.append(Rule(allowed, rule.reason))
    return tuple(rules)

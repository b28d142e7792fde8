"""The option combinations of a template: every one, or a pairwise covering set.

Combinations come from the options in the template's cookiecutter.json and are
filtered by its ``_requires`` rules, the same rules the tool and the hooks apply,
and by the checks file's ``exclude`` rules (constraints only a template's hook
knows), so no impossible combination is listed. Excluded ones are counted with
their reasons, never dropped silently. The checks file's ``expect_refused`` rules
mark combinations the template's pre-generation hook is expected to refuse.

The pairwise set comes from allpairspy (a small, pure-Python, deterministic
implementation of the classic greedy all-pairs algorithm that accepts a filter
for constraints). Its greedy search can stop before every valid pair is placed
when a filter rejects rows, so the set is then topped up here: any valid pair it
left out gets a combination of its own. Every pair of option values that can
appear together in a valid combination appears in at least one.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scaffold.catalog import Template
from scaffold.errors import SmokeError
from scaffold.smoke.combination import Combination, distinct
from scaffold.smoke.constraints import Rule, declared_rules

STRATEGIES = ("all", "pairwise")
# `--strategy all` above this many combinations would run for days: refuse it at once.
ALL_LIMIT = 4096
# Above this many, pairwise does not enumerate the product to find the valid combinations:
# it checks the requirements on the covering rows it picks.
ENUMERATE_LIMIT = 100_000


def counted(number: int, noun: str) -> str:
    """Return "1 combination" or "2 combinations": the number with its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class TooManyCombinations(SmokeError):
    """The product of a template's option values is too large for the strategy."""


Pair = tuple[tuple[str, Any], tuple[str, Any]]


@dataclass(frozen=True)
class Exclusion:
    """A combination the template's requirements forbid, with the reasons."""

    values: Mapping[str, Any]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Matrix:
    """The combinations of one template chosen by a strategy."""

    template: Template
    strategy: str
    combinations: tuple[Combination, ...]
    total: int  # size of the full product of option values
    excluded: tuple[Exclusion, ...]  # full-product combinations the requirements forbid
    enumerated: bool = True  # False: the product was too large to count the excluded ones
    exclude: tuple[Rule, ...] = ()  # the checks file's exclusions
    expect_refused: tuple[Rule, ...] = ()  # what the template's hook is expected to refuse

    def expected_refusal(self, values: Mapping[str, Any]) -> str:
        """Why the template's hook is expected to refuse these values ('' when it is not)."""
        return next((rule.reason for rule in self.expect_refused if rule.matches(values)), "")

    @property
    def excluded_reasons(self) -> dict[str, int]:
        """How many combinations each reason excluded (one combination may count twice)."""
        counts: Counter[str] = Counter()
        for exclusion in self.excluded:
            counts.update(exclusion.reasons)
        return dict(counts)

    def summary(self) -> str:
        """One line: how many combinations, of how many, and why the others are out."""
        valid = self.total - len(self.excluded)
        checked = counted(len(self.combinations), "combination")
        line = f"{self.template.name}: {checked} ({self.strategy}"
        if not self.enumerated:
            line += f", of {self.total:,} in the full product, too many to check each)"
        else:
            line += f", of {valid} valid)" if self.strategy != "all" else ")"
        if self.excluded:
            reasons = "; ".join(f"{reason} ({n})" for reason, n in self.excluded_reasons.items())
            line += f"; {len(self.excluded)} of {self.total} excluded: {reasons}"
        refused = sum(bool(self.expected_refusal(c.values)) for c in self.combinations)
        if refused:
            line += f"; {refused} expected to be refused by the template's hook"
        return line

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of the matrix."""
        return {
            "template": self.template.name,
            "strategy": self.strategy,
            "options": {option.name: list(option.choices) for option in self.template.options},
            "total": self.total,
            "excluded": len(self.excluded) if self.enumerated else None,
            "excluded_reasons": self.excluded_reasons,
            "combinations": [
                {
                    "id": combination.id,
                    "values": combination.values,
                    **(
                        {"expect_refused": reason}
                        if (reason := self.expected_refusal(combination.values))
                        else {}
                    ),
                }
                for combination in self.combinations
            ],
        }


def combinations(
    template: Template,
    strategy: str = "all",
    *,
    rules_of: Template | None = None,
) -> Matrix:
    """Return the valid option combinations of ``template`` chosen by ``strategy``.

    The checks file's rules are read against ``rules_of`` (the template before
    ``--only`` narrowed its options), by default ``template`` itself.
    """
    exclude = declared_rules(rules_of or template, "exclude")
    expect_refused = declared_rules(rules_of or template, "expect_refused")
    if strategy not in STRATEGIES:
        raise SmokeError(f"unknown strategy {strategy!r}: choose one of {', '.join(STRATEGIES)}")
    names = [option.name for option in template.options]
    total = math.prod(len(option.choices) for option in template.options)
    if strategy == "all" and total > ALL_LIMIT:
        raise TooManyCombinations(
            f"template {template.name!r} has {total:,} option combinations, too many to run "
            f"them all (the limit is {ALL_LIMIT:,}): use --strategy pairwise, or narrow with --only"
        )
    # Pairs count as covered only by combinations that are generated and checked: the
    # pairwise set avoids those the hook is expected to refuse, then adds one of each
    # expect_refused rule to prove the hook refuses it.
    covering = (*exclude, *expect_refused)
    if total > ENUMERATE_LIMIT:
        rows = _patch_up(template, covering, _pairwise_rows(template, covering))
        samples = [
            {**template.defaults, **{k: v[0] for k, v in r.when.items()}} for r in expect_refused
        ]
        rows += _one_each(
            expect_refused, [v for v in samples if not _reasons(template, exclude, v)]
        )
        if not rows:
            raise SmokeError(
                f"template {template.name!r}: no covering combination meets its requirements"
            )
        return Matrix(
            template=template,
            strategy=strategy,
            combinations=_combinations(template, rules_of or template, rows),
            total=total,
            excluded=(),
            enumerated=False,
            exclude=exclude,
            expect_refused=expect_refused,
        )
    product = [dict(zip(names, row, strict=True)) for row in _product(template)]
    valid: list[dict[str, Any]] = []
    excluded: list[Exclusion] = []
    for values in product:
        reasons = _reasons(template, exclude, values)
        if reasons:
            excluded.append(Exclusion(values, reasons))
        else:
            valid.append(values)
    if not valid:
        raise SmokeError(f"template {template.name!r}: its requirements exclude every combination")
    chosen = valid
    if strategy != "all":
        refusing = [any(rule.matches(values) for rule in expect_refused) for values in valid]
        refused = [values for values, no in zip(valid, refusing, strict=True) if no]
        generated = [values for values, no in zip(valid, refusing, strict=True) if not no]
        chosen = _pairwise(template, covering, generated) if generated else []
        chosen += _one_each(expect_refused, refused)
    return Matrix(
        template=template,
        strategy=strategy,
        combinations=_combinations(template, rules_of or template, chosen),
        total=len(product),
        excluded=tuple(excluded),
        exclude=exclude,
        expect_refused=expect_refused,
    )


def _reasons(
    template: Template, exclude: Sequence[Rule], values: Mapping[str, Any]
) -> tuple[str, ...]:
    """Why ``values`` are excluded: the requirements they break, the exclusions they match."""
    broken = [requirement.reason for requirement in template.broken_requirements(values)]
    return (*broken, *(rule.reason for rule in exclude if rule.matches(values)))


def _one_each(rules: Sequence[Rule], candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each rule, the first of ``candidates`` it matches (none when it matches none)."""
    chosen: list[dict[str, Any]] = []
    for rule in rules:
        match = next((values for values in candidates if rule.matches(values)), None)
        if match is not None and match not in chosen:
            chosen.append(match)
    return chosen


def _product(template: Template) -> Iterable[tuple[Any, ...]]:
    return itertools.product(*(option.choices for option in template.options))


def _combinations(
    template: Template, whole: Template, rows: Iterable[Mapping[str, Any]]
) -> tuple[Combination, ...]:
    """The rows as combinations of ``template`` (``whole``: the template --only narrowed,
    whose yes/no toggles stay toggles though narrowed to one answer)."""
    toggles = frozenset(option.name for option in whole.options if option.is_toggle)
    fixed = frozenset(option.name for option in whole.options if len(option.choices) == 1)
    names = [option.name for option in template.options]
    return distinct(
        Combination(
            template.name,
            tuple((name, values[name]) for name in names),
            toggles=toggles,
            fixed=fixed,
        )
        for values in rows
    )


def pairs(values: Mapping[str, Any]) -> set[Pair]:
    """Every pair of option values in one combination."""
    return set(itertools.combinations(values.items(), 2))


def _pairwise(
    template: Template, exclude: Sequence[Rule], valid: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if len(template.options) < 2:  # a single option has no pairs: its values are the cover
        return valid
    return _top_up(_pairwise_rows(template, exclude, valid), valid)


def _pairwise_rows(
    template: Template, exclude: Sequence[Rule], valid: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """allpairspy's covering rows that meet the requirements, the defaults first.

    ``valid`` (when the product was enumerated) tells whether the defaults are valid;
    otherwise the requirements are asked directly.
    """
    from allpairspy import AllPairs  # imported here: only pairwise runs need it

    names = [option.name for option in template.options]

    def allowed(row: list[Any]) -> bool:
        # allpairspy calls this with partial rows, left to right; a requirement
        # can only be judged once every option it mentions has a value.
        partial = dict(zip(names, row, strict=False))
        for requirement in template.requirements:
            mentioned = set(requirement.when) | set(requirement.require)
            if mentioned <= partial.keys() and requirement.broken(partial):
                return False
        return not any(rule.decided(partial) and rule.matches(partial) for rule in exclude)

    # The all-defaults combination (what `scaffold new --no-input` writes) goes
    # first, so the most used project is always among those checked.
    defaults = template.defaults
    defaults_valid = (
        defaults in valid if valid is not None else not _reasons(template, exclude, defaults)
    )
    seed = [defaults] if defaults_valid else []
    rows = AllPairs(
        [list(option.choices) for option in template.options],
        filter_func=allowed,
        previously_tested=[[defaults[name] for name in names]] if seed else None,
    )
    chosen = seed + [dict(zip(names, row, strict=True)) for row in rows]
    return [values for values in chosen if not _reasons(template, exclude, values)]


def _patch_up(
    template: Template, exclude: Sequence[Rule], chosen: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add rows for the pairs ``chosen`` misses, when the product is too large to enumerate:
    each is a chosen row (or the defaults) with the pair's two values put in, kept when
    it meets the requirements. A pair no such row can hold is left out."""
    names = [option.name for option in template.options]
    wanted = {
        ((a.name, x), (b.name, y))
        for a, b in itertools.combinations(template.options, 2)
        for x in a.choices
        for y in b.choices
    }
    missing = wanted - set().union(set(), *(pairs(values) for values in chosen))
    order = {name: n for n, name in enumerate(names)}
    for pair in sorted(missing, key=lambda p: (order[p[0][0]], order[p[1][0]], repr(p))):
        if pair not in missing:
            continue
        (a, x), (b, y) = pair
        for base in [*chosen, template.defaults]:
            candidate = {**base, a: x, b: y}
            if not _reasons(template, exclude, candidate):
                chosen.append(candidate)
                missing -= pairs(candidate)
                break
    return chosen


def _top_up(chosen: list[dict[str, Any]], valid: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add valid combinations until every pair that any valid combination has is covered."""
    wanted: set[Pair] = set().union(*(pairs(values) for values in valid))
    missing = wanted - set().union(*(pairs(values) for values in chosen))
    while missing:
        # Greedy: the valid combination covering the most missing pairs; ties go
        # to the first in enumeration order, so the result stays deterministic.
        best = max(valid, key=lambda values: len(pairs(values) & missing))
        chosen.append(best)
        missing -= pairs(best)
    return chosen


def missing_pairs(matrix: Matrix) -> set[Pair]:
    """The valid pairs no generated combination of ``matrix`` covers (empty for a correct
    matrix); a combination the hook is expected to refuse generates nothing, covers nothing."""
    template = matrix.template
    skipped = (*matrix.exclude, *matrix.expect_refused)
    valid = [
        dict(zip([o.name for o in template.options], row, strict=True))
        for row in _product(template)
    ]
    valid = [values for values in valid if not _reasons(template, skipped, values)]
    wanted: set[Pair] = set().union(*(pairs(values) for values in valid))
    generated = [c.values for c in matrix.combinations if not matrix.expected_refusal(c.values)]
    return wanted - set().union(*(pairs(values) for values in generated))

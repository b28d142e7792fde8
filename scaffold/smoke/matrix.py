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

import dataclasses
import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.catalog import (
    TEMPLATE_NAMES,
    YES,
    Template,
    load_template,
    parse_template,
    templates_root,
)
from scaffold.checks_source import CHECKS_FILE
from scaffold.errors import SmokeError
from scaffold.smoke.constraints import Rule, declared_rules, format_value, option_value

STRATEGIES = ("all", "pairwise")
# `--strategy all` above this many combinations would run for days: refuse it at once.
ALL_LIMIT = 4096
# Above this many, pairwise does not enumerate the product to find the valid combinations:
# it checks the requirements on the covering rows it picks.
ENUMERATE_LIMIT = 100_000


class TooManyCombinations(SmokeError):
    """The product of a template's option values is too large for the strategy."""


Pair = tuple[tuple[str, Any], tuple[str, Any]]

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


def _distinct(combinations: Iterable[Combination]) -> tuple[Combination, ...]:
    """The combinations, those whose ids would read the same given their hash."""
    listed = tuple(combinations)
    counts = Counter(combination.id for combination in listed)
    return tuple(
        dataclasses.replace(combination, distinct=True)
        if counts[combination.id] > 1
        else combination
        for combination in listed
    )


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
        line = f"{self.template.name}: {len(self.combinations)} combinations ({self.strategy}"
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


def template_argument(template: Template) -> str:
    """How ``scaffold smoke`` names ``template``: a shipped one by name, any other by its path.

    A template inside the working directory gets a relative path (CI jobs share the
    checkout, not its absolute place), one outside its absolute path; either starts
    with ``.`` or ``/``, so a directory called ``flask`` or ``all`` is never read as
    the shipped template of that name.
    """
    path = template.path.resolve()
    if template.name in TEMPLATE_NAMES and path == (templates_root() / template.name).resolve():
        return template.name
    cwd = Path.cwd().resolve()
    if path == cwd or cwd in path.parents:
        return "./" + path.relative_to(cwd).as_posix() if path != cwd else "."
    return path.as_posix()


def nothing_to_vary(template: Template) -> str:
    """One line saying what scaffold sees when no option of ``template`` has two values
    (its prompts live outside cookiecutter.json, say), or '' when one has."""
    if any(len(option.choices) > 1 for option in template.options):
        return ""
    kind = "free text or has one value" if template.options else "free text"
    count = len(template.variables) + len(template.options)
    empty = sum(value == "" for value in template.variables.values())
    return (
        f"template {template.name!r} declares no options scaffold can vary: every variable "
        f"in cookiecutter.json is {kind} ({count} of them, {empty} empty), so there is one "
        f"combination, of the defaults; list option values under options: in {CHECKS_FILE}"
    )


def select_templates(name: str) -> list[Template]:
    """The templates ``name`` means: a shipped one, ``all`` of them, or a template directory."""
    if name == "all":
        return [load_template(shipped) for shipped in TEMPLATE_NAMES]
    if name in TEMPLATE_NAMES:
        return [load_template(name)]
    path = Path(name)
    if (path / "cookiecutter.json").is_file():  # a template being worked on, by its path
        return [parse_template(path.resolve().name, path.resolve())]
    choices = ", ".join((*TEMPLATE_NAMES, "all"))
    raise SmokeError(f"unknown template {name!r}: choose {choices}, or a template directory")


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
    return _distinct(
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


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``I/N`` (1 <= I <= N) into ``(I, N)``."""
    index, slash, count = text.partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise SmokeError(f"--shard {text!r} is not I/N: write e.g. --shard 1/3")
    i, n = int(index), int(count)
    if n < 1 or not 1 <= i <= n:
        example = f"--shard 1/{n}" if n else "--shard 1/3"
        raise SmokeError(f"--shard {text!r} is out of range: I must be 1 to N, e.g. {example}")
    return i, n


def shard(items: Sequence[Any], index: int, count: int) -> list[Any]:
    """Return shard ``index`` (1-based) of ``count``: contiguous, sizes differ by at most one."""
    if not 1 <= index <= count:
        raise SmokeError(f"shard {index}/{count} is out of range")
    size, extra = divmod(len(items), count)
    start = (index - 1) * size + min(index - 1, extra)
    end = start + size + (1 if index <= extra else 0)
    return list(items[start:end])


def github_matrix(
    matrices: Sequence[Matrix], *, shards: int | None = None, per_job: int = 4
) -> dict[str, list[dict[str, Any]]]:
    """A ``strategy.matrix`` object: one job per template shard, for ``fromJSON``.

    Each entry names the template as ``scaffold smoke`` takes it (``template_argument``)
    and the ``--shard I/N`` its job passes, so a job builds one template's environment
    only; ``ids`` lists the ids of its combinations. A
    template gets ``shards`` jobs, or by default one per ``per_job`` combinations,
    and never more jobs than combinations.
    """
    include = []
    for matrix in matrices:
        wanted = shards or math.ceil(len(matrix.combinations) / per_job)
        count = max(1, min(wanted, len(matrix.combinations)))
        for index in range(1, count + 1):
            part = shard(matrix.combinations, index, count)
            include.append(
                {
                    "template": template_argument(matrix.template),
                    "strategy": matrix.strategy,
                    "shard": f"{index}/{count}",
                    "combinations": len(part),
                    "ids": [combination.id for combination in part],
                }
            )
    return {"include": include}


def parse_only(texts: Sequence[str], templates: Sequence[Template]) -> dict[str, tuple[str, ...]]:
    """Parse ``KEY=VALUE`` filters, checking each against the templates' options.

    A key given more than once takes any of its values.
    """
    filters: dict[str, tuple[str, ...]] = {}
    for text in texts:
        key, equals, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key or not value:
            raise SmokeError(f"--only {text!r} is not KEY=VALUE: write e.g. --only database=sqlite")
        options = [t.option(key) for t in templates if t.option(key) is not None]
        if not options:
            known = sorted({option.name for t in templates for option in t.options})
            raise SmokeError(f"--only: unknown option {key!r}: choose one of {', '.join(known)}")
        if not any(option_value(option, value) is not None for option in options if option):
            choices = sorted({format_value(c) for o in options if o for c in o.choices})
            raise SmokeError(f"--only {key}={value}: {key} is one of {', '.join(choices)}")
        if value not in filters.get(key, ()):
            filters[key] = (*filters.get(key, ()), value)
    return filters


def restrict(template: Template, filters: Mapping[str, Sequence[str]]) -> Template | None:
    """The template with filtered options narrowed to the values given; None if it lacks one."""
    options = []
    for option in template.options:
        if option.name in filters:
            wanted = [option_value(option, text) for text in filters[option.name]]
            choices = tuple(choice for choice in option.choices if choice in wanted)
            if not choices:
                return None
            option = dataclasses.replace(option, choices=choices)
        options.append(option)
    if any(template.option(key) is None for key in filters):
        return None
    return dataclasses.replace(template, options=tuple(options))


def plan(
    templates: Sequence[Template],
    *,
    strategy: str = "all",
    only: Sequence[str] = (),
    shard_spec: tuple[int, int] | None = None,
) -> tuple[list[Matrix], list[tuple[Template, Combination]]]:
    """The matrices of the templates and the combinations this run (or shard) checks."""
    if strategy not in STRATEGIES:
        raise SmokeError(f"unknown strategy {strategy!r}: choose one of {', '.join(STRATEGIES)}")
    filters = parse_only(only, templates)
    matrices = []
    for template in templates:
        narrowed = restrict(template, filters)
        if narrowed is None:
            continue
        try:
            matrices.append(combinations(narrowed, strategy, rules_of=template))
        except SmokeError as err:
            # Without filters, a template with no valid combination is an error.
            if not filters or isinstance(err, TooManyCombinations):
                raise
    if not matrices:
        wanted = " ".join(f"{k}={'|'.join(v)}" for k, v in filters.items())
        raise SmokeError(f"no valid combination has {wanted}: loosen --only")
    selected = [(m.template, c) for m in matrices for c in m.combinations]
    if shard_spec is not None:
        selected = shard(selected, *shard_spec)
    return matrices, selected

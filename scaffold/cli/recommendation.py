"""How a recommendation and the rules table look in a terminal: plain text, no click."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from scaffold.decision import (
    CLOSE_CALL_MARGIN,
    FRAMEWORKS,
    NO_ANSWERS,
    SEEDS,
    TIE_BREAK,
    TIE_BREAK_BATTERIES,
    TIE_QUOTE,
    Reason,
    Recommendation,
    Rule,
)

BAR_WIDTH = 24
WIDTH = 92


def _wrap(text: str, first: str, rest: str) -> list[str]:
    # Not at hyphens: Flask-SQLAlchemy is one name.
    return textwrap.wrap(
        text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def _bars(scores: dict[str, int]) -> list[str]:
    """Both scores as a small bar chart, scaled so the higher one is BAR_WIDTH long."""
    top = max(max(scores.values()), 1)
    lines = []
    for name in FRAMEWORKS:
        bar = "█" * round(scores[name] * BAR_WIDTH / top)
        lines.append(f"  {name.capitalize():<7}{scores[name]:>3} {bar}".rstrip())
    return lines


def _reason_lines(reasons: Iterable[Reason], mark: str) -> list[str]:
    """One wrapped paragraph per reason: ``+3`` for points, or ``mark`` in that column."""
    lines: list[str] = []
    for reason in reasons:
        first = f"    +{reason.points:<3}" if mark == "+" else f"    {mark:<4}"
        lines += _wrap(reason.text, first, " " * 8)
    return lines


def _seed_lines(seed: str, quote: str) -> list[str]:
    where = f"seed {seed}, “{SEEDS[seed]}”" if seed else "from practice, not the seeds"
    return [f"  {where}:", *_wrap(f"“{quote}”", "    ", "    ")]


def format_recommendation(result: Recommendation) -> list[str]:
    """The verdict, both scores as bars, the conflict, then the reasons grouped by framework."""
    verdict = result.verdict
    if result.answered and not result.close_call:
        verdict = f"Recommended: {verdict}"
    lines = [verdict[0].upper() + verdict[1:], *_bars(dict(result.scores))]
    if result.conflict:
        lines += _wrap(f"{result.conflict}.", "  ", "  ")
    counted = [r for r in result.reasons if r.counted and r.points]
    settled = [r for r in result.reasons if r.counted and not r.points and not r.caveat]
    caveats = [r for r in result.reasons if r.caveat]
    for framework in sorted(FRAMEWORKS, key=lambda f: f != result.framework):
        side = [r for r in counted if r.framework == framework]
        if side:
            lines += ["", f"  For {framework.capitalize()}:", *_reason_lines(side, "+")]
    if settled:
        lines += ["", *_reason_lines(settled, "")]
    if caveats:
        heading = f"  Worth weighing before you take {result.framework.capitalize()}:"
        lines += ["", heading, *_reason_lines(caveats, "!")]
    uncounted = [r for r in result.reasons if not r.counted]
    if uncounted:
        lines += ["", "  Not counted:", *_reason_lines(uncounted, "0")]
    return lines


def format_rules(rules: Iterable[Rule]) -> list[str]:
    """Every rule with its points, its sentence and where it comes from: a seed's quote,
    or practice."""
    lines = _wrap(
        "Only answers you give count. Rules that make the same point of a seed count once: "
        "the strongest per framework. A rule that an answer under `unless` contradicts is "
        "shown, not counted. A rule of no points is a caveat, shown when its side loses. A "
        f"margin of {CLOSE_CALL_MARGIN} point or less is a close call.",
        "",
        "",
    )
    for rule in rules:
        value = str(rule.value).lower() if isinstance(rule.value, bool) else rule.value
        name = rule.framework.capitalize()
        weight = f"+{rule.points}" if rule.points else f"no points, shown when {name} loses"
        lines += ["", f"{rule.key}={value}  {name} {weight}"]
        lines += _wrap(rule.reason, "  ", "  ")
        for word, pairs, joiner in (
            ("unless", rule.unless, " or "),
            ("only when", rule.when, " and "),
            ("only when", rule.when_any, " or "),
        ):
            if pairs:
                said = joiner.join(f"{k}={str(v).lower()}" for k, v in pairs)
                lines += _wrap(f"{word} {said}", "  ", "    ")
        lines += _seed_lines(rule.seed, rule.quote)
        lines.append(f"  point: {rule.point}")
    lines += ["", "Level scores (the tie rule)"]
    lines += _wrap(TIE_BREAK, "  ", "  ")
    lines += _wrap(f"for prefer=batteries: {TIE_BREAK_BATTERIES}", "  ", "  ")
    lines += _seed_lines("002", TIE_QUOTE)
    lines += ["", "No answers", *_wrap(NO_ANSWERS, "  ", "  ")]
    return lines

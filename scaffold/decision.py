"""The recommendation: score both frameworks on the answers the user gave.

The rules live in ``scaffold.rules``. Only answers the user gave count: a default scores
nothing, and neither does a rule whose meaning another answer contradicts (it is shown,
not counted). Rules that make the same point of a seed count once per framework. The
framework with more points wins; a margin of ``CLOSE_CALL_MARGIN`` or less is a close
call, and level scores are settled by the tie rule, shown as a reason too. Caveats (rules
of 0 points) speak for the side that lost: what Flask leaves to you, and where practice
and the seeds part ways.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from scaffold.rules import (  # noqa: F401  (KEYS, RULES, Rule, SEEDS: read from here too)
    CLOSE_CALL_MARGIN,
    FRAMEWORKS,
    KEYS,
    REAL_QUESTION,
    RULES,
    SEEDS,
    Rule,
)


@dataclass(frozen=True)
class Reason:
    """A rule that matched, as shown to the user; ``points`` is what it added (0: not counted).

    ``note`` says why a matching rule added nothing: its answer was a default the user
    did not give, another answer already made the same point, or another answer
    contradicts it. ``source`` is the rule's: "seeds" or "practice".
    """

    framework: str
    points: int
    text: str
    key: str | None = None
    answer: Any = None
    given: bool = True
    seed: str = ""
    quote: str = ""
    label: str = ""
    note: str = ""
    source: str = "seeds"

    @property
    def counted(self) -> bool:
        return not self.note

    @property
    def caveat(self) -> bool:
        """A caveat for the side that lost: shown with its answer, worth no points."""
        return self.counted and not self.points and self.key is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "points": self.points,
            "text": self.text,
            "key": self.key,
            "answer": self.answer,
            "given": self.given,
            "counted": self.counted,
            "caveat": self.caveat,
            "note": self.note or None,
            "source": self.source,
            "seed": self.seed or None,
            "quote": self.quote or None,
        }


@dataclass(frozen=True)
class Recommendation:
    """The winning framework, both scores, every reason, and how close the call was."""

    framework: str
    scores: Mapping[str, int]
    reasons: tuple[Reason, ...]
    margin: int = 0
    close_call: bool = True
    answered: bool = True
    conflict: str = ""

    @property
    def verdict(self) -> str:
        """One line: the winner, or that it is a close call, or that nothing was said yet."""
        name = self.framework.capitalize()
        if not self.answered:
            return f"no answers yet: either works (starting from {name})"
        if self.close_call:
            lead = f"level scores, {name} by the tie rule" if self.margin == 0 else f"{name} by 1"
            return f"close call: both fit ({lead})"
        return f"{name}, by {self.margin} points"

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "verdict": self.verdict,
            "scores": dict(self.scores),
            "margin": self.margin,
            "close_call": self.close_call,
            "answered": self.answered,
            "conflict": self.conflict or None,
            "reasons": [reason.text for reason in self.reasons if reason.counted],
            "details": [reason.to_dict() for reason in self.reasons],
        }


# The tie rule, in the seeds' framing: with Flask you make the decisions. Someone who
# chose to have decisions made for them gets Django on level scores instead.
TIE_BREAK = (
    "the scores are level, so Flask by the tie rule: with Flask you make the decisions "
    "yourself and add pieces as the project shows what it needs; choose Django if you "
    "would rather have them made for you"
)
TIE_BREAK_BATTERIES = (
    "the scores are level, and you would rather have decisions made for you: Django makes them"
)
TIE_QUOTE = "Choose Flask when you want to build a cabin in the woods and might add rooms later."
NO_ANSWERS = (
    "no answers yet: either works; answer what you are building, who builds it and "
    "whether you want decisions made for you"
)

# Plain words for the jargon, added the first time a term appears in the reasons.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("ORM", "the layer that turns database tables into Python classes"),
    ("batteries included", "admin, logins, forms and database access ship with it"),
    ("microservice", "a small service that does one job for other programs"),
    ("WebSockets", "connections the server keeps open to push updates"),
    ("async-friendly", "able to wait on many connections at once"),
    ("NoSQL", "a database that does not store tables, such as MongoDB"),
    ("migrations", "scripts that change the tables when the models change"),
    ("JSON", "the text format APIs exchange"),
)


def _holds(conditions: tuple[tuple[str, Any], ...], said: Mapping[str, Any]) -> list[bool]:
    return [key in said and said[key] == value for key, value in conditions]


def _matches(rule: Rule, said: Mapping[str, Any]) -> bool:
    """The rule's answer was given, with the answers it needs; ``unless`` is not read."""
    return (
        rule.key in said
        and said[rule.key] == rule.value
        and all(_holds(rule.when, said))
        and (not rule.when_any or any(_holds(rule.when_any, said)))
    )


def _applies(rule: Rule, said: Mapping[str, Any]) -> bool:
    return _matches(rule, said) and not any(_holds(rule.unless, said))


def _contradiction(rule: Rule, said: Mapping[str, Any]) -> str:
    """The first given answer that contradicts what ``rule`` scores, as "database is none"."""
    held = _holds(rule.unless, said)
    key, value = next(pair for pair, holds in zip(rule.unless, held, strict=True) if holds)
    return f"{key} is {str(value).lower() if isinstance(value, bool) else value}"


def _reason(rule: Rule, answer: Any, points: int, *, given: bool = True, note: str = "") -> Reason:
    text = rule.reason
    if rule.source == "practice":
        text = f"{text} (from practice, not the seeds)"
    if note:
        text = f"{text} ({note})"
    return Reason(
        rule.framework, points, text, rule.key, answer, given, rule.seed, rule.quote,
        rule.label, note, rule.source,
    )  # fmt: skip


def _explain_jargon(reasons: list[Reason]) -> list[Reason]:
    """Add plain words after each glossary term the first time it appears."""
    explained: list[Reason] = []
    seen: set[str] = set()
    for reason in reasons:
        text = reason.text
        for term, words in GLOSSARY:
            pattern = re.compile(rf"\b{re.escape(term)}\b")
            if term not in seen and pattern.search(text):
                text = pattern.sub(f"{term} ({words})", text, count=1)
                seen.add(term)
        explained.append(replace(reason, text=text))
    return explained


def _conflict(counted: list[Reason], winner: str) -> str:
    """Name the answers pulling each way: "an API leans Flask, the admin leans Django"."""
    sides = []
    for framework in sorted(FRAMEWORKS, key=lambda f: f != winner):
        labels = [r.label for r in counted if r.framework == framework]
        if labels:
            joined = " and ".join([", ".join(labels[:-1]), labels[-1]] if labels[:-1] else labels)
            verb = "leans" if len(labels) == 1 else "lean"
            sides.append(f"{joined} {verb} {framework.capitalize()}")
    return ", ".join(sides) if len(sides) == 2 else ""


def recommend(
    answers: Mapping[str, Any],
    given: Collection[str] | None = None,
    rules: tuple[Rule, ...] = RULES,
    derived: Collection[str] = (),
) -> Recommendation:
    """Score both frameworks on the answers the user gave; return the winner with its reasons.

    ``answers`` may hold every answer, defaults included. ``given`` names the keys the
    user actually gave (an answers file, ``--set``, a prompt); only those are scored, and
    a rule matching a default is shown with no points. A caller that layers defaults <
    file < --set < prompts passes the keys of every layer but the defaults. Without
    ``given``, every key in ``answers`` counts as given. With nothing given the result
    says "no answers yet: either works" and is a close call. ``derived`` names the keys
    whose value a rule decided from other answers: shown as such, not as defaults.
    """
    given_keys = set(answers) if given is None else set(given) & set(answers)
    said = {key: answers[key] for key in given_keys}

    scoring = tuple(rule for rule in rules if rule.points)
    caveats = tuple(rule for rule in rules if not rule.points)

    # The strongest rule per (point, framework) counts; the others say which answer did.
    best: dict[tuple[str, str], Rule] = {}
    for rule in scoring:
        if _applies(rule, said):
            slot = (rule.point, rule.framework)
            if slot not in best or rule.points > best[slot].points:
                best[slot] = rule
    counted: list[Reason] = []
    repeated: list[Reason] = []
    for rule in scoring:
        if not _applies(rule, said):
            continue
        kept = best[(rule.point, rule.framework)]
        if kept is rule:
            counted.append(_reason(rule, said[rule.key], rule.points))
        elif kept.key != rule.key:  # the same answer's weaker row is not worth a line
            note = f"counted once, with {kept.key}"
            repeated.append(_reason(rule, said[rule.key], 0, note=note))

    # An answer whose every rule another answer contradicts: shown, with what contradicts it.
    contradicted: list[Reason] = []
    for key in dict.fromkeys(rule.key for rule in scoring):  # in the table's order
        stopped = [r for r in scoring if r.key == key and _matches(r, said)]
        if stopped and not any(_applies(r, said) for r in stopped):
            rule = max(stopped, key=lambda r: r.points)
            note = f"not counted: {_contradiction(rule, said)} says otherwise"
            contradicted.append(_reason(rule, said[key], 0, note=note))

    # Defaults the caller filled in: shown so the user sees them, never scored.
    defaults: list[Reason] = []
    for key in [k for k in answers if k not in given_keys]:
        matching = [
            r
            for r in scoring
            if r.key == key and answers[key] == r.value and not (r.when or r.when_any)
        ]
        if matching:
            rule = max(matching, key=lambda r: r.points)
            note = "derived from other answers" if key in derived else "default, not given"
            defaults.append(_reason(rule, answers[key], 0, given=False, note=note))

    scores = dict.fromkeys(FRAMEWORKS, 0)
    for reason in counted:
        scores[reason.framework] += reason.points
    margin = abs(scores["django"] - scores["flask"])
    answered = bool(given_keys & {rule.key for rule in rules})
    tie: list[Reason] = []
    if scores["django"] != scores["flask"]:
        winner = max(FRAMEWORKS, key=lambda f: scores[f])
    elif not answered:
        winner = "flask"
        tie.append(Reason("flask", 0, NO_ANSWERS, seed="002", quote=TIE_QUOTE))
    elif said.get("prefer") == "batteries":
        winner = "django"
        tie.append(Reason("django", 0, TIE_BREAK_BATTERIES, seed="002", quote=REAL_QUESTION))
    else:
        winner = "flask"
        tie.append(Reason("flask", 0, TIE_BREAK, seed="002", quote=TIE_QUOTE))

    # What the loser's side would have given: the parts Flask leaves to you, and practice.
    loser = [
        _reason(rule, said[rule.key], 0)
        for rule in caveats
        if rule.framework != winner and _applies(rule, said)
    ]

    # Heaviest first, the winner's side before the other; then what did not count.
    counted.sort(key=lambda r: (r.framework != winner, -r.points))
    reasons = _explain_jargon(counted + tie + loser + contradicted + repeated + defaults)
    return Recommendation(
        framework=winner,
        scores=scores,
        reasons=tuple(reasons),
        margin=margin,
        close_call=margin <= CLOSE_CALL_MARGIN,
        answered=answered,
        conflict=_conflict(counted, winner),
    )

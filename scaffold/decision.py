"""The recommendation: a rules table read top to bottom, like the decision framework it follows.

Each rule gives points to one framework when an answer matches, with the sentence
the user sees. The framework with more points wins; level scores go to Flask, by
the tie rule below, which is shown as a reason too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """When ``key`` is ``value``, ``framework`` gains ``points`` for ``reason``."""

    key: str
    value: Any
    framework: str
    points: int
    reason: str


@dataclass(frozen=True)
class Reason:
    """A rule that counted, as shown to the user."""

    framework: str
    points: int
    text: str
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "points": self.points,
            "text": self.text,
            "answer": self.key,
        }


@dataclass(frozen=True)
class Recommendation:
    """The winning framework, both scores and every reason that counted."""

    framework: str
    scores: Mapping[str, int]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "scores": dict(self.scores),
            "reasons": [reason.text for reason in self.reasons],
            "details": [reason.to_dict() for reason in self.reasons],
        }


# The decision framework's six questions, then what the seeds say each framework is
# for. Points: 3 for a question the framework answers outright, 2 for a strong lean,
# 1 for a tie-breaker ("either works, but ...").
RULES: tuple[Rule, ...] = (
    # 1. Is this a single-purpose API? -> Flask
    Rule(
        "purpose",
        "api",
        "flask",
        3,
        "purpose is api: a single-purpose API or microservice is what Flask does best, "
        "a few routes with no unneeded layers",
    ),
    # 2. Does the project need an admin interface? -> Django
    Rule(
        "admin",
        True,
        "django",
        3,
        "admin is true: Django's built-in admin gives you data management for free",
    ),
    # 3. Are you the only developer? -> Either works, but Flask gives flexibility
    Rule(
        "team",
        "solo",
        "flask",
        1,
        "team is solo: either works for one developer, but Flask leaves every decision to you",
    ),
    # 4. Multiple developers with varying experience? -> Django's structure helps
    Rule(
        "team",
        "large",
        "django",
        2,
        "team is large: Django's enforced structure keeps developers of mixed experience "
        "on one set of conventions",
    ),
    Rule(
        "team",
        "small",
        "django",
        1,
        "team is small: Django's conventions mean less time agreeing on architecture",
    ),
    # 5. Might this grow into a major multi-feature app? -> Django scales better in complexity
    Rule(
        "growth",
        True,
        "django",
        2,
        "growth is true: Django scales better in complexity as features are added",
    ),
    # 6. Learning web development from scratch? -> Start with Flask
    Rule(
        "purpose",
        "learning",
        "flask",
        3,
        "purpose is learning: Flask's minimalism shows what each part of a web app does",
    ),
    # When to use each (seed 002): prototypes, content sites, multi-model products.
    Rule(
        "purpose",
        "prototype",
        "flask",
        2,
        "purpose is prototype: Flask adapts when the direction changes without fighting you",
    ),
    Rule(
        "purpose",
        "product",
        "django",
        3,
        "purpose is product: many models, user roles and complex relationships are "
        "where Django shines",
    ),
    Rule(
        "purpose",
        "website",
        "django",
        2,
        "purpose is website: a content site editors manage is what Django's admin and ORM "
        "were built for",
    ),
    # The honest verdict: do you want to make decisions or have them made for you?
    Rule(
        "prefer",
        "batteries",
        "django",
        2,
        "prefer is batteries: Django makes the decisions for you, batteries included",
    ),
    Rule(
        "prefer",
        "minimal",
        "flask",
        2,
        "prefer is minimal: Flask lets you choose every component yourself",
    ),
    # The learning-curve truth: a real Flask app needs SQLAlchemy, WTForms, Flask-Login...
    Rule(
        "accounts",
        True,
        "django",
        1,
        "accounts is true: Django ships authentication, sessions and permissions built in",
    ),
)

TIE_BREAK = (
    "the scores are level, so Flask wins the tie: it commits you to the fewest decisions, "
    "and you can add pieces as the project shows what it needs"
)
FRAMEWORKS = ("django", "flask")


def recommend(answers: Mapping[str, Any], rules: tuple[Rule, ...] = RULES) -> Recommendation:
    """Score both frameworks against ``answers`` and return the winner with its reasons."""
    scores = dict.fromkeys(FRAMEWORKS, 0)
    reasons: list[Reason] = []
    for rule in rules:
        if rule.key in answers and answers[rule.key] == rule.value:
            scores[rule.framework] += rule.points
            reasons.append(Reason(rule.framework, rule.points, rule.reason, rule.key))
    if scores["django"] > scores["flask"]:
        winner = "django"
    elif scores["flask"] > scores["django"]:
        winner = "flask"
    else:
        winner = "flask"
        reasons.append(Reason("flask", 0, TIE_BREAK))
    return Recommendation(framework=winner, scores=scores, reasons=tuple(reasons))

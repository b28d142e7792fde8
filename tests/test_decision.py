"""The recommendation follows the decision framework of the seeds."""

from __future__ import annotations

import pytest

from scaffold.decision import RULES, TIE_BREAK, Rule, recommend
from scaffold.questions import with_defaults

PROFILES = {
    # The seed's Flask example: a weather API, one route, no admin, no ORM.
    "weather-api": ({"purpose": "api", "database": "none", "api": True}, "flask"),
    # The seed's Django example: news site with accounts, moderation admin and a team.
    "news-site": (
        {"purpose": "website", "admin": True, "accounts": True, "team": "small", "growth": True},
        "django",
    ),
    "microservice-by-a-team": ({"purpose": "api", "team": "small", "api": True}, "flask"),
    "learning-solo": ({"purpose": "learning"}, "flask"),
    "prototype-minimal": ({"purpose": "prototype", "prefer": "minimal"}, "flask"),
    "product-large-team": ({"purpose": "product", "team": "large", "growth": True}, "django"),
    "content-site-with-admin": ({"purpose": "website", "admin": True}, "django"),
    "batteries-please": (
        {"purpose": "prototype", "prefer": "batteries", "team": "small"},
        "django",
    ),
    "shop-with-roles": ({"purpose": "product", "accounts": True, "admin": True}, "django"),
    "api-that-will-grow-with-admin": (
        {"purpose": "api", "admin": True, "growth": True, "team": "large"},
        "django",
    ),
}


@pytest.mark.parametrize("profile", PROFILES, ids=list(PROFILES))
def test_profiles_from_the_seeds(profile: str) -> None:
    """Clear-cut profiles come out as the seeds say."""
    given, expected = PROFILES[profile]
    answers = with_defaults({"project_name": "x", **given})
    assert recommend(answers).framework == expected


def test_scores_add_up_to_the_reasons() -> None:
    """Each framework's score is the sum of the points of the reasons given for it."""
    result = recommend(with_defaults({"project_name": "x", **PROFILES["news-site"][0]}))
    for framework, score in result.scores.items():
        assert score == sum(r.points for r in result.reasons if r.framework == framework)


def test_every_reason_names_its_answer() -> None:
    """A reason starts with the answer that caused it, so the user can see why."""
    answers = with_defaults({"project_name": "x", "purpose": "api", "admin": True})
    for reason in recommend(answers).reasons:
        assert reason.text.startswith(f"{reason.key} is ")


def test_tie_goes_to_flask_and_says_so() -> None:
    """Level scores are broken by the documented rule, shown as a reason."""
    rules = (Rule("admin", True, "django", 1, "a"), Rule("growth", True, "flask", 1, "b"))
    result = recommend({"admin": True, "growth": True}, rules)
    assert result.framework == "flask"
    assert result.scores == {"django": 1, "flask": 1}
    assert result.reasons[-1].text == TIE_BREAK


def test_deterministic() -> None:
    """The same answers always give the same recommendation."""
    answers = with_defaults({"project_name": "x"})
    assert recommend(answers) == recommend(answers)


def test_rules_point_at_real_questions() -> None:
    """Every rule's key and value is a possible answer, so no rule is dead."""
    from scaffold.questions import question

    for rule in RULES:
        q = question(rule.key)
        assert rule.value in (q.choices or (True, False)), rule
        assert rule.framework in ("django", "flask") and rule.points > 0


def test_json_shape() -> None:
    """The JSON has framework, one score per framework and reasons as sentences."""
    data = recommend(with_defaults({"project_name": "x"})).to_dict()
    assert data["framework"] in ("django", "flask")
    assert set(data["scores"]) == {"django", "flask"}
    assert all(isinstance(reason, str) for reason in data["reasons"])

"""The recommendation follows the decision framework of the seeds, on the answers given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from scaffold.decision import (
    CLOSE_CALL_MARGIN,
    GLOSSARY,
    RULES,
    SEEDS,
    TIE_BREAK,
    TIE_BREAK_BATTERIES,
    Rule,
    recommend,
)
from scaffold.questions import QUESTION_KEYS, question, with_defaults

# Answers the seeds weigh that are template options rather than requirement questions.
TEMPLATE_ANSWERS = {
    "api": (True, False),
    "accounts": (True, False),
    "forms": (True, False),
    "database": ("none", "sqlite", "postgresql"),
}


def decide(given: dict[str, Any]):
    """Recommend as the CLI does: every question filled in, only ``given`` counted."""
    answers = with_defaults({"project_name": "x", **given})
    return recommend(answers, given=frozenset(given))


def rule_id(rule: Rule) -> str:
    return f"{rule.key}={rule.value}->{rule.framework}+{rule.points}"


# Each profile is an example the seeds give, cited in its id and its comment:
# (answers given, framework, close call).
PROFILES: dict[str, tuple[dict[str, Any], str, bool]] = {
    # 002 "Imagine a weather API that takes a city name ... No admin panel, no ORM,
    # no migrations—just the job."
    "002-weather-api": ({"purpose": "api", "database": "none"}, "flask", False),
    # 002 "Consider a news aggregation site with user accounts, article submissions,
    # voting, and comments. Django's admin makes content moderation trivial."
    "002-news-aggregation-site": (
        {"purpose": "website", "admin": True, "accounts": True, "forms": True, "team": "small"},
        "django",
        False,
    ),
    # 002 "ideal for backend services that power mobile apps or single-page applications"
    "002-backend-for-a-mobile-app": ({"purpose": "api", "team": "solo"}, "flask", False),
    # 002 "Learning web development from scratch? → Start with Flask"
    "002-learning-from-scratch": ({"purpose": "learning"}, "flask", False),
    # 002 "the admin panel alone can save weeks of development time for content management
    # systems"
    "002-content-management-system": ({"purpose": "website", "admin": True}, "django", False),
    # 002 "... e-commerce platforms, or social networks"
    "002-e-commerce-platform": (
        {"purpose": "product", "accounts": True, "admin": True, "database": "postgresql"},
        "django",
        False,
    ),
    "002-social-network": (
        {"purpose": "product", "growth": True, "team": "large"},
        "django",
        False,
    ),
    # 002 "Prototypes that might change direction ... Start with SQLite, switch to
    # PostgreSQL later."
    "002-prototype-that-may-change-direction": (
        {"purpose": "prototype", "team": "solo"},
        "flask",
        False,
    ),
    # 002 "You need rapid prototyping with structure": a prototype with logins, on a
    # deadline, is the seed's Django case ("a working prototype in hours"), not its Flask
    # one ("still figuring out your project's requirements").
    "002-rapid-prototyping-with-structure": (
        {"purpose": "prototype", "deadline": True, "accounts": True},
        "django",
        False,
    ),
    # 002 "Team projects with clear conventions"
    "002-team-with-clear-conventions": ({"team": "small", "growth": True}, "django", False),
    # 002 "Multiple developers with varying experience? → Django's structure helps"
    "002-mixed-experience-team": ({"team": "large", "experience": "none"}, "django", False),
    # 002 "Are you the only developer? → Either works, but Flask gives flexibility"
    "002-only-developer-either-works": ({"team": "solo"}, "flask", True),
    # 002 "Choose Django when you want to build a city with all the infrastructure planned."
    "002-a-city-with-the-infrastructure-planned": (
        {"prefer": "batteries", "growth": True},
        "django",
        False,
    ),
    # 002 "Choose Flask when you want to build a cabin in the woods and might add rooms later."
    "002-a-cabin-in-the-woods": ({"prefer": "minimal", "stays_small": True}, "flask", False),
    # 002 "once you grasp it, building complex apps becomes fast and predictable"
    "002-team-that-knows-django": ({"experience": "django", "growth": True}, "django", False),
    # 002 "building a real app means learning SQLAlchemy, WTForms, Flask-Login ..."
    "002-team-that-knows-flask": ({"experience": "flask", "purpose": "api"}, "flask", False),
    # 001 "developers use Flask to speed up the development of websites that use fixed
    # content"
    "001-fixed-content-website": ({"purpose": "small-site"}, "flask", False),
    # 001 "more experienced developers the freedom to plug and play with the libraries and
    # databases they are comfortable with"
    "001-experienced-plug-and-play": (
        {"experience": "experienced", "own_stack": True, "team": "small"},
        "flask",
        True,
    ),
    # 001 "Flask’s simplicity permits experienced developers to complete smaller applications
    # within short timeframes."
    "001-small-app-on-a-deadline": (
        {"deadline": True, "stays_small": True, "experience": "experienced"},
        "flask",
        False,
    ),
    # 001 "Django offers an all-inclusive experience with admin panel, database interfaces,
    # directory structure, and ORM"
    "001-admin-and-database": ({"admin": True, "database": "postgresql"}, "django", False),
    # 000 "Flask is the choice of most beginners"
    "000-beginner-on-their-own": ({"experience": "beginner", "team": "solo"}, "flask", False),
    # 000 "Feels like too much software for small projects"
    "000-too-much-software-for-a-small-project": (
        {"stays_small": True, "team": "solo", "database": "none"},
        "flask",
        False,
    ),
    # 000 "Forms framework", "Simple database management" / Flask: "Lack of
    # database/ORM/forms"
    "000-forms-database-and-logins": (
        {"forms": True, "database": "sqlite", "accounts": True},
        "django",
        False,
    ),
    # 003 "web framework for perfectionists with deadlines"
    "003-perfectionists-with-deadlines": (
        {"deadline": True, "purpose": "product"},
        "django",
        False,
    ),
    # 003 "FastAPI: A modern web framework for building APIs" / "Tornado ... ideal for
    # real-time applications and WebSockets": an API with real-time needs stays with Flask
    # between the two, and the reason says the seeds point past both.
    "003-real-time-api": ({"purpose": "api", "realtime": True}, "flask", False),
    # 004 "If you are looking for simplicity and flexibility, then Flask might be a good
    # choice."
    "004-simplicity-and-flexibility": ({"prefer": "minimal"}, "flask", False),
    # 004 "a complex web application with customized functionalities and features, then
    # Django might be a better fit"
    "004-complex-web-application": ({"purpose": "product", "growth": True}, "django", False),
    # 004 "Django can be overkill for smaller projects"
    "004-overkill-for-a-smaller-project": (
        {"purpose": "small-site", "team": "solo"},
        "flask",
        False,
    ),
    # 004 "it supports NOSQL and runs its database operations through SQLAlchemy"
    "004-nosql-store": ({"own_stack": True, "purpose": "api"}, "flask", False),
}


@pytest.mark.parametrize("profile", PROFILES, ids=list(PROFILES))
def test_profiles_from_the_seeds(profile: str) -> None:
    """The seeds' own examples come out as the seeds say, close calls marked as such."""
    given, expected, close = PROFILES[profile]
    result = decide(given)
    assert (result.framework, result.close_call) == (expected, close), result.reasons


def test_at_least_twenty_profiles() -> None:
    """The profiles cover the seeds broadly: at least twenty, from every seed."""
    assert len(PROFILES) >= 20
    assert {name[:3] for name in PROFILES} == set(SEEDS)


# -- only what was given counts ------------------------------------------------------------


def test_no_answers_says_either_works() -> None:
    """With every question defaulted, nothing scores and the result says so."""
    result = decide({})
    assert result.scores == {"django": 0, "flask": 0}
    assert not result.answered and result.close_call
    assert result.verdict.startswith("no answers yet: either works")
    assert result.reasons[0].text.startswith("no answers yet: either works")


def test_a_name_alone_is_no_answer() -> None:
    """Giving only the project name says nothing about the framework."""
    answers = with_defaults({"project_name": "x"})
    assert not recommend(answers, given={"project_name"}).answered


def test_defaults_are_shown_but_not_scored() -> None:
    """A default that matches a rule is listed as a default, with no points."""
    result = decide({})
    defaults = [r for r in result.reasons if r.key == "purpose"]
    assert [(r.given, r.points, r.counted) for r in defaults] == [(False, 0, False)]
    assert defaults[0].text.endswith("(default, not given)")


def test_a_derived_value_is_shown_as_derived_not_as_a_default() -> None:
    """admin=true with accounts=false: the rule sets accounts, and the reasons say so
    (not "default, not given", which was untrue: the user had given accounts)."""
    answers = {**with_defaults({"project_name": "x", "admin": True}), "accounts": True}
    result = recommend(answers, given={"admin"}, derived={"accounts"})
    [shown] = [r for r in result.reasons if r.key == "accounts"]
    assert (shown.points, shown.counted) == (0, False)
    assert shown.text.endswith("(derived from other answers)")


def test_partial_answers_score_only_what_was_given() -> None:
    """`team: solo` alone leans Flask; the default purpose does not outweigh it."""
    result = decide({"team": "solo"})
    assert result.framework == "flask"
    assert result.scores == {"django": 0, "flask": 1}
    assert [r.key for r in result.reasons if r.counted] == ["team"]


def test_without_given_every_answer_counts() -> None:
    """Called with answers alone, every answer is taken as given."""
    result = recommend({"purpose": "website"})
    assert result.scores == {"django": 2, "flask": 0}
    assert all(r.given for r in result.reasons)


def test_a_given_answer_that_matches_no_rule_is_still_an_answer() -> None:
    """`admin: false` is an answer: level scores then go by the tie rule, not "no answers"."""
    result = decide({"admin": False})
    assert result.answered and result.close_call
    assert result.reasons[0].text == TIE_BREAK


# -- every rule ----------------------------------------------------------------------------

# Answers that make a rule apply when its answer alone would pick a stronger row.
CONTEXT = {"purpose=api->flask+1": {"growth": True}, "api=True->flask+1": {"growth": True}}
SCORING = [rule for rule in RULES if rule.points]
CAVEATS = [rule for rule in RULES if not rule.points]


def needed(rule: Rule) -> dict[str, Any]:
    """The rule's own answer and the answers it needs to apply."""
    return {rule.key: rule.value, **dict(rule.when), **dict(rule.when_any[:1])}


@pytest.mark.parametrize("rule", SCORING, ids=[rule_id(rule) for rule in SCORING])
def test_every_rule_counts_its_points_and_cites_its_seed(rule: Rule) -> None:
    """Each rule, on its own answer, adds its points with its sentence and its seed quote."""
    given = {**needed(rule), **CONTEXT.get(rule_id(rule), {})}
    result = recommend(given)
    matching = [r for r in result.reasons if r.key == rule.key and r.counted and not r.caveat]
    assert [(r.framework, r.points, r.seed, r.quote) for r in matching] == [
        (rule.framework, rule.points, rule.seed, rule.quote)
    ]
    assert matching[0].text.startswith(f"{rule.key} is ")


@pytest.mark.parametrize("rule", RULES, ids=[rule_id(rule) for rule in RULES])
def test_every_rule_is_well_formed(rule: Rule) -> None:
    """A rule reads a possible answer and carries a seed, a quote and a conflict label."""
    if rule.key in QUESTION_KEYS:
        q = question(rule.key)
        possible = q.choices or (True, False)
    else:
        possible = TEMPLATE_ANSWERS[rule.key]
    assert rule.value in possible
    assert rule.framework in ("django", "flask") and rule.points >= 0
    if rule.source == "seeds":
        assert rule.seed in SEEDS
    else:
        assert (rule.source, rule.seed) == ("practice", "")
    assert len(rule.quote) > 10 and rule.label and rule.point


def test_preference_is_the_heaviest_rule() -> None:
    """ "The real question" outweighs every other single answer."""
    prefer = {r.points for r in RULES if r.key == "prefer"}
    assert prefer == {max(r.points for r in RULES)}
    assert all(r.points < max(prefer) for r in RULES if r.key != "prefer")


# -- the website split and double counting ---------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "framework"),
    [("website", "django"), ("small-site", "flask")],
    ids=["editors-manage-content", "small-fixed-content"],
)
def test_website_is_split_by_who_manages_the_content(purpose: str, framework: str) -> None:
    """A site editors manage leans Django; a small fixed-content site leans Flask."""
    assert decide({"purpose": purpose}).framework == framework


def test_small_site_by_a_solo_developer_is_flask() -> None:
    """A solo developer's small site with no admin, forms or database is not Django's."""
    given = {"purpose": "small-site", "team": "solo", "admin": False, "database": "none"}
    result = decide(given)
    assert result.framework == "flask" and result.scores["django"] == 0


@pytest.mark.parametrize(
    ("given", "score", "repeated"),
    [
        ({"purpose": "website", "admin": True}, {"django": 3}, "purpose"),
        ({"purpose": "product", "growth": True}, {"django": 3}, "growth"),
        ({"purpose": "learning", "experience": "beginner"}, {"flask": 3}, "experience"),
        ({"purpose": "small-site", "stays_small": True}, {"flask": 2}, "stays_small"),
        ({"prefer": "minimal", "own_stack": True}, {"flask": 4}, "own_stack"),
        ({"forms": True, "database": "sqlite"}, {"django": 1}, "forms"),
    ],
    ids=[
        "website-and-admin",
        "product-and-growth",
        "learning-and-beginner",
        "small-site-and-stays-small",
        "minimal-and-own-stack",
        "forms-and-database",
    ],
)
def test_the_same_seed_point_counts_once(
    given: dict[str, Any], score: dict[str, int], repeated: str
) -> None:
    """Two answers making one point of a seed add the stronger one's points, not both."""
    result = recommend(given)
    assert {k: v for k, v in result.scores.items() if v} == score
    shown = [r for r in result.reasons if r.key == repeated]
    assert [(r.points, r.counted) for r in shown] == [(0, False)]
    assert "counted once, with" in shown[0].text


@pytest.mark.parametrize(
    "other",
    [{"admin": True}, {"growth": True}, {"team": "large"}],
    ids=["with-admin", "with-growth", "with-large-team"],
)
def test_an_api_that_is_not_single_purpose_weighs_less(other: dict[str, Any]) -> None:
    """An admin, growth or a large team say the API is more than single-purpose: 1, not 3."""
    assert recommend({"purpose": "api"}).scores["flask"] == 3
    result = recommend({"purpose": "api", **other})
    assert result.scores["flask"] == 1
    assert result.framework == "django"


# -- close calls, conflicts and the tie rule -------------------------------------------------


@pytest.mark.parametrize(
    ("given", "margin", "close"),
    [
        ({"admin": True, "prefer": "minimal"}, 1, True),
        ({"team": "solo"}, 1, True),
        ({"purpose": "api", "prefer": "batteries"}, 1, True),
        ({"purpose": "website"}, 2, False),
        ({"purpose": "api", "database": "none"}, 4, False),
    ],
    ids=["admin-vs-minimal", "solo-only", "api-vs-batteries", "website", "weather-api"],
)
def test_close_call_when_the_margin_is_small(
    given: dict[str, Any], margin: int, close: bool
) -> None:
    """A margin of CLOSE_CALL_MARGIN or less is a close call and says "both fit"."""
    result = recommend(given)
    assert (result.margin, result.close_call) == (margin, close)
    assert result.verdict.startswith("close call: both fit") == close
    assert CLOSE_CALL_MARGIN == 1


def test_conflict_names_the_opposing_answers() -> None:
    """The conflict sentence names what leans each way, the winner's side first."""
    result = recommend({"purpose": "api", "prefer": "batteries"})
    assert result.conflict == (
        "having decisions made for you leans Django, a single-purpose API leans Flask"
    )


def test_conflict_joins_several_answers() -> None:
    """Several answers on one side are joined with commas and "and"."""
    result = recommend({"admin": True, "growth": True, "team": "solo", "prefer": "minimal"})
    assert result.conflict == (
        "making your own decisions and a solo developer lean Flask, "
        "the admin and growth lean Django"
    )


def test_no_conflict_when_every_answer_agrees() -> None:
    """One-sided answers have no conflict sentence."""
    assert recommend({"purpose": "product", "team": "large"}).conflict == ""


def test_tie_goes_to_flask_in_the_seeds_framing() -> None:
    """Level scores go to Flask, with the reason that with Flask you make the decisions."""
    result = recommend({"admin": True, "purpose": "learning"})
    assert result.scores == {"django": 3, "flask": 3}
    assert result.framework == "flask" and result.margin == 0
    assert TIE_BREAK in [r.text for r in result.reasons]
    assert "you make the decisions" in TIE_BREAK


def test_tie_goes_to_django_for_who_wants_decisions_made() -> None:
    """Someone who chose to have decisions made for them never sees the Flask tie rule."""
    result = recommend({"prefer": "batteries", "purpose": "api", "team": "solo"})
    assert result.scores == {"django": 4, "flask": 4}
    texts = [r.text for r in result.reasons]
    assert result.framework == "django"
    assert TIE_BREAK_BATTERIES in texts and TIE_BREAK not in texts


# -- the new questions -----------------------------------------------------------------------


def test_realtime_says_the_seeds_point_past_both() -> None:
    """Real-time needs lean Django by a point, and the reason names Tornado and FastAPI."""
    result = recommend({"realtime": True})
    assert result.scores == {"django": 1, "flask": 0}
    text = result.reasons[0].text
    assert "Tornado" in text and "FastAPI" in text and "not async-friendly" in text


@pytest.mark.parametrize(
    ("stays_small", "framework"),
    [(False, "django"), (True, "flask")],
    ids=["deadline-grows", "deadline-stays-small"],
)
def test_deadline_depends_on_size(stays_small: bool, framework: str) -> None:
    """A deadline favours Django, unless the app stays small (Flask finishes those fast)."""
    assert recommend({"deadline": True, "stays_small": stays_small}).framework == framework


@pytest.mark.parametrize(
    ("experience", "framework"),
    [("beginner", "flask"), ("django", "django"), ("flask", "flask"), ("experienced", "flask")],
    ids=["beginner", "knows-django", "knows-flask", "experienced"],
)
def test_experience(experience: str, framework: str) -> None:
    """The team's experience leans to what it knows; beginners and pickers lean Flask."""
    assert recommend({"experience": experience}).framework == framework
    assert recommend({"experience": "none"}).margin == 0


def test_own_stack_leans_flask() -> None:
    """Wanting your own ORM, template engine or NoSQL store leans Flask."""
    result = recommend({"own_stack": True})
    assert result.framework == "flask" and "NoSQL" in result.reasons[0].text


@pytest.mark.parametrize("key", ["stays_small", "deadline", "experience", "realtime", "own_stack"])
def test_new_questions_are_optional_with_a_default(key: str) -> None:
    """New questions have defaults, so old answers files still work."""
    assert question(key).default is not None
    assert key in with_defaults({"project_name": "x"})


# -- the output ------------------------------------------------------------------------------


def test_reasons_are_sorted_by_weight_winner_first() -> None:
    """The winner's reasons come first, heaviest first, then the other side's."""
    result = recommend({"team": "solo", "admin": True, "growth": True, "accounts": True})
    counted = [(r.framework, r.points) for r in result.reasons if r.counted and r.points]
    assert counted == [("django", 3), ("django", 2), ("django", 1), ("flask", 1)]


def test_jargon_is_explained_the_first_time_only() -> None:
    """ "ORM" gets a few plain words once, not in every reason that uses it."""
    result = recommend({"database": "sqlite", "own_stack": True, "prefer": "minimal"})
    words = dict(GLOSSARY)["ORM"]
    texts = " ".join(r.text for r in result.reasons)
    assert texts.count(f"ORM ({words})") == 1
    assert texts.count("ORM") >= 2


def test_scores_add_up_to_the_reasons() -> None:
    """Each framework's score is the sum of the points of the reasons given for it."""
    result = decide(PROFILES["002-news-aggregation-site"][0])
    for framework, score in result.scores.items():
        assert score == sum(r.points for r in result.reasons if r.framework == framework)


@pytest.mark.parametrize("name", PROFILES)
def test_the_order_of_the_answers_changes_nothing(name: str) -> None:
    """A file or form listing the same answers in another order gets the same
    recommendation: the same scores, and the same reasons in the same order."""
    given = PROFILES[name][0]
    reordered = dict(reversed(list(given.items())))
    assert list(reordered) != list(given) or len(given) < 2
    assert decide(reordered).to_dict() == decide(given).to_dict()


def test_json_shape() -> None:
    """The JSON has the margin, the close call and, per reason, its answer and seed."""
    data = decide({"purpose": "api", "admin": True}).to_dict()
    assert data["framework"] == "django"
    assert (data["margin"], data["close_call"]) == (2, False)
    assert data["conflict"] == "the admin leans Django, an API leans Flask"
    first = data["details"][0]
    assert {k: first[k] for k in ("key", "answer", "given", "points", "seed")} == {
        "key": "admin",
        "answer": True,
        "given": True,
        "points": 3,
        "seed": "002",
    }
    assert all(isinstance(reason, str) for reason in data["reasons"])


# -- real situations, one group per pattern of issue 29 ----------------------------------------


@dataclass(frozen=True)
class Situation:
    """Who is building what, the answers they give, the verdict and why it is right.

    ``why`` is words a reason shown to them must hold: the reason the verdict is right.
    """

    answers: dict[str, Any]
    framework: str
    close: bool
    why: str


def situations(cases: dict[str, Situation]) -> Any:
    return pytest.mark.parametrize("case", list(cases.values()), ids=list(cases))


def check(case: Situation) -> Any:
    """Recommend on the situation's answers; assert its verdict and its why; return it."""
    result = decide(case.answers)
    texts = " | ".join(reason.text for reason in result.reasons)
    assert (result.framework, result.close_call) == (case.framework, case.close), texts
    assert case.why in texts
    return result


# A purpose means what the question says it means; another answer can say otherwise.
CONTRADICTED_PURPOSE = {
    # A landing site whose prices come from the billing service's API: no database to
    # hold content, no admin for editors. Nothing is left of "a site editors manage".
    "landing-site-fed-by-the-billing-api": Situation(
        {"purpose": "website", "database": "none", "admin": False},
        "flask",
        True,
        "(not counted: database is none says otherwise)",
    ),
    # A status page that shows what the monitoring service's API returns, one developer.
    "status-page-over-the-monitoring-api": Situation(
        {"purpose": "website", "database": "none", "team": "solo"},
        "flask",
        False,
        "(not counted: database is none says otherwise)",
    ),
    # A members' site with logins and a database, and no admin: no editors manage content
    # through one, so the site counts for its logins and its database only.
    "members-site-without-an-admin": Situation(
        {"purpose": "website", "admin": False, "accounts": True, "database": "postgresql"},
        "django",
        False,
        "(not counted: admin is false says otherwise)",
    ),
    # A dashboard "product" that reads everything from the company's data API: no models
    # of its own, so none of "many models, user roles and complex relationships".
    "dashboard-over-a-data-api": Situation(
        {"purpose": "product", "database": "none", "team": "solo"},
        "flask",
        False,
        "(not counted: database is none says otherwise)",
    ),
    # An internal tool called a product that will stay a few pages.
    "internal-tool-that-stays-small": Situation(
        {"purpose": "product", "stays_small": True, "team": "solo"},
        "flask",
        False,
        "(not counted: stays_small is true says otherwise)",
    ),
    # A brochure site that editors will change through an admin is not fixed content.
    "brochure-site-with-an-editors-admin": Situation(
        {"purpose": "small-site", "admin": True},
        "django",
        False,
        "(not counted: admin is true says otherwise)",
    ),
    # A small site a team expects to grow into a major app.
    "small-site-that-will-grow": Situation(
        {"purpose": "small-site", "growth": True, "team": "small"},
        "django",
        False,
        "(not counted: growth is true says otherwise)",
    ),
}


@situations(CONTRADICTED_PURPOSE)
def test_a_purpose_the_other_answers_contradict_does_not_score(case: Situation) -> None:
    """A purpose scores its meaning only when no other answer contradicts it; the
    contradicted purpose is shown, not counted, naming the answer that says otherwise."""
    result = check(case)
    [purpose] = [r for r in result.reasons if r.key == "purpose"]
    assert (purpose.points, purpose.counted) == (0, False)


# `api: true` is evidence, once with purpose api; an API with logins, roles or an admin
# is more than a single-purpose API.
API_EVIDENCE = {
    # A mobile app's JSON backend, described with the API option rather than a purpose.
    "mobile-backend-said-with-the-api-option": Situation(
        {"api": True, "database": "none"}, "flask", False, "api is true: a single-purpose API"
    ),
    # A weather API: purpose api and the API option say one thing, counted once.
    "weather-api-said-twice": Situation(
        {"purpose": "api", "api": True, "team": "solo"},
        "flask",
        False,
        "(counted once, with purpose)",
    ),
    # An API whose users log in: more than a few routes, and Django ships the accounts.
    "api-with-logins": Situation(
        {"purpose": "api", "accounts": True},
        "flask",
        True,
        "more than a single-purpose API",
    ),
    # A team's API with logins and a database behind it: Django with its REST framework.
    "team-api-with-logins-and-a-database": Situation(
        {"purpose": "api", "accounts": True, "database": "postgresql", "team": "small"},
        "django",
        False,
        "more than a single-purpose API",
    ),
    # A newsroom site with an admin for editors and a JSON feed for the app.
    "newsroom-with-a-json-feed": Situation(
        {"purpose": "website", "admin": True, "api": True},
        "django",
        False,
        "api is true, but your other answers say it is more than a single-purpose API",
    ),
    # A product's API for team accounts with roles.
    "product-api-with-team-roles": Situation(
        {"purpose": "product", "api": True, "accounts": True},
        "django",
        False,
        "api is true, but your other answers say it is more than a single-purpose API",
    ),
}


@situations(API_EVIDENCE)
def test_a_stated_api_counts_once_and_only_as_what_it_is(case: Situation) -> None:
    """`api: true` scores Flask's single-purpose API point, once with purpose api, and
    only the small "JSON endpoints" lean when other answers make the API more than that."""
    result = check(case)
    api = [r for r in result.reasons if r.key in ("purpose", "api") and r.framework == "flask"]
    assert len([r for r in api if r.counted and r.points]) == 1


# Prototypes and beginners: what is being built decides, not the label alone.
WHAT_IS_BUILT = {
    # A marketplace prototype with seller logins, built alone: "rapid prototyping with
    # structure", not a prototype still looking for its requirements.
    "marketplace-prototype-with-seller-logins": Situation(
        {"purpose": "prototype", "accounts": True, "team": "solo"},
        "django",
        False,
        "prototype with structure",
    ),
    # A prototype with an admin for the operations team to edit records.
    "prototype-with-an-admin-for-operations": Situation(
        {"purpose": "prototype", "admin": True, "team": "solo"},
        "django",
        False,
        "prototype with structure",
    ),
    # A beginner building a members' site with logins: experienced people steer them to
    # Django, which ships the accounts and their security.
    "beginner-building-a-members-site": Situation(
        {"experience": "beginner", "accounts": True, "team": "solo"},
        "django",
        False,
        "the total learning can exceed Django's",
    ),
    # A beginner's first shop: accounts, an admin for orders.
    "beginner-opening-a-shop": Situation(
        {"experience": "beginner", "purpose": "product", "accounts": True, "admin": True},
        "django",
        False,
        "the total learning can exceed Django's",
    ),
    # A beginner who wants to choose every piece but needs an admin for a club's records:
    # the preference and the admin pull apart.
    "beginner-minimalist-with-a-club-admin": Situation(
        {"experience": "beginner", "admin": True, "prefer": "minimal"},
        "django",
        True,
        "the total learning can exceed Django's",
    ),
    # A beginner's prototype with logins.
    "beginner-prototype-with-logins": Situation(
        {"experience": "beginner", "purpose": "prototype", "accounts": True},
        "django",
        False,
        "prototype with structure",
    ),
}


@situations(WHAT_IS_BUILT)
def test_prototypes_and_beginners_depend_on_what_is_built(case: Situation) -> None:
    """A prototype or a beginner's project with logins or an admin leans Django; the
    Flask reasons for prototypes and beginners do not count for it."""
    result = check(case)
    flask = [r for r in result.reasons if r.framework == "flask" and r.counted and r.points]
    assert not [r for r in flask if r.key in ("purpose", "experience")]


# The parts Flask leaves to you, by the answer that needs each and a word naming its tool.
PARTS = {
    "accounts": "Flask-Login",
    "admin": "Flask-Admin",
    "forms": "Flask-WTF",
    "database": "Flask-SQLAlchemy",
}

# When Flask wins while the answers need parts it leaves to you, the reasons name them.
FLASK_COSTS = {
    # Someone who wants to make every decision, building a shop's backend with logins,
    # forms and PostgreSQL: Flask, and what each of those parts will take.
    "decision-maker-building-a-shop-backend": Situation(
        {"prefer": "minimal", "accounts": True, "forms": True, "database": "postgresql"},
        "flask",
        False,
        "Flask-Login",
    ),
    # A solo minimalist who needs an admin.
    "solo-minimalist-with-an-admin": Situation(
        {"prefer": "minimal", "admin": True, "team": "solo"}, "flask", False, "Flask-Admin"
    ),
    # An experienced developer picking their own libraries for an app with logins.
    "experienced-picker-with-logins-and-sqlite": Situation(
        {"prefer": "minimal", "experience": "experienced", "accounts": True, "database": "sqlite"},
        "flask",
        False,
        "Flask-Login",
    ),
    # A learning project with forms and a database: Flask, and the pieces to learn.
    "learning-project-with-forms-and-a-database": Situation(
        {"purpose": "learning", "forms": True, "database": "sqlite"},
        "flask",
        False,
        "Flask-WTF",
    ),
}


@situations(FLASK_COSTS)
def test_a_flask_verdict_names_the_parts_it_leaves_to_you(case: Situation) -> None:
    """Each part the answers need and Flask leaves to you (accounts, admin, forms, a
    database) is named with its extension, and no part they do not need; none scores."""
    result = check(case)
    costs = [r for r in result.reasons if r.caveat and r.source == "seeds"]
    assert {r.key for r in costs} == set(PARTS) & set(case.answers)
    named = " ".join(r.text for r in costs)
    assert {key for key, tool in PARTS.items() if tool in named} == {r.key for r in costs}
    assert all(r.points == 0 and r.framework == "django" for r in costs)


# Where experienced developers and the seeds part ways, the reasons say so.
PRACTICE = {
    # A team that runs Flask in production, adding a content site with an admin.
    "flask-team-adding-a-content-site": Situation(
        {"experience": "flask", "purpose": "website", "admin": True, "team": "small"},
        "django",
        False,
        "build on the framework they already run",
    ),
    # A Django team building a small weather API.
    "django-team-building-a-weather-api": Situation(
        {"experience": "django", "purpose": "api", "database": "none"},
        "flask",
        False,
        "build on the framework they already run",
    ),
    # A Django team that wants to make its own decisions for a microservice.
    "django-team-with-a-minimal-microservice": Situation(
        {"experience": "django", "prefer": "minimal", "purpose": "api"},
        "flask",
        False,
        "build on the framework they already run",
    ),
    # A reporting product on a large PostgreSQL schema, built by a large team.
    "reporting-product-on-a-large-schema": Situation(
        {"purpose": "product", "database": "postgresql", "team": "large"},
        "django",
        False,
        "SQLAlchemy",
    ),
    # A SaaS with accounts that will grow.
    "saas-with-accounts-that-will-grow": Situation(
        {"purpose": "product", "accounts": True, "growth": True},
        "django",
        False,
        "SQLAlchemy",
    ),
}


@situations(PRACTICE)
def test_where_practice_parts_from_the_seeds_the_reasons_say_so(case: Situation) -> None:
    """A team's own stack and very complex relational data: a caveat for the losing side,
    marked as coming from practice, worth no points."""
    result = check(case)
    [practice] = [r for r in result.reasons if r.source == "practice"]
    assert practice.caveat and practice.points == 0
    assert practice.framework != result.framework
    assert case.why in practice.text and practice.text.endswith("(from practice, not the seeds)")


@pytest.mark.parametrize("rule", CAVEATS, ids=[rule_id(rule) for rule in CAVEATS])
def test_every_caveat_is_shown_only_when_its_side_loses(rule: Rule) -> None:
    """A caveat scores nothing; it is shown when its framework loses, not when it wins."""
    loses = {"prefer": "minimal" if rule.framework == "django" else "batteries"}
    wins = {"prefer": "batteries" if rule.framework == "django" else "minimal"}
    for context, shown in ((loses, True), (wins, False)):
        result = recommend({**needed(rule), **context})
        caveats = [r for r in result.reasons if r.caveat and r.quote == rule.quote]
        assert [(r.key, r.framework, r.points) for r in caveats] == (
            [(rule.key, rule.framework, 0)] if shown else []
        )

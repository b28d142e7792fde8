"""The rules table the recommendation reads, top to bottom like the decision framework it follows.

Each rule gives points to one framework when an answer the user gave matches, with the
sentence the user sees and the seed sentence it comes from. Rules that make the same
point of a seed share a ``point``; the scoring in ``scaffold.decision`` counts each
point once per framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FRAMEWORKS = ("django", "flask")

# A margin of one point is one tie-breaker rule: the answers do not really decide.
CLOSE_CALL_MARGIN = 1

# The user's source articles, by the number their file starts with.
SEEDS = {
    "000": "Choosing Python Web Frameworks: Django and Flask",
    "001": "Flask vs. Django: Choose Your Python Web Framework",
    "002": "Django vs Flask: Which Python Web Framework Should You Choose?",
    "003": "Djanog vs. Flask – Better Python Framework for Development – 2024",
    "004": "Flask vs. Django in 2020: Choosing the Right Python Framework",
}


@dataclass(frozen=True)
class Rule:
    """When ``key`` is ``value``, ``framework`` gains ``points`` for ``reason``.

    ``label`` names the answer in a conflict sentence ("the admin"). Rules with the
    same ``point`` make one point of the seeds: per framework only the strongest of
    them counts. ``unless`` lists answers that, when given, stop the rule (they
    contradict what it scores); ``when`` lists answers that must all be given for it to
    apply, ``when_any`` answers of which one must be.

    A rule of 0 points is a caveat: it scores nothing and is shown only when
    ``framework`` loses, so what the verdict costs is not buried by the scores.
    ``source`` is "seeds" (``quote`` is a seed's sentence, word for word) or
    "practice" (``quote`` says what experienced developers do; ``seed`` is empty).
    """

    key: str
    value: Any
    framework: str
    points: int
    reason: str
    label: str
    seed: str
    quote: str
    point: str
    unless: tuple[tuple[str, Any], ...] = ()
    when: tuple[tuple[str, Any], ...] = ()
    when_any: tuple[tuple[str, Any], ...] = ()
    source: str = "seeds"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "framework": self.framework,
            "points": self.points,
            "reason": self.reason,
            "label": self.label,
            "source": self.source,
            "seed": self.seed or None,
            "seed_title": SEEDS[self.seed] if self.seed else None,
            "quote": self.quote,
            "point": self.point,
            "unless": [{key: value} for key, value in self.unless],
            "when": [{key: value} for key, value in self.when],
            "when_any": [{key: value} for key, value in self.when_any],
        }


# Not single-purpose: logins, an admin, growth or a large team say an API is more than a
# few routes.
_MORE_THAN_AN_API = (("admin", True), ("accounts", True), ("growth", True), ("team", "large"))
# JSON endpoints of a site or a product are one part of a larger app.
_PART_OF_A_LARGER_APP = (("purpose", "website"), ("purpose", "small-site"), ("purpose", "product"))
# What contradicts each purpose's meaning: a site editors manage has an admin and a
# database to manage; a multi-model product has a database and does not stay small; a
# small fixed-content site has no admin and does not grow.
_NOT_EDITORS_SITE = (("database", "none"), ("admin", False))
_NOT_MULTI_MODEL = (("database", "none"), ("stays_small", True))
_NOT_SMALL_FIXED = (("admin", True), ("growth", True))
# The parts a serious project needs that Django ships with "structure": logins, an admin.
_STRUCTURE = (("accounts", True), ("admin", True))
# What experienced developers say where the seeds are silent or say otherwise.
PRACTICE_SAME_STACK = (
    "A team with a framework in production usually builds the next project on it: its "
    "deployment, its libraries and its people's experience carry over."
)
PRACTICE_SQLALCHEMY = (
    "For very complex relational data SQLAlchemy is the stronger tool: its queries and "
    "mappings reach further than Django's ORM."
)
PIECE_BY_PIECE = (
    "But building a real app means learning SQLAlchemy, WTForms, Flask-Login, Flask-Migrate, "
    "and more."
)
REAL_QUESTION = "The real question is: do you want to make decisions or have them made for you?"

# The decision framework of seed 002 first (its six questions, then its honest verdict),
# then what the other seeds weigh. Points: 4 for "the real question", 3 for a question the
# framework answers outright, 2 for a strong lean, 1 for a tie-breaker.
# fmt: off
RULES: tuple[Rule, ...] = (
    # 1. Is this a single-purpose API? -> Flask
    Rule("purpose", "api", "flask", 3,
         "purpose is api: a single-purpose API or microservice is what Flask does best, "
         "a few routes with no unneeded layers",
         "a single-purpose API", "002", "Is this a single-purpose API? → Flask", "api",
         unless=_MORE_THAN_AN_API),
    Rule("purpose", "api", "flask", 1,
         "purpose is api, but your other answers say it is more than a single-purpose API: "
         "Flask still makes JSON endpoints small",
         "an API", "002",
         "Need a quick REST endpoint that receives JSON and returns JSON? Flask excels here.",
         "api"),
    # The API option, when the user gives it, says the same: once with purpose api.
    Rule("api", True, "flask", 3,
         "api is true: a single-purpose API, endpoints with no logins or admin around "
         "them, is what Flask does best",
         "a single-purpose API", "002", "Is this a single-purpose API? → Flask", "api",
         unless=_MORE_THAN_AN_API + _PART_OF_A_LARGER_APP),
    Rule("api", True, "flask", 1,
         "api is true, but your other answers say it is more than a single-purpose API: "
         "Flask still makes JSON endpoints small",
         "an API", "002",
         "Need a quick REST endpoint that receives JSON and returns JSON? Flask excels here.",
         "api"),
    # 2. Does the project need an admin interface? -> Django
    Rule("admin", True, "django", 3,
         "admin is true: Django's built-in admin gives you data management for free",
         "the admin", "002", "Does the project need an admin interface? → Django", "admin"),
    Rule("purpose", "website", "django", 2,
         "purpose is website: a site whose content editors manage is what Django's admin "
         "and ORM were built for",
         "a site editors manage", "002",
         "the admin panel alone can save weeks of development time for content management "
         "systems", "admin", unless=_NOT_EDITORS_SITE),
    Rule("purpose", "small-site", "flask", 2,
         "purpose is small-site: a small site with fixed content needs no admin or "
         "database, and Flask builds it quickly",
         "a small fixed-content site", "001",
         "developers use Flask to speed up the development of websites that use fixed "
         "content", "small", unless=_NOT_SMALL_FIXED),
    Rule("stays_small", True, "flask", 1,
         "stays_small is true: Flask suits projects that stay small (Django is not too "
         "heavy for them, only more opinionated)",
         "a project that stays small", "003",
         "Flask excels in smaller projects where customization and simplicity are paramount",
         "small"),
    # 3. Are you the only developer? -> Either works, but Flask gives flexibility
    Rule("team", "solo", "flask", 1,
         "team is solo: either works for one developer, but Flask gives you flexibility",
         "a solo developer", "002",
         "Are you the only developer? → Either works, but Flask gives flexibility", "team"),
    # 4. Multiple developers with varying experience? -> Django's structure helps
    Rule("team", "large", "django", 2,
         "team is large: Django's enforced structure keeps developers of mixed experience "
         "on one set of conventions",
         "a large team", "002",
         "Multiple developers with varying experience? → Django's structure helps", "team"),
    Rule("team", "small", "django", 1,
         "team is small: Django's conventions mean less time agreeing on architecture",
         "a small team", "002",
         "For teams, this consistency means less time arguing about architecture and more "
         "time building features.", "team"),
    # 5. Might this grow into a major multi-feature app? -> Django scales better in complexity
    Rule("purpose", "product", "django", 3,
         "purpose is product: many models, user roles and complex relationships are "
         "where Django shines",
         "a multi-model product", "002",
         "Django shines when your project has multiple models, user roles, and complex "
         "relationships.", "complexity", unless=_NOT_MULTI_MODEL),
    Rule("growth", True, "django", 2,
         "growth is true: Django scales better in complexity as features are added",
         "growth", "002",
         "Might this grow into a major multi-feature app? → Django scales better in "
         "complexity", "complexity"),
    # 6. Learning web development from scratch? -> Start with Flask
    Rule("purpose", "learning", "flask", 3,
         "purpose is learning: Flask's minimalism shows what each part of a web app does",
         "learning", "002",
         "Learning web development from scratch? → Start with Flask to understand "
         "fundamentals", "beginners"),
    Rule("experience", "beginner", "flask", 2,
         "experience is beginner: Flask has the fewest roadblocks to a first running app",
         "a beginner team", "000",
         "Flask is the choice of most beginners due to the lack of roadblocks to getting a "
         "simple app up and running.", "beginners",
         unless=(("purpose", "product"), *_STRUCTURE)),
    # ...but a beginner building a serious product (logins, an admin) would assemble and
    # secure each of those pieces alone in Flask.
    Rule("experience", "beginner", "django", 2,
         "experience is beginner, building a serious product: Flask's gentle start ends "
         "where logins, an admin and their security begin, and the total learning can "
         "exceed Django's, which ships them",
         "a beginner building a serious product", "002",
         "The total learning can exceed Django's, just spread out.", "beginners",
         unless=(("purpose", "learning"),),
         when_any=(("purpose", "product"), *_STRUCTURE)),
    # When to use Flask: prototypes that might change direction...
    Rule("purpose", "prototype", "flask", 2,
         "purpose is prototype: Flask adapts when the direction changes without fighting you",
         "a prototype", "002",
         "When you're still figuring out your project's requirements, Flask gives you "
         "flexibility.", "prototype", unless=_STRUCTURE),
    # ...and when to use Django: rapid prototyping with structure.
    Rule("purpose", "prototype", "django", 2,
         "purpose is prototype, with logins or an admin: Django gets a prototype with "
         "structure working in hours, its authentication, sessions and CSRF protection "
         "built in",
         "a prototype with structure", "002",
         "Django's \"batteries included\" philosophy means you can go from django-admin "
         "startproject to a working prototype in hours.", "prototype", when_any=_STRUCTURE),
    # The honest verdict: the real question, weighed above every other.
    Rule("prefer", "batteries", "django", 4,
         "prefer is batteries: you would rather have decisions made for you, and Django "
         "makes them, batteries included",
         "having decisions made for you", "002", REAL_QUESTION, "decisions"),
    Rule("prefer", "minimal", "flask", 4,
         "prefer is minimal: you would rather make the decisions yourself, and Flask leaves "
         "every one to you",
         "making your own decisions", "002", REAL_QUESTION, "decisions"),
    Rule("own_stack", True, "flask", 2,
         "own_stack is true: Flask lets you pick your own ORM, template engine or a NoSQL "
         "store; swapping Django's built-in ones is hard",
         "choosing your own libraries", "001",
         "if a developer wants to use a different library for a function that Django "
         "already provides, it won’t be easy.", "decisions"),
    Rule("experience", "experienced", "flask", 2,
         "experience is experienced: experienced developers get the freedom to plug in the "
         "libraries they are comfortable with",
         "an experienced team", "001",
         "This allows more experienced developers the freedom to plug and play with the "
         "libraries and databases they are comfortable with.", "decisions"),
    # The team's experience with either framework.
    Rule("experience", "django", "django", 2,
         "experience is django: once you know the Django way, complex apps come fast",
         "knowing Django", "002",
         "But once you grasp it, building complex apps becomes fast and predictable.",
         "experience"),
    Rule("experience", "flask", "flask", 2,
         "experience is flask: you already know the extensions a real Flask app needs",
         "knowing Flask", "002",
         "But building a real app means learning SQLAlchemy, WTForms, Flask-Login, "
         "Flask-Migrate, and more.", "experience"),
    # Speed of delivery.
    Rule("deadline", True, "django", 2,
         "deadline is true: Django is the framework for perfectionists with deadlines, with "
         "the common pieces ready on day one",
         "the deadline", "003",
         "often referred to as the “web framework for perfectionists with deadlines,”",
         "speed", unless=(("stays_small", True),)),
    Rule("deadline", True, "flask", 1,
         "deadline is true and it stays small: Flask's simplicity finishes small "
         "applications in short timeframes",
         "a deadline on a small app", "001",
         "Flask’s simplicity permits experienced developers to complete smaller applications "
         "within short timeframes.", "speed", when=(("stays_small", True),)),
    # Real-time needs: the seeds point past both frameworks' defaults.
    Rule("realtime", True, "django", 1,
         "realtime is true: for WebSockets and long-lived connections the seeds point past "
         "both frameworks' defaults, to Tornado or FastAPI; of the two, Flask is the one "
         "listed as not async-friendly, while Django adds Channels for WebSockets and "
         "Celery for background tasks",
         "the real-time need", "000", "Not async-friendly", "realtime"),
    # The learning-curve truth: what Django ships and a Flask app adds piece by piece.
    Rule("database", "sqlite", "django", 1,
         "database is sqlite: Django's ORM and migrations come built in",
         "a database", "002", "Its ORM handles database migrations smoothly", "orm-forms"),
    Rule("database", "postgresql", "django", 1,
         "database is postgresql: Django's ORM and migrations come built in",
         "a database", "002", "Its ORM handles database migrations smoothly", "orm-forms"),
    Rule("forms", True, "django", 1,
         "forms is true: Django has a forms framework; Flask needs an extension for it",
         "forms", "000", "Lack of database/ORM/forms", "orm-forms"),
    Rule("database", "none", "flask", 1,
         "database is none: no ORM and no migrations is Flask's own example, just the job",
         "no database", "002", "No admin panel, no ORM, no migrations—just the job.",
         "orm-forms"),
    Rule("accounts", True, "django", 1,
         "accounts is true: Django ships authentication, sessions and permissions built in",
         "user accounts", "002",
         "The built-in authentication system, session management, and CSRF protection handle "
         "security basics without extra effort.", "accounts"),
    # Caveats (0 points), shown only when the framework they speak for loses. First what
    # Flask leaves to you, each part the answers need: "minimal" has this cost.
    Rule("accounts", True, "django", 0,
         "accounts is true: with Flask, accounts are code your project keeps: Flask-Login "
         "and the sign-up, login and password-reset views scaffold writes, yours to "
         "maintain and secure from then on; Django's are part of the framework",
         "user accounts", "002", "Need authentication? Roll your own or plug in Flask-Login.",
         "accounts"),
    Rule("admin", True, "django", 0,
         "admin is true: with Flask, the admin is Flask-Admin, an extension your project "
         "wires up and keeps; Django's is part of the framework",
         "the admin", "001",
         "Flask lacks these features and may require you to install custom modules to use an "
         "ORM as optional to the developer.", "admin"),
    Rule("forms", True, "django", 0,
         "forms is true: with Flask, forms are Flask-WTF, an extension your project wires up "
         "and keeps, CSRF protection included; Django's forms framework is built in",
         "forms", "000", "Lack of database/ORM/forms", "orm-forms"),
    Rule("database", "sqlite", "django", 0,
         "database is sqlite: with Flask, the database layer is two extensions your project "
         "wires up and keeps, Flask-SQLAlchemy for the models and Flask-Migrate for "
         "migrations; Django ships both",
         "a database", "002", PIECE_BY_PIECE, "orm-forms"),
    Rule("database", "postgresql", "django", 0,
         "database is postgresql: with Flask, the database layer is two extensions your "
         "project wires up and keeps, Flask-SQLAlchemy for the models and Flask-Migrate for "
         "migrations; Django ships both",
         "a database", "002", PIECE_BY_PIECE, "orm-forms"),
    # Where experienced developers and the seeds part ways, said rather than hidden.
    Rule("experience", "django", "django", 0,
         "experience is django: teams most often build on the framework they already run "
         "and deploy, and weigh that above the seeds' other points; leaving Django is worth "
         "a second look",
         "knowing Django", "", PRACTICE_SAME_STACK, "experience", source="practice"),
    Rule("experience", "flask", "flask", 0,
         "experience is flask: teams most often build on the framework they already run "
         "and deploy, and weigh that above the seeds' other points; Flask has extensions "
         "for an admin, logins and forms, so leaving it is worth a second look",
         "knowing Flask", "", PRACTICE_SAME_STACK, "experience", source="practice"),
    Rule("purpose", "product", "flask", 0,
         "purpose is product: where the relational data is very complex (an existing schema, "
         "composite keys, heavy reporting queries), experienced developers often choose "
         "SQLAlchemy, which a Flask app uses directly; the seeds credit Django's ORM with "
         "complex relationships and do not weigh this",
         "very complex relational data", "", PRACTICE_SQLALCHEMY, "complexity",
         unless=_NOT_MULTI_MODEL, source="practice"),
)
# fmt: on

# The answers the rules read: the only ones worth asking for a recommendation.
KEYS = frozenset(rule.key for rule in RULES)

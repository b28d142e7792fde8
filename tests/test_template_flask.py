"""The Flask template: hooks, option files and the .env secret.

Projects are rendered once per session (the ``renders`` fixture) and only read here;
the hooks' refusals go through pytest-cookies, as plain cookiecutter runs them. The
slow checks of every combination (lint, migrations, `flask routes`, the project's own
tests, gunicorn) live in the template's scaffold-checks.yml and run under `scaffold smoke`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from scaffold.catalog import parse_template
from scaffold.checks_file import Checks
from scaffold.render import render_template
from tests.template_checks import (
    EVERY_OFF,
    EVERY_ON,
    LONG_NAME,
    LONG_SLUG,
    Renders,
    dockerfile_instructions,
    locked_project,
    project_files,
    run_lines,
    uv_environment,
)

# With pytest-xdist the module's tests share one worker, so each project is rendered once.
pytestmark = pytest.mark.xdist_group("flask-renders")

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "flask"

ALL_ON, ALL_OFF = EVERY_ON["flask"], EVERY_OFF["flask"]

INITIAL_MIGRATION = "migrations/versions/3f1c2a9b7d4e_create_the_initial_tables.py"
USERS_MIGRATION = "migrations/versions/8b2d6e1f4a90_create_the_users_table.py"
ADMIN_MIGRATION = "migrations/versions/c47e9a3b15d2_add_the_is_admin_column_to_users.py"
AUTHORS_MIGRATION = "migrations/versions/d5a8f3e2b6c1_add_note_authors_and_api_tokens.py"
ADMIN_MERGE_MIGRATION = (
    "migrations/versions/e9b4c7d1a2f6_merge_the_admin_and_note_author_revisions.py"
)
RATE_LIMITS_MIGRATION = (
    "migrations/versions/f1b3d5a7c9e2_add_rate_limits_and_address_confirmation.py"
)
RATE_LIMITS_MERGE_MIGRATION = (
    "migrations/versions/a6c8e0f2b4d7_merge_the_admin_and_rate_limit_revisions.py"
)
MIGRATIONS = [  # oldest first
    INITIAL_MIGRATION,
    USERS_MIGRATION,
    ADMIN_MIGRATION,
    AUTHORS_MIGRATION,
    ADMIN_MERGE_MIGRATION,
    RATE_LIMITS_MIGRATION,
    RATE_LIMITS_MERGE_MIGRATION,
]


def bake(cookies, **context):
    """Generate a project from the Flask template with these answers, through cookiecutter."""
    return cookies.bake(extra_context=context, template=str(TEMPLATE))


def render(renders: Renders, copy: int = 0, **answers) -> Path:
    """The session's project of the Flask template with these answers (read it only)."""
    return renders.project("flask", answers, copy=copy)


def project_text(root: Path) -> str:
    """All the project's files but uv.lock, concatenated, for searching (the lock names
    what the dependencies pull in: Flask-Admin's WTForms with forms off)."""
    paths = [path for path in project_files(root) if path.name != "uv.lock"]
    return "\n".join((root / path).read_text() for path in paths)


def test_defaults_give_an_app_factory_project(renders):
    """With no answers the project is `my_app`: a factory package on SQLite with migrations."""
    root = render(renders)
    assert root.name == "my_app"
    for name in ["__init__.py", "config.py", "extensions.py", "models.py", "wsgi.py"]:
        assert (root / "my_app" / name).is_file(), name
    assert "def create_app(config" in (root / "my_app/__init__.py").read_text()
    migrations = sorted((root / "migrations/versions").iterdir())
    assert migrations == [root / INITIAL_MIGRATION]  # no accounts: no users table
    assert (root / "my_app/templates/base.html").is_file()
    assert (root / "my_app/static/css/style.css").is_file()


def test_flaskenv_uses_flask_debug_not_flask_env(renders):
    """.flaskenv names the app and sets FLASK_DEBUG; FLASK_ENV (gone since Flask 2.3) is nowhere."""
    root = render(renders, **ALL_ON)
    flaskenv = (root / ".flaskenv").read_text()
    assert "FLASK_APP=my_app" in flaskenv
    assert "FLASK_DEBUG=1" in flaskenv
    assert "FLASK_ENV" not in project_text(root)


@pytest.mark.slow  # plain cookiecutter runs the hook scripts
@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"database": "none", "accounts": True},
            "ERROR: accounts need a database to store users "
            "(accounts=true needs database=sqlite or database=postgresql; got database=none)",
        ),
        (
            {"database": "none", "accounts": False, "admin": True},
            "ERROR: the admin interface needs a database to manage "
            "(admin=true needs database=sqlite or database=postgresql; got database=none)",
        ),
        (
            {"database": "sqlite", "accounts": False, "admin": True},
            "ERROR: the admin interface sits behind login, which needs accounts "
            "(admin=true needs accounts=true; got accounts=false)",
        ),
    ],
    ids=["accounts-without-database", "admin-without-database", "admin-without-accounts"],
)
def test_impossible_combination_is_refused_in_one_line(cookies, capfd, answers, message):
    """Each `_requires` rule stops generation with its reason, on one line."""
    result = bake(cookies, **answers)
    assert result.exit_code == -1
    assert capfd.readouterr().err == message + "\n"


@pytest.mark.parametrize(
    ("option", "chosen", "unchosen", "paths", "texts"),
    [
        (
            "accounts",
            True,
            False,
            [
                "my_app/auth.py",
                "my_app/mail.py",
                "my_app/templates/auth",
                "tests/test_auth.py",
                USERS_MIGRATION,
                AUTHORS_MIGRATION,
            ],
            {
                "pyproject.toml": "flask-login",
                ".env.example": "EMAIL_URL",
                "my_app/__init__.py": "login_manager",
                "my_app/extensions.py": "flask_login",
                "my_app/models.py": "class User",
                "my_app/main.py": "author=current_user",
                "my_app/templates/base.html": "current_user",
            },
        ),
        (
            "admin",
            True,
            False,
            ["my_app/admin.py", "tests/test_admin.py", ADMIN_MIGRATION, ADMIN_MERGE_MIGRATION],
            {"pyproject.toml": "flask-admin", "my_app/models.py": "is_admin"},
        ),
        (
            "forms",
            True,
            False,
            ["my_app/forms.py", "my_app/templates/_macros.html"],
            {"pyproject.toml": "flask-wtf", "my_app/extensions.py": "CSRFProtect"},
        ),
        (
            "api",
            True,
            False,
            ["my_app/api.py", "my_app/schemas.py", "tests/test_api.py"],
            {
                "my_app/__init__.py": "api",
                "my_app/errors.py": "json",
                "pyproject.toml": "flask-smorest",
                "my_app/config.py": "CORS_ORIGINS",
                "my_app/extensions.py": "openapi",
                "README.md": "curl -s -X POST $API/tokens",
            },
        ),
        (
            "tasks",
            True,
            False,
            ["my_app/tasks.py", "tests/test_tasks.py"],
            {
                "pyproject.toml": "rq>=",
                "my_app/__init__.py": "tasks.init_app",
                "my_app/config.py": "REDIS_URL",
                "my_app/mail.py": "enqueue",
                "compose.yaml": "flask worker",
                ".env.example": "REDIS_URL",
                "README.md": "flask worker",
            },
        ),
        (
            "docker",
            True,
            False,
            ["Dockerfile", "compose.yaml", ".dockerignore"],
            {"README.md": "docker"},
        ),
        ("database", "postgresql", "sqlite", [], {"pyproject.toml": "psycopg"}),
        ("ci", "github", "gitlab", [".github"], {}),
        ("ci", "github", "none", [".github"], {}),
        ("ci", "gitlab", "github", [".gitlab-ci.yml"], {}),
        ("ci", "gitlab", "none", [".gitlab-ci.yml"], {}),
    ],
    ids=[
        "accounts",
        "admin",
        "forms",
        "api",
        "tasks",
        "docker",
        "postgresql",
        "github-gitlab",
        "github-none",
        "gitlab-github",
        "gitlab-none",
    ],
)
def test_unchosen_options_leave_nothing(renders, option, chosen, unchosen, paths, texts):
    """An option not chosen leaves neither its files nor mentions of it in shared files."""
    base = {**ALL_ON, "admin": False} if option == "accounts" else ALL_ON  # admin needs accounts
    with_option = render(renders, **{**base, option: chosen})
    root = render(renders, **{**base, option: unchosen})
    for path in paths:
        assert (with_option / path).exists(), f"{path} missing even when chosen"
        assert not (root / path).exists(), path
    for path, text in texts.items():
        assert text in (with_option / path).read_text()
        assert text not in (root / path).read_text(), f"{text!r} left in {path}"


def test_each_option_brings_its_own_migration_after_the_ones_it_needs(renders):
    """Initial (notes) <- users (accounts) <- is_admin (admin) and <- note authors
    (accounts) <- rate limits (accounts), joined by merge revisions that come with admin."""
    root = render(renders, **ALL_ON)
    down_revisions = []
    for path in MIGRATIONS:
        text = (root / path).read_text()
        revision = re.search(r'^revision = "(\w+)"$', text, re.MULTILINE).group(1)
        assert Path(path).name.startswith(f"{revision}_"), path
        down_revisions.append(re.search(r"^down_revision = (.+)$", text, re.MULTILINE).group(1))
    assert down_revisions == [
        "None",
        '"3f1c2a9b7d4e"',
        '"8b2d6e1f4a90"',
        '"8b2d6e1f4a90"',
        '("c47e9a3b15d2", "d5a8f3e2b6c1")',
        '"d5a8f3e2b6c1"',
        '("e9b4c7d1a2f6", "f1b3d5a7c9e2")',
    ]
    assert "users" not in (root / INITIAL_MIGRATION).read_text()
    assert "is_admin" not in (root / USERS_MIGRATION).read_text()


def alembic_heads(root: Path) -> list[str]:
    """The revisions of the project's migrations that no other revision revises."""
    revisions, revised = set(), set()
    for path in (root / "migrations/versions").glob("*.py"):
        text = path.read_text()
        revisions.add(re.search(r'^revision = "(\w+)"$', text, re.MULTILINE).group(1))
        down = re.search(r"^down_revision = (.+)$", text, re.MULTILINE).group(1)
        revised.update(re.findall(r"\w{12}", down))
    assert revised <= revisions, f"revises a missing revision: {revised - revisions}"
    return sorted(revisions - revised)


@pytest.mark.parametrize(
    "answers",
    [
        {"database": "sqlite", "accounts": accounts, "admin": admin, "api": api}
        for accounts, admin, api in itertools.product([False, True], repeat=3)
        if accounts or not admin
    ],
    ids=lambda answers: "-".join(f"{key}={value}" for key, value in answers.items()),
)
def test_every_combination_has_one_alembic_head(renders, answers):
    """Whatever the options, the project's migrations end in one revision."""
    assert len(alembic_heads(render(renders, **{**ALL_ON, **answers}))) == 1


def test_a_migration_never_depends_on_the_answers(renders):
    """Each migration file is the same bytes in every project that has it, render after render.

    A database that applied a migration must never see that file change when the
    answers change (`scaffold update --set`): an option adds its own migration instead.
    """
    projects = [
        render(renders, **{**ALL_ON, "accounts": False, "admin": False}),
        render(renders, **{**ALL_ON, "admin": False}),
        render(renders, **ALL_ON),
        render(renders, copy=1, **ALL_ON),
        render(renders, **{**ALL_ON, "forms": False, "database": "sqlite"}),
        render(renders, **{**ALL_ON, "api": False}),
        render(renders, **{**ALL_ON, "ci": "none"}),
        render(renders, **{**ALL_ON, "project_name": LONG_NAME, "project_slug": LONG_SLUG}),
    ]
    contents = {}
    for root in projects:
        for path in (root / "migrations/versions").iterdir():
            contents.setdefault(path.name, set()).add(path.read_bytes())
    assert sorted(contents) == sorted(Path(path).name for path in MIGRATIONS)
    for name, versions in contents.items():
        assert len(versions) == 1, f"{name} differs between renders"


def test_no_database_leaves_no_orm_or_migrations(renders):
    """database=none: no migrations/, no models, no Flask-SQLAlchemy anywhere."""
    root = render(renders, **ALL_OFF)
    assert not (root / "migrations").exists()
    assert not (root / "my_app/models.py").exists()
    text = project_text(root).lower()
    for word in ["sqlalchemy", "flask-migrate", "flask_migrate", "database_url", "sqlite"]:
        assert word not in text, word


def test_no_forms_keeps_a_csrf_check_for_the_plain_forms(renders):
    """forms=false with a database: plain HTML forms, still checked by csrf.py; no Flask-WTF."""
    root = render(renders, **{**ALL_ON, "forms": False})
    assert (root / "my_app/csrf.py").is_file()
    assert (root / "tests/test_csrf.py").is_file()
    assert "wtf" not in project_text(root).lower()


@pytest.mark.parametrize("answers", [ALL_ON, ALL_OFF], ids=["all-on", "all-off"])
def test_no_template_debris(renders, answers):
    """Generated files hold no template syntax, trailing spaces or runs of blank lines."""
    root = render(renders, **answers)
    for path in project_files(root):
        text = (root / path).read_text()
        assert "cookiecutter" not in text, path
        assert not re.search(r"[ \t]$", text, re.MULTILINE), f"trailing whitespace in {path}"
        assert "\n\n\n\n" not in text, f"blank lines in {path}"
        if path.suffix not in {".py", ".mako"}:  # Python keeps two blank lines between defs
            assert "\n\n\n" not in text, f"blank lines in {path}"
        assert text.endswith("\n"), path
        if path.suffix != ".html":
            assert "{%" not in text, path


@pytest.mark.parametrize(
    "answers", [{}, ALL_ON, ALL_OFF], ids=["sqlite-defaults", "postgresql-all-on", "none-all-off"]
)
def test_env_example_lists_the_same_variables(renders, answers):
    """.env.example (tracked) names the variables of .env, with a placeholder secret."""
    root = render(renders, **answers)

    def names(path):
        lines = (root / path).read_text().splitlines()
        return {line.split("=")[0] for line in lines if line and not line.startswith("#")}

    assert names(".env") == names(".env.example")
    assert "SECRET_KEY=change-me" in (root / ".env.example").read_text()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_yaml_files_parse(renders, database, ci):
    """compose.yaml, the CI file and the pre-commit config are valid YAML."""
    root = render(renders, **{**ALL_ON, "database": database, "ci": ci})
    ci_file = ".github/workflows/ci.yml" if ci == "github" else ".gitlab-ci.yml"
    for path in ["compose.yaml", ".pre-commit-config.yaml", ci_file]:
        assert isinstance(yaml.safe_load((root / path).read_text()), dict), path


def checks() -> Checks:
    """The template's checks, as scaffold-checks.yml declares them."""
    return parse_template("flask", TEMPLATE).checks


def valid_combinations() -> list[dict]:
    """Every combination of the options the production checks split on."""
    combinations = []
    for database, accounts, admin, api in itertools.product(
        ["sqlite", "postgresql", "none"], [True, False], [True, False], [True, False]
    ):
        if (accounts or admin) and database == "none" or admin and not accounts:
            continue
        answers = {"database": database, "accounts": accounts, "admin": admin, "api": api}
        combinations.append(answers)
    return combinations


def test_checks_declare_every_step():
    """The checks run lint, format, tests, migrations, routes and the production run."""
    names = [step.name for step in checks().steps]
    for name in ["lint", "format", "tests", "migrate", "routes", "production"]:
        assert name in names


def test_checks_live_in_their_own_file():
    """cookiecutter.json holds no `_checks`: they would travel in every render and replay."""
    assert "_checks" not in json.loads((TEMPLATE / "cookiecutter.json").read_text())
    assert checks().source.endswith("scaffold-checks.yml")


@pytest.mark.parametrize(
    "answers", valid_combinations(), ids=lambda answers: "-".join(map(str, answers.values()))
)
def test_each_combination_gets_one_production_run(answers):
    """Exactly one gunicorn start per combination, through gunicorn.conf.py, as production."""
    declared = checks()
    serves = [s.for_values(answers) for s in declared.steps if s.serve and s.applies(answers)]
    assert len(serves) == 1
    (serve,) = serves
    arguments = serve.serve[serve.serve.index("gunicorn") + 1 :]
    assert arguments[arguments.index("--config") + 1] == "gunicorn.conf.py"
    assert serve.env["FLASK_CONFIG"] == "production"
    assert serve.env["SECRET_KEY"] == "{secret}"
    assert serve.crawl == ("/",)
    sent = [request.send for request in serve.requests]
    # Production needs its host names; a forged Host gets 400, and no reset link.
    assert serve.env["TRUSTED_HOSTS"]
    forged = [r for r in sent if (r.get("headers") or {}).get("Host") == "evil.example"]
    assert forged and all(r.get("status") == 400 for r in forged)
    if answers["accounts"]:
        assert any(r.get("method") == "POST" and r["path"] == "/auth/reset" for r in forged)
    requests = {(r.get("method", "GET"), r["path"], r.get("status", 200)) for r in sent}
    assert ("GET", "/healthz", 200) in requests
    assert ("GET", "/no-such-page", 404) in requests
    assert ("POST", "/no-such-page", 404) in requests  # routing before CSRF
    if answers["api"]:
        assert ("GET", "/api/no-such-thing", 404) in requests
        assert any(m == "DELETE" and p.startswith("/api/") and c == 405 for m, p, c in requests)
    else:
        assert not any(path.startswith("/api/") for _, path, _ in requests)
    if answers["database"] != "none":
        assert ("POST", "/notes", 400) in requests  # no CSRF token: the styled 400
    if answers["accounts"]:
        assert serve.smtp is True
        assert serve.env["EMAIL_URL"] == "smtp://127.0.0.1:{smtp_port}"
        for path in ["/auth/login", "/auth/signup", "/auth/reset"]:
            assert ("GET", path, 200) in requests
        assert any(r.get("mail") for r in sent)
        # sign-up with a taken address, in another case: the same answer, a mail
        assert any(
            r["path"] == "/auth/signup"
            and r.get("mail")
            and r["data"]["email"] != r["data"]["email"].lower()
            for r in sent
        )
        assert ("POST", "/notes", 302) in requests
        if answers["api"]:
            assert ("POST", "/api/notes", 401) in requests  # anonymous write refused
    if answers["api"] and answers["database"] != "none":
        assert ("POST", "/api/notes", 201) in requests  # with a token or the API key
        assert ("POST", "/api/notes", 422) in requests  # field errors
        assert ("GET", "/api/notes?page=2&per_page=1", 200) in requests
    if answers["api"] and answers["accounts"]:
        assert ("POST", "/api/tokens", 201) in requests  # a token for email and password
        tokens = [r for r in sent if r["path"] == "/api/tokens" and "save" in r]
        assert len(tokens) == 2  # both users' tokens come from the API itself
        # another user's note, by the id the API answered, with the token it answered
        assert ("DELETE", "/api/notes/{saved:note}", 403) in requests
    if answers["admin"]:
        assert ("GET", "/admin/", 403) in requests and ("GET", "/admin/", 200) in requests
    else:
        assert not any(path.startswith("/admin/") for _, path, _ in requests)
    before = declared.steps[
        : next(i for i, s in enumerate(declared.steps) if s.serve and s.applies(answers))
    ]
    run_before = [s.name for s in before if s.applies(answers)]
    if answers["database"] != "none":
        assert "production-migrate" in run_before
    if answers["admin"]:
        assert "production-admin" in run_before
    if answers["api"]:
        assert "openapi-valid" in run_before


def test_production_checks_use_the_postgres_scheme():
    """The production run turns the postgresql:// URL it is given into postgres://."""
    for step in checks().steps:
        if step.name.startswith("production") and step.serve:
            assert "postgres://" in " ".join(step.serve)


@pytest.mark.parametrize("docker", [True, False], ids=["docker", "no-docker"])
def test_dependabot_updates_the_lock_and_actions(renders, docker):
    """With GitHub CI, Dependabot watches uv.lock, the actions and the Dockerfile's images."""
    root = render(renders, **{**ALL_ON, "docker": docker})
    config = yaml.safe_load((root / ".github/dependabot.yml").read_text())
    expected = {"uv", "github-actions"} | ({"docker"} if docker else set())
    assert {update["package-ecosystem"] for update in config["updates"]} == expected


def test_dockerignore_matches_at_any_depth(renders):
    """Caches and bytecode are ignored in subfolders too, not only at the top."""
    root = render(renders, **ALL_ON)
    patterns = (root / ".dockerignore").read_text().split()
    for name in ["__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache"]:
        assert f"**/{name}" in patterns, name


def test_gunicorn_settings_live_in_one_file(renders):
    """Dockerfile, compose and README start plain `gunicorn`, which reads gunicorn.conf.py."""
    root = render(renders, **ALL_ON)
    assert "WEB_CONCURRENCY" in (root / "gunicorn.conf.py").read_text()
    assert "--workers" not in project_text(root)
    dockerfile = (root / "Dockerfile").read_text()
    assert 'CMD ["gunicorn"]' in dockerfile
    assert "gunicorn.conf.py" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile


def test_compose_keeps_the_session_cookie(renders):
    """compose serves plain HTTP, so it turns the Secure flag off (or login is lost)."""
    root = render(renders, **ALL_ON)
    web = yaml.safe_load((root / "compose.yaml").read_text())["services"]["web"]
    assert web["environment"]["SECURE_COOKIES"] == "false"


def test_migrations_format_themselves(renders):
    """alembic.ini runs ruff on each migration `flask db migrate` writes."""
    root = render(renders, **ALL_ON)
    ini = (root / "migrations/alembic.ini").read_text()
    assert "hooks = ruff_fix, ruff_format" in ini


@pytest.mark.parametrize("answers", [ALL_ON, ALL_OFF], ids=["all-on", "all-off"])
def test_pyproject_takes_ranges_and_leaves_pins_to_the_lock(renders, answers):
    """Every requirement has a floor and no exact pin; Flask stays in the 3.1 series."""
    project = tomllib.loads((render(renders, **answers) / "pyproject.toml").read_text())
    requirements = project["project"]["dependencies"] + [
        requirement
        for extra in project["project"]["optional-dependencies"].values()
        for requirement in extra
    ]
    for requirement in requirements:
        assert "==" not in requirement and ">=" in requirement, requirement
    assert "flask>=3.1,<3.2" in project["project"]["dependencies"]
    assert project["project"]["requires-python"] == ">=3.11"


def test_dockerfile_installs_the_lock_before_copying_the_code(renders):
    """The dependency layer needs pyproject.toml and uv.lock only, so code changes keep it."""
    steps = dockerfile_instructions((render(renders, **ALL_ON) / "Dockerfile").read_text())
    uv_image = next(step for step in steps if step.startswith("COPY --from="))
    assert re.fullmatch(r"COPY --from=ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+ /uv /bin/uv", uv_image)
    copies = [i for i, step in enumerate(steps) if step.startswith("COPY ") and i > 1]
    sync = next(i for i, step in enumerate(steps) if "uv sync" in step)
    assert steps[copies[0]] == "COPY pyproject.toml uv.lock ./"
    assert copies[0] < sync < copies[1]
    assert "uv sync --locked --no-install-project --no-dev" in steps[sync]
    assert not any("pip install" in step for step in steps)
    assert steps.index("USER app") > copies[-1]


@pytest.mark.slow  # uv installs the dependencies
def test_dockerfile_dependency_layer_installs_offline_from_the_lock_alone(tmp_path):
    """The Dockerfile's uv sync, run where only pyproject.toml and uv.lock are, is enough."""
    answers = {"docker": True, "database": "sqlite", "accounts": True, "api": True}
    root = render_template(parse_template("flask", TEMPLATE), answers, tmp_path / "out")
    env = uv_environment(tmp_path)
    locked_project(root, env)
    context = tmp_path / "context"
    context.mkdir()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(root / name, context / name)
    steps = dockerfile_instructions((root / "Dockerfile").read_text())
    sync = next(step for step in steps if "uv sync" in step).removeprefix("RUN ")
    sync = re.sub(r"--mount=\S+\s+", "", sync)
    venv = tmp_path / "opt-venv"
    warm = {**env, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "warm")}
    run_lines(["uv sync --locked --no-install-project --quiet"], context, warm)
    run_lines([sync], context, {**env, "UV_OFFLINE": "1", "UV_PROJECT_ENVIRONMENT": str(venv)})
    # The app runs from /app, not installed: the locked packages must be all it imports.
    production = {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        "FLASK_CONFIG": "production",
        "SECRET_KEY": "s" * 40,
        "TRUSTED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
    }
    run_lines(["python -c 'import my_app.wsgi'", "flask db upgrade"], root, {**env, **production})
    assert not (venv / "bin" / "pytest").exists()  # the dev extra stays out of the image

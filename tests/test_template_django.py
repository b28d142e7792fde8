"""The Django template: hooks, option files and the .env secret.

Projects are rendered once per session (the ``renders`` fixture) and only read here;
the hooks' refusals go through pytest-cookies, as plain cookiecutter runs them. The
slow checks of every combination (lint, Django checks, the project's own tests,
gunicorn) live in the template's scaffold-checks.yml and run under `scaffold smoke`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from scaffold.catalog import parse_template
from scaffold.render import render_template
from tests.template_checks import (
    EVERY_OFF,
    EVERY_ON,
    Renders,
    dockerfile_instructions,
    locked_project,
    project_files,
    run_lines,
    uv_environment,
)

# With pytest-xdist the module's tests share one worker, so each project is rendered once.
pytestmark = pytest.mark.xdist_group("django-renders")

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "django"

ALL_ON, ALL_OFF = EVERY_ON["django"], EVERY_OFF["django"]


def bake(cookies, **context):
    """Generate a project from the Django template with these answers, through cookiecutter."""
    return cookies.bake(extra_context=context, template=str(TEMPLATE))


def render(renders: Renders, **answers) -> Path:
    """The session's project of the Django template with these answers (read it only)."""
    return renders.project("django", answers)


def test_defaults_give_a_startproject_layout(renders):
    """With no answers the project is `my_site`, laid out like `django-admin startproject`."""
    root = render(renders)
    assert root.name == "my_site"
    for name in ["manage.py", "my_site/settings.py", "my_site/urls.py", "my_site/wsgi.py"]:
        assert (root / name).is_file(), name
    assert (root / "accounts/migrations/0001_initial.py").is_file()
    assert (root / "templates/base.html").is_file()


@pytest.mark.slow  # plain cookiecutter runs the hook scripts
def test_requires_rule_is_enforced_by_the_hook(cookies, capfd, tmp_path):
    """A `_requires` rule (none ship for Django) stops generation with its reason."""
    template = shutil.copytree(TEMPLATE, tmp_path / "django")
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_requires"] = [
        {"when": {"api": True}, "require": {"database": ["postgresql"]}, "reason": "API needs PG"}
    ]
    (template / "cookiecutter.json").write_text(json.dumps(config))
    result = cookies.bake(extra_context={"api": True}, template=str(template))
    assert "exit status: 1" in str(result.exception)
    err = capfd.readouterr().err
    assert err == "ERROR: API needs PG (api=true needs database=postgresql; got database=sqlite)\n"
    ok = cookies.bake(extra_context={"api": True, "database": "postgresql"}, template=str(template))
    assert ok.exit_code == 0, ok.exception


@pytest.mark.parametrize(
    ("option", "chosen", "unchosen", "paths", "texts"),
    [
        (
            "api",
            True,
            False,
            ["api", "tests/test_api.py"],
            {
                "pyproject.toml": "drf-spectacular>=",
                "my_site/settings.py": "rest_framework",
                ".env.example": "DJANGO_CORS_ALLOWED_ORIGINS",
                "templates/pages/home.html": "api:docs",
            },
        ),
        (
            "accounts",
            True,
            False,
            [
                "accounts/views.py",
                "accounts/forms.py",
                "accounts/mail.py",
                "accounts/urls.py",
                "templates/registration",
                "tests/test_accounts.py",
            ],
            {
                "templates/base.html": "signup",
                "my_site/urls.py": "accounts.urls",
                "my_site/settings.py": "mail_per_address",
            },
        ),
        (
            "tasks",
            True,
            False,
            ["pages/tasks.py", "tests/test_tasks.py"],
            {
                "pyproject.toml": "django-tasks",
                "my_site/settings.py": "django_tasks_db",
                "pages/urls.py": "worker_healthz",
                "README.md": "db_worker",
            },
        ),
        (
            "docker",
            True,
            False,
            ["Dockerfile", "compose.yaml", ".dockerignore"],
            {"README.md": "docker", ".env.example": "POSTGRES_PASSWORD"},
        ),
        ("database", "postgresql", "sqlite", [], {"pyproject.toml": "psycopg"}),
        ("ci", "github", "gitlab", [".github"], {}),
        ("ci", "github", "none", [".github"], {}),
        ("ci", "gitlab", "github", [".gitlab-ci.yml"], {}),
        ("ci", "gitlab", "none", [".gitlab-ci.yml"], {}),
    ],
    ids=[
        "api",
        "accounts",
        "tasks",
        "docker",
        "sqlite",
        "github-gitlab",
        "github-none",
        "gitlab-github",
        "gitlab-none",
    ],
)
def test_unchosen_options_leave_nothing(renders, option, chosen, unchosen, paths, texts):
    """An option not chosen leaves neither its files nor mentions of it in shared files."""
    with_option = render(renders, **{**ALL_ON, option: chosen})
    root = render(renders, **{**ALL_ON, option: unchosen})
    for path in paths:
        assert (with_option / path).exists(), f"{path} missing even when chosen"
        assert not (root / path).exists(), path
    for path, text in texts.items():
        assert text in (with_option / path).read_text()
        assert text not in (root / path).read_text(), f"{text!r} left in {path}"


@pytest.mark.parametrize("answers", [ALL_ON, ALL_OFF], ids=["all-on", "all-off"])
def test_no_template_debris(renders, answers):
    """Generated files hold no template syntax, trailing spaces or runs of blank lines."""
    root = render(renders, **answers)
    for path in project_files(root):
        text = (root / path).read_text()
        assert "cookiecutter" not in text, path
        assert not re.search(r"[ \t]$", text, re.MULTILINE), f"trailing whitespace in {path}"
        assert "\n\n\n\n" not in text, f"blank lines in {path}"
        assert text.endswith("\n") or path.name == "__init__.py", path
        if path.parts[0] != "templates":  # Django's own templates use {% %}
            assert "{%" not in text, path


def test_env_example_is_tracked_without_secrets(renders):
    """.env.example lists the same variables as .env with placeholders instead of secrets."""
    root = render(renders, **ALL_ON)
    names = {line.split("=")[0] for line in (root / ".env").read_text().splitlines()}
    example = (root / ".env.example").read_text()
    assert names == {line.split("=")[0] for line in example.splitlines()}
    assert "DJANGO_SECRET_KEY=change-me" in example
    assert "POSTGRES_PASSWORD=change-me" in example


def test_pre_commit_uses_ruffs_own_hooks_at_the_pinned_version(renders):
    """The hooks need no active venv: ruff's hook repository, at the lowest ruff CI takes."""
    import yaml

    root = render(renders, **ALL_ON)
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    pin = re.search(r'"ruff>=([^,"]+),', (root / "pyproject.toml").read_text()).group(1)
    assert [repo["repo"] for repo in config["repos"]] == [
        "https://github.com/astral-sh/ruff-pre-commit"
    ]
    ruff = config["repos"][0]
    assert ruff["rev"] == f"v{pin}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]


def test_github_workflow_is_bounded_and_runs_on_every_branch(renders):
    """Read-only token, a time limit, stale runs cancelled, current action majors."""
    import yaml

    root = render(renders, **ALL_ON)
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    assert workflow[True] == {"push": None, "pull_request": None}  # YAML reads `on` as True
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] == "${{ github.workflow }}-${{ github.ref }}"
    job = workflow["jobs"]["test"]
    assert job["timeout-minutes"] <= 30
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout@v6", "astral-sh/setup-uv@v10.3.0"]
    deploy = next(s for s in job["steps"] if s.get("name") == "Deployment checks")
    # Without mail settings check --deploy refuses a project with accounts.
    assert "EMAIL_URL" in deploy["env"]
    assert "collectstatic" in deploy["run"]


@pytest.mark.parametrize("docker", [True, False], ids=["docker", "no-docker"])
def test_dependabot_updates_the_lock_and_actions(renders, docker):
    """Locked versions come with something that proposes their updates."""
    import yaml

    root = render(renders, **{**ALL_ON, "docker": docker})
    config = yaml.safe_load((root / ".github/dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    expected = {"uv", "github-actions"} | ({"docker"} if docker else set())
    assert ecosystems == expected


def test_gitlab_pipeline_runs_on_every_branch_with_a_time_limit(renders):
    """Branch and merge-request pipelines whatever the branch name, bounded in time."""
    import yaml

    root = render(renders, **{**ALL_ON, "ci": "gitlab"})
    pipeline = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    rules = [rule["if"] for rule in pipeline["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    assert "$CI_COMMIT_BRANCH" in rules
    assert pipeline["test"]["timeout"] == "20 minutes"
    assert any("EMAIL_URL=" in line for line in pipeline["test"]["script"])


def test_docker_image_runs_as_a_numeric_user_with_a_healthcheck(renders):
    """Kubernetes' runAsNonRoot needs a numeric USER; Docker probes /healthz."""
    root = render(renders, **ALL_ON)
    dockerfile = (root / "Dockerfile").read_text()
    assert re.search(r"^USER [1-9][0-9]*$", dockerfile, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", dockerfile, re.MULTILINE)
    assert 'CMD ["gunicorn"]' in dockerfile  # settings from gunicorn.conf.py
    assert 'exec gunicorn"' in (root / "compose.yaml").read_text()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_compose_runs_production_and_a_development_profile(renders, database):
    """`up` is production whatever .env says; the dev profile reloads and catches mail."""
    import yaml

    root = render(renders, **{**ALL_ON, "database": database})
    services = yaml.safe_load((root / "compose.yaml").read_text())["services"]
    assert services["web"]["environment"]["DJANGO_DEBUG"] == "False"
    assert "profiles" not in services["web"]
    dev = services["dev"]
    assert dev["profiles"] == ["dev"]
    assert "runserver" in dev["command"]
    assert dev["environment"]["DJANGO_DEBUG"] == "True"
    assert dev["environment"]["EMAIL_URL"] == "smtp://mail:1025"
    assert services["mail"]["profiles"] == ["dev"]
    assert dev["environment"]["DATABASE_URL"] == services["web"]["environment"]["DATABASE_URL"]


@pytest.mark.parametrize("answers", [ALL_ON, ALL_OFF], ids=["all-on", "all-off"])
def test_production_serves_through_gunicorn_conf(renders, answers):
    """gunicorn.conf.py ships with every project, and the production checks use it."""
    root = render(renders, **answers)
    assert (root / "gunicorn.conf.py").is_file()
    serves = [step.serve for step in parse_template("django", TEMPLATE).checks.steps if step.serve]
    assert serves
    for serve in serves:
        assert serve[serve.index("--config") + 1] == "gunicorn.conf.py"


@pytest.mark.parametrize("answers", [ALL_ON, ALL_OFF], ids=["all-on", "all-off"])
def test_pyproject_takes_ranges_and_leaves_pins_to_the_lock(renders, answers):
    """Every requirement has a floor and no exact pin; Django stays in the 5.2 LTS series."""
    project = tomllib.loads((render(renders, **answers) / "pyproject.toml").read_text())
    requirements = project["project"]["dependencies"] + [
        requirement
        for extra in project["project"]["optional-dependencies"].values()
        for requirement in extra
        if not requirement.startswith("my_site[")
    ]
    for requirement in requirements:
        assert "==" not in requirement and ">=" in requirement, requirement
    assert "django>=5.2,<5.3" in project["project"]["dependencies"]
    assert project["project"]["requires-python"] == ">=3.11"


def test_dockerfile_installs_the_lock_before_copying_the_code(renders):
    """The dependency layer needs pyproject.toml and uv.lock only, so code changes keep it."""
    steps = dockerfile_instructions((render(renders, **ALL_ON) / "Dockerfile").read_text())
    uv_image = next(step for step in steps if step.startswith("COPY --from="))
    assert re.fullmatch(r"COPY --from=ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+ /uv /bin/uv", uv_image)
    manifests = steps.index("COPY pyproject.toml uv.lock ./")
    sync = next(i for i, step in enumerate(steps) if "uv sync" in step)
    assert manifests < sync < steps.index("COPY . .")
    assert "uv sync --locked --no-install-project --no-dev" in steps[sync]
    assert not any("pip install" in step for step in steps)
    assert steps.index("USER 10001") > steps.index("COPY . .")


@pytest.mark.slow  # uv installs the dependencies
def test_dockerfile_dependency_layer_installs_offline_from_the_lock_alone(tmp_path):
    """The Dockerfile's uv sync, run where only pyproject.toml and uv.lock are, is enough."""
    root = render_template(parse_template("django", TEMPLATE), {"docker": True}, tmp_path / "out")
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
    collectstatic = next(step for step in steps if "collectstatic" in step).removeprefix("RUN ")
    path = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    run_lines(
        [collectstatic, "python -c 'import gunicorn, whitenoise'"], root, {**env, "PATH": path}
    )
    assert not (venv / "bin" / "pytest").exists()  # the dev extra stays out of the image

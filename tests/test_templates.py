"""What both templates must do alike, tested once over both: the slug rules of the
shared hook, ruff-clean code, a fresh git-ignored secret, CI on every branch and with
uv, the README's version policy and its set-up commands, the python_version answer.

What only one template does stays in tests/test_template_django.py or
tests/test_template_flask.py. Projects are rendered once per session (the ``renders``
fixture) and only read here; each template's renders share an xdist group with that
template's own module, so a worker renders each project once.
"""

from __future__ import annotations

import tomllib

import pytest
import yaml

from scaffold.catalog import parse_template
from scaffold.render import render_template
from tests.template_checks import (
    EVERY_OFF,
    EVERY_ON,
    LONG_NAME,
    LONG_SLUG,
    TEMPLATES,
    assert_fresh_ignored_secret,
    locked_project,
    readme_blocks,
    run_lines,
    uv_environment,
)

GROUP = {name: pytest.mark.xdist_group(f"{name}-renders") for name in ("django", "flask")}
SECRET_KEY = {"django": "DJANGO_SECRET_KEY", "flask": "SECRET_KEY"}
FLASK_ON, FLASK_OFF = EVERY_ON["flask"], EVERY_OFF["flask"]
NOT_IDENTIFIER, KEYWORD = "is not a valid Python identifier", "is a Python keyword"
STDLIB, USED = "shadows the standard library module", "shadows a module the project uses"
# Slugs the shared pre-generation hook refuses, and the start of what it says after
# "ERROR: project_slug '<slug>'".
BAD_SLUGS = {
    "django": {
        "hyphen": ("my-site", NOT_IDENTIFIER),
        "leading-digit": ("2fast", NOT_IDENTIFIER),
        "keyword": ("class", KEYWORD),
        "stdlib-os": ("os", f"{STDLIB} 'os'"),
        "stdlib-site": ("site", f"{STDLIB} 'site'"),
        "test": ("test", USED),
        "django": ("django", USED),
        "app": ("pages", USED),
        "too-long": ("s" * 51, "has 51 characters; use 50 at most"),
    },
    "flask": {
        "hyphen": ("my-app", NOT_IDENTIFIER),
        "leading-digit": ("2fast", NOT_IDENTIFIER),
        "keyword": ("class", KEYWORD),
        "stdlib-os": ("os", STDLIB),
        "flask": ("flask", USED),
        "sqlalchemy": ("sqlalchemy", USED),
        "app": ("app", USED),
    },
}
# The combinations whose code is checked with the project's own ruff.
RUFF_CHECKED = {
    "django": {
        "all-on": EVERY_ON["django"],
        "all-off": EVERY_OFF["django"],
        "long-slug": {**EVERY_ON["django"], "project_slug": "s" * 50},
    },
    "flask": {
        "all-on": FLASK_ON,
        "all-off": FLASK_OFF,
        "plain-forms": {**FLASK_ON, "forms": False, "database": "sqlite"},
        "forms-api-no-database": {**FLASK_OFF, "forms": True, "api": True},
        "long-slug": {**FLASK_ON, "project_name": LONG_NAME, "project_slug": LONG_SLUG},
        "long-slug-plain-forms": {
            **FLASK_ON,
            "forms": False,
            "project_name": LONG_NAME,
            "project_slug": LONG_SLUG,
        },
        "long-slug-all-off": {**FLASK_OFF, "project_name": LONG_NAME, "project_slug": LONG_SLUG},
    },
}


def each_template() -> list:
    return [pytest.param(name, id=name, marks=GROUP[name]) for name in GROUP]


@pytest.mark.slow  # plain cookiecutter runs the hook scripts
@pytest.mark.parametrize(
    ("template", "slug", "message"),
    [
        pytest.param(template, slug, message, id=f"{template}-{name}", marks=GROUP[template])
        for template, slugs in BAD_SLUGS.items()
        for name, (slug, message) in slugs.items()
    ],
)
def test_bad_slug_is_refused_in_one_line(cookies, capfd, template, slug, message):
    """The pre-generation hook exits 1 with a single ERROR line and nothing is generated."""
    result = cookies.bake(extra_context={"project_slug": slug}, template=str(TEMPLATES / template))
    assert result.exit_code == -1
    assert "exit status: 1" in str(result.exception)
    err = capfd.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith(f"ERROR: project_slug '{slug}' {message}")


@pytest.mark.slow  # runs the project's ruff
@pytest.mark.parametrize(
    ("template", "answers"),
    [
        pytest.param(template, answers, id=f"{template}-{name}", marks=GROUP[template])
        for template, checked in RUFF_CHECKED.items()
        for name, answers in checked.items()
    ],
)
def test_generated_code_is_ruff_clean(renders, template, answers):
    """The project passes its own `ruff check` and `ruff format --check` as generated."""
    pytest.importorskip("ruff", reason="ruff comes with the test extra")
    group = [renders.project(template, checked) for checked in RUFF_CHECKED[template].values()]
    renders.ruff_clean(renders.project(template, answers), group)


@pytest.mark.parametrize("template", each_template())
def test_env_holds_a_fresh_git_ignored_secret(renders, tmp_path, template):
    """.env gets a new secret key each time, git ignores it, and no other file contains it."""
    parsed = parse_template(template, TEMPLATES / template)
    root = render_template(parsed, EVERY_ON[template], tmp_path)  # gets a .git
    again = renders.project(template, EVERY_ON[template])
    assert_fresh_ignored_secret(root, again, SECRET_KEY[template])


@pytest.mark.parametrize("template", each_template())
def test_ci_runs_on_every_branch(renders, template):
    """The workflow triggers on pushes and pull requests whatever the branch's name."""
    root = renders.project(template, EVERY_ON[template])
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "pull_request"}
    assert not any(trigger and "branches" in trigger for trigger in triggers.values())


# What each README's "Versions" section must say: the series, its support, the way on.
VERSION_WORDS = {
    "django": ["Django 5.2", "April 2028", "Python 3.12", "uv lock --upgrade-package django"],
    "flask": ["Flask 3.1", "latest feature release", "uv lock --upgrade-package flask"],
}


@pytest.mark.parametrize("ci", ["github", "gitlab"])
@pytest.mark.parametrize("template", each_template())
def test_ci_installs_the_lock_with_uv(renders, template, ci):
    """CI installs exactly uv.lock, with the dev extra its lint and tests need."""
    root = renders.project(template, {**EVERY_ON[template], "ci": ci})
    text = (root / (".github/workflows/ci.yml" if ci == "github" else ".gitlab-ci.yml")).read_text()
    assert "uv sync --locked --extra dev" in text
    assert "pip install ." not in text and "pip install -e" not in text
    assert '".[dev]"' not in text


@pytest.mark.parametrize("template", each_template())
def test_readme_states_the_version_policy(renders, template):
    """The README names the series, its support and the way to the next one."""
    readme = (renders.project(template, EVERY_ON[template]) / "README.md").read_text()
    versions = readme.split("\n## Versions\n", 1)[1].split("\n## ", 1)[0]
    for words in VERSION_WORDS[template]:
        assert words in versions, words


@pytest.mark.slow  # runs the project's ruff
@pytest.mark.parametrize("version", ["3.12", "3.13"])
@pytest.mark.parametrize("template", each_template())
def test_generated_code_is_ruff_clean_for_a_newer_python(renders, template, version):
    """ruff's target follows the answer; the code passes its checks for that Python too."""
    pytest.importorskip("ruff", reason="ruff comes with the dev extra")
    group = [
        renders.project(template, {**answers[template], "python_version": version})
        for answers in (EVERY_ON, EVERY_OFF)
    ]
    for root in group:
        renders.ruff_clean(root, group)


@pytest.mark.slow  # uv and pip install the project's dependencies
@pytest.mark.parametrize("tool", ["uv", "pip"])
@pytest.mark.parametrize("template", each_template())
def test_readme_set_up_and_tests_work_word_for_word(tmp_path, template, tool):
    """The README's set-up and test commands, as typed: uv offline from a warm cache, or pip."""
    root = render_template(parse_template(template, TEMPLATES / template), {}, tmp_path / "out")
    env = uv_environment(tmp_path)
    locked_project(root, env)
    readme = (root / "README.md").read_text()
    uv_block, pip_block, _env_block = readme_blocks(readme, "Set up")
    (tests_block,) = readme_blocks(readme, "Test")
    if tool == "uv":
        # A warm cache: the same lock installed once, elsewhere, with the network.
        run_lines(
            ["uv sync --locked --extra dev --quiet"],
            root,
            {**env, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "warm")},
        )
        lines = [*uv_block, "uv run pytest", *(f"uv run {line}" for line in tests_block)]
        run_lines(lines, root, {**env, "UV_OFFLINE": "1"})
    else:
        run_lines([*pip_block, *tests_block], root, env)


@pytest.mark.parametrize("template", ["django", "flask"])
def test_a_python_version_not_offered_is_refused_in_one_line(tmp_path, template):
    """`--set python_version=3.10` names the versions offered; nothing is written."""
    from click.testing import CliRunner

    from scaffold.cli import cli

    args = ["new", "demo", "--no-input", "--framework", template, "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, [*args, "--set", "python_version=3.10"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "Error: python_version must be one of 3.11, 3.12, 3.13, not '3.10'"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("version", ["3.11", "3.13"])
@pytest.mark.parametrize("ci", ["github", "gitlab"])
@pytest.mark.parametrize("template", each_template())
def test_python_version_reaches_every_file(renders, template, version, ci):
    """One answer sets .python-version, the Docker image, CI's Python and ruff's target."""
    answers = {**EVERY_ON[template], "ci": ci, "python_version": version}
    root = renders.project(template, answers)
    assert (root / ".python-version").read_text() == f"{version}\n"
    assert f"FROM python:{version}-slim\n" in (root / "Dockerfile").read_text()
    ruff = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["ruff"]
    assert ruff["target-version"] == "py" + version.replace(".", "")
    if ci == "github":
        steps = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())["jobs"]["test"]
        uv = next(step for step in steps["steps"] if step.get("uses", "").startswith("astral"))
        assert uv["with"]["python-version"] == version
    else:
        pipeline = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
        assert pipeline["test"]["image"] == f"python:{version}-slim"

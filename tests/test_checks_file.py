"""Tests for the checks file (scaffold/checks_file.py), its options, and the default checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scaffold.catalog import Template, load_template, parse_template
from scaffold.checks_file import EnvironmentSettings, Rule
from scaffold.cli.smoke import matrix_command, smoke_command
from scaffold.smoke.default_checks import run_default_checks, uncompiled, unrendered

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "templates"
CHECKS_FILE = FIXTURES / "checks-file"
NO_CHECKS = FIXTURES / "no-checks"
SPEC_OPTIONS = FIXTURES / "spec-options"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache for smoke environments, and no PostgreSQL."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    monkeypatch.delenv("SCAFFOLD_TEST_POSTGRES_URL", raising=False)
    return cache


def copy_of(fixture: Path, tmp_path: Path) -> Path:
    """A copy of a fixture template, to change."""
    return Path(shutil.copytree(fixture, tmp_path / fixture.name))


def with_checks(tmp_path: Path, checks: dict[str, Any] | str) -> Path:
    """The checks-file fixture with its scaffold-checks.yml replaced by ``checks``."""
    template = copy_of(CHECKS_FILE, tmp_path)
    text = checks if isinstance(checks, str) else yaml.safe_dump(checks, sort_keys=False)
    (template / "scaffold-checks.yml").write_text(text, encoding="utf-8")
    return template


def step(name: str = "s", **extra: Any) -> dict[str, Any]:
    return {"name": name, "run": ["true"], **extra}


# --- the file is read into typed objects -----------------------------------------


@pytest.mark.parametrize("name", ["django", "flask"])
def test_the_shipped_templates_read_their_checks_file(name: str) -> None:
    """Both templates' checks live in scaffold-checks.yml; cookiecutter.json has no _checks."""
    template = load_template(name)
    config = json.loads((template.path / "cookiecutter.json").read_text(encoding="utf-8"))
    assert "_checks" not in config
    assert template.checks.source == str(template.path / "scaffold-checks.yml")
    assert any(step.serve for step in template.checks.steps)


def test_a_steps_variables_are_its_blocks_in_order_then_its_own() -> None:
    """`environment: [first, second]` gives second's values over first's; the step's env wins."""
    checks = parse_template("checks-file", CHECKS_FILE).checks
    steps = {step.name: step for step in checks.steps}
    assert checks.env == {"LAYER": "file", "FILE_ONLY": "from the file"}
    assert steps["blocks-in-order"].environments == ("first", "second")
    assert steps["blocks-in-order"].env == {"LAYER": "second", "FIRST_ONLY": "1"}
    assert steps["step-env-last"].env == {"LAYER": "step", "FIRST_ONLY": "1"}
    assert steps["file-env"].env == {}


@pytest.mark.parametrize(("docs", "status"), [(True, 200), (False, 404)])
def test_only_the_requests_whose_when_holds_are_sent(docs: bool, status: int) -> None:
    """A request with `when` is part of the step only for the combinations it names."""
    checks = parse_template("checks-file", CHECKS_FILE).checks
    (site,) = [step for step in checks.steps if step.name == "site"]
    sent = site.for_values({"flavour": "plain", "docs": docs}).requests
    assert [(r.send["path"], r.send.get("status", 200)) for r in sent] == [
        ("/index.html", 200),
        ("/docs/index.html", status),
    ]


def test_a_serve_steps_workers_apply_as_their_when_says(tmp_path: Path) -> None:
    """A worker is a command, or {run, when}; for_values keeps the workers that apply."""
    serve = {
        "name": "s",
        "serve": ["x"],
        "workers": [["always"], {"run": ["docs"], "when": {"docs": True}}],
    }
    template = with_checks(
        tmp_path, {"version": 1, "redis": {"when": {"docs": True}}, "steps": [serve]}
    )
    checks = parse_template("checks-file", template).checks
    (step,) = checks.steps
    runs = [worker.run for worker in step.for_values({"flavour": "plain", "docs": False}).workers]
    assert runs == [("always",)]
    assert len(step.for_values({"flavour": "plain", "docs": True}).workers) == 2
    assert checks.needs_redis({"docs": True}) and not checks.needs_redis({"docs": False})


def test_a_steps_when_takes_a_value_or_a_list() -> None:
    """`when` holds when each named option has the value, or one of the values, given."""
    checks = parse_template("checks-file", CHECKS_FILE).checks
    (fancy,) = [step for step in checks.steps if step.name == "fancy-only"]
    assert fancy.applies({"flavour": "fancy", "docs": False})
    assert not fancy.applies({"flavour": "plain", "docs": False})
    assert Rule({"flavour": ["plain", "fancy"], "docs": True}, "r").matches(
        {"flavour": "plain", "docs": True}
    )


def test_exclude_expect_refused_and_environment_are_read(tmp_path: Path) -> None:
    """The keys other parts of smoke apply are typed data on Template.checks."""
    template = with_checks(
        tmp_path,
        {
            "version": 1,
            "exclude": [{"when": {"flavour": "fancy", "docs": True}, "reason": "too fancy"}],
            "expect_refused": [{"when": {"docs": True}, "reason": "the hook says no"}],
            "environment": {"python": "python3.12", "install": ["pip install -e ."]},
            "steps": [step()],
        },
    )
    checks = parse_template("t", template).checks
    assert checks.exclude == (Rule({"flavour": "fancy", "docs": True}, "too fancy"),)
    assert checks.expect_refused == (Rule({"docs": True}, "the hook says no"),)
    assert checks.expect_refused[0].matches({"flavour": "plain", "docs": True})
    assert checks.environment == EnvironmentSettings("python3.12", ("pip install -e .",))


def test_without_a_file_nothing_is_declared() -> None:
    """No file and no _checks: no steps, nothing excluded, the default environment."""
    checks = parse_template("no-checks", NO_CHECKS).checks
    assert checks.default and not checks.needs_environment
    assert checks.exclude == () and checks.expect_refused == ()
    assert checks.environment == EnvironmentSettings()
    assert checks.describe() == "default checks: unrendered, compile (no checks declared)"


def test_the_file_wins_over_checks_in_cookiecutter_json(tmp_path: Path) -> None:
    """With both, the file's steps are read and the template carries a one-line notice."""
    template = copy_of(CHECKS_FILE, tmp_path)
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_checks"] = {"steps": [step("old")]}
    (template / "cookiecutter.json").write_text(json.dumps(config))
    parsed = parse_template("t", template)
    assert "old" not in [step.name for step in parsed.checks.steps]
    (notice,) = parsed.notices
    assert "scaffold-checks.yml wins" in notice and "_checks" in notice
    assert "\n" not in notice


def test_checks_in_cookiecutter_json_alone_are_still_read(tmp_path: Path) -> None:
    """A template with `_checks` and no file keeps working (no version needed)."""
    template = copy_of(NO_CHECKS, tmp_path)
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_checks"] = {"env": {"A": "1"}, "steps": [step("old", when={"cli": True})]}
    (template / "cookiecutter.json").write_text(json.dumps(config))
    checks = parse_template("t", template).checks
    assert [step.name for step in checks.steps] == ["old"] and checks.env == {"A": "1"}
    assert parse_template("t", template).notices == ()


def test_templates_names_each_templates_checks_file() -> None:
    """`scaffold templates` (text and JSON) says where each template's checks live."""
    from scaffold.cli import cli

    data = json.loads(CliRunner().invoke(cli, ["templates", "--json"]).stdout)
    for template in data:
        assert template["checks"] == template["path"] + "/scaffold-checks.yml"
    listed = CliRunner().invoke(cli, ["templates"]).stdout
    assert f"  checks: {load_template('flask').path / 'scaffold-checks.yml'}" in listed


def test_editing_the_checks_file_leaves_the_template_fingerprint(tmp_path: Path) -> None:
    """Projects are not behind their template when only its checks changed."""
    template = copy_of(CHECKS_FILE, tmp_path)
    before = parse_template("t", template).fingerprint()
    with (template / "scaffold-checks.yml").open("a") as checks:
        checks.write("  - {name: more, run: [python, -V]}\n")
    assert parse_template("t", template).fingerprint() == before
    (template / "{{cookiecutter.project_slug}}" / "index.html").write_text("<p>new</p>\n")
    assert parse_template("t", template).fingerprint() != before


# --- options listed in the file ------------------------------------------------------


def test_options_declared_outside_cookiecutter_json_get_their_values() -> None:
    """All values "" in cookiecutter.json: the file's lists become the options' choices."""
    template = parse_template("spec-options", SPEC_OPTIONS)
    assert {option.name: option.choices for option in template.options} == {
        "project_name": ("Spec Demo",),
        "project_slug": ("spec_demo",),
        "license": ("MIT", "Apache-2.0"),
        "docs": ("n", "y"),
    }
    assert template.variables == {}
    assert template.defaults["license"] == "MIT"  # the first value is the default


def test_options_narrow_the_choices_cookiecutter_json_gives(tmp_path: Path) -> None:
    """A list in cookiecutter.json is replaced by the file's list, in the file's order."""
    template = with_checks(tmp_path, "version: 1\noptions:\n  flavour: [fancy]\n")
    assert parse_template("t", template).option("flavour").choices == ("fancy",)  # type: ignore[union-attr]


def test_the_matrix_of_a_template_with_options_in_its_checks_file() -> None:
    """`scaffold matrix` counts the combinations of the values the file lists."""
    result = CliRunner().invoke(matrix_command, [str(SPEC_OPTIONS), "--json"])
    assert result.exit_code == 0, result.output
    (matrix,) = json.loads(result.output)["matrices"]
    assert len(matrix["combinations"]) == 4
    assert matrix["options"]["docs"] == ["n", "y"]


# --- every mistake is one line through the CLI -----------------------------------


BAD_FILES = [
    pytest.param("steps: []\n", "'version' must be 1, not null", id="no-version"),
    pytest.param("version: 2\n", "'version' must be 1, not 2", id="version-2"),
    pytest.param("version: 1\nstep: []\n", "unknown key 'step'", id="unknown-key"),
    pytest.param("- version: 1\n", "must be a mapping of keys", id="a-list"),
    pytest.param("version: 1\nsteps: [\n", "is not valid YAML at line", id="not-yaml"),
    pytest.param("version: 1\nsteps: {lint: x}\n", "'steps' must be a list", id="steps-map"),
    pytest.param(
        "version: 1\noptions:\n  colour: [red]\n",
        "options 'colour' is not a variable of cookiecutter.json",
        id="options-unknown",
    ),
    pytest.param(
        "version: 1\noptions:\n  flavour: plain\n", "must be a list of values", id="options-text"
    ),
    pytest.param("version: 1\noptions:\n  flavour: []\n", "must be a list", id="options-empty"),
    pytest.param(
        "version: 1\noptions:\n  flavour: [yes, no]\n",
        "true is a YAML boolean; quote the text",
        id="options-yaml-bool",
    ),
    pytest.param(
        "version: 1\noptions:\n  flavour: [3.10]\n",
        "3.1 is not text; quote it",
        id="options-number",
    ),
    pytest.param(
        "version: 1\noptions:\n  docs: [y]\n",
        "cookiecutter.json makes it true/false",
        id="options-bool-option",
    ),
    pytest.param(
        "version: 1\nexclude:\n  - when: {docs: true}\n",
        "'exclude' entry 1 needs exactly 'when' and 'reason'",
        id="exclude-no-reason",
    ),
    pytest.param(
        "version: 1\nexpect_refused:\n  - {when: {colour: red}, reason: r}\n",
        "names 'colour', which is not an option (flavour, docs)",
        id="refused-unknown-option",
    ),
    pytest.param(
        "version: 1\nexclude:\n  - {when: {}, reason: r}\n",
        "'when' must name at least one option",
        id="exclude-empty-when",
    ),
    pytest.param(
        "version: 1\nenvironment: {python: 3.12}\n",
        "'python' must name an interpreter",
        id="environment-python",
    ),
    pytest.param(
        "version: 1\nenvironment: {setup: [x]}\n",
        "unknown key 'setup': use python, install",
        id="environment-key",
    ),
    pytest.param(
        "version: 1\nenvironment: {install: pip install .}\n",
        "'install' must be a list of shell commands",
        id="environment-install",
    ),
    pytest.param("version: 1\nenv: {DEBUG: false}\n", "'DEBUG' must be text", id="env-bool"),
    pytest.param(
        "version: 1\nenvironments: {prod: [A]}\n",
        "environments 'prod' must map variable names to text",
        id="environments-list",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, run: [x], environment: prod}\n",
        "step 's': environment 'prod' is not in 'environments' (none are declared)",
        id="step-unknown-block",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, run: [x], when: {flavour: true}}\n",
        "'flavour' takes text (quote it in YAML), not true",
        id="when-kind",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, run: [x], when: {docs: [yes, maybe]}}\n",
        "'docs' takes true or false, not \"maybe\"",
        id="when-bool-option",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, run: [x], timeout: -1}\n",
        '"timeout" must be a number of seconds above 0',
        id="timeout",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, serve: [x], requests: [{path: /, expect: {code: 1}}]}\n",
        "step 's' request 1: unknown key 'code' in expect",
        id="request-expect-key",
    ),
    pytest.param(
        "version: 1\nsteps:\n"
        "  - {name: s, serve: [x], requests: [{path: /, status: 200, expect: {status: 201}}]}\n",
        "step 's' request 1: expects 'status' twice",
        id="request-expect-twice",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, serve: [x], requests: [{path: /, when: {x: 1}}]}\n",
        "step 's' request 1: \"when\" names 'x', which is not an option",
        id="request-when",
    ),
    pytest.param(
        "version: 1\nenvironments: {mail: {EMAIL_URL: 'smtp://127.0.0.1:{smtp_port}'}}\n"
        "steps:\n  - {name: s, serve: [x], environment: mail}\n",
        "step 's': uses {smtp_port} but has no \"smtp\": true",
        id="block-smtp-port",
    ),
    pytest.param("version: 1\nenv: {DAY: 2024-01-01}\n", "'DAY' must be text", id="yaml-date"),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, run: [x], workers: [[w]]}\n",
        "step 's': unknown key 'workers'",
        id="workers-on-run",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, serve: [x], workers: [w]}\n",
        '"workers" must be a list of commands',
        id="workers-not-commands",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, serve: [x], workers: [{run: [w], if: {}}]}\n",
        '"workers" must be a list of commands',
        id="workers-unknown-key",
    ),
    pytest.param(
        "version: 1\nsteps:\n  - {name: s, serve: [x], workers: [{run: [w], when: {x: 1}}]}\n",
        "\"workers\" names 'x', which is not an option",
        id="workers-when",
    ),
    pytest.param("version: 1\nredis: true\n", "'redis' must be {when: ...}", id="redis-bool"),
    pytest.param(
        "version: 1\nredis: {when: {docs: maybe}}\n",
        "'redis': 'when' 'docs' takes true or false",
        id="redis-when",
    ),
]


def assert_one_line_error(result: Any, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_mistake_in_a_checks_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    """`smoke DIR --checks FILE` names the mistake in one line, exit 1, before any render."""
    checks = tmp_path / "checks.yml"
    checks.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(smoke_command, [str(CHECKS_FILE), "--checks", str(checks)])
    assert_one_line_error(result, 1, message)
    assert str(checks) in result.output


def test_a_mistake_in_the_file_beside_the_template_is_one_line(tmp_path: Path) -> None:
    """The file found beside cookiecutter.json is read as strictly as --checks."""
    template = with_checks(tmp_path, "version: 1\nsteps:\n  - {name: s, run: [x], wen: {}}\n")
    result = CliRunner().invoke(smoke_command, [str(template)])
    assert_one_line_error(result, 1, "scaffold-checks.yml: step 's': unknown key 'wen'")


def test_checks_names_a_file_that_exists(tmp_path: Path) -> None:
    """--checks with a missing file is a usage error."""
    missing = tmp_path / "missing.yml"
    result = CliRunner().invoke(smoke_command, [str(CHECKS_FILE), "--checks", str(missing)])
    assert_one_line_error(result, 2, f"--checks {missing}: no such file")


def test_checks_is_for_one_template(tmp_path: Path) -> None:
    """--checks with `all` is a usage error: the two templates cannot share one file."""
    checks = str(CHECKS_FILE / "scaffold-checks.yml")
    result = CliRunner().invoke(smoke_command, ["all", "--checks", checks])
    assert_one_line_error(result, 2, "--checks gives the checks of one template")


def test_parsing_a_template_reads_no_yaml_unless_the_file_lists_options() -> None:
    """The checks file is parsed when its checks are used (or it may list options)."""
    template = parse_template("checks-file", CHECKS_FILE)
    assert template.checks_data is None  # not read yet
    assert template.checks.steps  # read now
    assert parse_template("spec-options", SPEC_OPTIONS).checks_data is not None


# --- the default checks -----------------------------------------------------------


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "demo"
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")
    return root


def test_unrendered_markup_in_names_and_text_is_found(tmp_path: Path) -> None:
    """Left-over markup in a directory name, a file name or a text line is named with its place."""
    root = project(
        tmp_path,
        {
            "{{cookiecutter.project_slug}}/__init__.py": "",
            "docs/{% if x %}guide.md": "",
            "README.md": "# Demo\n\nBy {{ cookiecutter.author }}.\n",
            "setup.cfg": "[x]\n{%- if cookiecutter.cli %}\nentry = y\n",
        },
    )
    assert sorted(unrendered(root)) == [
        "demo/README.md line 3: unrendered '{{ cookiecutter.'",
        "demo/docs/{% if x %}guide.md: unrendered name",
        "demo/setup.cfg line 2: unrendered '{%- if cookiecutter.'",
        "demo/{{cookiecutter.project_slug}}: unrendered name",
    ]


def test_a_projects_own_jinja_and_binaries_are_not_leftovers(tmp_path: Path) -> None:
    """`{% block %}` and `{{ user }}` in a project's templates are its own; binaries are skipped."""
    root = project(
        tmp_path,
        {
            "templates/base.html": "{% block body %}{{ user.name }}{% endblock %}\n",
            "logo.png": b"\x89PNG\0{{ cookiecutter.x }}",
            "latin.txt": "caf\xe9 {{ cookiecutter.x }}".encode("latin-1"),
            ".git/HEAD": "{{ cookiecutter.x }}",
        },
    )
    assert unrendered(root) == []


def test_every_python_file_must_compile(tmp_path: Path) -> None:
    """A syntax error is a problem with its line; a SyntaxWarning is not."""
    root = project(
        tmp_path,
        {
            "ok.py": "import re\nPATTERN = '\\d+'  # an invalid escape warns, nothing more\n",
            "pkg/broken.py": "def f(:\n    pass\n",
            "notes.txt": "def f(:\n",
        },
    )
    assert uncompiled(root) == ["demo/pkg/broken.py line 1: invalid syntax"]
    assert not (root / "__pycache__").exists() and not (root / "pkg" / "__pycache__").exists()


def test_the_default_checks_report_what_they_found(tmp_path: Path) -> None:
    """Each default check is a step result; a failure's message counts and quotes."""
    root = project(tmp_path, {"a.py": "x = (\n", "README.md": "{{ cookiecutter.name }}\n"})
    results = run_default_checks(root)
    assert [(r.name, r.ok) for r in results] == [("unrendered", False), ("compile", False)]
    assert results[0].message == "1 found: demo/README.md line 1: unrendered '{{ cookiecutter.'"
    assert results[1].output.startswith("demo/a.py line 1:")


def test_unrendered_leaves_what_the_template_declares_alone(tmp_path: Path) -> None:
    """A file _copy_without_render names is copied verbatim, and a templated default written
    out as declared (a ``{{ _cookiecutter | jsonify }}`` replay) is the template's own text:
    neither is unrendered markup. Anything else still is."""
    template = tmp_path / "template"
    (template / "{{cookiecutter.slug}}").mkdir(parents=True)
    config = {
        "name": "Demo",
        "slug": "{{ cookiecutter.name.lower() }}",
        "_copy_without_render": ["*.html", "{{cookiecutter.slug}}/static"],
    }
    (template / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    replay = json.dumps({"slug": config["slug"]}, indent=2)
    root = project(
        tmp_path,
        {
            "page.html": "<p>{{ cookiecutter.name }}</p>\n",
            "static/app.js": "{{ cookiecutter.name }}\n",
            "replay.json": replay,
            "README.md": "{{ cookiecutter.slug }}\n",
        },
    )
    results = run_default_checks(root, template)
    assert results[0].output == "demo/README.md line 1: unrendered '{{ cookiecutter.'"


def test_the_no_checks_fixture_passes_the_default_checks(tmp_path: Path) -> None:
    """Rendered in-process, every combination of the no-checks fixture passes them."""
    from scaffold.render import render_template

    template: Template = parse_template("no-checks", NO_CHECKS)
    for number, cli in enumerate([False, True]):
        out = tmp_path / str(number)
        out.mkdir()
        root = render_template(template, {"cli": cli}, out)
        assert [(r.name, r.ok) for r in run_default_checks(root)] == [
            ("unrendered", True),
            ("compile", True),
        ]


# --- end to end through `scaffold smoke` --------------------------------------------


@pytest.mark.slow  # a smoke run: a render process, a virtualenv and the steps
def test_smoke_runs_a_checks_file_with_blocks_and_conditions(tmp_path: Path) -> None:
    """Each step sees its blocks in order; conditional steps and requests apply as declared."""
    report = tmp_path / "smoke.json"
    result = CliRunner().invoke(smoke_command, [str(CHECKS_FILE), "--json", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["checks"] == {"checks-file": f"5 steps from {CHECKS_FILE / 'scaffold-checks.yml'}"}
    skipped = {
        r["id"]: [s["name"] for s in r["steps"] if s.get("skipped")] for r in data["results"]
    }
    assert skipped == {"plain": ["fancy-only"], "plain-docs": ["fancy-only"], "fancy": [],
                       "fancy-docs": []}  # fmt: skip


@pytest.mark.slow  # a smoke run: a render process
def test_smoke_without_checks_runs_the_default_checks(tmp_path: Path, cache: Path) -> None:
    """No checks declared: every combination is rendered and checked, exit 0, no virtualenv."""
    report = tmp_path / "smoke.json"
    result = CliRunner().invoke(smoke_command, [str(NO_CHECKS), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "no-checks: default checks: unrendered, compile (no checks declared)" in result.stdout
    data = json.loads(report.read_text())
    assert data["passed"] == 4
    assert data["checks"]["no-checks"].startswith("default checks: unrendered, compile")
    for outcome in data["results"]:
        assert [s["name"] for s in outcome["steps"]] == ["generate", "unrendered", "compile"]
    assert data["environments"] == [] and list(cache.iterdir()) == []


@pytest.mark.slow  # a smoke run: a render process
def test_smoke_fails_a_combination_left_unrendered(tmp_path: Path) -> None:
    """A file copied without rendering keeps `{{ cookiecutter.`: the default checks fail, exit 3."""
    template = copy_of(NO_CHECKS, tmp_path)
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_copy_without_render"].append("README.md")
    (template / "cookiecutter.json").write_text(json.dumps(config))
    result = CliRunner().invoke(smoke_command, [str(template), "--only", "cli=false"])
    assert result.exit_code == 3, result.output
    assert "step 'unrendered' 2 found: unchecked/README.md line 1" in result.stdout


@pytest.mark.slow  # a smoke run: a render process
def test_smoke_checks_options_listed_in_the_checks_file(tmp_path: Path) -> None:
    """The spec-options fixture: 4 combinations from the file's lists, default checks pass."""
    report = tmp_path / "smoke.json"
    result = CliRunner().invoke(smoke_command, [str(SPEC_OPTIONS), "--json", str(report)])
    assert result.exit_code == 0, result.output
    values = [r["values"] for r in json.loads(report.read_text())["results"]]
    assert {(v["license"], v["docs"]) for v in values} == {
        ("MIT", "n"), ("MIT", "y"), ("Apache-2.0", "n"), ("Apache-2.0", "y")
    }  # fmt: skip


@pytest.mark.slow  # a smoke run: a render process and a step
def test_smoke_says_the_file_wins_over_checks_in_cookiecutter_json(tmp_path: Path) -> None:
    """With both, one notice line on stderr, and only the file's steps run."""
    template = with_checks(tmp_path, "version: 1\nsteps:\n  - {name: new, run: [python, -V]}\n")
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_checks"] = {"steps": [{"name": "old", "run": ["false"]}]}
    (template / "cookiecutter.json").write_text(json.dumps(config))
    result = CliRunner().invoke(smoke_command, [str(template), "--only", "docs=false"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("Note: ")]
    assert len(notes) == 1 and "scaffold-checks.yml wins" in notes[0]


@pytest.mark.parametrize("page", ["checks.md", "maintainers.md"])
def test_the_docs_checks_examples_use_only_keys_the_schema_has(page: str) -> None:
    """Each whole checks file a docs page shows (a YAML block with ``version``) uses only
    keys the schema reads: top-level, step, request and environment keys."""
    from scaffold.checks_file import ENVIRONMENT_KEYS, SERVE_KEYS, STEP_KEYS, TOP_KEYS

    text = (Path(__file__).parents[1] / "docs" / page).read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]
    files = [yaml.safe_load(block) for block in blocks if block.startswith("version:")]
    assert files, f"docs/{page} shows no checks file"
    request_keys = {"path", "method", "data", "json", "csrf_from", "headers", "when", "expect"}
    for checks in files:
        assert set(checks) <= TOP_KEYS
        assert set(checks.get("environment", {})) <= ENVIRONMENT_KEYS
        for item in checks.get("steps", []):
            assert set(item) <= STEP_KEYS | SERVE_KEYS, item["name"]
            for request in item.get("requests", []):
                assert set(request) <= request_keys, request

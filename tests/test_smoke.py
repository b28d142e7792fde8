"""Tests for scaffold.smoke.runner, its reports and the `scaffold smoke` command."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scaffold.catalog import Template, parse_template
from scaffold.cli.smoke import smoke_command
from scaffold.errors import SmokeError, TemplateError
from scaffold.smoke.environment import ensure_environment, project_requirements
from scaffold.smoke.report import combination_lines, write_json, write_junit
from scaffold.smoke.runner import run_smoke

PY = "python"  # resolved in the smoke environment, first on PATH
# Read before the autouse fixture hides them from each test.
USER_CACHE = os.environ.get("SCAFFOLD_CACHE_DIR", "")
HANG = [PY, "-c", "import time; time.sleep(120)"]


def step(name: str, code: str, **extra: Any) -> dict[str, Any]:
    """A check step running a line of Python."""
    return {"name": name, "run": [PY, "-c", code], **extra}


def make_template(
    root: Path,
    steps: list[dict[str, Any]],
    *,
    options: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    pre_hook: str | None = None,
) -> Template:
    """Write a tiny cookiecutter template whose project has a pyproject.toml and no dependencies."""
    template = root / "tiny"
    project = template / "{{cookiecutter.project_slug}}"
    project.mkdir(parents=True)
    config = {
        "project_name": "Tiny",
        "project_slug": "tiny",
        **(
            options if options is not None else {"database": ["sqlite", "postgresql"], "api": False}
        ),
    }
    (template / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    checks = {"version": 1, "env": env or {}, "steps": steps}  # JSON is YAML
    (template / "scaffold-checks.yml").write_text(json.dumps(checks), encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "{{ cookiecutter.project_slug }}"\nversion = "0.1"\n'
        'dependencies = []\n[project.optional-dependencies]\ndev = ["tiny[test]"]\n',
        encoding="utf-8",
    )
    (project / "index.html").write_text("<h1>{{ cookiecutter.project_name }}</h1>\n")
    if pre_hook:
        (template / "hooks").mkdir()
        (template / "hooks" / "pre_gen_project.py").write_text(pre_hook, encoding="utf-8")
    return parse_template("tiny", template)


@pytest.fixture(autouse=True)
def cache(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache for the smoke environments, and no PostgreSQL unless a test asks.

    A slow test's cache holds the tiny template's environment already; a fast test's is
    empty (the fast suite builds no virtualenv).
    """
    if request.node.get_closest_marker("slow"):
        cache: Path = request.getfixturevalue("smoke_cache")
    else:
        cache = request.getfixturevalue("tmp_path") / "cache"
        cache.mkdir()
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    monkeypatch.delenv("SCAFFOLD_TEST_POSTGRES_URL", raising=False)
    return cache


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def smoke(template: Template, **kwargs: Any):  # type: ignore[no-untyped-def]
    kwargs.setdefault("only", ["database=sqlite"])
    kwargs.setdefault("jobs", 2)
    return run_smoke([template], **kwargs)


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_every_step_runs_in_the_project_with_placeholders_filled(tmp_path: Path) -> None:
    """Steps run in the generated project, env and placeholders filled, `when` honoured."""
    code = (
        "import os, pathlib; pathlib.Path('seen.txt').write_text("
        "os.environ['DATABASE_URL'] + ' {project_slug} {port} ' + os.environ['EXTRA'])"
    )
    template = make_template(
        tmp_path,
        [
            step("record", code, env={"EXTRA": "{project_dir}"}),
            step("api only", "pass", when={"api": True}),
        ],
        env={"DATABASE_URL": "{database_url}"},
    )
    run = smoke(template, keep=tmp_path / "kept")
    assert run.ok and len(run.results) == 2
    plain = next(r for r in run.results if r.combination.id == "sqlite")
    assert [(s.name, s.skipped) for s in plain.steps] == [
        ("generate", False),
        ("record", False),
        ("api only", True),
    ]
    seen = (tmp_path / "kept" / "tiny" / "sqlite" / "seen.txt").read_text()
    url, slug, port, project_dir = seen.split(" ")
    assert url.startswith("sqlite:////") and url.endswith("/tiny/smoke.sqlite3")
    assert slug == "tiny" and port.isdigit() and project_dir.endswith("/tiny")


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_a_failing_step_is_reported_with_its_output_and_the_run_goes_on(tmp_path: Path) -> None:
    """The failed step, its exit code and output tail are reported; later steps do not run."""
    template = make_template(
        tmp_path,
        [
            step("tests", "import sys; print('assert 1 == 2'); sys.exit(3)", when={"api": True}),
            step("after", "pass"),
        ],
    )
    run = smoke(template)
    assert not run.ok
    [failure] = run.failures
    assert failure.combination.values == {"database": "sqlite", "api": True}
    failed = failure.failed_step
    assert failed is not None and failed.name == "tests" and failed.returncode == 3
    assert "assert 1 == 2" in failed.output
    assert "after" not in [s.name for s in failure.steps]
    assert next(r for r in run.results if r is not failure).ok


@pytest.mark.slow  # waits out a real 2 s timeout, then kills a tree of processes
def test_a_hanging_step_is_killed_at_its_timeout(tmp_path: Path) -> None:
    """A step that hangs, and the children it started, are killed; the run goes on."""
    pid_file = tmp_path / "child.pid"
    hang = (
        "import subprocess, sys, time; "
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        f"open({str(pid_file)!r}, 'w').write(str(child.pid)); print('waiting', flush=True); "
        "time.sleep(120)"
    )
    template = make_template(tmp_path, [step("hang", hang, when={"api": True}), step("ok", "pass")])
    started = time.monotonic()
    run = smoke(template, step_timeout=2)
    assert time.monotonic() - started < 30
    [failure] = run.failures
    assert failure.failed_step.name == "hang"
    assert "timed out after 2 s" in failure.failed_step.message
    assert "waiting" in failure.failed_step.output
    assert not running(int(pid_file.read_text()))
    assert [r.ok for r in run.results].count(True) == 1


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_a_step_stopped_by_ctrl_c_is_reported_as_interrupted(tmp_path: Path) -> None:
    """Ctrl-C kills the running step; its combination says so rather than "failed"."""
    started = tmp_path / "started"
    wait = f"import time; open({str(started)!r}, 'w').close(); time.sleep(120)"
    template = make_template(tmp_path, [step("wait", wait), step("never", "pass")])
    finished: list[Any] = []
    reported = threading.Event()

    def progress(event: Any) -> None:
        if event.kind == "finished":
            finished.append(event.result)
            reported.set()

    def ctrl_c_once_the_step_runs() -> None:
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if started.exists():  # else the run ended without the step: pytest.raises says so
            os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=ctrl_c_once_the_step_runs, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        smoke(template, only=["database=sqlite", "api=false"], jobs=1, progress=progress)
    assert reported.wait(30), "the running combination never reported its end"
    [result] = finished
    assert [(s.name, s.ok, s.message) for s in result.steps if not s.setup] == [
        ("wait", False, "interrupted")
    ]
    assert "(interrupted: wait)" in " ".join(combination_lines(result))


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_a_step_timeout_declared_by_the_template_wins(tmp_path: Path) -> None:
    """A step's own `timeout` overrides the run's."""
    template = make_template(tmp_path, [{"name": "hang", "run": HANG, "timeout": 0.25}])
    run = smoke(template, only=["database=sqlite", "api=false"])
    assert "timed out after 0.25 s" in run.failures[0].failed_step.message


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_serve_step_gets_every_path(tmp_path: Path) -> None:
    """A serve step passes when every `get` path answers 200."""
    serve = {
        "name": "serve",
        "serve": [PY, "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
        "get": ["/", "/index.html"],
    }
    run = smoke(make_template(tmp_path, [serve]), only=["database=sqlite", "api=false"])
    assert run.ok, run.failures and run.failures[0].failed_step


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_serve_step_fails_on_a_status_other_than_200(tmp_path: Path) -> None:
    """A path answering 404 fails the serve step, saying which path and status."""
    serve = {
        "name": "serve",
        "serve": [PY, "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
        "get": ["/", "/missing"],
    }
    run = smoke(make_template(tmp_path, [serve]), only=["database=sqlite", "api=false"])
    assert run.failures[0].failed_step.message == "GET /missing answered HTTP 404, not 200"


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_serve_step_fails_when_the_server_exits(tmp_path: Path) -> None:
    """A server that dies before answering fails at once, with its output."""
    serve = {"name": "serve", "serve": [PY, "-c", "raise SystemExit('no config')"], "get": ["/"]}
    run = smoke(make_template(tmp_path, [serve]), only=["database=sqlite", "api=false"])
    failed = run.failures[0].failed_step
    assert "exited with code 1 before answering GET /" in failed.message
    assert "no config" in failed.output


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_a_missing_command_is_a_failed_step(tmp_path: Path) -> None:
    """A command that is not installed fails its step instead of the run."""
    template = make_template(tmp_path, [{"name": "lint", "run": ["no-such-linter", "."]}])
    run = smoke(template, only=["database=sqlite", "api=false"])
    assert "cannot run 'no-such-linter'" in run.failures[0].failed_step.message


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_a_refusing_hook_is_reported_at_the_generate_step(tmp_path: Path) -> None:
    """When the hook refuses a combination, the step is `generate` with the hook's error,
    and the combination is refused, not failed."""
    hook = (
        "import sys\nif '{{ cookiecutter.api }}' == 'True':\n    sys.exit('ERROR: api is broken')\n"
    )
    run = smoke(make_template(tmp_path, [step("ok", "pass")], pre_hook=hook))
    [stopped] = [result for result in run.results if not result.ok]
    assert stopped.failed_step.name == "generate"
    assert "ERROR: api is broken" in stopped.failed_step.output
    assert stopped.status == "refused"


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_postgresql_combinations_without_a_server_or_initdb_stop_before_generating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No SCAFFOLD_TEST_POSTGRES_URL and no initdb: one error before anything is generated,
    not one failure per PostgreSQL combination."""
    monkeypatch.setattr("scaffold.smoke.postgres._pg_tool", lambda name: None)
    events: list[Any] = []
    template = make_template(tmp_path, [step("ok", "pass")])
    with pytest.raises(SmokeError, match="set SCAFFOLD_TEST_POSTGRES_URL") as raised:
        smoke(template, only=["database=postgresql"], progress=events.append)
    assert "\n" not in str(raised.value)
    assert not [event for event in events if event.kind == "planned"]
    # SQLite combinations need no server and run as before.
    assert smoke(template, only=["database=sqlite"]).ok


@pytest.mark.postgres
def test_postgresql_combinations_without_a_url_get_a_throwaway_server(tmp_path: Path) -> None:
    """No SCAFFOLD_TEST_POSTGRES_URL but initdb on the machine: the run starts its own
    server on loopback, gives each combination a database on it, then stops and removes it."""
    code = "import os; print(os.environ['DATABASE_URL'])"
    template = make_template(tmp_path, [step("show", code)], env={"DATABASE_URL": "{database_url}"})
    before = set(Path(tempfile.gettempdir()).glob("scaffold-pg-*"))
    run = smoke(template, only=["database=postgresql"])
    assert run.ok, [r.failed_step for r in run.failures]
    urls = {r.steps[2].output.strip() for r in run.results}
    assert len(urls) == 2 and all(u.startswith("postgresql://postgres@127.0.0.1:") for u in urls)
    port = int(next(iter(urls)).split(":")[2].split("/")[0])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the server is still running"
    assert set(Path(tempfile.gettempdir()).glob("scaffold-pg-*")) == before


@pytest.mark.postgres
def test_postgresql_combinations_get_a_fresh_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    """Each PostgreSQL combination gets its own database, dropped afterwards."""
    monkeypatch.setenv("SCAFFOLD_TEST_POSTGRES_URL", postgres_url)
    code = "import os; print(os.environ['DATABASE_URL'])"
    template = make_template(tmp_path, [step("show", code)], env={"DATABASE_URL": "{database_url}"})
    run = smoke(template, only=["database=postgresql"])
    assert run.ok, run.failures
    urls = {r.steps[2].output.strip() for r in run.results}
    assert len(urls) == 2 and all("/smoke_" in u for u in urls)
    assert all(not r.steps[-1].message for r in run.results)  # dropped without complaint


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_shards_of_a_run_add_up_to_the_whole(tmp_path: Path) -> None:
    """Running every shard checks each combination exactly once."""
    template = make_template(tmp_path, [step("ok", "pass")])
    ids = [
        r.combination.id
        for i in (1, 2, 3)
        for r in run_smoke([template], shard_spec=(i, 3), only=["database=sqlite"], jobs=1).results
    ]
    assert sorted(ids) == ["sqlite", "sqlite-api"]


@pytest.mark.slow  # builds a virtualenv
def test_the_environment_is_built_once_and_reused(tmp_path: Path, cache: Path) -> None:
    """The shared environment is keyed by its requirements: a second run reuses it."""
    template = make_template(tmp_path, [step("ok", "pass")])
    shutil.rmtree(cache)  # without the copy of the empty environment: this run builds it
    first = smoke(template).environments[0]
    second = smoke(template).environments[0]
    assert first.created and not second.created and first.path == second.path
    assert first.path.parent == cache
    other = ensure_environment("tiny", ["something==1.0"], cache)
    assert other.key != first.key


def test_a_subset_of_requirements_reuses_a_larger_environment(cache: Path) -> None:
    """A shard needing fewer packages reuses the environment a full run built."""
    from scaffold.smoke.environment import READY, environment_key

    larger = cache / f"tiny-{environment_key(['a==1', 'b==2'])}"
    larger.mkdir(parents=True)
    (larger / READY).write_text("a==1\nb==2\n")
    env = ensure_environment("tiny", ["b==2"], cache)
    assert env.path == larger and not env.created


def test_project_requirements_read_dependencies_and_extras(tmp_path: Path) -> None:
    """Dependencies and every extra are read; an extra naming the project itself is not."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "my_site"\ndependencies = ["django==5.2.19"]\n'
        '[project.optional-dependencies]\ntest = ["pytest==9.0.3"]\n'
        'dev = ["my-site[test]", "ruff==0.17.6"]\n'
    )
    assert project_requirements(tmp_path) == ["django==5.2.19", "pytest==9.0.3", "ruff==0.17.6"]


@pytest.mark.parametrize(
    ("checks", "message"),
    [
        ({"steps": "lint"}, "'steps' must be a list of steps"),
        ({"steps": [{"run": ["x"]}]}, 'needs a "name"'),
        ({"steps": [{"name": "a"}]}, 'needs one of "run" or "serve"'),
        ({"steps": [{"name": "a", "run": ["x"], "serve": ["y"]}]}, 'needs one of "run"'),
    ],
)
def test_malformed_checks_are_template_errors(tmp_path: Path, checks: dict, message: str) -> None:
    """A template with missing or malformed checks is named in a one-line error."""
    template = make_template(tmp_path, [step("ok", "pass")])
    broken = dataclasses.replace(template, checks_data={"version": 1, **checks})
    with pytest.raises(TemplateError, match=message):
        broken.checks  # noqa: B018 - reading them is the test


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_reports_hold_the_failed_step_and_its_output(tmp_path: Path) -> None:
    """JUnit XML has one suite per combination, one test case per step; failures carry
    step and output tail."""
    template = make_template(tmp_path, [step("tests", "import sys; sys.exit('E   boom\\x1b[0m')")])
    run = smoke(template)
    write_junit(run, tmp_path / "out" / "junit.xml")
    write_json(run, tmp_path / "out" / "smoke.json")
    root = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    assert root.get("tests") == "4" and root.get("failures") == "2"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    failure = suite.find("testcase[@name='tests']/failure")
    assert failure is not None and failure.get("type") == "tests"
    assert "E   boom" in (failure.text or "")
    data = json.loads((tmp_path / "out" / "smoke.json").read_text())
    assert data["failed"] == 2 and data["results"][0]["failed_step"] == "tests"
    assert 0 <= data["outside_checks_share"] <= 1


def test_keep_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    """--keep never mixes new projects into an existing directory's files."""
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "file").write_text("mine")
    with pytest.raises(SmokeError, match="not empty"):
        smoke(make_template(tmp_path, [step("ok", "pass")]), keep=tmp_path / "kept")


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    """--jobs 0 is a usage error."""
    with pytest.raises(SmokeError, match="--jobs 0"):
        smoke(make_template(tmp_path, [step("ok", "pass")]), jobs=0)


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_smoke_command_shows_failures_and_exits_non_zero(tmp_path: Path) -> None:
    """The command prints the table, the failed step with options and output, and exits 3."""
    template = make_template(
        tmp_path, [step("tests", "print('expected 200'); raise SystemExit(1)", when={"api": True})]
    )
    junit, report = tmp_path / "junit.xml", tmp_path / "smoke.json"
    args = [str(template.path), "--only", "database=sqlite", "--junit", str(junit)]
    result = CliRunner().invoke(smoke_command, [*args, "--json", str(report), "--jobs", "1"])
    assert result.exit_code == 3, result.output
    assert "FAIL tiny sqlite-api: step 'tests' exited with code 1" in result.output
    assert "options: database=sqlite api=true" in result.output
    assert "| expected 200" in result.output
    assert "1 passed, 1 failed" in result.output
    assert junit.is_file() and report.is_file()


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_smoke_command_passes(tmp_path: Path) -> None:
    """All checks passing exits 0."""
    template = make_template(tmp_path, [step("ok", "pass")])
    result = CliRunner().invoke(smoke_command, [str(template.path), "--only", "database=sqlite"])
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rails"], "unknown template 'rails'"),
        (["{tpl}", "--shard", "0/3"], "--shard '0/3' is out of range"),
        (["{tpl}", "--shard", "4/3"], "--shard '4/3' is out of range"),
        (["{tpl}", "--shard", "a/b"], "--shard 'a/b' is not I/N"),
        (["{tpl}", "--only", "colour=red"], "unknown option 'colour'"),
        (["{tpl}", "--only", "database=mysql"], "database is one of postgresql, sqlite"),
        (["{tpl}", "--jobs", "0"], "--jobs 0 is not a positive number"),
        (["{tpl}", "--strategy", "most"], "unknown strategy 'most'"),
        (["{tpl}", "--timeout", "0"], "--timeout 0"),
    ],
)
def test_smoke_command_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    """Each bad input is one `Error:` line with exit code 2, before anything runs."""
    template = make_template(tmp_path, [step("ok", "pass")])
    args = [arg.replace("{tpl}", str(template.path)) for arg in args]
    result = CliRunner().invoke(smoke_command, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("name", ["django", "flask"])
def test_shipped_templates_pass_every_pair_of_option_values(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    redis_url: str,
) -> None:
    """A set of combinations covering every pair of option values passes its own checks.

    That is lint, the framework's checks, migrations, the project's own tests and
    gunicorn answering 200, against a real PostgreSQL server where it is chosen, and
    with tasks a real worker (Flask's on a real Redis server) running them.
    Every combination (`scaffold smoke all`, whose default strategy is all) took
    30 minutes on two cores, too long for each push; BENCHMARKS.md has its run.
    """
    monkeypatch.setenv("SCAFFOLD_TEST_POSTGRES_URL", postgres_url)
    monkeypatch.setenv("SCAFFOLD_TEST_REDIS_URL", redis_url)  # the tasks option's queue
    # The shared environments are worth keeping between test runs: use the usual cache.
    if USER_CACHE:
        monkeypatch.setenv("SCAFFOLD_CACHE_DIR", USER_CACHE)
    else:
        monkeypatch.delenv("SCAFFOLD_CACHE_DIR")
    junit = tmp_path / "junit.xml"
    args = [name, "--strategy", "pairwise", "--junit", str(junit)]
    result = CliRunner().invoke(smoke_command, args)
    assert result.exit_code == 0, result.output
    assert junit.is_file()


@pytest.mark.slow  # a smoke run: a render process and its steps
def test_one_render_process_keeps_templates_apart(tmp_path: Path) -> None:
    """Two templates with the same file names, rendered in one batch, each get their own text."""
    first = make_template(tmp_path / "a", [step("ok", "pass")])
    second = make_template(tmp_path / "b", [step("ok", "pass")])
    index = second.path / "{{cookiecutter.project_slug}}" / "index.html"
    index.write_text("<p>second {{ cookiecutter.api }}</p>\n")
    second = parse_template("other", second.path)
    keep = tmp_path / "kept"
    run = run_smoke([first, second], jobs=1, only=["database=sqlite"], keep=keep)
    assert run.ok
    assert (keep / "tiny" / "sqlite-api" / "index.html").read_text() == "<h1>Tiny</h1>\n"
    assert (keep / "other" / "sqlite-api" / "index.html").read_text() == "<p>second True</p>\n"


@pytest.mark.slow  # a smoke run: a render process, a server and its worker
def test_a_serve_steps_workers_run_beside_the_server_and_stop_after_it(tmp_path: Path) -> None:
    """A worker starts before the server, in the step's environment, and is stopped with it."""
    worker = "import os; open('worker.txt', 'w').write(os.environ['ROLE'] + ' ' + str(os.getpid()))"
    worker += "; import time; time.sleep(120)"
    serve = {
        "name": "serve",
        "env": {"ROLE": "worker"},
        # The server waits for the worker's file, so the worker surely ran first.
        "serve": [
            "sh",
            "-c",
            "while [ ! -s worker.txt ]; do sleep 0.1; done; "
            "exec python -m http.server --bind 127.0.0.1 {port}",
        ],  # fmt: skip
        "workers": [
            [PY, "-c", worker],
            {"run": [PY, "-c", "raise SystemExit(9)"], "when": {"api": True}},
        ],  # fmt: skip
        "requests": [{"path": "/worker.txt", "contains": "worker"}],
    }
    keep = tmp_path / "keep"
    run = smoke(make_template(tmp_path, [serve]), only=["database=sqlite", "api=false"], keep=keep)
    assert run.ok, run.failures and run.failures[0].failed_step
    (project,) = (keep / "tiny").iterdir()
    pid = int((project / "worker.txt").read_text().split()[1])
    assert not running(pid)


@pytest.mark.slow  # a smoke run: a render process, a server and its worker
def test_a_failed_serve_step_shows_its_workers_output(tmp_path: Path) -> None:
    """A worker that died is named in the failure, and its output is shown."""
    serve = {
        "name": "serve",
        "serve": [PY, "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
        "workers": [[PY, "-c", "print('no queue here'); raise SystemExit(3)"]],
        "requests": [{"path": "/missing"}],
    }
    run = smoke(make_template(tmp_path, [serve]), only=["database=sqlite", "api=false"])
    failed = run.failures[0].failed_step
    assert "exited with code 3" in failed.message
    assert "no queue here" in failed.output

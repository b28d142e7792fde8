"""The templates' shared hook library: one contract for plain cookiecutter and for scaffold."""

from __future__ import annotations

import json
import shutil
import stat
import sys
from pathlib import Path

import pytest

from scaffold.catalog import load_template, parse_template, templates_root
from scaffold.errors import ProjectNameError, RenderError
from scaffold.options import build_context
from scaffold.render import render_template

TEMPLATES = ("django", "flask")


def _plain_cookiecutter(template: Path, tmp_path: Path, **values: object) -> None:
    """What `cookiecutter templates/<x> --no-input` does."""
    from cookiecutter.main import cookiecutter

    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    config = home / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'c'}\nreplay_dir: {home / 'r'}\n")
    cookiecutter(
        str(template),
        no_input=True,
        extra_context=values,
        output_dir=str(tmp_path / "out"),
        config_file=str(config),
    )


@pytest.mark.slow  # plain cookiecutter runs the hook scripts
@pytest.mark.parametrize("name", TEMPLATES)
def test_plain_cookiecutter_refuses_a_slug_over_the_declared_limit(
    name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """_slug_max_length in cookiecutter.json is enforced by the hook, without scaffold."""
    from cookiecutter.exceptions import FailedHookException

    limit = load_template(name).slug_max_length
    with pytest.raises(FailedHookException):
        _plain_cookiecutter(templates_root() / name, tmp_path, project_slug="s" * (limit + 1))
    err = capfd.readouterr().err.strip().splitlines()
    assert err[-1] == f"ERROR: project_slug '{'s' * (limit + 1)}' has {limit + 1} characters; " + (
        f"use {limit} at most"
    )


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_limit_is_read_from_cookiecutter_json(name: str, tmp_path: Path) -> None:
    """A template declaring a lower limit gets it from the tool and from its hook."""
    copy = shutil.copytree(templates_root() / name, tmp_path / name)
    config = json.loads((copy / "cookiecutter.json").read_text())
    config["_slug_max_length"] = 8
    (copy / "cookiecutter.json").write_text(json.dumps(config))
    template = parse_template(name, copy)
    with pytest.raises(ProjectNameError, match="8 characters"):
        build_context(template, {"project_name": "nine_long"})
    with pytest.raises(RenderError, match="hook refused"):
        render_template(template, {"project_name": "x", "project_slug": "nine_long"}, tmp_path)


@pytest.mark.parametrize("name", TEMPLATES)
def test_env_is_readable_by_its_owner_only(name: str, tmp_path: Path) -> None:
    """Both templates write .env with mode 0600: it holds the secret key."""
    template = load_template(name)
    project = render_template(template, {"project_name": "Demo"}, tmp_path)
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600


def test_rule_message_is_the_same_for_the_tool_and_the_hook(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A broken _requires rule is explained in one format by the hook and by scaffold."""
    template = load_template("flask")
    values = {"project_name": "Demo", "accounts": True, "database": "none"}
    with pytest.raises(RenderError):
        render_template(template, values, tmp_path)
    hook_line = capfd.readouterr().err.strip().splitlines()[-1]
    (rule,) = [r for r in template.requirements if r.broken(values)]
    assert hook_line == f"ERROR: {rule.message('database', 'none')}"
    note = build_context(template, values).notes[0]
    assert note == f"{rule.message('database', 'none')}: set database to sqlite"


@pytest.mark.parametrize("name", TEMPLATES)
def test_hooks_leave_no_bytecode_in_the_template(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing the shared library from a hook writes no __pycache__ beside it, even in
    a Python that writes bytecode beside its sources (no PYTHONDONTWRITEBYTECODE)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    copy = shutil.copytree(templates_root() / name, tmp_path / "t" / name)
    render_template(parse_template(name, copy), {"project_name": "Demo"}, tmp_path)
    assert not list(copy.rglob("__pycache__"))


@pytest.mark.parametrize("name", TEMPLATES)
def test_scaffold_calls_the_hooks_in_its_own_process(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped templates' hooks are functions scaffold calls: no Python per hook script."""
    import subprocess

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"started a process: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    project = render_template(load_template(name), {"project_name": "Demo"}, tmp_path)
    assert (project / ".env").is_file()
    assert not (project / "Dockerfile").exists()  # docker is off by default: removed


@pytest.mark.parametrize("hook", ["pre_gen_project", "post_gen_project"])
@pytest.mark.parametrize("name", TEMPLATES)
def test_a_rendered_hook_script_reads_every_value_back(name: str, hook: str) -> None:
    """Rendered as cookiecutter renders it, a hook script's CONTEXT holds cookiecutter's
    values exactly: quotes that would end its string, backslashes, markup."""
    from cookiecutter.utils import create_env_with_context

    variables = {
        "project_name": "Tricky",
        "project_slug": "tricky",
        "description": "''' \"\"\" \\ \\' ends with a backslash \\",
        "author_name": "O'Brien </script> & {{ 7*7 }}",
        "docker": False,
        "_checkout": None,
        "_requires": [{"when": {"docker": True}, "require": {}, "reason": "r"}],
    }
    context = {"cookiecutter": variables}
    source = (templates_root() / name / "hooks" / f"{hook}.py").read_text(encoding="utf-8")
    rendered = create_env_with_context(context).from_string(source).render(**context)
    namespace: dict[str, object] = {"__name__": hook}
    exec(compile(rendered, f"{hook}.py", "exec"), namespace)  # noqa: S102 - the shipped hook
    assert json.loads(str(namespace["CONTEXT"])) == variables
    assert callable(namespace[hook])

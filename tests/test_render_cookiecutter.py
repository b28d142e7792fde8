"""scaffold renders a third-party template exactly as cookiecutter does, byte for byte.

The fixture templates under tests/fixtures/templates hold the patterns seen in the
wild: defaults derived from other variables (in order, a dictionary variable, a
``__`` variable), a directory named from a derived slug, and a replay file written
with ``{{ cookiecutter | jsonify }}``. Each is rendered by scaffold (as smoke renders
it: only the combination's option values given, a shared compiled cache) and by
cookiecutter's own API into the same output directory, and the trees compared.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from scaffold.catalog import Template, parse_template
from scaffold.render import compiled_templates, render_template
from scaffold.smoke.generate import smoke_values
from scaffold.smoke.matrix import Combination
from scaffold.variables import cookiecutter_context
from tests.test_new_output import tree

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "templates"


def fixture_template(name: str, tmp_path: Path) -> Template:
    """A copy of a fixture template without its hook scripts (those start a Python)."""
    copy = shutil.copytree(
        FIXTURES / name, tmp_path / "templates" / name, ignore=shutil.ignore_patterns("hooks")
    )
    return parse_template(name, copy)


def cookiecutter_render(template: Template, values: dict[str, Any], output_dir: Path) -> Path:
    """What ``cookiecutter.main.cookiecutter(..., no_input=True)`` writes; its files kept aside."""
    from cookiecutter.main import cookiecutter

    home = output_dir.parent / "cookiecutter-home"
    home.mkdir(exist_ok=True)
    config = home / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'c'}\nreplay_dir: {home / 'r'}\n")
    project = cookiecutter(
        str(template.path),
        no_input=True,
        extra_context=values,
        output_dir=str(output_dir),
        config_file=str(config),
    )
    return Path(project)


def both_renders(
    template: Template, values: dict[str, Any], tmp_path: Path, *, compiled: Any = None
) -> tuple[dict[str, tuple[int, bytes]], dict[str, tuple[int, bytes]]]:
    """The trees scaffold and cookiecutter write for ``values`` into one output directory."""
    out = tmp_path / "out"
    out.mkdir()
    mine = render_template(template, values, out, compiled=compiled)
    ours = tree(mine)
    shutil.move(mine, tmp_path / "scaffold")
    theirs = cookiecutter_render(template, values, out)
    assert theirs == mine  # the same project directory name
    return ours, tree(theirs)


CASES = {
    "derived-defaults": ("derived-defaults", {}),
    "derived-defaults-bsd-no-docs": (
        "derived-defaults",
        {"license": "BSD-3-Clause", "docs": False},
    ),
    "jsonify-replay": ("jsonify-replay", {}),
    "jsonify-replay-sqlite-cache": ("jsonify-replay", {"database": "sqlite", "use_cache": True}),
}


@pytest.mark.parametrize("name, values", CASES.values(), ids=CASES)
def test_a_render_with_a_warm_cache_is_cookiecutters(
    name: str, values: dict[str, Any], tmp_path: Path
) -> None:
    """With the compiled cache smoke shares (warmed by an earlier render), scaffold writes
    every file, byte and mode cookiecutter writes."""
    template = fixture_template(name, tmp_path)
    compiled = compiled_templates()
    render_template(template, values, tmp_path / "warm-up", compiled=compiled)
    ours, theirs = both_renders(template, values, tmp_path, compiled=compiled)
    assert ours == theirs


@pytest.mark.parametrize("name, values", CASES.values(), ids=CASES)
def test_a_render_without_a_cache_is_cookiecutters(
    name: str, values: dict[str, Any], tmp_path: Path
) -> None:
    """Without a cache (as `update` without a home renders) the trees are the same too."""
    template = fixture_template(name, tmp_path)
    ours, theirs = both_renders(template, values, tmp_path)
    assert ours == theirs


def test_derived_defaults_are_rendered_in_cookiecutters_order(tmp_path: Path) -> None:
    """The slug, the email and the dictionary (declared before what it uses) are rendered."""
    template = fixture_template("derived-defaults", tmp_path)
    project = render_template(template, {}, tmp_path, compiled=compiled_templates())
    assert project.name == "derived_defaults_demo"
    assert (project / "src" / "derived_defaults_demo" / "__init__.py").is_file()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "<ada.lovelace@example.org>, https://example.org/derived_defaults_demo/" in readme
    assert "mailto:ada.lovelace@example.org" in readme
    assert "`src/derived_defaults_demo`" in readme


def test_the_replay_file_holds_cookiecutters_context_only(tmp_path: Path) -> None:
    """`{{ cookiecutter | jsonify }}` works with the cache, and holds nothing of scaffold's."""
    template = fixture_template("jsonify-replay", tmp_path)
    out = tmp_path / "out"
    project = render_template(template, {}, out, compiled=compiled_templates())
    replay = json.loads((project / ".cookiecutter.json").read_text(encoding="utf-8"))
    assert replay == {
        "project_name": "Replay Demo",
        "project_slug": "replay_demo",
        "database": "postgresql",
        "use_cache": False,
        "_copy_without_render": ["*.html"],
        "_extensions": ["jinja2.ext.do"],
        "_template": str(template.path),
        "_output_dir": str(out),
        "_repo_dir": str(template.path),
        "_checkout": None,
    }


@pytest.mark.parametrize("name, values", CASES.values(), ids=CASES)
def test_the_context_is_the_one_cookiecutter_builds(
    name: str, values: dict[str, Any], tmp_path: Path
) -> None:
    """Key for key, in order, the context is what cookiecutter() builds with no_input:
    generate_context, prompt_for_config, then the four entries it adds."""
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config

    template = fixture_template(name, tmp_path)
    theirs = generate_context(str(template.path / "cookiecutter.json"), extra_context=values)
    declared = theirs["cookiecutter"]
    theirs["_cookiecutter"] = {k: v for k, v in declared.items() if not k.startswith("_")}
    declared.update(prompt_for_config(theirs, no_input=True))
    declared.update(
        _template=str(template.path),
        _output_dir=str(tmp_path),
        _repo_dir=str(template.path),
        _checkout=None,
    )
    ours = cookiecutter_context(template, values, tmp_path)
    assert list(ours["cookiecutter"].items()) == list(declared.items())
    assert ours["_cookiecutter"] == theirs["_cookiecutter"]


@pytest.mark.parametrize(
    "name, items",
    [
        ("derived-defaults", (("license", "BSD-3-Clause"), ("docs", False))),
        ("jsonify-replay", (("database", "sqlite"), ("use_cache", True))),
    ],
    ids=["derived-defaults", "jsonify-replay"],
)
def test_smoke_renders_a_combination_as_cookiecutter_does(
    name: str, items: tuple[tuple[str, Any], ...], tmp_path: Path
) -> None:
    """Smoke gives a combination's option values only: every other variable takes the
    template's own default, rendered by the template as cookiecutter renders it."""
    template = fixture_template(name, tmp_path)
    combination = Combination(template.name, items)
    out = tmp_path / "out"
    out.mkdir()
    mine = render_template(template, smoke_values(combination), out, compiled=compiled_templates())
    ours = tree(mine)
    shutil.move(mine, tmp_path / "scaffold")
    assert ours == tree(cookiecutter_render(template, combination.values, out))


@pytest.mark.slow  # the fixture's hook is a script: scaffold and cookiecutter start a Python
def test_a_hook_script_sees_the_defaults_rendered(tmp_path: Path) -> None:
    """The derived-defaults template's own pre-generation hook, which refuses an unrendered
    slug, passes under scaffold as under cookiecutter, and the trees are the same."""
    copy = shutil.copytree(FIXTURES / "derived-defaults", tmp_path / "templates" / "dd")
    template = parse_template("derived-defaults", copy)
    ours, theirs = both_renders(template, {}, tmp_path, compiled=compiled_templates())
    assert ours == theirs
    assert "src/derived_defaults_demo/__init__.py" in ours

"""The templates' uv locks: one per dependency set, kept fresh, written by the hook."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from scaffold.catalog import parse_template, templates_root
from scaffold.hooks import run_module
from scaffold.locks import (
    INDEX,
    LOCKS_DIR,
    PARTS,
    PLACEHOLDER,
    canonical,
    dependency_lists,
    dependency_sets,
    foreign_sources,
    project_template_dir,
    split_lock,
    stale_locks,
    stored_locks,
    uv_binary,
)
from scaffold.render import render_template

TEMPLATES = ("django", "flask")


def _copy(name: str, tmp_path: Path) -> Path:
    """A copy of a shipped template that a test may change."""
    copy = tmp_path / name
    shutil.copytree(templates_root() / name, copy, symlinks=True)
    hook = copy / "hooks" / "pre_gen_project.py"
    hook.unlink()
    shutil.copyfile(templates_root() / "_hooks" / "pre_gen_project.py", hook)
    return copy


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_dependency_set_of_the_shipped_templates_has_a_fresh_lock(name: str) -> None:
    """A stale or missing lock fails here: run scripts/lock_templates.py and commit."""
    assert stale_locks(parse_template(name, templates_root() / name)) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_locks_name_pypi_and_nothing_else(name: str) -> None:
    """No lock points at this machine's own package indexes or files."""
    folder = project_template_dir(parse_template(name, templates_root() / name)) / LOCKS_DIR
    _, locks = stored_locks(folder)
    assert locks
    for key, text in locks.items():
        assert foreign_sources(text) == [], key
        assert "file://" not in text, key
        assert 'source = { registry = "https://pypi.org/simple" }' in text, key


def test_the_stored_parts_join_into_each_lock_again() -> None:
    """A lock split into its parts and joined is the same text, byte for byte."""
    folder = project_template_dir(parse_template("django", templates_root() / "django"))
    for text in stored_locks(folder / LOCKS_DIR)[1].values():
        assert "".join(split_lock(text)) == text
        assert split_lock(text)[1].startswith("[[package]]\n")


def test_a_changed_dependency_makes_the_locks_stale(tmp_path: Path) -> None:
    """A pin changed in pyproject.toml without locking again is found."""
    copy = _copy("flask", tmp_path)
    pyproject = project_template_dir(parse_template("flask", copy)) / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"flask>=3.1,', '"flask>=3.0,'), encoding="utf-8")
    problems = stale_locks(parse_template("flask", copy))
    every = len(dependency_sets(parse_template("flask", copy)))  # each holds Flask
    assert sum("no lock for" in problem for problem in problems) == every
    assert sum("no combination renders" in problem for problem in problems) == every


def test_a_lock_recording_other_requirements_is_stale(tmp_path: Path) -> None:
    """The lock's own [package.metadata] requires-dist is compared, not the index alone."""
    copy = _copy("django", tmp_path)
    parts = project_template_dir(parse_template("django", copy)) / LOCKS_DIR / PARTS
    text = parts.read_text(encoding="utf-8")
    parts.write_text(text.replace('specifier = \\">=5.2,', 'specifier = \\">=5.1,'))
    problems = stale_locks(parse_template("django", copy))
    assert len(problems) == len(dependency_sets(parse_template("django", copy)))
    assert all(problem.endswith("records other requirements") for problem in problems)


def test_a_lock_no_combination_renders_is_reported(tmp_path: Path) -> None:
    """A lock left behind by an older dependency set is found."""
    copy = _copy("django", tmp_path)
    index = project_template_dir(parse_template("django", copy)) / LOCKS_DIR / INDEX
    data = json.loads(index.read_text(encoding="utf-8"))
    data["locks"].append({**data["locks"][0], "key": "old", "requires": {"dependencies": []}})
    index.write_text(json.dumps(data), encoding="utf-8")
    assert stale_locks(parse_template("django", copy)) == [
        "django: lock old is for lists no combination renders"
    ]


def test_a_template_without_its_locks_is_stale(tmp_path: Path) -> None:
    """No index, or a part missing: one line, not a traceback."""
    copy = _copy("django", tmp_path)
    folder = project_template_dir(parse_template("django", copy)) / LOCKS_DIR
    (folder / PARTS).write_text("{}", encoding="utf-8")
    (problem,) = stale_locks(parse_template("django", copy))
    assert problem.startswith(f"django: no readable {LOCKS_DIR}/{INDEX} and {PARTS}")
    shutil.rmtree(folder)
    (problem,) = stale_locks(parse_template("django", copy))
    assert problem.startswith(f"django: no readable {LOCKS_DIR}/{INDEX}")


def test_options_pyproject_does_not_read_make_no_locks_of_their_own() -> None:
    """Django's docker and ci options leave pyproject.toml alone: they are not enumerated."""
    sets = dependency_sets(parse_template("django", templates_root() / "django"))
    enumerated = {
        name for found in sets.values() for values in found.combinations for name in values
    }
    assert "database" in enumerated and not enumerated & {"docker", "ci"}
    assert len({json.dumps(found.lists, sort_keys=True) for found in sets.values()}) == len(sets)


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_hook_reads_dependency_lists_as_scaffold_does(name: str, renders) -> None:
    """The hook's own copy of the reading (it imports nothing) agrees with scaffold's."""
    hook = run_module(templates_root() / name / "hooks" / "post_gen_project.py")
    project = renders.project(name, {"project_name": "Some Site", "api": True})
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert hook.dependency_lists(data) == dependency_lists(data)


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("slug", ["aaa", "zzz_site", "mid_name"])
def test_the_hook_writes_the_matching_lock_named_for_the_project(
    name: str, slug: str, renders
) -> None:
    """uv.lock is there for slugs sorting before and after every dependency, named for
    the project, its requirements those of the rendered pyproject; no other lock stays."""
    project = renders.project(name, {"project_name": slug, "project_slug": slug})
    assert not (project / LOCKS_DIR).exists()
    text = (project / "uv.lock").read_text(encoding="utf-8")
    assert PLACEHOLDER not in text
    own = [p for p in tomllib.loads(text)["package"] if p["name"] == slug.replace("_", "-")]
    assert len(own) == 1 and own[0]["source"] == {"editable": "."}
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    names = {r["name"] for r in own[0]["metadata"]["requires-dist"]}
    listed = [*data["project"]["dependencies"]]
    for extra in data["project"]["optional-dependencies"].values():
        listed += extra
    assert names == {canonical(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in listed}


def test_no_matching_lock_means_no_uv_lock(tmp_path: Path) -> None:
    """A template changed without locking again still generates, without a lock."""
    copy = _copy("flask", tmp_path)
    pyproject = project_template_dir(parse_template("flask", copy)) / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"flask>=3.1,', '"flask>=3.0,'), encoding="utf-8")
    (tmp_path / "out").mkdir()
    project = render_template(parse_template("flask", copy), {}, tmp_path / "out")
    assert not (project / "uv.lock").exists()
    assert not (project / LOCKS_DIR).exists()


@pytest.mark.slow  # uv installs the locked set, from PyPI once and then offline
@pytest.mark.parametrize("name", TEMPLATES)
def test_uv_sync_locked_offline_for_several_slugs(name: str, tmp_path: Path) -> None:
    """One lock, several slugs: each project syncs with --locked --offline from a warm cache."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    environ["UV_CACHE_DIR"] = str(tmp_path / "cache")
    template = parse_template(name, templates_root() / name)
    for number, slug in enumerate(["aaa", "zzz_site", "django_thing", "mid"]):
        output = tmp_path / slug
        output.mkdir()
        project = render_template(template, {"project_name": slug, "project_slug": slug}, output)
        command = [uv_binary(), "sync", "--locked", "--extra", "dev", "--no-config"]
        command += ["--offline"] if number else []  # the first one warms the cache
        result = subprocess.run(
            command, cwd=project, env=environ, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (slug, result.stderr[-2000:])
        index = json.loads(
            (project_template_dir(template) / LOCKS_DIR / INDEX).read_text(encoding="utf-8")
        )
        assert index["placeholder"] not in (project / "uv.lock").read_text(encoding="utf-8")

"""Tests for scaffold.smoke.environment and scaffold.smoke.requirements: what a generated
project declares, the shared environment's key, its per-combination layer, and --python."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scaffold.catalog import Template, parse_template
from scaffold.cli.smoke import smoke_command
from scaffold.errors import SmokeError, TemplateError
from scaffold.smoke.environment import (
    READY,
    RECIPE,
    Environment,
    Recipe,
    ensure_environment,
    environment_key,
    intact,
    listing,
    project_requirements,
    recipe_for,
)
from scaffold.smoke.interpreter import Interpreter
from scaffold.smoke.layer import BASE_PTH, layer
from scaffold.smoke.requirements import (
    DeclarationError,
    distinct_declarations,
    poetry_requirement,
    poetry_specifier,
)
from scaffold.smoke.runner import run_smoke

FIXTURES = Path(__file__).parent / "fixtures" / "templates"


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A generated project's directory holding ``files``."""
    root = tmp_path / "project"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


# What a project declares ---------------------------------------------------------------


def test_dependency_groups_are_read_with_their_included_groups(tmp_path: Path) -> None:
    """Every PEP 735 group is read; include-group pulls in another group (names normalized);
    an entry naming the project itself is left out."""
    pyproject = """
[project]
name = "my_site"
dependencies = ["flask>=3"]
[dependency-groups]
Test_Tools = ["pytest>=8", "my-site[extra]"]
lint = ["ruff"]
dev = [{include-group = "test-tools"}, {include-group = "lint"}, "ipython"]
"""
    found = project_requirements(project(tmp_path, {"pyproject.toml": pyproject}))
    assert found == ["flask>=3", "pytest>=8", "ruff", "ipython"]


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (
            'a = [{include-group = "b"}]\nb = [{include-group = "a"}]',
            "include each other: a -> b -> a",
        ),
        ('a = [{include-group = "missing"}]', "'missing' is included but not declared"),
        ("a = [3]", "group 'a' has an entry scaffold cannot read"),
    ],
    ids=["cycle", "missing", "not-a-string"],
)
def test_broken_dependency_groups_are_one_line_errors(
    tmp_path: Path, groups: str, message: str
) -> None:
    """A group cycle, an unknown included group or an odd entry is named in one line."""
    files = {"pyproject.toml": f"[dependency-groups]\n{groups}\n"}
    with pytest.raises(DeclarationError, match=f"^pyproject.toml: .*{message}"):
        project_requirements(project(tmp_path, files))


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pyproject.toml": "[project\n"}, "pyproject.toml is not valid TOML"),
        ({"pyproject.toml": "[project]\ndependencies = 'django'\n"}, "must be a list"),
        ({"pyproject.toml": "[project]\noptional-dependencies = []\n"}, "a table scaffold"),
        ({"pyproject.toml": "[tool]\npoetry = 3\n"}, "a table scaffold cannot read"),
    ],
    ids=["toml", "dependencies", "extras", "poetry"],
)
def test_a_malformed_pyproject_is_a_one_line_error(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    """Bad TOML, or a value of the wrong type, is one line naming pyproject.toml."""
    with pytest.raises(DeclarationError, match=message) as raised:
        project_requirements(project(tmp_path, files))
    assert str(raised.value).startswith("pyproject.toml") and "\n" not in str(raised.value)


def test_an_unreadable_requirements_file_is_a_one_line_error(tmp_path: Path) -> None:
    """A requirements file that is not UTF-8 text is named."""
    root = project(tmp_path, {})
    root.mkdir()
    (root / "requirements.txt").write_bytes(b"\xff\xfe\x00d")
    with pytest.raises(DeclarationError, match="^cannot read requirements.txt: "):
        project_requirements(root)


def test_uv_dev_dependencies_and_sources(tmp_path: Path) -> None:
    """uv's dev-dependencies are read; a path or workspace source is left out, a git
    source becomes a direct reference."""
    pyproject = """
[project]
name = "app"
dependencies = ["httpx", "shared-lib", "tool[cli]>=1"]
[tool.uv]
dev-dependencies = ["pytest", "local-helper"]
[tool.uv.sources]
shared-lib = {workspace = true}
local-helper = {path = "../helper"}
tool = {git = "https://example.com/tool.git", tag = "v1"}
"""
    found = project_requirements(project(tmp_path, {"pyproject.toml": pyproject}))
    assert found == ["httpx", "tool[cli] @ git+https://example.com/tool.git@v1", "pytest"]


def test_poetry_dependencies_and_groups(tmp_path: Path) -> None:
    """Poetry's dependencies (without python), legacy dev-dependencies and every group
    are read, constraints turned into PEP 440; a path dependency is left out."""
    pyproject = """
[tool.poetry]
name = "blog"
[tool.poetry.dependencies]
python = "^3.10"
django = "^5.1"
psycopg = {version = "~3.2", extras = ["binary"]}
mylib = {path = "../mylib", develop = true}
[tool.poetry.dev-dependencies]
black = "*"
[tool.poetry.group.test.dependencies]
pytest = ">=8,<9"
pytest-django = "4.9.0"
"""
    found = project_requirements(project(tmp_path, {"pyproject.toml": pyproject}))
    assert found == [
        "django>=5.1,<6.0",
        "psycopg[binary]>=3.2,<3.3",
        "black",
        "pytest>=8,<9",
        "pytest-django==4.9.0",
    ]


@pytest.mark.parametrize(
    ("constraint", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.4", "~=1.4"),
        ("*", ""),
        ("1.2.3", "==1.2.3"),
        ("1.2.*", "==1.2.*"),
        (">= 1.2, < 1.5", ">=1.2,<1.5"),
        (">=1.2 <1.5", ">=1.2,<1.5"),
        ("^1.0 || ^2.0", ">=2.0,<3.0"),
        ("!=1.3", "!=1.3"),
    ],
)
def test_poetry_constraints_become_pep_440(constraint: str, pep440: str) -> None:
    """Caret and tilde ranges, wildcards and bare versions read as Poetry documents them."""
    assert poetry_specifier(constraint) == pep440


def test_a_poetry_dependency_per_python_gets_markers() -> None:
    """A list of constraints, one per Python, keeps each with its Python as a marker."""
    spec = [{"version": "^1.26", "python": "<3.12"}, {"version": "^2.1", "python": ">=3.12"}]
    assert poetry_requirement("numpy", spec) == [
        'numpy>=1.26,<2.0 ; python_full_version < "3.12"',
        'numpy>=2.1,<3.0 ; python_full_version >= "3.12"',
    ]


def test_requirements_files_follow_includes_relative_to_the_including_file(
    tmp_path: Path,
) -> None:
    """requirements*.txt and requirements/*.txt are read; -r is relative to the file that
    includes it, and a file is read once; options, comments and -e . are not requirements."""
    files = {
        "requirements.txt": "-e .\n-r requirements/production.txt\n",
        "requirements-dev.txt": "pre-commit==4.0  # hooks\n",
        "requirements/base.txt": (
            "--index-url https://example.com/simple\n"
            "django==5.2.1 \\\n    --hash=sha256:abc\n"
            "whitenoise>=6 ; python_version >= '3.10'\n"
            "-e git+https://example.com/lib.git#egg=lib\n"
            "./vendored/pkg\n"
        ),
        "requirements/local.txt": "-r base.txt\n-c constraints.txt\npytest==8.3\n",
        "requirements/production.txt": "--requirement=./base.txt\ngunicorn\n",
    }
    assert project_requirements(project(tmp_path, files)) == [
        "pre-commit==4.0",
        "django==5.2.1",
        "whitenoise>=6 ; python_version >= '3.10'",
        "git+https://example.com/lib.git#egg=lib",
        "gunicorn",
        "pytest==8.3",
    ]


def test_a_missing_included_requirements_file_is_named(tmp_path: Path) -> None:
    """`-r missing.txt` is a one-line error naming both files."""
    files = {"requirements/local.txt": "-r base.txt\n"}
    with pytest.raises(DeclarationError, match="requirements/local.txt includes requirements/base"):
        project_requirements(project(tmp_path, files))


def test_every_declaration_is_read_together(tmp_path: Path) -> None:
    """pyproject dependencies, groups and requirements files add up, without duplicates."""
    files = {
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["a"]\n'
        '[dependency-groups]\ntest = ["b", "a"]\n',
        "requirements.txt": "c\na\n",
    }
    assert project_requirements(project(tmp_path, files)) == ["a", "b", "c"]


def test_install_commands_build_from_one_project_per_set_of_declarations(tmp_path: Path) -> None:
    """Projects whose pyproject.toml and requirements files are the same install once."""
    same = {"pyproject.toml": "[project]\nname = 'a'\n", "requirements/base.txt": "x\n"}
    projects = [
        project(tmp_path / "1", {**same, "README.md": "one"}),
        project(tmp_path / "2", {**same, "README.md": "two"}),
        project(tmp_path / "3", {**same, "requirements/base.txt": "y\n"}),
        project(tmp_path / "4", {**same, "requirements-dev.txt": "z\n"}),
    ]
    assert distinct_declarations(projects) == [projects[0], projects[2], projects[3]]


# The checks' environment block -----------------------------------------------------------


def with_checks(template: Template, checks: dict[str, Any]) -> Template:
    return dataclasses.replace(template, checks_data=checks)


def test_the_environment_block_is_read(tiny_template: Template) -> None:
    """`environment` gives the interpreter and the install commands (one string or a list)."""
    raw = {"environment": {"python": "python3.12", "install": ["pip install -r req.txt"]}}
    settings = with_checks(tiny_template, raw).checks.environment
    assert settings.python == "python3.12" and settings.install == ("pip install -r req.txt",)
    assert tiny_template.checks.environment.install == ()


@pytest.mark.parametrize(
    "block", [{"pyhton": "3.12"}, {"install": [3]}, {"python": ""}, "python3"], ids=repr
)
def test_a_malformed_environment_block_is_a_template_error(
    tiny_template: Template, block: Any
) -> None:
    """A misspelt key or a wrong type is one line naming the template."""
    with pytest.raises(TemplateError, match="template 'tiny'.*'environment'"):
        _ = with_checks(tiny_template, {"environment": block}).checks


def test_install_commands_key_the_environment_with_the_template(tiny_template: Template) -> None:
    """With install commands the key follows the commands and the template's files."""
    block = {"environment": {"install": ["pip install -r requirements.txt"]}}
    recipe = recipe_for(with_checks(tiny_template, block))
    assert recipe.install and recipe.source
    (tiny_template.path / "{{cookiecutter.project_slug}}" / "requirements.txt").write_text("x\n")
    changed = recipe_for(with_checks(tiny_template, block))
    assert environment_key((), changed) != environment_key((), recipe)
    assert recipe_for(tiny_template).source == ""  # reading declarations: no digest needed
    (tiny_template.path / ".git").mkdir()
    (tiny_template.path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tiny_template.path / "README.md").write_text("# A template\n")
    assert recipe_for(with_checks(tiny_template, block)) == changed  # not read by cookiecutter


# The key, and the interpreter ---------------------------------------------------------


def interpreter(version: tuple[int, ...], path: str = "/usr/bin/python3") -> Interpreter:
    return Interpreter(path, version)


def test_the_key_includes_the_interpreters_version_and_path() -> None:
    """Another Python version, or another interpreter of the same version, is another env."""
    keys = {
        environment_key(["a==1"], Recipe(interpreter((3, 11, 7)))),
        environment_key(["a==1"], Recipe(interpreter((3, 12, 1)))),
        environment_key(["a==1"], Recipe(interpreter((3, 12, 1), "/opt/python3.12"))),
        environment_key(["a==1"]),
    }
    assert len(keys) == 4


def ready_environment(cache: Path, requirements: list[str], recipe: Recipe) -> Path:
    """A fake ready environment in the cache, as a build leaves it (no Python in it)."""
    path = cache / f"tiny-{environment_key(requirements, recipe)}"
    (path / "bin").mkdir(parents=True)
    (path / "lib" / "python3.11" / "site-packages" / "pkg").mkdir(parents=True)
    recorded = {"python": recipe.python.identity, "listing": listing(path)}
    (path / RECIPE).write_text(json.dumps(recorded))
    (path / READY).write_text("".join(f"{r}\n" for r in requirements))
    return path


def test_a_larger_environment_of_another_interpreter_is_not_reused(cache: Path) -> None:
    """A shard reuses a larger environment only when it was built with the same Python."""
    other = Recipe(interpreter((3, 12, 1)))
    ready_environment(cache, ["a==1", "b==2"], other)
    mine = ready_environment(cache, ["a==1", "b==2"], Recipe())
    env = ensure_environment("tiny", ["b==2"], cache)
    assert env.path == mine and not env.created


def test_an_environment_changed_since_its_build_is_not_intact(tmp_path: Path) -> None:
    """A package installed into (or removed from) the cached env after its build shows."""
    path = ready_environment(tmp_path, [], Recipe())
    site_packages = path / "lib" / "python3.11" / "site-packages"
    assert intact(path)
    (site_packages / "__pycache__").mkdir()  # Python's own writing does not count
    assert intact(path)
    (site_packages / "__editable__.tiny-0.1.pth").write_text("/tmp/gone\n")
    assert not intact(path)
    (site_packages / "__editable__.tiny-0.1.pth").unlink()
    shutil.rmtree(site_packages / "pkg")
    assert not intact(path)


def test_a_changed_environment_is_not_reused_as_a_larger_one(cache: Path) -> None:
    """A larger env that a step changed is passed over (and rebuilt when it is wanted)."""
    larger = ready_environment(cache, ["a==1", "b==2"], Recipe())
    (larger / "lib" / "python3.11" / "site-packages" / "stale.pth").write_text("/tmp/gone\n")
    from scaffold.smoke.environment import _superset

    assert _superset("tiny", ("b==2",), Recipe(), cache) is None


def test_a_layer_runs_its_own_python_on_top_of_the_cached_environment(tmp_path: Path) -> None:
    """The layer's site-packages adds the cached one's; its scripts and activate point at
    the layer; the interpreter links are the cached env's; the cached env is untouched."""
    base = tmp_path / "base"
    (base / "bin").mkdir(parents=True)
    site_packages = base / "lib" / "python3.11" / "site-packages"
    site_packages.mkdir(parents=True)
    (base / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n")
    os.symlink("/usr/bin/python3.11", base / "bin" / "python")
    os.symlink("python", base / "bin" / "python3")
    (base / "bin" / "pip").write_text(f"#!{base}/bin/python\nimport pip\n")
    (base / "bin" / "pip").chmod(0o755)
    (base / "bin" / "activate").write_text(f'VIRTUAL_ENV="{base}"\n')
    (base / "bin" / "ruff").write_bytes(b"\x7fELF...")
    before = listing(base)
    env = layer(Environment("tiny", base, "k", ()), tmp_path / "layer")
    bin_dir = env.path / "bin"
    assert env.path == tmp_path / "layer"
    assert os.readlink(bin_dir / "python") == "/usr/bin/python3.11"
    assert os.readlink(bin_dir / "python3") == "python"
    assert (bin_dir / "pip").read_text() == f"#!{env.path}/bin/python\nimport pip\n"
    assert os.access(bin_dir / "pip", os.X_OK)
    assert (bin_dir / "activate").read_text() == f'VIRTUAL_ENV="{env.path}"\n'
    assert (bin_dir / "ruff").resolve() == base / "bin" / "ruff"
    pth = env.path / "lib" / "python3.11" / "site-packages" / BASE_PTH
    assert pth.read_text() == f"import site; site.addsitedir({str(site_packages)!r})\n"
    assert (env.path / "pyvenv.cfg").read_text() == (base / "pyvenv.cfg").read_text()
    assert listing(base) == before


def test_a_copied_environments_scripts_run_the_layers_python(tmp_path: Path) -> None:
    """A script whose #! names another environment's Python (the cache was copied or
    moved) still runs the layer's: never an environment outside the layer."""
    base = tmp_path / "base"
    (base / "bin").mkdir(parents=True)
    (base / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (base / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (base / "bin" / "pytest").write_text("#!/elsewhere/env/bin/python3.11\nimport pytest\n")
    env = layer(Environment("tiny", base, "k", ()), tmp_path / "layer")
    assert (env.path / "bin" / "pytest").read_text().startswith(f"#!{env.path}/bin/python\n")


# --python --------------------------------------------------------------------------------


def tiny(tmp_path: Path, checks: dict[str, Any] | None = None) -> Path:
    """A template with one option and one check, its checks in cookiecutter.json."""
    root = tmp_path / "tiny"
    (root / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    config = {
        "project_name": "Tiny",
        "project_slug": "tiny",
        "api": False,
        "_checks": checks or {"steps": [{"name": "ok", "run": ["python", "-c", "pass"]}]},
    }
    (root / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    (root / "{{cookiecutter.project_slug}}" / "README.md").write_text("# Tiny\n")
    return root


def test_a_missing_python_is_a_one_line_usage_error(tmp_path: Path) -> None:
    """`smoke --python` naming no interpreter exits 2 with one line, before anything runs."""
    args = [str(tiny(tmp_path)), "--python", "python3.99-missing"]
    result = CliRunner().invoke(smoke_command, args)
    assert result.exit_code == 2, result.output
    assert result.output == (
        "Error: --python python3.99-missing: not found on PATH; give an interpreter's path "
        "or name\n"
    )
    assert not (tmp_path / "cache").exists()


def test_a_missing_python_path_is_a_one_line_usage_error(tmp_path: Path) -> None:
    """A path that does not exist is named as such."""
    result = CliRunner().invoke(smoke_command, [str(tiny(tmp_path)), "--python", "/no/python"])
    assert result.exit_code == 2
    assert (
        result.output
        == "Error: --python /no/python: no such file; give an interpreter's path or name\n"
    )


@pytest.mark.slow  # starts the program given, to ask its version
def test_a_python_that_is_not_python_is_a_one_line_usage_error(tmp_path: Path) -> None:
    """A program that does not answer as Python 3 does is refused before anything runs."""
    result = CliRunner().invoke(smoke_command, [str(tiny(tmp_path)), "--python", "/bin/true"])
    assert result.exit_code == 2, result.output
    assert result.output == "Error: --python /bin/true: /bin/true does not run as Python 3\n"


def test_a_templates_missing_python_names_the_template(tmp_path: Path) -> None:
    """environment.python in the checks names its template when it is missing."""
    checks = {
        "environment": {"python": "python3.99-missing"},
        "steps": [{"name": "ok", "run": ["python", "-c", "pass"]}],
    }
    result = CliRunner().invoke(smoke_command, [str(tiny(tmp_path, checks))])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: template 'tiny': environment.python python3.99")
    assert len(result.output.splitlines()) == 1


def test_python_flag_wins_over_the_templates(tmp_path: Path) -> None:
    """--python is asked for first: a template's missing interpreter is never looked up."""
    checks = {
        "environment": {"python": "python3.99-missing"},
        "steps": [{"name": "a", "run": ["x"]}],
    }
    template = parse_template("tiny", tiny(tmp_path, checks))
    with pytest.raises(SmokeError, match="^--python python3.98-missing: not found"):
        run_smoke([template], python="python3.98-missing")


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty smoke cache of the test's own."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    return cache


def test_the_fixture_template_declares_its_test_dependency_only_in_a_group(tmp_path: Path) -> None:
    """The dependency-groups fixture's project needs iniconfig, declared only in a group."""
    from cookiecutter.main import cookiecutter

    out = Path(
        cookiecutter(str(FIXTURES / "dependency-groups"), no_input=True, output_dir=str(tmp_path))
    )
    pyproject = (out / "pyproject.toml").read_text()
    assert "iniconfig" not in pyproject.split("[dependency-groups]")[0]
    assert project_requirements(out) == ["iniconfig>=2"]


# End to end (slow: virtualenvs, pip, render processes) -----------------------------------


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.slow  # builds a virtualenv with pip, runs a smoke run
def test_smoke_installs_a_dependency_declared_only_in_a_dependency_group(tmp_path: Path) -> None:
    """The fixture's step imports iniconfig, which only its [dependency-groups] declare;
    the kept projects are the trees plain cookiecutter writes."""
    from cookiecutter.main import cookiecutter

    template = FIXTURES / "dependency-groups"
    kept = tmp_path / "kept"
    result = CliRunner().invoke(smoke_command, [str(template), "--keep", str(kept)])
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output
    for greeting in ("hello", "hi"):
        plain = cookiecutter(
            str(template),
            no_input=True,
            extra_context={"greeting": greeting},
            output_dir=str(tmp_path / f"plain-{greeting}"),
        )
        assert tree(kept / "dependency-groups" / greeting) == tree(Path(plain))


def base_template(tmp_path: Path, steps: list[dict[str, Any]], **environment: Any) -> Path:
    """A template whose project is an installable package depending on iniconfig."""
    root = tiny(
        tmp_path, {"environment": environment, "steps": steps} if environment else {"steps": steps}
    )
    project_dir = root / "{{cookiecutter.project_slug}}"
    (project_dir / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "tiny"\nversion = "0.1"\ndependencies = ["iniconfig"]\n'
        '[tool.setuptools]\npackages = ["tiny_pkg"]\n',
        encoding="utf-8",
    )
    (project_dir / "tiny_pkg").mkdir()
    (project_dir / "tiny_pkg" / "__init__.py").write_text("")
    return root


def py(name: str, code: str) -> dict[str, Any]:
    return {"name": name, "run": ["python", "-c", code]}


def pip(name: str, *args: str) -> dict[str, Any]:
    return {"name": name, "run": ["python", "-m", "pip", *args]}


@pytest.mark.slow  # builds a virtualenv, runs pip in steps
def test_a_step_cannot_change_the_cached_environment(tmp_path: Path, cache: Path) -> None:
    """Steps that install (the project editable, a package) and uninstall (pip itself, a
    dependency) change only their own layer: the next run reuses the cached environment
    as it was built, without the stale editable install, with pip."""
    installs = [
        pip("editable", "install", "--no-deps", "-e", "."),
        pip("install", "install", "six"),
        pip("uninstall", "uninstall", "--yes", "pip", "iniconfig"),
        py("sees its installs", "import tiny_pkg, six, iniconfig"),
    ]
    template = parse_template("tiny", base_template(tmp_path / "a", installs))
    first = run_smoke([template], jobs=2)
    assert first.ok, [r.failed_step for r in first.failures]
    [env] = first.environments
    built = listing(env.path)
    assert first.environments[0].created and intact(env.path)
    checks = [
        pip("has pip", "--version"),
        py("imports iniconfig", "import iniconfig"),
        py("no six", "import importlib.util as u; assert u.find_spec('six') is None"),
        py(
            "no project",
            "import importlib.metadata as m; "
            "assert 'tiny' not in {d.name for d in m.distributions()}",
        ),
    ]
    # The same projects (so the same environment), other steps run outside the project.
    again = parse_template("tiny", base_template(tmp_path / "b", checks))
    second = run_smoke([again], jobs=2)
    assert second.ok, [
        (r.failed_step, r.failed_step and r.failed_step.output) for r in second.failures
    ]
    [reused] = second.environments
    assert reused.path == env.path and not reused.created and not reused.rebuilt
    assert listing(env.path) == built


@pytest.mark.slow  # builds a virtualenv
def test_an_environment_changed_behind_scaffolds_back_is_rebuilt(
    tmp_path: Path, smoke_cache: Path
) -> None:
    """A package written into the cached environment itself (not through a layer) is
    noticed on the next use, and the environment is built again without it."""
    env = ensure_environment("tiny", [], smoke_cache)  # the session's empty environment
    assert not env.created
    site_packages = next(env.path.glob("lib/python*/site-packages"))
    (site_packages / "__editable__.tiny-0.1.pth").write_text(str(tmp_path / "gone") + "\n")
    again = ensure_environment("tiny", [], smoke_cache)
    assert again.path == env.path and again.created and again.rebuilt
    assert not (site_packages / "__editable__.tiny-0.1.pth").exists() and intact(env.path)


@pytest.mark.slow  # builds a virtualenv, runs pip install commands
def test_install_commands_replace_reading_and_each_project_installs_its_own(tmp_path: Path) -> None:
    """With environment.install, the commands build the shared environment (the projects'
    own local installs taken out again) and run in each combination's layer, so an
    editable install points into that combination's project."""
    steps = [
        py("own project", "import os, tiny_pkg; assert tiny_pkg.__file__.startswith(os.getcwd())"),
        py("dependency", "import iniconfig"),
    ]
    install = ["python -m pip install -e ."]
    template = parse_template("tiny", base_template(tmp_path, steps, install=install))
    run = run_smoke([template], jobs=2)
    assert run.ok, [(r.failed_step, r.failed_step and r.failed_step.output) for r in run.failures]
    [env] = run.environments
    assert env.requirements == () and env.install == tuple(install)
    site_packages = next(env.path.glob("lib/python*/site-packages"))
    assert list(site_packages.glob("iniconfig-*.dist-info"))
    assert not list(site_packages.glob("tiny-*.dist-info"))
    assert not list(site_packages.glob("__editable__*"))
    assert [s.name for s in run.results[0].steps][:2] == ["generate", "environment"]


@pytest.mark.slow  # a smoke run: a render process
def test_a_project_whose_declarations_cannot_be_read_fails_its_environment_step(
    tmp_path: Path,
) -> None:
    """A broken include in the generated project fails each combination's environment
    step with a line naming the file, instead of stopping the run."""
    root = tiny(tmp_path)
    project_dir = root / "{{cookiecutter.project_slug}}"
    (project_dir / "requirements.txt").write_text("-r requirements/base.txt\n")
    run = run_smoke([parse_template("tiny", root)], jobs=2)
    assert len(run.failures) == 2 and run.environments == []
    step = run.failures[0].failed_step
    assert step is not None and step.name == "environment"
    assert step.message == (
        "cannot read: requirements.txt includes requirements/base.txt, which does not exist"
    )


@pytest.mark.slow  # builds a virtualenv with another interpreter
def test_python_option_builds_the_environment_with_that_interpreter(tmp_path: Path) -> None:
    """`smoke --python` runs the steps with that interpreter, in an environment of its own."""
    other = other_python()
    if other is None:
        pytest.skip("no second Python version on this machine")
    version_file = tmp_path / "version.txt"
    code = f"import sys, pathlib; pathlib.Path({str(version_file)!r}).write_text(sys.version)"
    root = tiny(tmp_path, {"steps": [py("version", code)]})
    result = CliRunner().invoke(
        smoke_command, [str(root), "--python", other, "--only", "api=false"]
    )
    assert result.exit_code == 0, result.output
    assert version_file.read_text() != sys.version
    default = CliRunner().invoke(smoke_command, [str(root), "--only", "api=false"])
    assert default.exit_code == 0 and version_file.read_text() == sys.version
    assert len(list((tmp_path / "cache").glob("tiny-*/pyvenv.cfg"))) == 2


def other_python() -> str | None:
    """A Python 3 of another minor version than this one, if the machine has one."""
    pyenv = Path.home() / ".pyenv" / "versions"
    found = [str(p) for p in sorted(pyenv.glob("3.1*/bin/python3.1*")) if p.name[-1].isdigit()]
    found += [shutil.which(f"python3.{minor}") or "" for minor in range(10, 15)]
    mine = f"python3.{sys.version_info[1]}"
    # pyenv's shims are on PATH for versions that are not selected: they do not run.
    return next((p for p in found if p and not p.endswith(mine) and "shims" not in p), None)


def test_an_environment_gone_from_under_the_run_fails_the_combination(tmp_path: Path) -> None:
    """The cached environment removed while the run uses it (another run rebuilt it, say):
    the combination fails its environment step with one line; the run is not a traceback."""
    from scaffold.smoke import steps
    from scaffold.smoke.matrix import Combination

    project = tmp_path / "work" / "out" / "demo"
    project.mkdir(parents=True)
    gone = Environment("demo", tmp_path / "cache" / "demo-123", "123", ())
    result = steps.CombinationResult("demo", Combination("demo", ()))
    assert steps.layer_project(gone, project, 5.0, result) is None
    [step] = result.steps
    assert step.name == "environment" and not step.ok
    assert step.message.startswith(f"cannot layer on the environment {gone.path}: ")
    assert "\n" not in step.message


def test_an_environment_another_run_uses_is_not_pruned(tmp_path: Path) -> None:
    """A new environment prunes its template's stale ones, but not one another run holds
    (its steps would lose their interpreter mid-run); once let go, the next build prunes
    it."""
    import fcntl

    from scaffold.smoke import cached, environment

    def built(name: str, requirements: list[str]) -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / environment.READY).write_text("\n".join(requirements) + "\n")
        return path

    stale = built("flask-old", ["flask==3.0", "flask-cors==5.0"])
    new = built("flask-new", ["flask==3.1"])
    other_run = cached._use_file(stale).open("a")  # another run's hold on it
    fcntl.flock(other_run, fcntl.LOCK_SH)
    fresh = Environment("flask", new, "new", ("flask==3.1",))
    environment._prune_stale(fresh, tmp_path)
    assert (stale / environment.READY).is_file()
    other_run.close()
    environment._prune_stale(fresh, tmp_path)
    assert not stale.exists() and new.is_dir()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["flask-new"]

"""The command line imports a heavy library or another command's module only when it runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from scaffold.cli import LAZY_COMMANDS, cli

HEAVY = ("cookiecutter", "jinja2", "yaml", "rich", "requests", "socket", "importlib.resources")


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


@pytest.mark.slow  # starts a Python to see what it imports
def test_importing_the_cli_imports_nothing_heavy() -> None:
    """`import scaffold.cli` (what --help and every command pay) leaves the heavy ones out."""
    modules = imported_after("import scaffold.cli")
    assert not modules & set(HEAVY)
    assert not modules & {module for module, _ in LAZY_COMMANDS.values()}


@pytest.mark.slow  # starts a Python to see what it imports
def test_planning_imports_no_renderer() -> None:
    """Planning a project (answers, recommendation, context) renders nothing, so imports none."""
    modules = imported_after(
        "from scaffold.answers import layer_answers\n"
        "from scaffold.project import plan_project\n"
        "answers = layer_answers(framework='flask', set_values={'project_name': 'Demo'})\n"
        "plan_project(answers, framework='flask')"
    )
    assert not modules & {"cookiecutter", "jinja2", "rich", "requests"}


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_every_command_module_loads(name: str) -> None:
    """Each command imported on demand exists under its name and answers --help."""
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or f"{name} [OPTIONS]" in result.output


def test_help_lists_every_command() -> None:
    """`scaffold --help` lists the commands imported on demand beside the others."""
    result = CliRunner().invoke(cli, ["--help"])
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line}
    assert set(LAZY_COMMANDS) | {"new", "questions", "recommend", "templates"} <= listed


@pytest.mark.slow  # starts a Python to see what it imports
def test_new_imports_no_network_library(tmp_path) -> None:
    """`scaffold new` renders through cookiecutter's generation API: no requests, no HTTP."""
    modules = imported_after(
        "from scaffold.cli import cli\n"
        f"cli.main(['new', 'demo', '--no-input', '--no-git', '-o', {str(tmp_path)!r}],"
        " standalone_mode=False)"
    )
    assert "cookiecutter.generate" in modules  # it did render
    assert not modules & {"requests", "urllib3", "http.client", "cookiecutter.repository"}


@pytest.mark.slow  # starts a Python to see what it imports
def test_a_dry_run_imports_no_yaml(tmp_path) -> None:
    """`scaffold new --dry-run` lists the answers file without writing its YAML."""
    modules = imported_after(
        "from scaffold.cli import cli\n"
        "cli.main(['new', 'demo', '--no-input', '--dry-run', '--json', '-o', "
        f"{str(tmp_path)!r}], standalone_mode=False)"
    )
    assert "cookiecutter.generate" in modules  # it did render
    assert "yaml" not in modules


# Each layer imports only from the layers below it: the core (scaffold/*.py) from the
# core; the three jobs and the web page from the core; only the command line from all.
LAYERS = {"core": set(), "smoke": {"core"}, "update": {"core"}, "web": {"core"}}
LAYERS["cli"] = {"core", "smoke", "update", "web"}
ENTRY_POINTS = ("scaffold._entry", "scaffold.__main__")  # above everything: they start the CLI


def _layer(module: str) -> str:
    part = module.split(".")[1] if module.count(".") else ""
    return part if part in LAYERS else "core"


def test_no_import_points_back_up() -> None:
    """Module-level and function-level imports alike: the import graph has no way up."""
    import ast
    from pathlib import Path

    import scaffold

    root = Path(scaffold.__file__).parent
    upward = []
    for path in sorted(root.rglob("*.py")):
        module = ".".join(("scaffold", *path.relative_to(root).with_suffix("").parts))
        if module in ENTRY_POINTS:
            continue
        layer = _layer(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] != "scaffold" or name == "scaffold":
                    continue
                target = _layer(name)
                if target != layer and target not in LAYERS[layer]:
                    upward.append(f"{module} imports {name}")
    assert upward == []


def test_every_install_hint_names_the_distribution() -> None:
    """`pip install scaffold` would install an unrelated project from the package index:
    a message that tells users to install scaffold names `scaffold-web`."""
    import re
    from pathlib import Path

    import scaffold

    root = Path(scaffold.__file__).parent
    hints = [
        f"{path.relative_to(root)}: {found.group(0)}"
        for path in sorted(root.rglob("*.py"))
        for found in re.finditer(
            r"pip install (--upgrade |-U )?'?scaffold\b[^'`)\s]*", path.read_text()
        )
        if not found.group(0).rstrip("'").split("scaffold", 1)[1].startswith("-web")
    ]
    assert hints == []

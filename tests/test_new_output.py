"""`scaffold new` writes, byte for byte, what plain cookiecutter writes with the same values."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scaffold.cli import cli
from tests.conftest import tree

ROOT = Path(__file__).resolve().parent.parent

# Files only scaffold writes (the answers it used) or that differ on purpose every
# time (a fresh secret), and bytecode no project should hold.
SCAFFOLD_ONLY = {".scaffold-answers.yml"}
FRESH_EACH_TIME = {".env"}

COMBINATIONS = {
    "django-defaults": ("django", []),
    "django-everything": (
        "django",
        ["database=postgresql", "api=yes", "accounts=yes", "docker=yes", "ci=gitlab"],
    ),
    "flask-defaults": ("flask", []),
    "flask-everything": (
        "flask",
        [
            "database=postgresql",
            "accounts=yes",
            "admin=yes",
            "forms=yes",
            "api=yes",
            "docker=yes",
        ],
    ),
    "flask-no-database": ("flask", ["database=none", "ci=none"]),
}


def env_keys(data: bytes) -> list[str]:
    return [line.split("=", 1)[0] for line in data.decode().splitlines()]


@pytest.mark.slow  # plain cookiecutter runs the hook scripts
@pytest.mark.parametrize("framework, assignments", COMBINATIONS.values(), ids=COMBINATIONS)
def test_new_writes_what_cookiecutter_writes(
    tmp_path: Path, framework: str, assignments: list[str]
) -> None:
    """Same files, modes and bytes as `cookiecutter --no-input` with the values scaffold used."""
    from cookiecutter.main import cookiecutter

    mine = tmp_path / "scaffold"
    mine.mkdir()
    sets = [arg for value in assignments for arg in ("--set", value)]
    args = ["new", "demo", "--no-input", "--no-git", "--framework", framework, "-o", str(mine)]
    result = CliRunner().invoke(cli, [*args, *sets])
    assert result.exit_code == 0, result.output
    project = mine / "demo"
    answers = yaml.safe_load((project / ".scaffold-answers.yml").read_text(encoding="utf-8"))

    theirs = tmp_path / "cookiecutter"
    config = tmp_path / "config.yaml"
    config.write_text(f"replay_dir: {tmp_path / 'replay'}\n", encoding="utf-8")
    plain = cookiecutter(
        str(ROOT / "templates" / framework),
        no_input=True,
        extra_context=answers["_scaffold"]["context"],
        output_dir=str(theirs),
        config_file=str(config),
    )

    written, expected = tree(project), tree(Path(plain))
    assert set(written) - SCAFFOLD_ONLY == set(expected)
    for name, (mode, data) in expected.items():
        if name in FRESH_EACH_TIME:
            assert env_keys(written[name][1]) == env_keys(data), name
            assert written[name][0] == mode, name
        else:
            assert written[name] == (mode, data), name

"""What the web tests share: two sets of answers, and the tree `scaffold new` writes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from scaffold.cli import cli
from scaffold.render import list_files

WEATHER = {
    "project_name": "Weather API",
    "purpose": "api",
    "api": "true",
    "stays_small": "true",
    "experience": "experienced",
    "own_stack": "true",
}
NEWSROOM = {
    "project_name": "Newsroom",
    "purpose": "website",
    "admin": "true",
    "accounts": "true",
    "team": "large",
    "deadline": "true",
    "prefer": "batteries",
}


def cli_tree(command: str, out: Path) -> dict[str, bytes]:
    """Run the page's ``scaffold new`` command in ``out``; return the files it wrote."""
    out.mkdir()
    words = shlex.split(command)[1:] + ["-o", str(out), "--no-git"]
    result = CliRunner().invoke(cli, words, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (project,) = [path for path in out.iterdir() if not path.name.startswith(".")]
    return {name: (project / name).read_bytes() for name in list_files(project)}


def without_secrets(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The tree with each fresh random secret in .env replaced by a marker."""
    masked = dict(tree)
    masked[".env"] = re.sub(rb"=[A-Za-z0-9_-]{40,}$", b"=<secret>", tree[".env"], flags=re.M)
    assert masked[".env"] != tree[".env"], "a generated .env holds a fresh secret"
    return masked

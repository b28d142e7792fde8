"""The documentation: the site builds with no broken link, and the README's links hold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # starts MkDocs
def test_the_site_builds_with_no_broken_link_and_no_page_left_out(tmp_path: Path) -> None:
    """`mkdocs build --strict` passes: every link between pages and to the repository's
    files resolves, and every page is in the nav."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "usage" / "index.html").is_file()


def test_every_file_the_readme_links_to_exists() -> None:
    """The README, read on GitHub and on the package index, links only to files that exist."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    assert targets, "the README links to the docs"
    missing = [t for t in targets if "://" not in t and not (ROOT / t).exists()]
    assert missing == []

"""MkDocs hook: a link from a page to a file of the repository outside docs/.

The pages are read on GitHub too, where a link such as
``../templates/flask/scaffold-checks.yml`` opens the file. The site has no such file,
so the link becomes its text; a link to a file that does not exist fails the build
(with ``strict``), as a broken link between pages does.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.scaffold_links")
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)]*)?\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    docs = Path(config["docs_dir"]).resolve()
    here = (docs / page.file.src_path).parent

    def outside(match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, mailto: ...
            return match[0]
        path = (here / target).resolve()
        if path == docs or docs in path.parents:
            return match[0]  # a page or a file of the site: MkDocs checks it
        if not path.exists():
            log.warning("%s links to %s, which does not exist", page.file.src_path, target)
        return match["text"]

    return LINK.sub(outside, markdown)

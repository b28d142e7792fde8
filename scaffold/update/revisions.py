"""Alembic's revision graph, read statically from migration files, kept whole by an update.

An option's migration chains after the template's own migrations (its
``down_revision`` is fixed: released files never change), so in a project with
migrations of its own the merged tree can give Alembic a second head, and
``flask db upgrade`` then stops at "Multiple head revisions". An update therefore
adds a merge revision, the file ``flask db merge heads`` writes, to its own merge
commit. When an update removes revisions (an option turned off), the merge
revisions it wrote earlier are rewritten to merge what is left, and a user's own
migration that revises a removed one makes the update refuse: Alembic would fail
on it. Files are parsed with ``ast``, never imported: the project's code is not run.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scaffold.errors import UpdateError
from scaffold.repository import ProjectRepository
from scaffold.update.merge import ComputedMerge, folder_files, replace_files

# Where each template keeps its Alembic revision files (Django's migrations are not Alembic's).
VERSIONS = {"flask": "migrations/versions"}

# The line that marks a merge revision as scaffold's own, which it may rewrite.
MARKER = "# scaffold update wrote this merge revision; it rewrites it if a revision merged goes."


@dataclass(frozen=True)
class Revision:
    """One migration file: its revision id, the ones it revises and depends on."""

    path: str
    revision: str
    down: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    ours: bool = False  # a merge revision scaffold update wrote


@dataclass(frozen=True)
class Reconciled:
    """The files an update writes so the graph stays whole, and what it says about them."""

    files: Mapping[str, str]
    notes: tuple[str, ...]


def keep_whole(
    repo: ProjectRepository, merged: ComputedMerge, template: str, env: Mapping[str, str]
) -> tuple[ComputedMerge, tuple[str, ...]]:
    """``merged`` with the files that keep its Alembic graph whole, and notes saying so.

    Nothing is done when the update leaves the revision files as HEAD has them, or
    when one of them has conflict markers (the user resolves those first).
    """
    folder = VERSIONS.get(template)
    if folder is None or any(c.path.startswith(f"{folder}/") for c in merged.conflicts):
        return merged, ()
    # HEAD and the merged tree are the repository's: a project may be a subdirectory.
    where = repo.inside(folder)
    folder_before, folder_after = repo.resolve(f"HEAD:{where}", f"{merged.tree}:{where}", env=env)
    if folder_before == folder_after:
        return merged, ()
    before = read_graph(_project_files(repo, "HEAD", where, env))
    after = read_graph(_project_files(repo, merged.tree, where, env))
    done = reconcile(before, after, folder)
    if not done.files:
        return merged, ()
    files = {repo.inside(path): text for path, text in done.files.items()}
    return replace_files(repo, merged, files, env), done.notes


def _project_files(
    repo: ProjectRepository, commit: str, where: str, env: Mapping[str, str]
) -> dict[str, str]:
    """The ``.py`` files of the repository's folder ``where``, named relative to the project."""
    prefix = f"{repo.prefix}/" if repo.prefix else ""
    files = folder_files(repo, commit, where, env)
    return {path.removeprefix(prefix): text for path, text in files.items()}


def parse_revision(path: str, text: str) -> Revision | None:
    """The revision ``text`` defines, or None for a file that defines none (``__init__.py``)."""
    try:
        module = ast.parse(text, filename=path)
    except SyntaxError as err:
        raise UpdateError(
            f"{path} is not valid Python (line {err.lineno}): fix it and commit, then update again"
        ) from err
    found: dict[str, ast.expr] = {}
    for node in module.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and node.value is not None:
                    found[target.id] = node.value
    if "revision" not in found:
        return None
    revision = _ids(path, "revision", found["revision"])
    if len(revision) != 1:
        raise UpdateError(f"{path}: its revision is not one string: scaffold cannot read it")
    return Revision(
        path,
        revision[0],
        _ids(path, "down_revision", found.get("down_revision")),
        _ids(path, "depends_on", found.get("depends_on")),
        ours=MARKER in text.splitlines(),
    )


def _ids(path: str, name: str, node: ast.expr | None) -> tuple[str, ...]:
    """A revision field's ids: None, a string, or a tuple or list of strings."""
    try:
        value = ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        value = node  # not a literal: refused below
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise UpdateError(
        f"{path}: its {name} is not a string or a tuple of strings: scaffold cannot read it"
    )


def read_graph(files: Mapping[str, str]) -> dict[str, Revision]:
    """The revisions ``files`` (path to text) define, by id; two files with one id are refused."""
    graph: dict[str, Revision] = {}
    for path in sorted(files):
        revision = parse_revision(path, files[path])
        if revision is None:
            continue
        if revision.revision in graph:
            other = graph[revision.revision].path
            raise UpdateError(
                f"{path} and {other} both define revision {revision.revision}: "
                "give one of them another id"
            )
        graph[revision.revision] = revision
    return graph


def heads(graph: Mapping[str, Revision]) -> tuple[str, ...]:
    """The revisions no other revision revises: more than one stops `flask db upgrade`."""
    revised = {parent for revision in graph.values() for parent in revision.down}
    return tuple(sorted(name for name in graph if name not in revised))


def reconcile(
    before: Mapping[str, Revision], after: Mapping[str, Revision], folder: str
) -> Reconciled:
    """The files that keep ``after`` (the merged tree's graph) whole, given ``before`` (HEAD's).

    A revision of scaffold's that merged a removed one is rewritten to merge what
    the removed one revised; any other revision that refers to a missing one is
    refused. Then, if the update left more than one head, a merge revision joins them.
    """
    graph = dict(after)
    files: dict[str, str] = {}
    notes: list[str] = []
    for revision in sorted(after.values(), key=lambda r: r.path):
        missing = [name for name in (*revision.down, *revision.depends_on) if name not in after]
        if not missing:
            continue
        if not revision.ours or set(missing) - set(revision.down):
            raise UpdateError(_dangling(revision, missing[0], before))
        parents = _without_ancestors(_replace_removed(revision, before, after), graph)
        graph[revision.revision] = Revision(revision.path, revision.revision, parents, ours=True)
        files[revision.path] = merge_text(revision.revision, parents)
        gone = ", ".join(name for name in revision.down if name not in after)
        notes.append(f"rewrote {revision.path}: it merged {gone}, which this update removes")
    tops = heads(graph)
    if len(tops) > 1 and tops != heads(before):
        name = new_revision_id(tops, graph)
        path = f"{folder}/{name}_merge_heads.py"
        files[path] = merge_text(name, tops)
        notes.append(
            f"added {path}: a merge revision of Alembic's heads {', '.join(tops)}, "
            "so that `flask db upgrade` has one head to go to"
        )
    return Reconciled(files, tuple(notes))


def _dangling(revision: Revision, name: str, before: Mapping[str, Revision]) -> str:
    if name in before:
        return (
            f"{revision.path} revises {name}, which this update removes "
            f"({before[name].path}): make it revise another revision, commit, and update again"
        )
    return (
        f"{revision.path} revises {name}, which no migration in its folder defines: "
        "fix its down_revision, commit, and update again"
    )


def _replace_removed(
    revision: Revision, before: Mapping[str, Revision], after: Mapping[str, Revision]
) -> tuple[str, ...]:
    """``revision``'s parents, each removed one replaced by what it revised, until kept ones."""
    parents: list[str] = []
    pending = list(revision.down)
    while pending:
        name = pending.pop(0)
        if name in after:
            if name not in parents:
                parents.append(name)
        elif name in before:
            pending.extend(before[name].down)
        else:
            raise UpdateError(_dangling(revision, name, before))
    return tuple(parents)


def _without_ancestors(parents: Iterable[str], graph: Mapping[str, Revision]) -> tuple[str, ...]:
    """``parents`` less those another one already descends from: Alembic needs no detour."""
    parents = tuple(parents)
    return tuple(p for p in parents if not any(p in _ancestors(o, graph) for o in parents))


def _ancestors(name: str, graph: Mapping[str, Revision]) -> set[str]:
    seen: set[str] = set()
    pending = list(graph[name].down) if name in graph else []
    while pending:
        parent = pending.pop()
        if parent not in seen:
            seen.add(parent)
            pending.extend(graph[parent].down if parent in graph else ())
    return seen


def new_revision_id(parents: Iterable[str], graph: Mapping[str, Revision]) -> str:
    """A 12-digit id derived from the revisions merged: the same merge gets the same id."""
    seed = " ".join(sorted(parents))
    for attempt in range(100):
        name = hashlib.sha256(f"{seed} {attempt}".encode()).hexdigest()[:12]
        if name not in graph:
            return name
    raise UpdateError("could not find an unused revision id for the merge revision")


def merge_text(revision: str, parents: tuple[str, ...]) -> str:
    """A merge revision, as `flask db merge heads` writes one, marked as scaffold's own."""
    if not parents:
        down = "None"
    elif len(parents) == 1:
        down = f'"{parents[0]}"'
    else:
        down = "(" + ", ".join(f'"{parent}"' for parent in parents) + ")"
        if len(f"down_revision = {down}") > 88:  # as ruff format wraps it
            down = "(\n" + "".join(f'    "{parent}",\n' for parent in parents) + ")"
    listed = ", ".join(parents)
    return f'''"""Merge the heads {listed}

Revision ID: {revision}
Revises: {listed}

"""

{MARKER}

# revision identifiers, used by Alembic.
revision = "{revision}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
'''

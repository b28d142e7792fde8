"""The Alembic graph an update reads from migration files, and the files that keep it whole."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scaffold.errors import UpdateError
from scaffold.update.revisions import (
    MARKER,
    heads,
    merge_text,
    parse_revision,
    read_graph,
    reconcile,
)

FOLDER = "migrations/versions"


def revision_file(name: str, down: object = None, depends_on: object = None) -> str:
    return (
        f'"""A migration."""\n\nrevision = {name!r}\ndown_revision = {down!r}\n'
        f"branch_labels = None\ndepends_on = {depends_on!r}\n\n\ndef upgrade():\n    pass\n"
    )


def graph(**downs: object) -> dict:
    """A graph from ``name=down_revision`` pairs, one file each."""
    return read_graph({f"{FOLDER}/{n}_m.py": revision_file(n, d) for n, d in downs.items()})


# The template's chain as a project with its own migration has it, before and after
# `--set accounts=true`: "mine" revises the initial revision, as does the users one.
BEFORE = graph(base=None, mine="base")
AFTER = graph(base=None, mine="base", users="base")


@pytest.mark.parametrize(
    ("down", "expected"),
    [(None, ()), ("a", ("a",)), (("a", "b"), ("a", "b")), (["a"], ("a",))],
    ids=["root", "one", "tuple", "list"],
)
def test_down_revision_forms_are_read(down, expected) -> None:
    revision = parse_revision("v/x.py", revision_file("x", down))
    assert revision is not None and revision.down == expected and not revision.ours


def test_a_file_without_a_revision_is_not_one() -> None:
    assert parse_revision("v/__init__.py", '"""Helpers."""\n') is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("revision = 'x'\ndown_revision = (\n", "v/x.py is not valid Python (line 2)"),
        ("revision = make_id()\n", "v/x.py: its revision is not a string"),
        ("revision = 'x'\ndown_revision = 3\n", "v/x.py: its down_revision is not a string"),
    ],
    ids=["syntax", "computed-revision", "number"],
)
def test_an_unreadable_file_is_one_line_error(text: str, message: str) -> None:
    with pytest.raises(UpdateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_revision("v/x.py", text)


def test_two_files_with_one_id_are_refused() -> None:
    files = {"v/a.py": revision_file("x"), "v/b.py": revision_file("x")}
    with pytest.raises(UpdateError, match="v/b.py and v/a.py both define revision x"):
        read_graph(files)


def test_heads_are_the_revisions_nothing_revises() -> None:
    assert heads(AFTER) == ("mine", "users")
    assert heads(graph(a=None, b="a", c=("a", "b"))) == ("c",)


def test_a_second_head_gets_one_merge_revision_of_both() -> None:
    done = reconcile(BEFORE, AFTER, FOLDER)
    [(path, text)] = done.files.items()
    merged = parse_revision(path, text)
    assert merged is not None and merged.ours and merged.down == ("mine", "users")
    assert path == f"{FOLDER}/{merged.revision}_merge_heads.py"
    assert heads({**AFTER, merged.revision: merged}) == (merged.revision,)
    assert "added" in done.notes[0] and "flask db upgrade" in done.notes[0]


def test_the_merge_id_is_the_same_for_the_same_heads() -> None:
    assert reconcile(BEFORE, AFTER, FOLDER).files == reconcile(BEFORE, AFTER, FOLDER).files


def test_one_head_needs_nothing() -> None:
    chain = graph(base=None, users="base")
    assert reconcile(graph(base=None), chain, FOLDER).files == {}


def test_heads_the_project_had_already_are_left_alone() -> None:
    """Two heads before and the same two after: the user's own branches, not the update's."""
    assert reconcile(AFTER, AFTER, FOLDER).files == {}


def with_merge(before: dict, parents: tuple[str, ...]) -> dict:
    path = f"{FOLDER}/m1_merge_heads.py"
    return {**before, "m1": parse_revision(path, merge_text("m1", parents))}


def test_scaffolds_merge_of_a_removed_revision_is_rewritten() -> None:
    """Accounts off again: the users revision goes, the merge revision keeps its id and
    revises what is left, so a later migration of the user's that revises it still works."""
    before = with_merge({**AFTER, **graph(admin="users")}, ("mine", "admin"))
    after = {k: v for k, v in before.items() if k not in ("users", "admin")}
    after["later"] = graph(later="m1")["later"]
    done = reconcile(before, after, FOLDER)
    [(path, text)] = done.files.items()
    rewritten = parse_revision(path, text)
    assert rewritten is not None and (rewritten.revision, rewritten.down) == ("m1", ("mine",))
    assert done.notes == (f"rewrote {path}: it merged admin, which this update removes",)


def test_a_user_migration_revising_a_removed_revision_is_refused() -> None:
    before = {**AFTER, **graph(tags="users")}
    after = {k: v for k, v in before.items() if k != "users"}
    with pytest.raises(UpdateError, match="tags_m.py revises users, which this update removes"):
        reconcile(before, after, FOLDER)


def test_a_graph_broken_already_is_refused() -> None:
    broken = {**AFTER, **graph(tags="nowhere")}
    with pytest.raises(UpdateError, match="tags_m.py revises nowhere, which no migration"):
        reconcile(BEFORE, broken, FOLDER)


def test_a_hand_made_merge_is_the_users_own() -> None:
    """A merge without scaffold's marker line is never rewritten."""
    before = {**AFTER, **graph(m=("mine", "users"))}
    after = {k: v for k, v in before.items() if k != "users"}
    with pytest.raises(UpdateError, match="m_m.py revises users"):
        reconcile(before, after, FOLDER)


@pytest.mark.slow  # runs ruff
@pytest.mark.parametrize("count", [1, 2, 6])
def test_the_merge_file_is_ruff_clean_and_marked(count: int) -> None:
    """Clean by the generated projects' rules (E501 aside: their migrations may be long)."""
    pytest.importorskip("ruff", reason="ruff comes with the test extra")
    parents = tuple(f"{n:012x}" for n in range(count))
    text = merge_text("abcdef012345", parents)
    assert MARKER in text.splitlines()
    for command in (
        ["check", "--select", "E,F,W,I,B,UP,SIM", "--ignore", "E501"],
        ["format", "--check"],
    ):
        ruff = [sys.executable, "-m", "ruff", *command, "--stdin-filename", "m.py", "-"]
        done = subprocess.run(ruff, input=text, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    revision = parse_revision("v/m.py", text)
    assert revision is not None and revision.down == parents

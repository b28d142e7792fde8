"""Tests for scaffold.smoke.matrix and the `scaffold matrix` command."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scaffold.catalog import TEMPLATE_NAMES, Template, load_template, parse_template
from scaffold.cli.smoke import matrix_command
from scaffold.errors import SmokeError
from scaffold.smoke.matrix import (
    _top_up,
    combinations,
    github_matrix,
    missing_pairs,
    pairs,
    parse_only,
    parse_shard,
    plan,
    select_templates,
    shard,
)

FLASK_LIKE: dict[str, Any] = {
    "database": ["sqlite", "postgresql", "none"],
    "accounts": False,
    "forms": False,
    "api": False,
    "admin": False,
    "docker": False,
    "ci": ["github", "gitlab", "none"],
}
FLASK_RULES = [
    {
        "when": {"accounts": True},
        "require": {"database": ["sqlite", "postgresql"]},
        "reason": "accounts need a database",
    },
    {
        "when": {"admin": True},
        "require": {"database": ["sqlite", "postgresql"]},
        "reason": "admin needs a database",
    },
    {"when": {"admin": True}, "require": {"accounts": [True]}, "reason": "admin needs login"},
]
DJANGO_LIKE: dict[str, Any] = {
    "database": ["sqlite", "postgresql"],
    "api": False,
    "accounts": False,
    "docker": False,
    "ci": ["github", "gitlab", "none"],
}


def make_template(root: Path, options: dict[str, Any], rules: list | None = None) -> Template:
    """Write a cookiecutter.json with these options and rules; return its Template."""
    root.mkdir(parents=True, exist_ok=True)
    config = {"project_name": "Tiny", **options, "_requires": rules or []}
    (root / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    return parse_template(root.name, root)


@pytest.fixture
def flask_like(tmp_path: Path) -> Template:
    return make_template(tmp_path / "flasky", FLASK_LIKE, FLASK_RULES)


@pytest.fixture
def django_like(tmp_path: Path) -> Template:
    return make_template(tmp_path / "djangoish", DJANGO_LIKE)


def valid_combinations(template: Template) -> list[dict[str, Any]]:
    """Brute force, independent of the code under test."""
    names = [option.name for option in template.options]
    rows = itertools.product(*(option.choices for option in template.options))
    every = [dict(zip(names, row, strict=True)) for row in rows]
    return [values for values in every if not template.broken_requirements(values)]


def shipped() -> list[Template]:
    """Every shipped template: one that fails to load fails the collection, never goes untested."""
    return [load_template(name) for name in TEMPLATE_NAMES]


def test_all_enumerates_the_full_product_without_requirements(django_like: Template) -> None:
    """With no rules, `all` lists every combination once, defaults first."""
    matrix = combinations(django_like, "all")
    assert len(matrix.combinations) == 2 * 2 * 2 * 2 * 3 == matrix.total
    assert len({c.items for c in matrix.combinations}) == matrix.total
    assert matrix.combinations[0].values == django_like.defaults
    assert matrix.excluded == ()


def test_all_excludes_what_the_requirements_forbid_and_counts_it(flask_like: Template) -> None:
    """No listed combination breaks a rule; every excluded one is counted with its reason."""
    matrix = combinations(flask_like, "all")
    assert all(not flask_like.broken_requirements(c.values) for c in matrix.combinations)
    assert len(matrix.combinations) == len(valid_combinations(flask_like)) == 168
    assert len(matrix.excluded) == 288 - 168
    assert matrix.excluded_reasons == {
        "accounts need a database": 48,
        "admin needs a database": 48,
        "admin needs login": 72,
    }
    assert "120 of 288 excluded" in matrix.summary()


def test_unknown_strategy_is_refused(django_like: Template) -> None:
    """A strategy other than all or pairwise is a usage error."""
    with pytest.raises(SmokeError, match="unknown strategy 'random'"):
        combinations(django_like, "random")


@pytest.mark.parametrize("kind", ["flask_like", "django_like"])
def test_pairwise_covers_every_valid_pair(kind: str, request: pytest.FixtureRequest) -> None:
    """Every pair of values that some valid combination holds appears in the pairwise set."""
    template = request.getfixturevalue(kind)
    matrix = combinations(template, "pairwise")
    wanted = set().union(*(pairs(values) for values in valid_combinations(template)))
    covered = set().union(*(pairs(c.values) for c in matrix.combinations))
    assert wanted <= covered
    assert len(matrix.combinations) < len(valid_combinations(template))
    assert all(not template.broken_requirements(c.values) for c in matrix.combinations)


@pytest.mark.parametrize("template", shipped(), ids=lambda t: t.name)
def test_pairwise_covers_every_valid_pair_of_the_shipped_templates(template: Template) -> None:
    """The shipped templates' pairwise sets miss no valid pair and list no invalid combination."""
    matrix = combinations(template, "pairwise")
    assert missing_pairs(matrix) == set()
    assert all(not template.broken_requirements(c.values) for c in matrix.combinations)


def test_pairwise_starts_with_the_defaults(flask_like: Template) -> None:
    """The combination `scaffold new --no-input` writes is always checked."""
    assert combinations(flask_like, "pairwise").combinations[0].values == flask_like.defaults


def test_top_up_adds_combinations_for_uncovered_pairs(django_like: Template) -> None:
    """Pairs the pairwise generator left out get combinations of their own."""
    valid = valid_combinations(django_like)
    chosen = _top_up([valid[0]], valid)
    wanted = set().union(*(pairs(values) for values in valid))
    assert wanted <= set().union(*(pairs(values) for values in chosen))


@pytest.mark.slow  # starts a Python
def test_pairwise_is_the_same_in_every_process(tmp_path: Path) -> None:
    """CI shards recompute the matrix in separate processes: hash seeds must not change it."""
    make_template(tmp_path / "flasky", FLASK_LIKE, FLASK_RULES)
    code = (
        "import sys; from pathlib import Path; from scaffold.catalog import parse_template;"
        "from scaffold.smoke.matrix import combinations;"
        "t = parse_template('f', Path(sys.argv[1]));"
        "print([c.id for c in combinations(t, 'pairwise').combinations])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "flasky")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 11, 12])
def test_shards_cover_everything_once(count: int) -> None:
    """The union of the shards is the whole list, with no overlap, in order."""
    items = list(range(11))
    parts = [shard(items, index, count) for index in range(1, count + 1)]
    assert [item for part in parts for item in part] == items
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0", "", "-1/3", "1/3/2"])
def test_malformed_shards_are_refused(text: str) -> None:
    """--shard must be I/N with 1 <= I <= N."""
    with pytest.raises(SmokeError, match="--shard"):
        parse_shard(text)


def test_parse_shard_reads_i_of_n() -> None:
    """A well-formed shard parses to (I, N)."""
    assert parse_shard("2/3") == (2, 3)


def test_plan_shards_split_the_run(flask_like: Template, django_like: Template) -> None:
    """Sharded plans of several templates add up to the unsharded plan."""
    _, whole = plan([django_like, flask_like], strategy="pairwise")
    parts = [
        plan([django_like, flask_like], strategy="pairwise", shard_spec=(i, 3))[1]
        for i in (1, 2, 3)
    ]
    assert [item for part in parts for item in part] == whole


def test_github_matrix_lists_one_job_per_template_shard(
    flask_like: Template, django_like: Template
) -> None:
    """Each include entry names a template and a shard; together they cover every combination."""
    matrices = [combinations(t, "pairwise") for t in (django_like, flask_like)]
    include = github_matrix(matrices, shards=2)["include"]
    assert [(job["template"], job["shard"]) for job in include] == [
        ("djangoish", "1/2"),
        ("djangoish", "2/2"),
        ("flasky", "1/2"),
        ("flasky", "2/2"),
    ]
    for matrix in matrices:
        jobs = [job for job in include if job["template"] == matrix.template.name]
        ids = " ".join(job["ids"] for job in jobs).split()
        assert ids == [c.id for c in matrix.combinations]


def test_only_narrows_the_options(flask_like: Template) -> None:
    """--only fixes an option; the rules still apply to the rest."""
    _, selected = plan([flask_like], only=["database=none", "api=yes"])
    values = [c.values for _, c in selected]
    assert values and all(v["database"] == "none" and v["api"] is True for v in values)
    assert not any(v["accounts"] or v["admin"] for v in values)


@pytest.mark.parametrize(
    ("only", "message"),
    [
        (["colour=red"], "unknown option 'colour'"),
        (["database=mysql"], "database is one of none, postgresql, sqlite"),
        (["api=maybe"], "api is one of false, true"),
        (["database"], "is not KEY=VALUE"),
    ],
)
def test_bad_only_filters_are_refused(flask_like: Template, only: list[str], message: str) -> None:
    """Unknown keys, unknown values and malformed filters are usage errors."""
    with pytest.raises(SmokeError, match=message):
        parse_only(only, [flask_like])


def test_only_that_rules_exclude_everywhere_is_refused(flask_like: Template) -> None:
    """A filter no valid combination satisfies says so instead of running nothing."""
    with pytest.raises(SmokeError, match="no valid combination has admin=true database=none"):
        plan([flask_like], only=["admin=true", "database=none"])


def test_select_templates_reads_names_all_and_paths(flask_like: Template) -> None:
    """`all` means every shipped template; a directory with a cookiecutter.json is accepted."""
    assert [t.name for t in select_templates(str(flask_like.path))] == ["flasky"]
    with pytest.raises(SmokeError, match="unknown template 'rails'"):
        select_templates("rails")


def test_matrix_command_prints_a_table_with_the_exclusions(flask_like: Template) -> None:
    """The default output says how many combinations there are and why some are out."""
    result = CliRunner().invoke(matrix_command, [str(flask_like.path)])
    assert result.exit_code == 0, result.output
    assert "168 combinations (all)" in result.output
    assert "admin needs login (72)" in result.output


def test_matrix_command_json(flask_like: Template) -> None:
    """--json prints the combinations and the excluded count."""
    result = CliRunner().invoke(
        matrix_command, [str(flask_like.path), "--strategy", "pairwise", "--json"]
    )
    data = json.loads(result.output)["matrices"][0]
    assert data["excluded"] == 120
    assert data["combinations"][0]["values"] == flask_like.defaults


def test_matrix_command_github(flask_like: Template) -> None:
    """--github prints one line of JSON for fromJSON, with --shards jobs per template."""
    args = [str(flask_like.path), "--strategy", "pairwise", "--github", "--shards", "3"]
    result = CliRunner().invoke(matrix_command, args)
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1
    assert [job["shard"] for job in json.loads(result.output)["include"]] == ["1/3", "2/3", "3/3"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rails"], "unknown template 'rails'"),
        (["all", "--json", "--github"], "pick one"),
        (["all", "--strategy", "some"], "unknown strategy"),
        (["all", "--shards", "2"], "--shards"),
    ],
)
def test_matrix_command_bad_input(args: list[str], message: str) -> None:
    """Bad input gives one `Error:` line and exit code 2."""
    result = CliRunner().invoke(matrix_command, args)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_github_matrix_gives_each_template_its_own_shard_count(
    flask_like: Template, django_like: Template
) -> None:
    """Without --shards a job gets about four combinations, counted per template."""
    matrices = [combinations(t, "pairwise") for t in (django_like, flask_like)]
    include = github_matrix(matrices)["include"]
    for matrix in matrices:
        jobs = [job for job in include if job["template"] == matrix.template.name]
        assert len(jobs) == -(-len(matrix.combinations) // 4)
        assert sum(job["combinations"] for job in jobs) == len(matrix.combinations)


# A template the size of cookiecutter-django's: dozens of options, ~10^11 combinations.
BIG: dict[str, Any] = {
    **{f"choice_{n}": ["a", "b", "c", "d"] for n in range(12)},
    **{f"flag_{n}": False for n in range(14)},
}
BIG_RULES = [
    {"when": {"flag_0": True}, "require": {"choice_0": ["a", "b"]}, "reason": "flag 0 needs a or b"}
]
BIG_TOTAL = 4**12 * 2**14


def run_matrix(args: list[str]) -> subprocess.CompletedProcess[str]:
    """`scaffold matrix` in its own process, so a run that would never end fails the test
    at the timeout instead of hanging the suite."""
    code = "from scaffold.cli.smoke import matrix_command; matrix_command()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow  # starts a Python
def test_all_on_a_huge_template_answers_at_once_with_the_count(tmp_path: Path) -> None:
    """--strategy all on dozens of options is refused before enumerating, with the count
    and a pointer to pairwise."""
    big = make_template(tmp_path / "big", BIG, BIG_RULES)
    result = run_matrix([str(big.path), "--strategy", "all"])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{BIG_TOTAL:,} option combinations" in lines[0]
    assert "--strategy pairwise" in lines[0]


@pytest.mark.slow  # starts a Python
def test_pairwise_on_a_huge_template_covers_every_pair_without_enumerating(
    tmp_path: Path,
) -> None:
    """Pairwise on dozens of options gives a small set meeting the requirements, the
    defaults first, covering every pair of values the requirements allow."""
    big = make_template(tmp_path / "big", BIG, BIG_RULES)
    result = run_matrix([str(big.path), "--strategy", "pairwise", "--json"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["matrices"][0]
    assert data["total"] == BIG_TOTAL and data["excluded"] is None
    rows = [row["values"] for row in data["combinations"]]
    assert 0 < len(rows) < 100
    assert rows[0] == big.defaults
    assert not any(big.broken_requirements(values) for values in rows)
    covered = set().union(*(pairs(values) for values in rows))
    for (a, values_a), (b, values_b) in itertools.combinations(
        [(o.name, o.choices) for o in big.options], 2
    ):
        for x in values_a:
            for y in values_b:
                pair = ((a, x), (b, y))
                if big.broken_requirements({**big.defaults, a: x, b: y}) and {a, b} & {
                    "flag_0",
                    "choice_0",
                }:
                    continue  # a pair the requirement forbids
                assert pair in covered, pair

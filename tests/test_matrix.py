"""Tests for scaffold.smoke.matrix and the `scaffold matrix` command."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scaffold.catalog import TEMPLATE_NAMES, Template, load_template, parse_template
from scaffold.cli.smoke import matrix_command
from scaffold.errors import SmokeError, TemplateError
from scaffold.smoke.matrix import _top_up, combinations, missing_pairs, pairs
from scaffold.smoke.selection import (
    github_matrix,
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


def test_the_summary_counts_one_combination_in_the_singular(flask_like: Template) -> None:
    """One combination is "1 combination", any other number takes the plural."""
    matrix = combinations(flask_like, "all")
    one = dataclasses.replace(matrix, combinations=matrix.combinations[:1])
    assert "flasky: 1 combination (all)" in one.summary()
    assert "flasky: 168 combinations (all)" in matrix.summary()


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
    django_path, flask_path = (str(t.path.resolve()) for t in (django_like, flask_like))
    assert [(job["template"], job["shard"]) for job in include] == [
        (django_path, "1/2"),
        (django_path, "2/2"),
        (flask_path, "1/2"),
        (flask_path, "2/2"),
    ]
    for matrix in matrices:
        jobs = [job for job in include if job["template"] == str(matrix.template.path)]
        ids = [combination_id for job in jobs for combination_id in job["ids"]]
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
        jobs = [job for job in include if job["template"] == str(matrix.template.path)]
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


FIXTURES = Path(__file__).parent / "fixtures" / "templates"
YN_TOGGLES = FIXTURES / "yn-toggles"
HOOK_CONSTRAINTS = FIXTURES / "hook-constraints"
# The yn-toggles fixture's toggles, each with its own spelling of "on".
TOGGLES_ON = {
    "use_docker": "y",
    "use_celery": "y",
    "use_sentry": "Yes",
    "use_mailpit": "yes",
    "use_heroku": "Y",
}


@pytest.mark.parametrize(
    ("default", "choices"),
    [
        ("y", ("y", "n")),
        ("n", ("n", "y")),
        ("No", ("No", "Yes")),
        ("yes", ("yes", "no")),
        ("YES", ("YES", "NO")),
        ("N", ("N", "Y")),
    ],
)
def test_yes_no_strings_are_two_valued_options(
    tmp_path: Path, default: str, choices: tuple[str, str]
) -> None:
    """A "y"/"n" (or "yes"/"no") default is an option with both answers, spelled as the
    template spells them, its default first; it is no free-text variable."""
    template = make_template(tmp_path / "toggle", {"use_docker": default})
    option = template.option("use_docker")
    assert option is not None and option.choices == choices
    assert "use_docker" not in template.variables


def test_yes_no_toggles_count_and_pairwise_turns_each_on() -> None:
    """Five toggles and a three-way choice: 96 combinations, and a pairwise set that sets
    each toggle both ways, with every pair covered."""
    [template] = select_templates(str(YN_TOGGLES))
    every = combinations(template, "all")
    assert every.total == len(every.combinations) == 2**5 * 3
    pairwise = combinations(template, "pairwise")
    assert missing_pairs(pairwise) == set()
    for name, on in TOGGLES_ON.items():
        seen = {combination.values[name] for combination in pairwise.combinations}
        assert on in seen and len(seen) == 2, name


def test_toggle_ids_name_the_toggles_that_are_on() -> None:
    """A toggle set adds its name to the id, as a boolean does; one unset adds nothing."""
    [template] = select_templates(str(YN_TOGGLES))
    ids = {c.id: c.values for c in combinations(template, "all").combinations}
    assert ids["GitHub"] == {**template.defaults, "use_celery": "n", "use_mailpit": "no"}
    assert ids["use_docker-use_celery-use_mailpit-GitLab"]["use_docker"] == "y"


def test_toggle_ids_hold_under_only_and_only_toggles_read_as_names(tmp_path: Path) -> None:
    """A toggle narrowed by --only still adds its name; a "Y" among other choices is a
    value like any other, shown as itself."""
    [template] = select_templates(str(YN_TOGGLES))
    _, selected = plan([template], only=["use_docker=y", "ci_tool=None"])
    assert all(c.id.startswith("use_docker-") and c.id.endswith("-None") for _, c in selected)
    axes = make_template(tmp_path / "axes", {"axis": ["X", "Y", "N"], "flag": "n"})
    ids = [c.id for c in combinations(axes, "all").combinations]
    assert ids == ["X", "X-flag", "Y", "Y-flag", "N", "N-flag"]


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (["use_docker=y"], "y"),
        (["use_docker=Y"], "y"),
        (["use_docker=true"], "y"),
        (["use_sentry=Yes"], "Yes"),
        (["use_sentry=true"], "Yes"),
        (["use_sentry=no"], "No"),
        (["use_heroku=yes"], "Y"),
    ],
)
def test_only_reads_a_toggle_by_its_own_spelling_or_true_and_false(
    only: list[str], expected: str
) -> None:
    """--only takes the template's own "y"/"Yes" (any case) or true/false, and keeps the
    template's spelling in the values the template is rendered with."""
    [template] = select_templates(str(YN_TOGGLES))
    key = only[0].split("=")[0]
    _, selected = plan([template], only=only)
    assert {combination.values[key] for _, combination in selected} == {expected}


def test_a_toggle_takes_no_other_value_through_only() -> None:
    """--only use_docker=maybe is refused with the toggle's own answers."""
    [template] = select_templates(str(YN_TOGGLES))
    with pytest.raises(SmokeError, match="use_docker is one of n, y"):
        plan([template], only=["use_docker=maybe"])


@pytest.mark.parametrize(
    "rule",
    [
        {"when": {"project_name": "Tiny"}, "require": {"docker": [True]}, "reason": "a text"},
        {"when": {"docker": True}, "require": {"colour": ["red"]}, "reason": "no such"},
    ],
    ids=["when-names-a-text-variable", "require-names-nothing"],
)
def test_a_requires_rule_naming_no_option_is_an_error(tmp_path: Path, rule: dict) -> None:
    """A _requires rule about a variable that is not an option is refused, never applied
    to a value no combination sets (which silently drops or keeps rows)."""
    with pytest.raises(TemplateError, match=f"the _requires rule {rule['reason']!r} names"):
        make_template(tmp_path / "broken", DJANGO_LIKE, [rule])


def test_matrix_command_refuses_a_requires_rule_naming_no_option_in_one_line(
    tmp_path: Path,
) -> None:
    """Through the CLI, the broken rule is one `Error:` line and exit code 1."""
    root = tmp_path / "broken"
    root.mkdir()
    rule = {"when": {"colour": "red"}, "require": {"docker": [True]}, "reason": "red needs docker"}
    config = {"project_name": "Tiny", **DJANGO_LIKE, "_requires": [rule]}
    (root / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    result = CliRunner().invoke(matrix_command, [str(root)])
    assert result.exit_code == 1, result.output
    assert (
        result.output.startswith("Error: ") and "'colour', which is not an option" in result.output
    )
    assert len(result.output.strip().splitlines()) == 1


AWKWARD: dict[str, Any] = {
    "status": ["Production/Stable", "4 - Beta", ".hidden", "", "x" * 90, "plain"],
    "docker": False,
}


def test_ids_are_path_safe_bounded_and_unique(tmp_path: Path) -> None:
    """No id holds a slash or whitespace, starts with a dot or runs past 64 characters;
    an id whose values had to change carries a hash, so none is shared."""
    template = make_template(tmp_path / "awkward", AWKWARD)
    ids = [c.id for c in combinations(template, "all").combinations]
    assert len(set(ids)) == len(ids) == 12
    for combination_id in ids:
        assert "/" not in combination_id and not any(ch.isspace() for ch in combination_id)
        assert not combination_id.startswith(".") and 0 < len(combination_id) <= 64
    assert "plain-docker" in ids and "plain" in ids  # nothing to change: no hash
    assert any(
        i.startswith("Production_Stable-") and len(i) == len("Production_Stable-") + 8 for i in ids
    )


@pytest.mark.parametrize(
    "options",
    [
        {"x": False, "c": ["x", "y"], "y": False},
        {"first": ["a-b", "a"], "second": ["c", "b-c"]},
    ],
    ids=["value-spelled-like-a-toggle", "values-holding-the-separator"],
)
def test_ids_of_combinations_that_read_alike_are_told_apart(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    """Two combinations whose ids would read the same get different ids."""
    template = make_template(tmp_path / "alike", options)
    ids = [c.id for c in combinations(template, "all").combinations]
    assert len(set(ids)) == len(ids)


def test_github_matrix_ids_are_a_list(tmp_path: Path) -> None:
    """Each job's ids are a list, so ids stay separable whatever the values hold."""
    template = make_template(tmp_path / "awkward", AWKWARD)
    [job] = github_matrix([combinations(template, "all")], shards=1)["include"]
    assert job["ids"] == [c.id for c in combinations(template, "all").combinations]


def smoke_args_of(entry: dict[str, Any]) -> tuple[list[Template], list[str]]:
    """What a `scaffold smoke` job given this GitHub matrix entry would check: the
    templates its argument selects and the ids of its shard."""
    templates = select_templates(entry["template"])
    _, selected = plan(
        templates, strategy=entry["strategy"], shard_spec=parse_shard(entry["shard"])
    )
    return templates, [combination.id for _, combination in selected]


@pytest.mark.parametrize("where", ["cwd", "below-cwd", "elsewhere", "named-like-shipped"])
def test_github_matrix_entries_round_trip_into_smoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """`scaffold matrix DIR --github` names the template so that `scaffold smoke` given
    each entry finds the same template and the same combinations, wherever DIR is."""
    name = "flask" if where == "named-like-shipped" else "tpl"
    root = tmp_path / "repo" / name
    template = make_template(root, FLASK_LIKE, FLASK_RULES)
    cwd = {"cwd": root, "elsewhere": tmp_path / "other"}.get(where, tmp_path / "repo")
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)
    given = "." if where == "cwd" else os.path.join(".", os.path.relpath(root))
    result = CliRunner().invoke(matrix_command, [given, "--strategy", "pairwise", "--github"])
    assert result.exit_code == 0, result.output
    include = json.loads(result.output)["include"]
    assert len(include) > 1
    for entry in include:
        templates, ids = smoke_args_of(entry)
        assert [t.path for t in templates] == [template.path.resolve()]
        assert ids == entry["ids"]


def test_github_matrix_names_shipped_templates_by_name() -> None:
    """The shipped templates stay `django` and `flask` in the GitHub matrix."""
    matrices = [combinations(t, "pairwise") for t in shipped()]
    include = github_matrix(matrices, shards=1)["include"]
    assert [entry["template"] for entry in include] == list(TEMPLATE_NAMES)
    for entry in include:
        assert smoke_args_of(entry)[1] == entry["ids"]


def test_repeated_only_for_one_key_takes_any_of_its_values(flask_like: Template) -> None:
    """--only database=sqlite --only database=postgresql keeps both databases."""
    _, selected = plan([flask_like], only=["database=sqlite", "database=postgresql"])
    assert {c.values["database"] for _, c in selected} == {"sqlite", "postgresql"}
    _, both = plan([flask_like], only=["api=true", "api=false", "database=none"])
    assert {c.values["api"] for _, c in both} == {True, False}


def test_repeated_only_keeps_the_values_a_template_has(
    flask_like: Template, django_like: Template
) -> None:
    """A value one template lacks narrows that template to the values it has."""
    _, selected = plan([django_like, flask_like], only=["database=none", "database=sqlite"])
    seen = {(t.name, c.values["database"]) for t, c in selected}
    assert seen == {("djangoish", "sqlite"), ("flasky", "sqlite"), ("flasky", "none")}


OK_STEP = {"name": "ok", "run": ["python", "-c", "pass"]}


def with_rules(root: Path, options: dict[str, Any], **rules: list[dict[str, Any]]) -> Template:
    """A template whose checks file declares ``exclude`` / ``expect_refused`` rules."""
    make_template(root, options)
    checks = {"version": 1, "steps": [OK_STEP], **rules}  # JSON is YAML
    (root / "scaffold-checks.yml").write_text(json.dumps(checks), encoding="utf-8")
    return parse_template(root.name, root)


HOOKED: dict[str, Any] = {
    "use_docker": "n",
    "frontend": ["None", "Webpack", "Vite"],
    "cloud": ["AWS", "GCP", "None"],
    "mail": ["Mailgun", "Amazon SES"],
}
SES_NEEDS_AWS = {
    "when": {"cloud": ["GCP", "None"], "mail": "Amazon SES"},
    "reason": "SES needs AWS",
}
WEBPACK_NEEDS_DOCKER = {"when": {"use_docker": "n", "frontend": "Webpack"}, "reason": "Docker"}


@pytest.mark.parametrize("strategy", ["all", "pairwise"])
def test_checks_exclusions_are_never_listed_and_are_counted(tmp_path: Path, strategy: str) -> None:
    """A combination the checks file excludes is never generated, and is counted with its
    reason as a _requires exclusion is; pairwise still covers every pair left."""
    template = with_rules(tmp_path / "hooked", HOOKED, exclude=[SES_NEEDS_AWS])
    matrix = combinations(template, strategy)
    assert matrix.excluded_reasons == {"SES needs AWS": 12}
    assert matrix.total == 36 and "12 of 36 excluded: SES needs AWS (12)" in matrix.summary()
    for combination in matrix.combinations:
        assert combination.values["mail"] == "Mailgun" or combination.values["cloud"] == "AWS"
    assert missing_pairs(matrix) == set()


def test_checks_expected_refusals_are_listed_with_their_reason(tmp_path: Path) -> None:
    """A combination the hook is expected to refuse stays in the matrix, marked with the
    reason."""
    template = with_rules(tmp_path / "hooked", HOOKED, expect_refused=[WEBPACK_NEEDS_DOCKER])
    matrix = combinations(template, "all")
    marked = [c for c in matrix.combinations if matrix.expected_refusal(c.values)]
    assert len(marked) == 6 and len(matrix.combinations) == 36
    assert all(c.values["use_docker"] == "n" and c.values["frontend"] == "Webpack" for c in marked)
    assert "6 expected to be refused" in matrix.summary()
    listed = matrix.to_dict()["combinations"]
    assert sum(entry.get("expect_refused") == "Docker" for entry in listed) == 6


def test_pairwise_covers_pairs_with_generated_combinations_and_samples_each_refusal(
    tmp_path: Path,
) -> None:
    """A combination the hook refuses generates nothing, so covers no pair: pairwise covers
    every pair with generated combinations, plus one combination per expect_refused rule."""
    docker_only = {"when": {"use_docker": "n"}, "reason": "the hook wants Docker"}
    rules = {"exclude": [SES_NEEDS_AWS], "expect_refused": [docker_only, WEBPACK_NEEDS_DOCKER]}
    template = with_rules(tmp_path / "hooked", HOOKED, **rules)
    matrix = combinations(template, "pairwise")
    generated = [c.values for c in matrix.combinations if c.values["use_docker"] == "y"]
    wanted = [v for v in valid_combinations(template) if v["use_docker"] == "y"]
    wanted = [v for v in wanted if v["mail"] == "Mailgun" or v["cloud"] == "AWS"]
    assert set().union(*map(pairs, wanted)) <= set().union(*map(pairs, generated))
    assert missing_pairs(matrix) == set()
    refused = [c for c in matrix.combinations if matrix.expected_refusal(c.values)]
    assert [c.values["frontend"] for c in refused] == ["None", "Webpack"]  # one per rule


def test_expected_refusals_survive_only(tmp_path: Path) -> None:
    """Narrowing with --only keeps reading the rules against the whole template."""
    template = with_rules(tmp_path / "hooked", HOOKED, expect_refused=[WEBPACK_NEEDS_DOCKER])
    matrices, selected = plan([template], only=["frontend=Webpack", "use_docker=n"])
    assert all(matrices[0].expected_refusal(c.values) == "Docker" for _, c in selected)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"exclude": [{"when": {"colour": "red"}, "reason": "r"}]}, "names 'colour', which is not"),
        ({"expect_refused": [{"when": {"cloud": "Azure"}, "reason": "r"}]}, "cloud is one of AWS"),
        ({"exclude": [{"when": {"cloud": "AWS"}}]}, "needs exactly 'when' and 'reason'"),
        ({"exclude": {"when": {"cloud": "AWS"}}}, "must be a list of"),
    ],
    ids=["unknown-option", "unknown-value", "no-reason", "not-a-list"],
)
def test_malformed_checks_rules_are_one_line_errors(
    tmp_path: Path, rules: dict[str, Any], message: str
) -> None:
    """A rule naming no option, a value its option lacks, or no reason is an error naming
    it, never a rule that silently matches nothing; through the CLI it is one line."""
    template = with_rules(tmp_path / "hooked", HOOKED, **rules)
    with pytest.raises(TemplateError, match=message):
        combinations(template, "all")
    result = CliRunner().invoke(matrix_command, [str(template.path)])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_hook_constraints_fixture_declares_what_its_hook_refuses() -> None:
    """The fixture's checks file excludes the SES combinations and expects the hook to
    refuse Webpack without Docker."""
    [template] = select_templates(str(HOOK_CONSTRAINTS))
    matrix = combinations(template, "all")
    assert (matrix.total, len(matrix.excluded), len(matrix.combinations)) == (36, 12, 24)
    assert sum(bool(matrix.expected_refusal(c.values)) for c in matrix.combinations) == 4


def smokeable(template: Template) -> Template:
    """``template`` under the name of the cached empty environment (``smoke_cache``)."""
    return dataclasses.replace(template, name="tiny")


@pytest.mark.slow  # a smoke run: a render process and plain cookiecutter's hook script
def test_smoke_passes_the_refusals_its_checks_file_expects(smoke_cache: Path) -> None:
    """The hook-constraints fixture: the excluded combinations are never generated, the
    refused ones the checks file expects pass as such, and the run passes."""
    from scaffold.smoke.report import text_report
    from scaffold.smoke.runner import run_smoke

    [template] = select_templates(str(HOOK_CONSTRAINTS))
    template = smokeable(template)
    run = run_smoke([template], strategy="all", jobs=2, cache=smoke_cache)
    assert len(run.results) == 24 and len(run.matrices[0].excluded) == 12
    statuses = Counter(result.status for result in run.results)
    assert statuses == {"passed": 20, "refused as expected": 4}, run.failures
    assert run.ok
    assert "20 passed, 0 failed, 4 refused as expected" in " ".join(text_report(run))


@pytest.mark.slow  # a smoke run: a render process and plain cookiecutter's hook script
def test_smoke_reports_a_refusal_nothing_declared_as_refused(
    tmp_path: Path, smoke_cache: Path
) -> None:
    """The same template without expect_refused: its hook's refusals are reported as
    refused (not failed), with the hook's words, and the run fails."""
    import yaml

    root = tmp_path / "hook-constraints"
    shutil.copytree(HOOK_CONSTRAINTS, root)
    checks = yaml.safe_load((root / "scaffold-checks.yml").read_text(encoding="utf-8"))
    del checks["expect_refused"]
    (root / "scaffold-checks.yml").write_text(yaml.safe_dump(checks), encoding="utf-8")
    [template] = select_templates(str(root))
    run = run_smoke_of(smokeable(template), smoke_cache)
    assert len(run.refusals) == 4 and run.failures == [] and not run.ok
    for result in run.refusals:
        assert result.combination.values["frontend"] == "Webpack"
        assert "ERROR: the Webpack frontend needs Docker" in result.steps[0].output


def run_smoke_of(template: Template, cache: Path, strategy: str = "all", **kwargs: Any) -> Any:
    """``scaffold smoke`` on one template, with the test's cache of environments."""
    from scaffold.smoke.runner import run_smoke

    return run_smoke([template], strategy=strategy, jobs=2, cache=cache, **kwargs)


@pytest.mark.slow  # a smoke run: a render process
def test_keep_gives_each_combination_one_directory(tmp_path: Path, smoke_cache: Path) -> None:
    """A value such as Production/Stable makes no nested --keep directories: each
    combination is one directory below the template's."""
    root = tmp_path / "statuses"
    make_template(root, {"status": ["Production/Stable", "4 - Beta", ".hidden"]})
    (root / "{{cookiecutter.project_name}}").mkdir()
    (root / "{{cookiecutter.project_name}}" / "STATUS").write_text("{{ cookiecutter.status }}\n")
    kept = tmp_path / "kept"
    run = run_smoke_of(smokeable(parse_template("statuses", root)), smoke_cache, keep=kept)
    assert run.ok, [r.failed_step for r in run.failures]
    directories = sorted(path.relative_to(kept / "tiny") for path in (kept / "tiny").iterdir())
    assert len(directories) == 3
    for result in run.results:
        assert result.project_dir is not None and result.project_dir.parent == kept / "tiny"
        status = (result.project_dir / "STATUS").read_text().strip()
        assert status == result.combination.values["status"]


@pytest.mark.slow  # a smoke run: a render process
def test_yes_no_toggles_render_as_plain_cookiecutter_renders_them(
    tmp_path: Path, smoke_cache: Path
) -> None:
    """Each pairwise combination of the yn-toggles fixture is generated with the template's
    own strings: the same files, byte for byte, as cookiecutter --no-input writes."""
    from cookiecutter.main import cookiecutter

    [template] = select_templates(str(YN_TOGGLES))
    kept = tmp_path / "kept"
    run = run_smoke_of(smokeable(template), smoke_cache, "pairwise", keep=kept)
    assert run.ok and len(run.results) == len(combinations(template, "pairwise").combinations)
    for result in run.results:
        assert result.project_dir is not None
        plain = tmp_path / "plain" / result.combination.id
        cookiecutter(
            str(YN_TOGGLES),
            no_input=True,
            extra_context=result.combination.values,
            output_dir=str(plain),
        )
        [project] = plain.iterdir()
        assert tree(result.project_dir) == tree(project), result.combination.label()
    docker = [r for r in run.results if r.combination.values["use_docker"] == "y"]
    assert docker and all("docker compose" in tree(r.project_dir)["README.md"] for r in docker)  # type: ignore[arg-type]


def tree(root: Path) -> dict[str, str]:
    """Every file below ``root``, by relative path, with its text."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_smoke_command_refuses_a_value_a_toggle_cannot_take_in_one_line() -> None:
    """--only use_docker=maybe names the toggle's own answers in one `Error:` line (exit 2),
    before anything is generated."""
    from scaffold.cli.smoke import smoke_command

    result = CliRunner().invoke(smoke_command, [str(YN_TOGGLES), "--only", "use_docker=maybe"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and "use_docker is one of n, y" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_smoke_command_refuses_a_checks_rule_naming_no_option(tmp_path: Path) -> None:
    """A checks-file rule naming no option stops `scaffold smoke` with one line, exit 1."""
    from scaffold.cli.smoke import smoke_command

    rule = {"when": {"colour": "red"}, "reason": "red is refused"}
    template = with_rules(tmp_path / "hooked", HOOKED, expect_refused=[rule])
    result = CliRunner().invoke(smoke_command, [str(template.path)])
    assert result.exit_code == 1, result.output
    assert (
        result.output.startswith("Error: ") and "'colour', which is not an option" in result.output
    )
    assert len(result.output.strip().splitlines()) == 1


SPEC_OPTIONS = FIXTURES / "spec-options"


def spec_like(root: Path) -> Path:
    """A template whose prompts live in a spec file: every cookiecutter.json value is ""."""
    (root / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (root / "{{cookiecutter.project_slug}}" / "README.md").write_text("{{ cookiecutter.license }}")
    config = {"project_name": "", "project_slug": "", "license": "", "docs": "", "year": "2024"}
    (root / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["matrix", "smoke"])
def test_a_template_with_nothing_to_vary_says_what_scaffold_sees(
    tmp_path: Path, command: str
) -> None:
    """Free-text variables only, most of them empty: one line says scaffold found no option
    to vary, counts what it found, and points at the checks file's options."""
    from scaffold.cli.smoke import smoke_command

    root = spec_like(tmp_path / "spec")
    if command == "matrix":
        result = CliRunner().invoke(matrix_command, [str(root)])
        assert result.exit_code == 0, result.output
    else:  # stopped at once by a --keep directory in use: the note comes before the run
        (tmp_path / "kept" / "x").mkdir(parents=True)
        result = CliRunner().invoke(smoke_command, [str(root), "--keep", str(tmp_path / "kept")])
        assert result.exit_code == 2 and "is not empty" in result.stderr
    [note] = [line for line in result.stderr.splitlines() if line.startswith("Note: ")]
    assert "template 'spec' declares no options scaffold can vary" in note
    assert "every variable in cookiecutter.json is free text (5 of them, 4 empty)" in note
    assert note.endswith("list option values under options: in scaffold-checks.yml")


def test_a_template_with_options_to_vary_gets_no_such_note(tmp_path: Path) -> None:
    """The spec-options fixture lists its values in the checks file: no note."""
    result = CliRunner().invoke(matrix_command, [str(SPEC_OPTIONS)])
    assert result.exit_code == 0 and "Note:" not in result.stderr


def test_single_value_options_are_left_out_of_ids() -> None:
    """An option listed with one value (project_name: [Spec Demo]) is in every combination:
    the ids name only what varies."""
    [template] = select_templates(str(SPEC_OPTIONS))
    matrix = combinations(template, "all")
    assert [c.id for c in matrix.combinations] == [
        "MIT",
        "MIT-docs",
        "Apache-2.0",
        "Apache-2.0-docs",
    ]
    assert all(c.values["project_name"] == "Spec Demo" for c in matrix.combinations)

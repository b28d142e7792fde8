"""Shared fixtures: small templates built in tmp_path, and a CLI runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

if sys.dont_write_bytecode and sys.pycache_prefix is None:
    # PYTHONDONTWRITEBYTECODE (set on many CI machines) would make every run, and every
    # xdist worker, compile scaffold and rewrite the test modules' asserts anew: seconds
    # per worker. The tests' own processes keep their compiled code in pytest's cache
    # folder instead, never beside a source file; the processes they start are left as
    # the environment says (an installed scaffold's bytecode is a thing tests look for).
    sys.pycache_prefix = str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False

import pytest
from click.testing import CliRunner

from scaffold.catalog import Template, parse_template
from tests.template_checks import Renders

# What CPython prints when Ctrl-C stops it before it has run any of scaffold's code:
# while importing site, runpy, or the package `python -m` names.
CPYTHON_STARTING = re.compile(
    r"Fatal Python error: init_|Could not import runpy module"
    r"|Error while finding module specification|<frozen runpy>"
)


def python_was_still_starting(code: int, err: str) -> bool:
    """True when a Ctrl-C reached the process while the interpreter itself was starting,
    before scaffold's entry point ran: CPython answers it (the process dies of SIGINT,
    or CPython prints its own error), as docs/usage.md says. A traceback through
    scaffold's own code past its entry point is never that: it is a bug."""
    if re.search(r"scaffold/(?!__init__|__main__|_entry)\w", err):
        return False
    if code == -signal.SIGINT:
        return True
    return "KeyboardInterrupt" in err and CPYTHON_STARTING.search(err) is not None


def git_shim(tmp_path: Path, line: str) -> str:
    """A PATH whose git first runs the shell ``line`` (its arguments in ``$@``), then the
    real git: to interrupt scaffold, or wait, at one git step."""
    real_git = shutil.which("git")
    assert real_git
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f'#!/bin/sh\n{line}\nexec {real_git} "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def make_template(
    root: Path,
    *,
    config: dict | None = None,
    files: dict[str, str] | None = None,
    hooks: dict[str, str] | None = None,
) -> Template:
    """Write a small cookiecutter template under ``root`` and return it parsed."""
    root.mkdir(parents=True, exist_ok=True)
    config = config or {
        "project_name": "Demo",
        "project_slug": "{{ cookiecutter.project_name|lower|replace(' ', '_') }}",
        "database": ["sqlite", "postgresql", "none"],
        "accounts": False,
        "_requires": [
            {
                "when": {"accounts": True},
                "require": {"database": ["sqlite", "postgresql"]},
                "reason": "accounts need a database",
            }
        ],
        "_reserved_slugs": ["forbidden"],
    }
    (root / "cookiecutter.json").write_text(json.dumps(config), encoding="utf-8")
    project = root / "{{cookiecutter.project_slug}}"
    project.mkdir(exist_ok=True)
    for name, text in (files or {"README.md": "# {{ cookiecutter.project_name }}\n"}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    if hooks:
        (root / "hooks").mkdir(exist_ok=True)
        for name, text in hooks.items():
            (root / "hooks" / name).write_text(text, encoding="utf-8")
    return parse_template(root.name, root)


def tree(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below ``root``: its mode and bytes (a symlink: its target)."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        if "__pycache__" in name or name.endswith((".pyc", ".pyo")):
            continue
        mode = path.lstat().st_mode
        data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        found[name] = (mode, data)
    return found


@pytest.fixture
def tiny_template(tmp_path: Path) -> Template:
    """A two-option template with one requirement and one reserved slug."""
    return make_template(tmp_path / "tiny")


def _fast_suite(config: pytest.Config) -> bool:
    return "not slow" in (config.getoption("markexpr") or "")


def pytest_configure(config: pytest.Config) -> None:
    """The fast suite keeps its temp files in memory (/dev/shm) when the machine has it.

    Its tests make and remove tens of thousands of small files and directories (git
    repositories, renders); on a disk that is a third of their time. Only when nothing
    chose a place already (--basetemp, TMPDIR); the slow suite, as users do, uses the
    disk. The processes the tests start inherit the place.
    """
    if not _fast_suite(config) or config.option.basetemp or os.environ.get("TMPDIR"):
        return
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return
    room = os.statvfs(shm)
    if room.f_flag & os.ST_NOEXEC or room.f_bavail * room.f_frsize < 512 * 2**20:
        return  # tests run scripts from their temp directories, and need some room
    mine = shm / f"scaffold-tests-{os.getuid()}"
    try:
        mine.mkdir(mode=0o700, exist_ok=True)
        found = mine.lstat()
    except OSError:
        return
    # A shared directory: use it only if it is a directory of this user's alone.
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return
    os.environ["TMPDIR"] = str(mine)
    tempfile.tempdir = None  # Python's temp directory is looked up again


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (in addopts) spreads the fast suite over every core; a run that includes
    the slow tests stays in one process, as before: their Ctrl-C at set moments, races
    and real timeouts are written for a machine that is not also running other tests."""
    if _fast_suite(config):
        return None  # xdist's own count: the machine's cores
    return 0


# Every program a test starts (by its file name), in this process, whatever thread.
_STARTED: list[str] = []


def _note_start(event: str, args: tuple) -> None:
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec"):
        # The program's path (for shell=True, the shell's).
        _STARTED.append(os.path.basename(os.fsdecode(args[0])))
    elif event == "os.system":
        _STARTED.append("sh")
    elif event in ("os.fork", "os.forkpty"):
        _STARTED.append("a fork of the test's process")


sys.addaudithook(_note_start)


_FIRST_START = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Note where a test's starts begin: before its fixtures, session-wide ones included."""
    item.stash[_FIRST_START] = len(_STARTED)
    return (yield)


@pytest.fixture(autouse=True)
def _fast_tests_start_only_git(request: pytest.FixtureRequest) -> Iterator[None]:
    """The fast suite runs scaffold in the test's own process, with git: a test that
    starts anything else (another Python, a server, plain cookiecutter's hook scripts,
    a generated project's tools, a virtualenv), itself or in a fixture it is the first
    to use, is marked slow. This keeps it so."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    yield
    first = request.node.stash.get(_FIRST_START, 0)
    others = sorted(set(_STARTED[first:]) - {"git"})
    if others:
        pytest.fail(
            f"started {', '.join(others)}: only a test marked slow starts a program other than git",
            pytrace=False,
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs a PostgreSQL server is slow: the fast suite starts no servers."""
    for item in items:
        if item.get_closest_marker("postgres") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def renders(tmp_path_factory: pytest.TempPathFactory) -> Renders:
    """Projects of the shipped templates, each rendered once per session; only to be read."""
    return Renders(tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def empty_environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smoke environment of a template named tiny whose projects need no package.

    Built once per session; the fast suite builds no other virtualenv.
    """
    from scaffold.smoke.environment import ensure_environment

    return ensure_environment("tiny", [], tmp_path_factory.mktemp("environments")).path


@pytest.fixture
def smoke_cache(tmp_path: Path, empty_environment: Path) -> Path:
    """A smoke cache of the test's own, holding a copy of the empty environment."""
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copytree(empty_environment, cache / empty_environment.name, symlinks=True)
    return cache


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user with no home directory (no HOME, no passwd entry) and no cache variable."""

    def unknown() -> Path:
        raise RuntimeError("Could not determine home directory.")

    for name in ("SCAFFOLD_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(unknown))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True, scope="session")
def _git_without_fsync() -> Iterator[None]:
    """Every git the tests start skips fsync: their repositories are thrown away, and
    waiting for the disk was a third of the update tests' time. GIT_CONFIG_COUNT adds
    the setting at git's command-line scope, whatever config a test gives git."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_COUNT", "1")
        patch.setenv("GIT_CONFIG_KEY_0", "core.fsync")
        patch.setenv("GIT_CONFIG_VALUE_0", "none")
        yield


@pytest.fixture(autouse=True)
def _no_ci_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never prompt unless they ask to: CliRunner has no terminal anyway."""
    monkeypatch.setenv("CI", "true")


def throwaway_server(script: str, variable: str, need: str, *, export: bool) -> Iterator[str]:
    """The server `variable` names, or one `.ci/<script>` starts and stops around the
    tests; `export` sets the variable while it runs. `need` says what to install."""
    url = os.environ.get(variable)
    if url:
        yield url
        return
    path = Path(__file__).resolve().parent.parent / ".ci" / script
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = subprocess.run(
        ["bash", str(path), "start", str(port)], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        pytest.fail(f"these tests need {need} ({started.stderr.strip()})")
    url = started.stdout.strip()
    if export:
        os.environ[variable] = url
    try:
        yield url
    finally:
        subprocess.run(["bash", str(path), "stop", str(port)], capture_output=True, check=False)
        if export:
            del os.environ[variable]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server: SCAFFOLD_TEST_POSTGRES_URL, or a throwaway one started here."""
    yield from throwaway_server(
        "postgres",
        "SCAFFOLD_TEST_POSTGRES_URL",
        "PostgreSQL: set SCAFFOLD_TEST_POSTGRES_URL or install PostgreSQL's initdb",
        export=True,
    )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server: SCAFFOLD_TEST_REDIS_URL, or a throwaway one started by .ci/redis."""
    yield from throwaway_server(
        "redis",
        "SCAFFOLD_TEST_REDIS_URL",
        "Redis: set SCAFFOLD_TEST_REDIS_URL or install redis-server",
        export=False,
    )

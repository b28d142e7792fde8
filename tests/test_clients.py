"""The shipped templates work with every cookiecutter client, as its users run it.

One virtualenv per test session gets cookiecutter, cruft and pytest-cookies from the
package index (pip's configured one), nothing of scaffold's; each client runs there,
on a copy of this repository's templates, with a home directory of the test's own.
The hook scripts run as those clients run them: rendered, from a temp file, in the
new project.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test starts the clients (and they start Pythons)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ("django", "flask")
# The default project slug, and a file inside the package named after it.
PACKAGE = {"django": ("my_site", "settings.py"), "flask": ("my_app", "__init__.py")}
UNRENDERED = ("{{ cookiecutter", "{{cookiecutter", "{% ")


@pytest.fixture(scope="session")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a new virtualenv holding cookiecutter, cruft and pytest-cookies."""
    venv = tmp_path_factory.mktemp("clients") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
         "cookiecutter", "cruft", "pytest-cookies"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-3000:]
    return venv / "bin"


def copy_repository(target: Path) -> Path:
    """This repository's templates and its nested-templates entry, copied to ``target``."""
    target.mkdir(parents=True)
    shutil.copy(ROOT / "cookiecutter.json", target)
    shutil.copytree(
        ROOT / "templates",
        target / "templates",
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return target


@pytest.fixture
def env(clients: Path, tmp_path: Path) -> dict[str, str]:
    """The clients first on PATH, a home of the test's own (cookiecutter's replay files and
    clones go there) and a git identity."""
    home = tmp_path / "home"
    home.mkdir()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    return {
        **environment,
        "HOME": str(home),
        "PATH": f"{clients}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }


def run(
    args: list[str], cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )


def ok(args: list[str], cwd: Path, env: dict[str, str], stdin: str = "") -> str:
    done = run(args, cwd, env, stdin)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def check_project(project: Path, template: str) -> None:
    """The project has its files, its hooks ran, and nothing was left unrendered."""
    slug, module = PACKAGE[template]
    assert project.name == slug
    for name in ("README.md", "pyproject.toml", ".env.example", f"{slug}/{module}"):
        assert (project / name).is_file(), name
    # The post-generation hook wrote .env (owner only) and removed the unchosen files.
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    assert not (project / "Dockerfile").exists()
    # ...and kept the lock of the rendered dependency lists, named for the project.
    assert f'name = "{slug.replace("_", "-")}"' in (project / "uv.lock").read_text()
    assert not (project / ".scaffold-locks").exists()
    for path in project.rglob("*"):
        name = path.relative_to(project).as_posix()
        assert not any(mark in name for mark in UNRENDERED), name
        if path.is_file() and ".git" not in path.relative_to(project).parts:
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert not any(mark in text for mark in UNRENDERED[:2]), name


def only_project(out: Path) -> Path:
    (project,) = [path for path in out.iterdir() if path.is_dir()]
    return project


@pytest.mark.parametrize("template", TEMPLATES)
def test_cookiecutter_through_the_nested_entry(
    template: str, tmp_path: Path, env: dict[str, str]
) -> None:
    """`cookiecutter <repo>` asks which template, then its questions (all defaults here)."""
    repo = copy_repository(tmp_path / "repo")
    choice = str(TEMPLATES.index(template) + 1)
    ok(["cookiecutter", str(repo), "-o", "out"], tmp_path, env, stdin=choice + "\n" * 40)
    check_project(only_project(tmp_path / "out"), template)


@pytest.mark.parametrize("template", TEMPLATES)
def test_cookiecutter_with_directory_and_replay(
    template: str, tmp_path: Path, env: dict[str, str]
) -> None:
    """`cookiecutter <repo> --directory templates/<name> --no-input`, then `--replay-file`
    of the replay file that run wrote (with another name in it) makes that project."""
    repo = copy_repository(tmp_path / "repo")
    args = ["cookiecutter", str(repo), "--directory", f"templates/{template}"]
    ok([*args, "--no-input", "-o", "first"], tmp_path, env)
    check_project(only_project(tmp_path / "first"), template)

    replay = Path(env["HOME"]) / ".cookiecutter_replay" / f"{template}.json"
    context = json.loads(replay.read_text(encoding="utf-8"))
    slug, _ = PACKAGE[template]
    context["cookiecutter"]["project_name"] = f"{slug} again"
    edited = tmp_path / "replay.json"
    edited.write_text(json.dumps(context), encoding="utf-8")
    ok([*args, "--replay-file", str(edited), "-o", "second"], tmp_path, env)
    project = only_project(tmp_path / "second")
    check_project(project, template)
    assert (project / "README.md").read_text(encoding="utf-8").startswith(f"# {slug} again\n")


def commit_all(directory: Path, env: dict[str, str], message: str) -> None:
    ok(["git", "add", "-A"], directory, env)
    ok(["git", "commit", "-q", "-m", message], directory, env)


@pytest.mark.parametrize("template", TEMPLATES)
def test_cruft_create_check_and_update(template: str, tmp_path: Path, env: dict[str, str]) -> None:
    """cruft makes a project from a git repository of the templates; after a second commit
    to the template `cruft check` says the project is behind and `cruft update` brings
    the change in. `.env` holds fresh secrets each render, so it is skipped, as cruft's
    users skip such files."""
    repo = copy_repository(tmp_path / "repo")
    ok(["git", "init", "-q", "-b", "main"], repo, env)
    commit_all(repo, env, "the templates")
    ok(
        ["cruft", "create", str(repo), "--directory", f"templates/{template}", "--no-input",
         "--output-dir", "out", "--skip", ".env"],
        tmp_path, env,
    )  # fmt: skip
    project = only_project(tmp_path / "out")
    check_project(project, template)
    assert json.loads((project / ".cruft.json").read_text())["directory"] == f"templates/{template}"
    ok(["git", "init", "-q", "-b", "main"], project, env)
    commit_all(project, env, "the project")
    assert "up to date" in ok(["cruft", "check"], project, env)

    readme = repo / "templates" / template / "{{cookiecutter.project_slug}}" / "README.md"
    with readme.open("a", encoding="utf-8") as file:
        file.write("\nChanged by the template's second commit.\n")
    commit_all(repo, env, "a change to the template")
    behind = run(["cruft", "check"], project, env)
    assert behind.returncode != 0 and "out of date" in behind.stdout

    ok(["cruft", "update", "-y"], project, env)
    text = (project / "README.md").read_text(encoding="utf-8")
    assert text.endswith("\nChanged by the template's second commit.\n")
    assert not list(project.rglob("*.rej"))
    assert "up to date" in ok(["cruft", "check"], project, env)


BAKE = """\
import os
from pathlib import Path


def test_bake(cookies):
    result = cookies.bake(template=os.environ["TEMPLATE"])
    assert result.exit_code == 0, result.exception
    Path(os.environ["BAKED"]).write_text(str(result.project_path))
"""


@pytest.mark.parametrize("template", TEMPLATES)
def test_pytest_cookies_bakes_the_template(
    template: str, tmp_path: Path, env: dict[str, str]
) -> None:
    """A template's own tests with pytest-cookies: `cookies.bake()` makes the project."""
    repo = copy_repository(tmp_path / "repo")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_bake.py").write_text(BAKE, encoding="utf-8")
    baked = tmp_path / "baked.txt"
    ok(
        ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--keep-baked-projects", "--basetemp", str(tmp_path / "basetemp"), "test_bake.py"],
        tests,
        {**env, "TEMPLATE": str(repo / "templates" / template), "BAKED": str(baked)},
    )  # fmt: skip
    check_project(Path(baked.read_text()), template)

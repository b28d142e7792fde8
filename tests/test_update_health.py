"""`scaffold update` moves a Flask project made from template version 2 to `/healthz`.

Version 3 of the Flask template serves its health check at `/healthz`, as the Django
template does, and keeps `/health` answering for load balancers set up before. The
update carries the route and every file that uses it (the Dockerfile's HEALTHCHECK,
the README, the home page's link, the project's test) into a project made from
version 2, by the three-way merge, beside the user's own changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from scaffold.answers import layer_answers
from scaffold.catalog import Template, load_template, parse_template, templates_root
from scaffold.project import ANSWERS_FILE, make_project, plan_project
from scaffold.update.actions import update_project
from tests.tiny_project import commit_all, git, hermetic_git

PROJECT = "{{cookiecutter.project_slug}}"
# What version 3 changed, file by file: (version 2's text, version 3's text).
VERSION_3 = {
    f"{PROJECT}/{PROJECT}/main.py": [
        (
            '@bp.get("/health")\ndef health():',
            "# /health is the path before template version 3: it keeps answering for load"
            " balancers\n# and images set up then. Remove that line once nothing asks for"
            ' it.\n@bp.get("/health")\n@bp.get("/healthz")\ndef health():',
        )
    ],
    f"{PROJECT}/Dockerfile": [
        ("unhealthy when /health stops", "unhealthy when /healthz stops"),
        ("127.0.0.1:8000/health'", "127.0.0.1:8000/healthz'"),
    ],
    f"{PROJECT}/README.md": [
        (
            'URL; `/health`\nanswers `{"status": "ok"}` for load balancers.',
            'URL; `/healthz`\nanswers `{"status": "ok"}` for load balancers (`/health`,'
            " its path before template\nversion 3, still answers: move your load balancer"
            " to `/healthz`, then drop that\nroute in `main.py`).",
        ),
        ("the image checks `/health`, and", "the image checks `/healthz`, and"),
    ],
    f"{PROJECT}/{PROJECT}/templates/index.html": [('">/health</a>', '">/healthz</a>')],
    f"{PROJECT}/tests/test_app.py": [
        (
            '"""/health answers a JSON status{% if db %} once the database answers{% endif %}."""'
            '\n    response = client.get("/health")\n    assert response.status_code == 200\n'
            '    assert response.get_json() == {"status": "ok"}',
            '"""/healthz answers a JSON status{% if db %} once the database answers{% endif %};'
            "\n    /health, its path before template version 3, still answers; the home page"
            ' links\n    /healthz."""\n    for path in ("/healthz", "/health"):\n'
            "        response = client.get(path)\n        assert response.status_code == 200\n"
            '        assert response.get_json() == {"status": "ok"}\n'
            '    assert \'href="/healthz"\' in client.get("/").text',
        )
    ],
    "cookiecutter.json": [('"_template_version": 2,', '"_template_version": 3,')],
}
# A route of the user's own, at the end of the file the update changes.
ABOUT = '\n\n@bp.get("/about")\ndef about():\n    """Say who we are."""\n    return "About us"\n'


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    hermetic_git(tmp_path_factory.mktemp("home"), monkeypatch)


def version_2(root: Path) -> Template:
    """The Flask template as version 2 was: the installed one with version 3's change undone."""
    shutil.copytree(templates_root(), root, symlinks=True)
    flask = root / "flask"
    for name, changes in VERSION_3.items():
        path = flask / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert text.count(new) == 1, f"{name} no longer reads as version 3 wrote it: {new!r}"
            text = text.replace(new, old)
        path.write_text(text, encoding="utf-8")
    return parse_template("flask", flask)


def updated_project(tmp_path: Path) -> Path:
    """A project `new` made from version 2 (with Docker), changed by its user, then updated."""
    old = version_2(tmp_path / "templates")
    answers = layer_answers(framework=old, name="Shop", set_values={"docker": "true"})
    plan = plan_project(answers, template=old)
    project = make_project(plan, output_dir=tmp_path / "out").rendered.path
    assert '@bp.get("/health")\ndef health' in (project / "shop" / "main.py").read_text()
    with (project / "shop" / "main.py").open("a") as main:
        main.write(ABOUT)
    with (project / "README.md").open("a") as readme:
        readme.write("\nOur own notes.\n")
    commit_all(project, "our about page and notes")

    update_project(project)
    return project


def test_an_update_from_version_2_serves_healthz(tmp_path: Path) -> None:
    """The route, the HEALTHCHECK, the README and the link move to /healthz; /health stays;
    the user's route and notes are kept; the project records version 3."""
    project = updated_project(tmp_path)

    main = (project / "shop" / "main.py").read_text()
    assert '@bp.get("/health")\n@bp.get("/healthz")\ndef health():' in main
    assert main.endswith(ABOUT)
    assert "127.0.0.1:8000/healthz'" in (project / "Dockerfile").read_text()
    readme = (project / "README.md").read_text()
    assert "`/healthz`\nanswers" in readme and readme.endswith("\nOur own notes.\n")
    index = (project / "shop" / "templates" / "index.html").read_text()
    assert '">/healthz</a>' in index
    assert "client.get(path)" in (project / "tests" / "test_app.py").read_text()
    assert git(project, "status", "--porcelain") == ""
    record = yaml.safe_load((project / ANSWERS_FILE).read_text())
    assert record["_scaffold"]["template_version"] == 3
    assert (
        json.loads((templates_root() / "flask" / "cookiecutter.json").read_text())[
            "_template_version"
        ]
        == 3
    )


@pytest.mark.slow  # the project's own checks: its tests, ruff, and the production server
def test_a_project_updated_from_version_2_passes_its_checks(tmp_path: Path) -> None:
    """After the update the project's tests (which ask /healthz and /health) pass, and its
    production server answers /healthz and /health, as the template's checks ask."""
    from scaffold.smoke.steps import check_project

    project = updated_project(tmp_path)
    values = yaml.safe_load((project / ANSWERS_FILE).read_text())["_scaffold"]["context"]
    result = check_project(load_template("flask"), project, values)
    failed = result.failed_step
    assert result.ok, failed and f"{failed.name}: {failed.message}\n{failed.output}"
    ran = [step.name for step in result.steps if not step.skipped]
    assert "tests" in ran and "production" in ran, ran

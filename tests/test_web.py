"""The web page and its endpoints, through Flask's test client."""

from __future__ import annotations

import importlib.util
import io
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffold.cli import cli
from scaffold.web import core, create_app
from tests.web_helpers import NEWSROOM, WEATHER, cli_tree, without_secrets


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temp file of the app goes into a directory of this test's own."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@pytest.fixture
def client():
    return create_app().test_client()


@pytest.fixture
def local(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    return create_app(out).test_client()


def test_page_labels_every_question(client) -> None:
    """Every question has a labelled control with its help text."""
    html = client.get("/").get_data(as_text=True)
    for question in core.form()["questions"]:
        assert f'for="f-{question["key"]}"' in html
        assert f'id="f-{question["key"]}"' in html
        if question["help"]:
            assert f'id="help-{question["key"]}"' in html


def test_share_link_fills_the_answers(client) -> None:
    """A share link's query fills the form, recommendation and command on the server."""
    html = client.get("/?project_name=Newsroom&purpose=website&admin=true").get_data(as_text=True)
    assert 'value="Newsroom"' in html
    assert '<option value="website" selected>' in html
    assert 'name="admin" type="checkbox" value="true"\n               checked' in html
    assert "--set admin=true" in html
    assert "admin is true: Django&#39;s built-in admin" in html


def test_page_shows_errors_next_to_fields(client) -> None:
    """A bad value in the query is named next to its field, and the page still answers."""
    response = client.get("/?project_name=Demo&purpose=spaceship")
    assert response.status_code == 200
    assert "purpose must be one of api, website" in response.get_data(as_text=True)


def test_recommendation_follows_the_answers(client) -> None:
    """The weather API developer gets Flask, the newsroom team Django."""
    weather = client.post("/api/recommend", json={"answers": WEATHER}).json
    newsroom = client.post("/api/recommend", json={"answers": NEWSROOM}).json
    assert weather["framework"] == "flask" and not weather["errors"]
    assert newsroom["framework"] == "django" and not newsroom["errors"]
    assert newsroom["recommendation"]["scores"]["django"] > 0
    assert "--framework django" in newsroom["command"]


def test_switching_framework_is_an_override(client) -> None:
    """Choosing the other framework is recorded as an override."""
    answers = {**WEATHER, "framework": "django"}
    state = client.post("/api/recommend", json={"answers": answers}).json
    assert state["framework"] == "django" and state["overridden"]
    assert "framework=django" in state["share"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("colour", "blue"),
        ("purpose", "spaceship"),
        ("docker", "maybe"),
        ("framework", "rails"),
        ("project_name", "class"),
        ("project_name", "../escape"),
        ("project_name", ""),
        ("project_slug", "not a slug"),
    ],
    ids=[
        "unknown-key",
        "bad-choice",
        "bad-bool",
        "bad-framework",
        "keyword-name",
        "path-name",
        "empty-name",
        "bad-slug",
    ],
)
def test_bad_input_gets_the_cli_message(client, tmp_path: Path, key: str, value: str) -> None:
    """Each bad value is refused with the one-line message the CLI prints for it."""
    answers = {"project_name": "Demo", key: value}
    reply = client.post("/api/preview", json={"answers": answers})
    assert reply.status_code == 422
    message = reply.json["errors"][key if key != "project_slug" else "project_slug"]
    assert "\n" not in message
    words = ["new", answers["project_name"], "--no-input", "--dry-run", "-o", str(tmp_path)]
    if key != "project_name":
        words += ["--set", f"{key}={value}"]
    result = CliRunner().invoke(cli, words)
    assert result.exit_code == 2
    assert message in result.output


def test_preview_matches_scaffold_new(client, tmp_path: Path) -> None:
    """The preview holds exactly the files and contents `scaffold new` writes."""
    state = client.post("/api/recommend", json={"answers": NEWSROOM}).json
    preview = client.post("/api/preview", json={"answers": NEWSROOM}).json
    written = cli_tree(state["command"], tmp_path / "cli")
    shown = {f["path"]: f["text"].encode() for f in preview["files"]}
    assert without_secrets(shown) == without_secrets(written)
    assert preview["framework"] == "django"


def test_zip_matches_scaffold_new(client, tmp_path: Path) -> None:
    """The zip download is the tree `scaffold new` writes, in one top folder."""
    state = client.post("/api/recommend", json={"answers": WEATHER}).json
    reply = client.post("/api/zip", json={"answers": WEATHER})
    assert reply.status_code == 200
    assert reply.headers["Content-Disposition"] == 'attachment; filename="weather_api.zip"'
    with zipfile.ZipFile(io.BytesIO(reply.data)) as archive:
        zipped = {
            name.removeprefix("weather_api/"): archive.read(name) for name in archive.namelist()
        }
    assert without_secrets(zipped) == without_secrets(cli_tree(state["command"], tmp_path / "cli"))


def test_zip_from_a_plain_form(client) -> None:
    """Without JavaScript the form posts its fields; _given narrows them to what was answered."""
    fields = {"project_name": "Demo", "purpose": "api", "team": "solo", "_given": "purpose"}
    reply = client.post("/api/zip", data=fields)
    assert reply.status_code == 200 and reply.mimetype == "application/zip"


def test_file_endpoint(client) -> None:
    """One file's content for the answers in the query; a path outside the tree is not found."""
    ok = client.get("/api/file", query_string={"path": "README.md", "project_name": "Demo"})
    assert ok.status_code == 200 and ok.data.startswith(b"# Demo")
    for path in ("../../etc/passwd", "/etc/passwd", "nothing.txt"):
        missing = client.get("/api/file", query_string={"path": path, "project_name": "Demo"})
        assert missing.status_code == 404 and "pick one from the list" in missing.json["error"]


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{% raw %}", "{{ cycler.__init__.__globals__ }}"])
def test_template_syntax_in_values_stays_literal(client, value: str) -> None:
    """A value is data: written as typed, never evaluated as a template."""
    answers = {"project_name": "Demo", "description": value, "author_name": value}
    preview = client.post("/api/preview", json={"answers": answers})
    assert preview.status_code == 200, preview.json
    readme = next(f["text"] for f in preview.json["files"] if f["path"] == "README.md")
    assert value in readme
    assert "49" not in readme


def test_generate_writes_into_the_start_directory(local, tmp_path: Path) -> None:
    """Local mode writes the project where `scaffold web` started, with next steps."""
    reply = local.post("/api/generate", json={"answers": {"project_name": "Demo"}})
    assert reply.status_code == 200, reply.json
    assert reply.json["path"] == str((tmp_path / "out" / "demo").resolve())
    assert (tmp_path / "out" / "demo" / ".scaffold-answers.yml").is_file()
    assert "flask run" in reply.json["next_steps"]
    again = local.post("/api/generate", json={"answers": {"project_name": "Demo"}})
    assert again.status_code == 409 and "already exists" in again.json["error"]


def test_generate_makes_a_missing_directory_and_says_what_git_did(local, tmp_path: Path) -> None:
    """A directory that does not exist yet is made, as `scaffold new -o DIR` makes it, and
    the reply says in typed fields that the project has a repository and can be updated."""
    answers = {"answers": {"project_name": "Demo"}, "directory": "new/place"}
    reply = local.post("/api/generate", json=answers)
    assert reply.status_code == 200, reply.json
    assert (tmp_path / "out" / "new" / "place" / "demo" / ".git").is_dir()
    assert reply.json["git_outcome"] == "repository" and reply.json["updatable"] is True


def test_local_mode_answers_only_loopback_names(local, tmp_path: Path) -> None:
    """A local server refuses a request addressed to another name (DNS rebinding)."""
    answers = {"answers": {"project_name": "Demo"}}
    reply = local.post("/api/generate", json=answers, headers={"Host": "evil.example"})
    assert reply.status_code == 403
    assert not (tmp_path / "out" / "demo").exists()
    assert local.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_hosted_mode_never_writes(client, tmp_path: Path) -> None:
    """The team server has no Generate, whatever directory is asked for."""
    answers = {"answers": {"project_name": "Demo"}, "directory": str(tmp_path)}
    reply = client.post("/api/generate", json=answers)
    assert reply.status_code == 404
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
    ids=["foreign-origin", "cross-site-fetch", "null-origin"],
)
def test_cross_site_posts_are_refused(client, headers: dict[str, str]) -> None:
    """CSRF: a POST from another site's page is refused before anything runs."""
    reply = client.post("/api/zip", data={"project_name": "Demo"}, headers=headers)
    assert reply.status_code == 403
    assert reply.json == {"error": "cross-site request refused: use the page on this server"}


def test_same_origin_posts_pass(client) -> None:
    """The page's own requests carry its origin and are served."""
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    reply = client.post("/api/recommend", json={"answers": WEATHER}, headers=headers)
    assert reply.status_code == 200


def test_oversized_body_is_refused(client) -> None:
    """A body over the limit gets 413 and one line."""
    answers = {"project_name": "Demo", "description": "x" * (80 * 1024)}
    reply = client.post("/api/preview", json={"answers": answers})
    assert reply.status_code == 413
    assert reply.json == {"error": "the request is larger than 64 KiB: send fewer answers"}


@pytest.mark.parametrize("data", ["{not json", "[1, 2]", '{"answers": [1]}'])
def test_malformed_json_is_refused(client, data: str) -> None:
    """A body that is not an object of answers gets 400 and says what to send."""
    reply = client.post("/api/recommend", data=data, content_type="application/json")
    assert reply.status_code == 400
    assert "send a JSON object" in reply.json["error"]


def test_unexpected_error_shows_no_traceback(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug answers 500 with one line; the details stay in the server log."""

    def broken(_request):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(core, "recommendation", broken)
    api = client.post("/api/recommend", json={"answers": WEATHER})
    page = client.get("/?project_name=Demo")
    for reply in (api, page):
        body = reply.get_data(as_text=True)
        assert reply.status_code == 500
        assert "Traceback" not in body and "internal detail" not in body
        assert "nothing was written" in body


def test_slow_render_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A render that outlives the time limit answers 503 instead of hanging the request."""
    release = threading.Event()
    monkeypatch.setattr(core, "_render", lambda plan: release.wait(30))
    client = create_app(render_timeout=0.05).test_client()
    try:
        reply = client.post("/api/preview", json={"answers": {"project_name": "Demo"}})
    finally:
        release.set()
    assert reply.status_code == 503
    assert "took longer than 0.05 seconds" in reply.json["error"]


def test_security_headers(client) -> None:
    """The page allows only its own scripts and styles and cannot be framed."""
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_file_is_left_behind(client, private_tmp: Path) -> None:
    """Previews, zips, files and refusals all leave the temp directory empty."""
    client.post("/api/preview", json={"answers": NEWSROOM})
    client.post("/api/zip", json={"answers": WEATHER})
    client.get("/api/file", query_string={"path": "README.md", "project_name": "Demo"})
    client.post("/api/preview", json={"answers": {"project_name": "class"}})
    client.post("/api/preview", json={"answers": {"project_name": "Demo", "description": "{%"}})
    assert list(private_tmp.iterdir()) == []


def test_command_without_flask_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the web extra, `scaffold web` names the package to install and fails."""
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "flask" else real(name, *a)
    )
    result = CliRunner().invoke(cli, ["web", "--no-browser"])
    assert result.exit_code == 1
    assert "pip install 'scaffold-web[web]'" in result.output


def test_command_on_a_busy_port_says_so() -> None:
    """A port already taken is one line and a non-zero exit, not a traceback."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["web", "--no-browser", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_a_second_render_compiles_no_file_again(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server keeps the templates' compiled code: after one render of a template,
    the next (other answers) compiles none of its files again."""
    from jinja2 import Environment

    from scaffold.web import core

    real = Environment._compile
    files: list[str] = []

    def compile_and_note(self: Environment, source: str, filename: str) -> object:
        if filename != "<template>":  # a file of the template, not a name
            files.append(filename)
        return real(self, source, filename)

    monkeypatch.setattr(Environment, "_compile", compile_and_note)
    core._compiled.cache_clear()  # a server that has not rendered yet
    first = client.post("/api/preview", json={"answers": {"project_name": "Demo"}})
    assert first.status_code == 200, first.json
    assert any(name.endswith("README.md") for name in files)
    files.clear()
    second = client.post("/api/preview", json={"answers": {"project_name": "Other"}})
    assert second.status_code == 200, second.json
    readme = next(f["text"] for f in second.json["files"] if f["path"] == "README.md")
    assert readme.startswith("# Other")
    assert files == []

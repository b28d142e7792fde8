{% set db = cookiecutter.database != "none" %}
{% set flag = "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" %}
"""The JSON API: answers and errors are JSON."""

import pytest


@pytest.fixture(autouse=True)
def csrf_on(app):
    """Run the API tests with CSRF protection on, as in production."""
    app.config["{{ flag }}"] = True


def test_unknown_api_route_answers_json_404(client):
    """Errors under /api/ are JSON, not HTML pages."""
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "Not Found"


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_unknown_api_route_answers_404_whatever_the_method(client, method):
    """A write to a missing API URL is a JSON 404, not a CSRF error."""
    response = client.open("/api/no-such-thing", method=method)
    assert response.status_code == 404
    assert response.is_json


def test_wrong_method_answers_json_405(client):
    """A method the URL does not take is a JSON 405 naming the allowed ones."""
{% if db %}
    response = client.delete("/api/notes")
{% else %}
    response = client.delete("/api/echo")
{% endif %}
    assert response.status_code == 405
    assert response.is_json
    assert "POST" in response.headers["Allow"]


def test_server_error_answers_json_500(app, client):
    """An unhandled error under /api/ is a JSON 500, not the HTML page."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.get_json()["error"] == "Internal Server Error"
{% if db %}


def test_create_and_list_notes(client, author):
    """POST /api/notes creates a note; GET /api/notes lists it."""
    response = client.post("/api/notes", json={"text": "from the API"})
    assert response.status_code == 201
    note = response.get_json()
    assert set(note) == {"id", "text", "created_at"}
    assert note["text"] == "from the API"
    assert note["created_at"].endswith("+00:00")

    response = client.get("/api/notes")
    assert response.status_code == 200
    assert response.get_json() == {"notes": [note]}
{% if cookiecutter.accounts %}


def test_anonymous_write_is_refused(client):
    """Without a signed-in user, POST /api/notes answers a JSON 401."""
    response = client.post("/api/notes", json={"text": "anonymous"})
    assert response.status_code == 401
    assert response.is_json
    assert client.get("/api/notes").get_json() == {"notes": []}
{% endif %}


def test_invalid_note_answers_json_400(client, author):
    """A body without a usable "text" gets a JSON 400 that says why."""
    response = client.post("/api/notes", json={"text": ""})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Bad Request"
    assert "text" in body["message"]


def test_form_encoded_body_is_refused(client, author):
    """Only JSON bodies are accepted, which is why the API needs no CSRF token."""
    response = client.post("/api/notes", data={"text": "from a form"})
    assert response.status_code == 400
    assert response.is_json
{% else %}


def test_index_lists_the_endpoints(client):
    """GET /api/ describes the API in JSON."""
    response = client.get("/api/")
    assert response.status_code == 200
    assert "POST /api/echo" in response.get_json()["endpoints"]


def test_echo(client):
    """POST /api/echo sends the JSON body back, with no CSRF token."""
    response = client.post("/api/echo", json={"hello": "world"})
    assert response.status_code == 200
    assert response.get_json() == {"echo": {"hello": "world"}}


def test_form_encoded_body_is_refused(client):
    """Only JSON bodies are accepted, which is why the API needs no CSRF token."""
    response = client.post("/api/echo", data={"hello": "world"})
    assert response.status_code == 400
    assert response.is_json
{% endif %}

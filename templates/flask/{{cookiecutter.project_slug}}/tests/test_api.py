{% set db = cookiecutter.database != "none" %}
{% set flag = "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" %}
"""The JSON API: answers and errors are JSON."""


def test_health(client):
    """/api/health answers a JSON status."""
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_api_route_answers_json_404(client):
    """Errors under /api/ are JSON, not HTML pages."""
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "Not Found"
{% if db %}


def test_create_and_list_notes(client):
    """POST /api/notes creates a note; GET /api/notes lists it."""
    response = client.post("/api/notes", json={"text": "from the API"})
    assert response.status_code == 201
    note = response.get_json()
    assert set(note) == {"id", "text", "created_at"}
    assert note["text"] == "from the API"

    response = client.get("/api/notes")
    assert response.status_code == 200
    assert response.get_json() == {"notes": [note]}


def test_invalid_note_answers_json_400(client):
    """A body without a usable "text" gets a JSON 400 that says why."""
    response = client.post("/api/notes", json={"text": ""})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Bad Request"
    assert "text" in body["message"]


def test_form_encoded_body_is_refused(client):
    """Only JSON bodies are accepted, which is why the API needs no CSRF token."""
    response = client.post("/api/notes", data={"text": "from a form"})
    assert response.status_code == 400
    assert response.is_json
{% else %}


def test_echo(client):
    """POST /api/echo sends the JSON body back."""
    response = client.post("/api/echo", json={"hello": "world"})
    assert response.status_code == 200
    assert response.get_json() == {"echo": {"hello": "world"}}


def test_form_encoded_body_is_refused(client):
    """Only JSON bodies are accepted, which is why the API needs no CSRF token."""
    response = client.post("/api/echo", data={"hello": "world"})
    assert response.status_code == 400
    assert response.is_json
{% endif %}
{% if cookiecutter.forms or db %}


def test_api_post_needs_no_csrf_token(app, client):
    """CSRF protection, on for forms, lets the JSON API's POSTs through."""
    app.config["{{ flag }}"] = True
{% if db %}
    response = client.post("/api/notes", json={"text": "no token"})
    assert response.status_code == 201
{% else %}
    response = client.post("/api/echo", json={"token": None})
    assert response.status_code == 200
{% endif %}
{% endif %}

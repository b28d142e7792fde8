{% set db = cookiecutter.database != "none" %}
{% set flag = "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" %}
"""The JSON API: schemas, errors, the OpenAPI document, tokens, pagination, CORS."""

{% if cookiecutter.accounts %}
from datetime import timedelta

{% endif %}
import pytest
from openapi_spec_validator import validate
{% if cookiecutter.accounts %}
from sqlalchemy import select
{% endif %}

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import TestingConfig
{% if cookiecutter.accounts %}
from {{ cookiecutter.project_slug }}.extensions import db, limiter
from {{ cookiecutter.project_slug }}.models import (
    ApiToken,
    Note,
    User,
    hash_token,
    utcnow,
)

PASSWORD = "correct horse battery staple"  # the `user` fixture's password
{% elif db %}
from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Note

API_KEY = "test-api-key-for-writing-notes"
{% endif %}


@pytest.fixture(autouse=True)
def csrf_on(app):
    """Run the API tests with CSRF protection on, as in production."""
    app.config["{{ flag }}"] = True
{% if cookiecutter.accounts %}


def get_token(client, email="ada@example.com", password=PASSWORD):
    """Return the response of POST /api/tokens with these credentials."""
    return client.post("/api/tokens", json={"email": email, "password": password})


@pytest.fixture
def token(client, user):
    """Return a bearer token of `user`, got with their email and password."""
    return get_token(client).get_json()["token"]


@pytest.fixture
def bearer(token):
    """Return the headers that authenticate as `user`."""
    return {"Authorization": f"Bearer {token}"}
{% elif db %}


@pytest.fixture
def bearer(app):
    """Return the headers that carry the API key, set for this test."""
    app.config["API_KEY"] = API_KEY
    return {"Authorization": f"Bearer {API_KEY}"}
{% endif %}


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


def test_site_errors_stay_html(client):
    """The API's JSON errors do not reach the site's own pages."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_openapi_document_is_valid(client):
    """/api/openapi.json is a valid OpenAPI document describing the endpoints."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
{% if cookiecutter.accounts %}
    paths = {"/api/tokens", "/api/tokens/current", "/api/notes", "/api/notes/{note_id}"}
    assert paths <= set(document["paths"])
{% elif db %}
    assert {"/api/notes", "/api/notes/{note_id}"} <= set(document["paths"])
{% else %}
    assert "/api/echo" in document["paths"]
{% endif %}


def test_docs_page_alone_may_run_inline_scripts(client):
    """Swagger UI's inline start-up script runs on /api/docs, and nowhere else."""
    docs = client.get("/api/docs").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs
    assert "unsafe-inline" not in client.get("/").headers["Content-Security-Policy"]


def test_docs_page_loads_its_scripts_from_this_server(client):
    """/api/docs uses Swagger UI served by the app itself, not from a CDN."""
    page = client.get("/api/docs").text
    assert 'src="/api/docs/assets/swagger-ui-bundle.js"' in page
    assert "https://" not in page.split("<body>")[0]
    with client.get("/api/docs/assets/swagger-ui-bundle.js") as script:
        assert script.status_code == 200


def preflight(client, origin):
    """Send a browser's CORS preflight for a POST with a token from `origin`."""
    return client.options(
        "/api/{{ "notes" if db else "echo" }}",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )


def test_cors_is_off_by_default(client):
    """Without CORS_ORIGINS, no other origin is allowed to call the API."""
    response = preflight(client, "https://app.example.com")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_the_listed_origins_only():
    """With CORS_ORIGINS, the listed origins may call the API, with a token."""

    class CorsConfig(TestingConfig):
        CORS_ORIGINS = ["https://app.example.com"]

    client = create_app(CorsConfig).test_client()
    allowed = preflight(client, "https://app.example.com")
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    other = preflight(client, "https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other.headers
{% if db %}


def test_create_and_list_notes(client, bearer):
    """POST /api/notes creates a note; GET /api/notes lists it."""
    body = {"text": " from the API "}
    response = client.post("/api/notes", json=body, headers=bearer)
    assert response.status_code == 201
    note = response.get_json()
    assert note["text"] == "from the API"
    assert note["created_at"].endswith("+00:00")

    response = client.get("/api/notes")
    assert response.status_code == 200
    assert response.get_json()["notes"] == [note]


def test_list_is_paginated_with_links(client, bearer):
    """?page= and ?per_page= pick a page; links lead to the others."""
    for number in range(5):
        client.post("/api/notes", json={"text": f"note {number}"}, headers=bearer)

    first = client.get("/api/notes?per_page=2").get_json()
    assert [note["text"] for note in first["notes"]] == ["note 4", "note 3"]
    assert first["total"] == 5
    assert first["links"]["next"] == "/api/notes?page=2&per_page=2"
    assert first["links"]["last"] == "/api/notes?page=3&per_page=2"
    assert "prev" not in first["links"]

    second = client.get(first["links"]["next"]).get_json()
    assert [note["text"] for note in second["notes"]] == ["note 2", "note 1"]
    assert second["links"]["prev"] == "/api/notes?page=1&per_page=2"


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "page=x"])
def test_bad_page_arguments_answer_422_naming_the_field(client, query):
    """Out of range or not a number, ?page= and ?per_page= get a JSON 422."""
    response = client.get(f"/api/notes?{query}")
    assert response.status_code == 422
    field = query.split("=")[0]
    assert field in response.get_json()["errors"]["query"]


@pytest.mark.parametrize(
    "body", [{"text": ""}, {}, {"text": 3}, {"text": "x" * 281}], ids=str
)
def test_invalid_note_answers_json_422_naming_the_field(client, bearer, body):
    """A body without a usable "text" gets a JSON 422 saying what is wrong with it."""
    response = client.post("/api/notes", json=body, headers=bearer)
    assert response.status_code == 422
    error = response.get_json()
    assert error["error"] == "Unprocessable Entity"
    assert error["errors"]["json"]["text"]


def test_form_encoded_body_is_refused(client, bearer):
    """Only JSON bodies are read, which is why the API needs no CSRF token."""
    response = client.post("/api/notes", data={"text": "from a form"}, headers=bearer)
    assert response.status_code == 422
    assert response.is_json


def test_one_note_and_a_missing_one(client, bearer):
    """GET /api/notes/<id> shows a note; a missing one is a JSON 404."""
    note = client.post("/api/notes", json={"text": "one"}, headers=bearer).get_json()
    assert client.get(f"/api/notes/{note['id']}").get_json() == note
    missing = client.get("/api/notes/999")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "There is no such note."


def test_writes_without_a_token_answer_401(client):
    """POST and DELETE need a bearer token: without one, a JSON 401 says how."""
    response = client.post("/api/notes", json={"text": "anonymous"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.get_json()["message"]
    assert client.delete("/api/notes/1").status_code == 401
    assert client.get("/api/notes").get_json()["notes"] == []


def test_a_wrong_token_answers_401(client, bearer):
    """A token that is not a valid one is refused."""
    headers = {"Authorization": "Bearer not-a-token"}
    response = client.post("/api/notes", json={"text": "x"}, headers=headers)
    assert response.status_code == 401


def test_site_forms_still_need_their_csrf_token(client, bearer):
    """A bearer token does not exempt the site's own form posts from CSRF."""
    response = client.post("/notes", data={"text": "forged"}, headers=bearer)
    assert response.status_code == 400


def test_deleting_a_note(app, client, bearer):
    """DELETE /api/notes/<id> removes the note and answers 204."""
    note = client.post("/api/notes", json={"text": "gone"}, headers=bearer).get_json()
    response = client.delete(f"/api/notes/{note['id']}", headers=bearer)
    assert response.status_code == 204
    with app.app_context():
        assert db.session.get(Note, note["id"]) is None
{% endif %}
{% if cookiecutter.accounts %}


def test_token_from_email_and_password(app, client, user):
    """The right email and password get a token; only its hash is stored."""
    response = get_token(client, email=" ADA@example.com ")
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hash_token(body["token"])]
    assert body["token"] not in stored


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_wrong_credentials_answer_401(client, user, email, password):
    """A wrong password or an unknown email gets no token, and the same answer."""
    response = get_token(client, email=email, password=password)
    assert response.status_code == 401
    assert response.get_json()["message"] == "Wrong email or password."


def test_token_request_without_password_answers_422(client, user):
    """The credentials are validated: a missing field is named."""
    response = client.post("/api/tokens", json={"email": "ada@example.com"})
    assert response.status_code == 422
    assert "password" in response.get_json()["errors"]["json"]


def test_api_and_form_failures_count_together(monkeypatch):
    """Wrong passwords sent to POST /api/tokens lock the login form too."""
    monkeypatch.setattr(TestingConfig, "RATELIMIT_ENABLED", True)
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        ada = User(email="ada@example.com", verified_at=utcnow())
        ada.set_password(PASSWORD)
        db.session.add(ada)
        db.session.commit()
    client = app.test_client()
    limiter.reset()
    codes = [get_token(client, password="wrong").status_code for _ in range(10)]
    login = {"email": "ada@example.com", "password": PASSWORD}
    response = client.post("/auth/login", data=login)
    limiter.reset()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    assert codes == [401] * 10
    assert response.status_code == 429


def test_an_unconfirmed_account_gets_no_token(app, client, user):
    """Until its address is confirmed, the right password gets a JSON 403."""
    with app.app_context():
        db.session.scalar(select(User)).verified_at = None
        db.session.commit()
    response = get_token(client)
    assert response.status_code == 403
    assert "Confirm your address" in response.get_json()["message"]


def test_token_requests_are_rate_limited(monkeypatch):
    """Guessing passwords through the API meets the login's rate limit: JSON 429."""
    monkeypatch.setattr(TestingConfig, "RATELIMIT_ENABLED", True)
    app = create_app("testing")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    limiter.reset()
    codes = [get_token(client, password="wrong").status_code for _ in range(10)]
    response = get_token(client)
    limiter.reset()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    assert codes == [401] * 10
    assert response.status_code == 429
    assert response.is_json


def test_notes_belong_to_the_tokens_user(app, client, user, bearer):
    """A note created with a token is its user's."""
    note = client.post("/api/notes", json={"text": "mine"}, headers=bearer).get_json()
    with app.app_context():
        ada = db.session.scalar(select(User).where(User.email == user))
        assert note["user_id"] == ada.id
        assert [n.text for n in ada.notes] == ["mine"]


def test_another_users_note_cannot_be_deleted(app, client, bearer):
    """Only a note's author may delete it: another user gets a JSON 403."""
    note = client.post("/api/notes", json={"text": "ada's"}, headers=bearer).get_json()
    with app.app_context():
        grace = User(email="grace@example.com", verified_at=utcnow())
        grace.set_password(PASSWORD)
        db.session.add(grace)
        db.session.commit()
    other = get_token(client, email="grace@example.com").get_json()["token"]

    response = client.delete(
        f"/api/notes/{note['id']}", headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 403
    assert response.is_json
    assert client.get(f"/api/notes/{note['id']}").status_code == 200


def test_revoked_token_is_refused(client, bearer):
    """DELETE /api/tokens/current revokes the token: it no longer works."""
    assert client.delete("/api/tokens/current", headers=bearer).status_code == 204
    response = client.post("/api/notes", json={"text": "x"}, headers=bearer)
    assert response.status_code == 401


def test_expired_token_is_refused(app, client, user):
    """A token past its expiry is refused."""
    app.config["API_TOKEN_MAX_AGE"] = -1
    token = get_token(client).get_json()["token"]
    response = client.post(
        "/api/notes", json={"text": "x"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, author):
    """Signed in on the site, a client still needs a token for the API."""
    response = client.post("/api/notes", json={"text": "by cookie"})
    assert response.status_code == 401


def test_deleting_a_user_deletes_their_notes_and_tokens(app, client, user, bearer):
    """A user's notes and tokens go with them (the admin can delete users)."""
    client.post("/api/notes", json={"text": "mine"}, headers=bearer)
    with app.app_context():
        db.session.delete(db.session.scalar(select(User)))
        db.session.commit()
        assert db.session.scalars(select(Note)).all() == []
        assert db.session.scalars(select(ApiToken)).all() == []


def test_token_lifetime_is_configurable(app):
    """API_TOKEN_MAX_AGE sets how long tokens live (30 days by default)."""
    assert timedelta(seconds=app.config["API_TOKEN_MAX_AGE"]) == timedelta(days=30)
{% elif db %}


def test_without_an_api_key_the_api_is_read_only(app, client):
    """With API_KEY unset, no bearer token can write."""
    app.config["API_KEY"] = ""
    headers = {"Authorization": "Bearer "}
    response = client.post("/api/notes", json={"text": "x"}, headers=headers)
    assert response.status_code == 401
{% else %}


def test_echo(client):
    """POST /api/echo sends the message back, with no CSRF token."""
    response = client.post("/api/echo", json={"message": "hello"})
    assert response.status_code == 200
    assert response.get_json() == {"echo": "hello"}


def test_echo_without_a_message_answers_422_naming_the_field(client):
    """The body is validated against its schema: a missing field is named."""
    response = client.post("/api/echo", json={"hello": "world"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert "message" in errors
    assert "hello" in errors  # unknown fields are refused, not ignored


def test_form_encoded_body_is_refused(client):
    """Only JSON bodies are read, which is why the API needs no CSRF token."""
    response = client.post("/api/echo", data={"message": "hello"})
    assert response.status_code == 422
    assert response.is_json
{% endif %}

{% set db = cookiecutter.database != "none" %}
"""The JSON API under /api/, on flask-smorest: requests are validated by the schemas
in schemas.py, answers and errors are JSON, and /api/openapi.json describes it all.
{% if cookiecutter.accounts %}

Clients authenticate with a bearer token from POST /api/tokens, never with the
site's session cookie: that is why the API needs no CSRF token.
{% elif db %}

Reading is open to all; writing needs the API_KEY setting as a bearer token. The
site's session cookie counts for nothing here: that is why the API needs no CSRF
token.
{% endif %}
"""

{% if not cookiecutter.accounts and db %}
import hmac

{% endif %}
{% if cookiecutter.accounts %}
from datetime import timedelta

{% endif %}
import swagger_ui_bundle
{% if db %}
from flask import Flask, current_app, request, send_from_directory, url_for
{% else %}
from flask import Flask, send_from_directory
{% endif %}
from flask_cors import CORS
{% if db %}
from flask_smorest import Blueprint, abort
{% else %}
from flask_smorest import Blueprint
{% endif %}
{% if db %}
from sqlalchemy import select
{% endif %}

{% if cookiecutter.accounts %}
from .auth import authenticate, limit_logins_per_account, limit_logins_per_client
from .extensions import db, openapi
from .models import ApiToken, Note, hash_token, utcnow
from .schemas import Credentials, NoteIn, NoteOut, NotePage, PageArgs, TokenOut
{% elif db %}
from .extensions import db, openapi
from .models import Note
from .schemas import NoteIn, NoteOut, NotePage, PageArgs
{% else %}
from .extensions import openapi
from .schemas import EchoIn, EchoOut
{% endif %}

bp = Blueprint("api", __name__, url_prefix="/api", description="The JSON API.")
{% if db %}
# The security requirement of the endpoints that need a token, for the OpenAPI document.
BEARER = [{"bearerAuth": []}]
{% endif %}


def init_app(app: Flask) -> None:
    """Serve the API, its OpenAPI document and docs page, and CORS if configured."""
    openapi.init_app(app)
{% if db %}
    openapi.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer"}
    )
{% endif %}
    openapi.register_blueprint(bp)
    app.add_url_rule("/api/docs/assets/<path:filename>", view_func=docs_asset)
    # Browsers on other origins may call the API only when CORS_ORIGINS lists them.
    # Clients send tokens, not cookies, so credentials are never allowed.
    if app.config["CORS_ORIGINS"]:
        CORS(
            app,
            resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
            allow_headers=["Authorization", "Content-Type"],
            supports_credentials=False,
        )


def docs_asset(filename: str):
    """Serve the docs page's scripts and styles from swagger-ui-bundle, not a CDN."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)
{% if db %}


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer <token>` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def unauthorized(message: str):
    """Answer 401, telling the client how to authenticate."""
    abort(401, message=message, headers={"WWW-Authenticate": "Bearer"})
{% endif %}
{% if cookiecutter.accounts %}


def current_token() -> ApiToken:
    """Return the unexpired token the request carries, or answer 401."""
    token = bearer_token()
    found = token and db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token))
    )
    if not found or found.expires_at <= utcnow():
        unauthorized("Send Authorization: Bearer <token>; get one at POST /api/tokens.")
    return found


@bp.post("/tokens")
@limit_logins_per_account
@limit_logins_per_client
@bp.arguments(Credentials, as_kwargs=True)
@bp.response(201, TokenOut)
@bp.alt_response(401, description="Wrong email or password")
@bp.alt_response(403, description="The account's address is not confirmed yet")
def create_token(email: str, password: str):
    """Get an API token with the email and password of an account."""
    user = authenticate(email, password)
    if user is None:
        abort(401, message="Wrong email or password.")
    if user.verified_at is None:
        abort(403, message="Confirm your address first with the link we mailed you.")
    max_age = timedelta(seconds=current_app.config["API_TOKEN_MAX_AGE"])
    row, token = ApiToken.issue(user, max_age)
    db.session.add(row)
    db.session.commit()
    return {"token": token, "token_type": "Bearer", "expires_at": row.expires_at}


@bp.delete("/tokens/current")
@bp.doc(security=BEARER)
@bp.response(204)
def revoke_token():
    """Revoke the token this request was sent with (log an API client out)."""
    db.session.delete(current_token())
    db.session.commit()
{% elif db %}


def check_api_key() -> None:
    """Answer 401 unless the request carries the API_KEY setting as a bearer token."""
    key = current_app.config["API_KEY"]
    token = bearer_token() or ""
    if not key or not hmac.compare_digest(token.encode(), key.encode()):
        unauthorized("Send Authorization: Bearer <API_KEY>; writing needs the key.")
{% endif %}
{% if db %}


def page_links(endpoint: str, page: int, per_page: int, pages: int) -> dict:
    """Return the links to the first, last, next and previous pages of a list."""

    def link(number: int) -> str:
        return url_for(endpoint, page=number, per_page=per_page)

    links = {"self": link(page), "first": link(1), "last": link(max(pages, 1))}
    if page < pages:
        links["next"] = link(page + 1)
    if 1 < page <= pages + 1:
        links["prev"] = link(page - 1)
    return links


@bp.get("/notes")
@bp.arguments(PageArgs, location="query", as_kwargs=True)
@bp.response(200, NotePage)
def list_notes(page: int, per_page: int):
    """List the notes, newest first, a page at a time (?page=2&per_page=20)."""
    query = select(Note).order_by(Note.id.desc())
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return {
        "notes": found.items,
        "page": page,
        "per_page": per_page,
        "total": found.total,
        "links": page_links("api.list_notes", page, per_page, found.pages),
    }


@bp.post("/notes")
@bp.doc(security=BEARER)
@bp.arguments(NoteIn, as_kwargs=True)
@bp.response(201, NoteOut)
def create_note(text: str):
{% if cookiecutter.accounts %}
    """Add a note by the token's user."""
    note = Note(text=text.strip(), author=current_token().user)
{% else %}
    """Add a note (needs the API key)."""
    check_api_key()
    note = Note(text=text.strip())
{% endif %}
    db.session.add(note)
    db.session.commit()
    return note


@bp.get("/notes/<int:note_id>")
@bp.response(200, NoteOut)
def get_note(note_id: int):
    """Show one note."""
    return db.get_or_404(Note, note_id, description="There is no such note.")


@bp.delete("/notes/<int:note_id>")
@bp.doc(security=BEARER)
@bp.response(204)
def delete_note(note_id: int):
{% if cookiecutter.accounts %}
    """Delete a note of the token's user; another user's note answers 403."""
    user = current_token().user
    note = db.get_or_404(Note, note_id, description="There is no such note.")
    if not note.is_editable_by(user):
        abort(403, message="Only its author may delete this note.")
{% else %}
    """Delete a note (needs the API key)."""
    check_api_key()
    note = db.get_or_404(Note, note_id, description="There is no such note.")
{% endif %}
    db.session.delete(note)
    db.session.commit()
{% else %}


@bp.post("/echo")
@bp.arguments(EchoIn, as_kwargs=True)
@bp.response(200, EchoOut)
def echo(message: str):
    """Send back the message it was given: a starting point for POST endpoints."""
    return {"echo": message}
{% endif %}

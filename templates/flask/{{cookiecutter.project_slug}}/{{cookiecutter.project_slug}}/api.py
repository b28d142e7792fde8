"""The JSON API under /api/: requests and answers, errors included, are JSON."""

from flask import Blueprint, abort, request
{% if cookiecutter.accounts %}
from flask_login import current_user
{% endif %}
{% if cookiecutter.database != "none" %}
from sqlalchemy import select

from .extensions import db
from .models import NOTE_MAX_LENGTH, Note
{% endif %}

bp = Blueprint("api", __name__, url_prefix="/api")
{% if cookiecutter.database != "none" %}


@bp.get("/notes")
def list_notes():
    """List the latest notes, newest first."""
    notes = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(50))
    return {"notes": [note.to_dict() for note in notes]}


@bp.post("/notes")
def create_note():
{% if cookiecutter.accounts %}
    """Add a note from a JSON object with a "text" string; needs a signed-in user."""
    # The session cookie signs the user in; no CSRF token is needed, since a
    # cross-site form cannot send a JSON body.
    if not current_user.is_authenticated:
        abort(401, description="Log in first (POST /auth/login).")
{% else %}
    """Add a note from a JSON object with a "text" string."""
{% endif %}
    # silent=True: a body that is not application/json is refused below, as 400.
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not 0 < len(text.strip()) <= NOTE_MAX_LENGTH:
        abort(
            400,
            description=f'Send a JSON object whose "text" has 1 to {NOTE_MAX_LENGTH}'
            " characters.",
        )
    note = Note(text=text.strip())
    db.session.add(note)
    db.session.commit()
    return note.to_dict(), 201
{% else %}


@bp.get("/")
def index():
    """Describe the API."""
    return {"endpoints": {"POST /api/echo": "send back a JSON body"}}


@bp.post("/echo")
def echo():
    """Send back the JSON body it was given: a starting point for POST endpoints."""
    # silent=True: a body that is not application/json is refused below, as 400.
    data = request.get_json(silent=True)
    if data is None:
        abort(400, description="Send a JSON body with Content-Type: application/json.")
    return {"echo": data}
{% endif %}

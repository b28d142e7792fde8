"""The example model and its page."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Note


def count_notes(app):
    """Return how many notes are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Note))


def test_notes_page_starts_empty(client):
    """With no notes the page says so."""
    response = client.get("/notes")
    assert response.status_code == 200
    assert "No notes yet." in response.text


def test_adding_a_note(app, client):
    """Posting the form stores the note and shows it."""
    response = client.post("/notes", data={"text": "  Buy milk  "})
    assert response.status_code == 302
    assert count_notes(app) == 1
    assert "Buy milk" in client.get("/notes").text


def test_empty_note_is_refused(app, client):
    """A blank note is not stored."""
    response = client.post("/notes", data={"text": "   "})
    assert response.status_code == 200
    assert count_notes(app) == 0


def test_created_at_is_set_per_row_not_at_import(app):
    """The column default is called for each row, not frozen when models.py loads."""
    before = datetime.now(UTC)
    with app.app_context():
        note = Note(text="hello")
        db.session.add(note)
        db.session.flush()
        assert note.created_at >= before

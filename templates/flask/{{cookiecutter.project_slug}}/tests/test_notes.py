"""The example model and its page."""

from datetime import UTC, datetime

from sqlalchemy import func, select

{% if not cookiecutter.accounts %}
from {{ cookiecutter.project_slug }} import config
{% endif %}
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


def test_adding_a_note(app, client, author):
    """Posting the form stores the note and shows it."""
    response = client.post("/notes", data={"text": "  Buy milk  "})
    assert response.status_code == 302
    assert count_notes(app) == 1
    assert "Buy milk" in client.get("/notes").text


def test_empty_note_is_refused(app, client, author):
    """A blank note is not stored."""
    response = client.post("/notes", data={"text": "   "})
    assert response.status_code == 200
    assert count_notes(app) == 0


def test_a_note_with_a_nul_character_is_refused(app, client, author):
    """NUL, which PostgreSQL cannot store, gets 400 instead of a server error."""
    response = client.post("/notes", data={"text": "Buy\x00milk"})
    assert response.status_code == 400
    assert count_notes(app) == 0
{% if cookiecutter.accounts %}


def test_anonymous_users_cannot_add_notes(app, client):
    """Writing needs an account: an anonymous post is sent to login, and not stored."""
    response = client.post("/notes", data={"text": "anonymous"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert count_notes(app) == 0
    assert "Log in</a> to add a note" in client.get("/notes").text


def test_a_note_belongs_to_the_user_who_added_it(app, client, author):
    """A note added through the form is its author's."""
    client.post("/notes", data={"text": "mine"})
    with app.app_context():
        note = db.session.scalar(select(Note))
        assert note.author.email == author
        assert [n.text for n in note.author.notes] == ["mine"]
{% endif %}


def test_created_at_is_set_per_row_not_at_import(app):
    """The column default is called for each row, not frozen when models.py loads."""
    before = datetime.now(UTC)
    with app.app_context():
        note = Note(text="hello")
        db.session.add(note)
        db.session.flush()
        assert note.created_at >= before


def test_created_at_reads_back_in_utc_on_every_database(app):
    """Read from the database, created_at is aware and in UTC, SQLite included."""
    with app.app_context():
        db.session.add(Note(text="hello"))
        db.session.commit()
        db.session.expire_all()
        note = db.session.scalar(select(Note))
        assert note.created_at.utcoffset().total_seconds() == 0
        assert note.created_at.isoformat().endswith("+00:00")
{% if not cookiecutter.accounts %}


def test_the_form_can_be_turned_off(app, client):
    """With NOTES_FORM_OPEN off (production's default) anonymous posts get 403."""
    app.config["NOTES_FORM_OPEN"] = False
    assert "Adding notes here is turned off" in client.get("/notes").text
    assert client.post("/notes", data={"text": "spam"}).status_code == 403
    assert count_notes(app) == 0


def test_production_turns_the_form_off_unless_told():
    """Anonymous, unthrottled writes are opt-in in production (NOTES_FORM_OPEN)."""
    assert config.ProductionConfig.NOTES_FORM_OPEN is False
    assert config.DevelopmentConfig.NOTES_FORM_OPEN is True
{% endif %}

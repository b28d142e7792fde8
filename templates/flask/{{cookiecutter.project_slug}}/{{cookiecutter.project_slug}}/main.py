{% if cookiecutter.database != "none" %}
"""The site's pages: the home page and the notes."""

{% if cookiecutter.forms %}
from flask import Blueprint, flash, redirect, render_template, url_for
{% else %}
from flask import Blueprint, flash, redirect, render_template, request, url_for
{% endif %}
from sqlalchemy import select

from .extensions import db
{% if cookiecutter.forms %}
from .forms import NoteForm
from .models import Note
{% else %}
from .models import NOTE_MAX_LENGTH, Note
{% endif %}
{% else %}
"""The site's pages."""

from flask import Blueprint, render_template
{% endif %}

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the home page."""
    return render_template("index.html")
{% if cookiecutter.database != "none" %}


@bp.route("/notes", methods=["GET", "POST"])
def notes():
    """List the latest notes and add a new one."""
{% if cookiecutter.forms %}
    form = NoteForm()
    if form.validate_on_submit():
        db.session.add(Note(text=form.text.data))
        db.session.commit()
        flash("Note added.", "success")
        return redirect(url_for("main.notes"))
    latest = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(50))
    return render_template("notes.html", form=form, notes=latest.all())
{% else %}
    if request.method == "POST":
        text = request.form.get("text", "").strip()
        if 0 < len(text) <= NOTE_MAX_LENGTH:
            db.session.add(Note(text=text))
            db.session.commit()
            flash("Note added.", "success")
            return redirect(url_for("main.notes"))
        flash(f"A note needs 1 to {NOTE_MAX_LENGTH} characters.", "error")
    latest = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(50))
    return render_template("notes.html", notes=latest.all())
{% endif %}
{% endif %}

{% set db = cookiecutter.database != "none" %}
{% if db %}
"""The site's pages: the home page and the notes; and the health check."""

{% if cookiecutter.accounts and cookiecutter.forms %}
from flask import Blueprint, flash, redirect, render_template, url_for
{% elif cookiecutter.accounts %}
from flask import Blueprint, flash, redirect, render_template, request, url_for
{% elif cookiecutter.forms %}
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
{% else %}
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
{% endif %}
{% if cookiecutter.accounts %}
from flask_login import current_user
{% endif %}
from sqlalchemy import select

{% if cookiecutter.accounts %}
from .extensions import db, login_manager
{% else %}
from .extensions import db
{% endif %}
{% if cookiecutter.forms %}
from .forms import NoteForm
from .models import Note
{% else %}
from .models import NOTE_MAX_LENGTH, Note
{% endif %}
{% else %}
"""The site's pages, and the health check."""

from flask import Blueprint, render_template
{% endif %}

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the home page."""
    return render_template("index.html")


# /health is the path before template version 3: it keeps answering for load balancers
# and images set up then. Remove that line once nothing asks for it.
@bp.get("/health")
@bp.get("/healthz")
def health():
{% if db %}
    """Say the app is up and reaches its database (for load balancers and Docker)."""
    db.session.execute(select(1))
{% else %}
    """Say the app is up (for load balancers and Docker)."""
{% endif %}
    return {"status": "ok"}
{% if db %}


@bp.route("/notes", methods=["GET", "POST"])
def notes():
{% if cookiecutter.accounts %}
    """List the latest notes; signed-in users add new ones."""
{% else %}
    """List the latest notes and add a new one."""
{% endif %}
{% if cookiecutter.forms %}
    form = NoteForm()
{% if cookiecutter.accounts %}
    if form.is_submitted() and not current_user.is_authenticated:
        return login_manager.unauthorized()
{% else %}
    if form.is_submitted() and not current_app.config["NOTES_FORM_OPEN"]:
        abort(403)  # anonymous writes are off (production)
{% endif %}
    if form.validate_on_submit():
{% if cookiecutter.accounts %}
        db.session.add(Note(text=form.text.data, author=current_user))
{% else %}
        db.session.add(Note(text=form.text.data))
{% endif %}
        db.session.commit()
        flash("Note added.", "success")
        return redirect(url_for("main.notes"))
    latest = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(50))
    return render_template("notes.html", form=form, notes=latest.all())
{% else %}
{% if cookiecutter.accounts %}
    if request.method == "POST" and not current_user.is_authenticated:
        return login_manager.unauthorized()
{% else %}
    if request.method == "POST" and not current_app.config["NOTES_FORM_OPEN"]:
        abort(403)  # anonymous writes are off (production)
{% endif %}
    if request.method == "POST":
        text = request.form.get("text", "").strip()
        if 0 < len(text) <= NOTE_MAX_LENGTH:
{% if cookiecutter.accounts %}
            db.session.add(Note(text=text, author=current_user))
{% else %}
            db.session.add(Note(text=text))
{% endif %}
            db.session.commit()
            flash("Note added.", "success")
            return redirect(url_for("main.notes"))
        flash(f"A note needs 1 to {NOTE_MAX_LENGTH} characters.", "error")
    latest = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(50))
    return render_template("notes.html", notes=latest.all())
{% endif %}
{% endif %}

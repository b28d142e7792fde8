"""Sign-up, login and logout (Flask-Login; passwords hashed by werkzeug.security)."""

{% if not cookiecutter.forms %}
import re
{% endif %}
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from .extensions import db, login_manager
{% if cookiecutter.forms %}
from .forms import LoginForm, SignupForm
from .models import User
{% else %}
from .models import (
    EMAIL_PATTERN,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    User,
    normalize_email,
)
{% endif %}

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the user whose id the session holds."""
    return db.session.get(User, int(user_id))


def next_url() -> str:
    """Return the ?next= page to open after login if it is on this site, else home."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    on_this_site = not (parts.scheme or parts.netloc) and "\\" not in target
    if target.startswith("/") and not target.startswith("//") and on_this_site:
        return target
    return url_for("main.index")


def find_user(email: str) -> User | None:
    """Return the user with this (normalized) email, if any."""
    return db.session.scalar(select(User).where(User.email == email))
{% if not cookiecutter.forms %}


def signup_problems(email: str, password: str, confirm: str) -> list[str]:
    """Return what is wrong with a sign-up, in words for the user."""
    problems = []
    if len(email) > 255 or not re.match(EMAIL_PATTERN, email):
        problems.append("Enter a valid email address.")
    elif find_user(email) is not None:
        problems.append("That email is already registered.")
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        low, high = PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH
        problems.append(f"Use a password of {low} to {high} characters.")
    if password != confirm:
        problems.append("The passwords do not match.")
    return problems
{% endif %}


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an account and sign in with it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
{% if cookiecutter.forms %}
    form = SignupForm()
    if form.validate_on_submit():
        user = User(email=form.email.data)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        login_user(user)
        flash("Welcome! Your account is ready.", "success")
        return redirect(url_for("main.index"))
    return render_template("auth/signup.html", form=form)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        password = request.form.get("password", "")
        problems = signup_problems(email, password, request.form.get("confirm", ""))
        if not problems:
            user = User(email=email)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.index"))
        for problem in problems:
            flash(problem, "error")
    return render_template("auth/signup.html", email=email)
{% endif %}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password, then go on to ?next= or home."""
    if current_user.is_authenticated:
        return redirect(next_url())
{% if cookiecutter.forms %}
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(next_url())
        flash("Wrong email or password.", "error")
    return render_template("auth/login.html", form=form)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        user = find_user(email)
        if user is not None and user.check_password(request.form.get("password", "")):
            login_user(user)
            return redirect(next_url())
        flash("Wrong email or password.", "error")
    return render_template("auth/login.html", email=email)
{% endif %}


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST, so another site cannot sign you out with a link)."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))

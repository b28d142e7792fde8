"""Accounts: sign-up with a confirmed address, login, logout, password change and
reset (Flask-Login).

Passwords are hashed by werkzeug.security; login, sign-up and reset are rate-limited
per account and per client (Flask-Limiter, counting where RATELIMIT_STORAGE_URI
says: by default in the database, shared by every worker), and reset links are
signed and expire (itsdangerous), as do the links that confirm an address.
"""

import hashlib
from functools import cache
from urllib.parse import urlsplit

import click
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, limiter, login_manager
{% if cookiecutter.forms %}
from .forms import (
    ConfirmationRequestForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResetRequestForm,
    SignupForm,
)
from .mail import send_mail
from .models import PASSWORD_MIN_LENGTH, User, clean_email, normalize_email, utcnow
{% else %}
from .mail import send_mail
from .models import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    User,
    clean_email,
    normalize_email,
    utcnow,
)
{% endif %}

# cli_group=None: `flask create-user`, not `flask auth create-user`.
bp = Blueprint("auth", __name__, url_prefix="/auth", cli_group=None)

# Per client address, on POST only: enough for a person, too few for guessing.
RATE_LIMIT = "10 per minute"
# Failed logins, per account (the email given) and per client address: past
# either, even the right password is refused until the window ends. The
# per-account limit lets anyone lock an account for 15 minutes by failing on
# purpose: the price of stopping guesses spread over many addresses.
LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_LIMIT_PER_CLIENT = "50 per 15 minutes"
# Mails a visitor can trigger (reset, and sign-up with a taken address), per
# address and per client.
MAIL_LIMIT_PER_ADDRESS = "3 per hour"
MAIL_LIMIT_PER_CLIENT = "20 per hour"
# What sign-up answers, whether or not the address already had an account.
SIGNED_UP = (
    "Thank you: we mailed you a link to confirm your address; open it, then log in."
    " If the address already had an account, we mailed its owner instead."
)
# What login says to the right password of an account not yet confirmed.
NOT_CONFIRMED = "Confirm your address first with the link we mailed you."
# What a request for a new confirmation link answers, whatever the address.
CONFIRMATION_SENT = (
    "If that address has an account waiting for confirmation, a new link is on its way."
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the user the session names, unless their password changed since."""
    user_id, _, _ = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.get_id() == session_id else None


def email_key() -> str:
    """Return the rate-limit key of the address a form or JSON body names."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, dict) else None
    return "email:" + normalize_email(email if isinstance(email, str) else "")


def login_failed(response: Response) -> bool:
    """Tell whether a login failed: the form shown again, or the API's 401 or 422."""
    return response.status_code not in (201, 302)


{% if cookiecutter.api %}
# Failed logins count together, through the login form and POST /api/tokens.
{% endif %}
limit_logins_per_account = limiter.shared_limit(
    LOGIN_LIMIT_PER_ACCOUNT,
    scope="login-per-account",
    key_func=email_key,
    methods=["POST"],
    deduct_when=login_failed,
)
limit_logins_per_client = limiter.shared_limit(
    LOGIN_LIMIT_PER_CLIENT,
    scope="login-per-client",
    methods=["POST"],
    deduct_when=login_failed,
)


def next_url() -> str:
    """Return the ?next= page to open after login if it is on this site, else home."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    on_this_site = not (parts.scheme or parts.netloc) and "\\" not in target
    if target.startswith("/") and not target.startswith("//") and on_this_site:
        return target
    return url_for("main.index")


def find_user(email: str) -> User | None:
    """Return the user with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


@cache
def dummy_hash() -> str:
    """Return a hash to check passwords against when the email has no account."""
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """Return the user if the password is theirs; as slow for unknown emails."""
    user = find_user(email)
    if user is None:
        # Hash anyway, so the response time does not tell who has an account.
        check_password_hash(dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def reset_serializer() -> URLSafeTimedSerializer:
    """Return the signer of password reset tokens."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def password_fingerprint(user: User) -> str:
    """Return a digest of the password hash: a changed password voids old links."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """Return a signed token that lets `user` set a new password, once."""
    return reset_serializer().dumps([user.id, password_fingerprint(user)])


def user_from_reset_token(token: str) -> User | None:
    """Return the user a valid, unexpired, unused token names, else None."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        user_id, fingerprint = reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or password_fingerprint(user) != fingerprint:
        return None
    return user


def send_reset_mail(user: User) -> None:
    """Mail `user` a link to set a new password."""
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_mail(
        user.email,
        "Set a new password",
        f"Open this link to set a new password (valid for {minutes} minutes):\n\n"
        f"{link}\n\nIf you did not ask for it, ignore this message.",
    )


def confirmation_serializer() -> URLSafeTimedSerializer:
    """Return the signer of the links that confirm an address."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="confirm-address")


def send_confirmation_mail(user: User) -> None:
    """Mail `user` a link that confirms their address."""
    token = confirmation_serializer().dumps([user.id, user.email])
    link = url_for("auth.confirm", token=token, _external=True)
    days = current_app.config["CONFIRMATION_MAX_AGE"] // (24 * 3600)
    send_mail(
        user.email,
        "Confirm your address",
        f"Open this link to confirm your address (valid for {days} days):\n\n"
        f"{link}\n\nIf you did not sign up, ignore this message.",
    )


def user_from_confirmation_token(token: str) -> User | None:
    """Return the user a valid, unexpired confirmation token names, else None."""
    max_age = current_app.config["CONFIRMATION_MAX_AGE"]
    try:
        user_id, email = confirmation_serializer().loads(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.email == email else None


def send_signup_note(user: User) -> None:
    """Tell `user` that someone tried to sign up with their address."""
    login = url_for("auth.login", _external=True)
    reset = url_for("auth.request_reset", _external=True)
    send_mail(
        user.email,
        "Your account",
        "Someone asked to sign up with this address, which already has an account."
        f"\n\nIf it was you, log in at {login}\nor set a new password at {reset}"
        "\n\nIf it was not you, ignore this message.",
    )


def register(email: str, password: str) -> None:
    """Make an account for `email`, or if it has one, mail its owner a note.

    Sign-up answers the same either way, so it does not tell who has an account.
    """
    user = User(email=email)
    user.set_password(password)  # hashed either way, so both take as long
    owner = find_user(email)
    if owner is None:
        db.session.add(user)
        try:
            db.session.commit()
            send_confirmation_mail(user)
            return
        except IntegrityError:
            # Another sign-up took the address since find_user() looked.
            db.session.rollback()
            owner = find_user(email)
    if owner is not None:
        send_signup_note(owner)
{% if not cookiecutter.forms %}


def password_problems(password: str, confirm: str) -> list[str]:
    """Return what is wrong with a new password, in words for the user."""
    problems = []
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        low, high = PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH
        problems.append(f"Use a password of {low} to {high} characters.")
    if password != confirm:
        problems.append("The passwords do not match.")
    return problems


def signup_problems(email: str, password: str, confirm: str) -> list[str]:
    """Return what is wrong with a sign-up, in words for the user."""
    problems = []
    try:
        email = clean_email(email)
    except ValueError as error:
        problems.append(str(error))
    return problems + password_problems(password, confirm)


def flash_all(problems: list[str]) -> None:
    """Show each problem above the form."""
    for problem in problems:
        flash(problem, "error")
{% endif %}


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
@limiter.limit(MAIL_LIMIT_PER_ADDRESS, key_func=email_key, methods=["POST"])
def signup():
    """Create an account, then log in with it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
{% if cookiecutter.forms %}
    form = SignupForm()
    if form.validate_on_submit():
        register(form.email.data, form.password.data)
        flash(SIGNED_UP, "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/signup.html", form=form)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        password = request.form.get("password", "")
        problems = signup_problems(email, password, request.form.get("confirm", ""))
        if not problems:
            register(email, password)
            flash(SIGNED_UP, "success")
            return redirect(url_for("auth.login"))
        flash_all(problems)
    return render_template("auth/signup.html", email=email)
{% endif %}


@bp.route("/login", methods=["GET", "POST"])
@limit_logins_per_account
@limit_logins_per_client
def login():
    """Sign in with email and password, then go on to ?next= or home."""
    if current_user.is_authenticated:
        return redirect(next_url())
{% if cookiecutter.forms %}
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and user.verified_at is None:
            flash(NOT_CONFIRMED, "error")
        elif user is not None:
            login_user(user)
            return redirect(next_url())
        else:
            flash("Wrong email or password.", "error")
    return render_template("auth/login.html", form=form)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        user = authenticate(email, request.form.get("password", ""))
        if user is not None and user.verified_at is None:
            flash(NOT_CONFIRMED, "error")
        elif user is not None:
            login_user(user)
            return redirect(next_url())
        else:
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


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, given the current one."""
{% if cookiecutter.forms %}
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            user = db.session.get(User, current_user.id)
            user.set_password(form.password.data)
            db.session.commit()
            login_user(user)  # this session goes on; the others end
            flash("Your password is changed.", "success")
            return redirect(url_for("main.index"))
        flash("The current password is wrong.", "error")
    return render_template("auth/change_password.html", form=form)
{% else %}
    if request.method == "POST":
        password = request.form.get("password", "")
        problems = password_problems(password, request.form.get("confirm", ""))
        if not current_user.check_password(request.form.get("current", "")):
            problems.insert(0, "The current password is wrong.")
        if not problems:
            user = db.session.get(User, current_user.id)
            user.set_password(password)
            db.session.commit()
            login_user(user)  # this session goes on; the others end
            flash("Your password is changed.", "success")
            return redirect(url_for("main.index"))
        flash_all(problems)
    return render_template("auth/change_password.html")
{% endif %}


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT_PER_ADDRESS, key_func=email_key, methods=["POST"])
@limiter.limit(MAIL_LIMIT_PER_CLIENT, methods=["POST"])
def request_reset():
    """Mail a reset link to an address, saying the same whether it has an account."""
{% if cookiecutter.forms %}
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        user = find_user(email)
{% endif %}
        if user is not None:
            send_reset_mail(user)
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("auth.login"))
{% if cookiecutter.forms %}
    return render_template("auth/request_reset.html", form=form)
{% else %}
    return render_template("auth/request_reset.html", email=email)
{% endif %}


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Confirm an address with the link from the sign-up mail."""
    user = user_from_confirmation_token(token)
    if user is None:
        flash("That link is invalid or expired; ask for a new one.", "error")
        return redirect(url_for("auth.request_confirmation"))
    if user.verified_at is None:
        user.verified_at = utcnow()
        db.session.commit()
    flash("Your address is confirmed; log in.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT_PER_ADDRESS, key_func=email_key, methods=["POST"])
@limiter.limit(MAIL_LIMIT_PER_CLIENT, methods=["POST"])
def request_confirmation():
    """Mail a new confirmation link, saying the same whatever the address."""
{% if cookiecutter.forms %}
    form = ConfirmationRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
{% else %}
    email = normalize_email(request.form.get("email", ""))
    if request.method == "POST":
        user = find_user(email)
{% endif %}
        if user is not None and user.verified_at is None:
            send_confirmation_mail(user)
        flash(CONFIRMATION_SENT, "info")
        return redirect(url_for("auth.login"))
{% if cookiecutter.forms %}
    return render_template("auth/request_confirmation.html", form=form)
{% else %}
    return render_template("auth/request_confirmation.html", email=email)
{% endif %}


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def reset_password(token: str):
    """Set a new password with the link from the reset mail."""
    user = user_from_reset_token(token)
    if user is None:
        flash("That reset link is invalid or expired; ask for a new one.", "error")
        return redirect(url_for("auth.request_reset"))
{% if cookiecutter.forms %}
    form = PasswordResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
{% else %}
    if request.method == "POST":
        password = request.form.get("password", "")
        problems = password_problems(password, request.form.get("confirm", ""))
        if problems:
            flash_all(problems)
            return render_template("auth/reset_password.html")
        user.set_password(password)
{% endif %}
        db.session.commit()
        flash("Your password is set; log in with it.", "success")
        return redirect(url_for("auth.login"))
{% if cookiecutter.forms %}
    return render_template("auth/reset_password.html", form=form)
{% else %}
    return render_template("auth/reset_password.html")
{% endif %}


@bp.cli.command("create-user")
@click.argument("email")
@click.password_option(help="The new user's password (asked for if not given).")
def create_user(email: str, password: str) -> None:
    """Create an account for EMAIL."""
    try:
        email = clean_email(email)
    except ValueError as error:
        raise click.ClickException(f"{email}: {error}") from None
    if find_user(email) is not None:
        raise click.ClickException(f"{email} already has an account")
    if len(password) < PASSWORD_MIN_LENGTH:
        raise click.ClickException(f"use {PASSWORD_MIN_LENGTH} characters or more")
    user = User(email=email, verified_at=utcnow())  # the operator vouches for it
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"{email} can now log in.")

"""A small CSRF guard for the plain HTML forms.

Each session gets a random token; templates put it in a hidden "csrf_token"
field, and a POST, PUT, PATCH or DELETE without the matching token is refused
with 400.
{% if cookiecutter.api %}
The JSON API is exempt: a cross-site form cannot send it JSON.
{% endif %}
"""

import hmac
import secrets

from flask import Flask, abort, current_app, request, session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def csrf_token() -> str:
    """Return the session's CSRF token, creating it on first use."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def check_csrf_token() -> None:
    """Refuse a state-changing request whose form token is missing or wrong."""
    if not current_app.config["CSRF_ENABLED"] or request.method in SAFE_METHODS:
        return
    # An unknown URL or a wrong method answers 404 or 405, not a CSRF error.
    if request.routing_exception is not None:
        return
{% if cookiecutter.api %}
    if request.blueprint == "api":
        return
{% endif %}
    expected = session.get("csrf_token", "")
    sent = request.form.get("csrf_token", "")
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
        abort(400, description="The CSRF token is missing or invalid.")


def init_app(app: Flask) -> None:
    """Check every request's token and let templates call csrf_token()."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.before_request(check_csrf_token)

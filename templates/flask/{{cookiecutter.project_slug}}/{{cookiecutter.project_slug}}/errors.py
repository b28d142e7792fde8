{% set db = cookiecutter.database != "none" %}
{% if cookiecutter.api %}
"""Error pages for the site, and JSON errors for the API under /api/."""

from flask import Blueprint, current_app, render_template, request
{% else %}
"""Error pages for the site."""

from flask import Blueprint, render_template
{% endif %}
from werkzeug.exceptions import HTTPException, SecurityError
{% if db %}

from .extensions import db
{% endif %}

bp = Blueprint("errors", __name__)

# The page title and message for the errors a visitor can meet; others use the code.
PAGES = {
    400: ("Bad request", "The form could not be used; reload the page and try again."),
    403: ("Forbidden", "You are not allowed to open this page."),
    404: ("Page not found", "There is nothing at this address."),
    405: ("Method not allowed", "This address does not take that kind of request."),
    413: ("Request too large", "What you sent is larger than this site accepts."),
    429: ("Too many requests", "Please wait a minute before trying again."),
}
{% if cookiecutter.api %}


def wants_json() -> bool:
    """Tell whether the request is for the API, which answers errors in JSON."""
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(error: HTTPException):
    """Turn `error` into a JSON response, keeping its status and headers.

    flask_smorest.abort() and the schemas' validation put their details in
    `error.data`: a message, headers, and the invalid fields with what is wrong.
    """
    data = getattr(error, "data", None) or {}
    body = {"error": error.name, "message": data.get("message", error.description)}
    if "messages" in data:
        body["errors"] = data["messages"]  # {"json": {"text": ["..."]}}
    response = error.get_response()
    # Formatted as every JSON answer of the app: compact, unless in debug mode.
    response.set_data(current_app.json.response(body).get_data())
    response.content_type = "application/json"
    response.headers.update(data.get("headers") or {})
    return response
{% endif %}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Render an error page{% if cookiecutter.api %} (JSON under /api/){% endif %}, keeping the status and headers."""
{% if cookiecutter.api %}
    if wants_json():
        return json_error(error)
{% endif %}
    if isinstance(error, SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built, so a page without any.
        return render_template("errors/bad_host.html"), 400
    if error.code is None or error.code >= 500:
        return render_template("errors/500.html"), error.code or 500
    title, message = PAGES.get(error.code, (error.name, error.description))
    response = error.get_response()  # keeps headers such as Allow on a 405
    page = render_template("errors/error.html", title=title, message=message)
    response.set_data(page)
    response.content_type = "text/html; charset=utf-8"
    return response


@bp.app_errorhandler(500)
def internal_error(error: HTTPException):
    """Render the 500 page{% if db %} after undoing the failed request's changes{% endif %}."""
{% if db %}
    # The session may hold a half-done transaction; roll back before anything else.
    db.session.rollback()
{% endif %}
{% if cookiecutter.api %}
    if wants_json():
        return json_error(error)
{% endif %}
    return render_template("errors/500.html"), 500

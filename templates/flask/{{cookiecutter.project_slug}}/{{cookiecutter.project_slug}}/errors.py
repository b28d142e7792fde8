{% set db = cookiecutter.database != "none" %}
{% if cookiecutter.api %}
"""Error pages for the site, and JSON errors for the API under /api/."""

import json

from flask import Blueprint, render_template, request
{% else %}
"""Error pages for the site."""

from flask import Blueprint, render_template
{% endif %}
from werkzeug.exceptions import HTTPException
{% if db %}

from .extensions import db
{% endif %}

bp = Blueprint("errors", __name__)
{% if cookiecutter.api %}


def wants_json() -> bool:
    """Tell whether the request is for the API, which answers errors in JSON."""
    return request.path.startswith("/api/")


def json_error(error: HTTPException):
    """Turn `error` into a JSON response, keeping its status and headers."""
    response = error.get_response()
    response.data = json.dumps({"error": error.name, "message": error.description})
    response.content_type = "application/json"
    return response
{% endif %}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Render 404 as a page{% if cookiecutter.api %} (JSON under /api/){% endif %}; other codes keep Flask's page."""
{% if cookiecutter.api %}
    if wants_json():
        return json_error(error)
{% endif %}
    if error.code == 404:
        return render_template("errors/404.html"), 404
    return error


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

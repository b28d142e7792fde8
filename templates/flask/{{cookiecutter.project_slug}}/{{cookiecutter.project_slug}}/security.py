"""Security headers on every response, and no NUL characters in what is sent.

The headers are set here, by one after_request, rather than by an extension
(Flask-Talisman): they are a few fixed strings, and every page's exception is
then in one place to read.
"""

import secrets

from flask import Flask, Response, abort, g, request

# Scripts, styles, fonts and images from this site only (images also as data:
# URLs), no plugins, no framing, forms that post back here. An inline <script>
# or <style> needs nonce="{{ '{{' }} csp_nonce() {{ '}}' }}".
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
{% if cookiecutter.api or cookiecutter.admin %}
{% set pages = (['"/api/docs"'] if cookiecutter.api else []) + (['"/admin"'] if cookiecutter.admin else []) %}
# Pages whose extension writes inline scripts and styles that no nonce can allow:
{% if cookiecutter.api %}
# the API docs (Swagger UI's start-up script, as flask-smorest writes it){% if cookiecutter.admin %};{% else %}.{% endif %}

{% endif %}
{% if cookiecutter.admin %}
# the admin (Flask-Admin's inline event handlers, such as the confirmation before
# a delete), which only admins open.
{% endif %}
INLINE_PAGES = ({{ pages | join(", ") }}{{ "," if pages | length == 1 else "" }})
INLINE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
{% endif %}
# Browser features no page uses, off for the site and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def csp_nonce() -> str:
    """Return this request's nonce, which lets an inline script or style run."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def has_nul(value: object) -> bool:
    """Tell whether a text, or any text in a list or mapping, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def init_app(app: Flask) -> None:
    """Refuse NUL characters; add the security headers to each response."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def refuse_nul_characters() -> None:
        # PostgreSQL cannot store them in text (the query fails: a 500), and no
        # person types them: refuse them in the query string, forms and JSON.
        fields = [*request.args.lists(), *request.form.lists()]
        if any(has_nul(key) or has_nul(values) for key, values in fields) or (
            request.is_json and has_nul(request.get_json(silent=True))
        ):
            abort(400, description="Text may not hold NUL characters.")

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        # No framing by other sites (clickjacking), no MIME sniffing, and only the
        # origin in the Referer header sent to other sites.
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
{% if cookiecutter.api or cookiecutter.admin %}
        path = request.path.rstrip("/")
        if any(path == page or path.startswith(page + "/") for page in INLINE_PAGES):
            headers.setdefault("Content-Security-Policy", INLINE_POLICY)
{% endif %}
        policy = CONTENT_SECURITY_POLICY.format(nonce=csp_nonce())
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["HSTS_SECONDS"]:
            headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response

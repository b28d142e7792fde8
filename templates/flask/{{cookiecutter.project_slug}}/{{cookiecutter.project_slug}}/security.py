"""Security headers on every response, and no NUL characters in what is sent."""

from flask import Flask, Response, abort, request


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
        if app.config["HSTS_SECONDS"]:
            headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response

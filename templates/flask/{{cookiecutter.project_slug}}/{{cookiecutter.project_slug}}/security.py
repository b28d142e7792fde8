"""Security headers on every response, set by a small after-request hook."""

from flask import Flask, Response


def init_app(app: Flask) -> None:
    """Add the security headers to each response that does not set its own."""

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

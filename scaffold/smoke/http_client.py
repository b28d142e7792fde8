"""The HTTP client of a production check: one cookie jar, redirects reported, not followed.

It talks to a project served on loopback; a request that gets no answer is a
``ProbeFailure`` of one line.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REDIRECT_LIMIT = 5


class ProbeFailure(Exception):
    """A page or request did not answer as the check expects; the message is one line."""


@dataclass
class Response:
    """What the server answered: status, headers and body text."""

    status: int
    headers: Mapping[str, str]
    body: str
    content_type: str = ""

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _PlainHttpPolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain HTTP: the check talks to the app behind its proxy."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


@dataclass
class Client:
    """Requests to one server with one cookie jar, redirects reported rather than followed."""

    port: int
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.jar = http.cookiejar.CookieJar(policy=_PlainHttpPolicy())
        self._opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.jar)
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def send(
        self,
        method: str,
        path: str,
        *,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        body: bytes | None = None
        sent = {**self.headers, **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent.setdefault("Content-Type", "application/json")
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            # What a browser sends with a form: Django's CSRF check compares it on HTTPS,
            # where the page the form came from is an https:// one (behind the proxy).
            proto = {k.lower(): v for k, v in sent.items()}.get("x-forwarded-proto", "http")
            sent.setdefault("Referer", f"{proto}://127.0.0.1:{self.port}{path}")
        request = urllib.request.Request(self.origin + path, data=body, headers=sent, method=method)
        try:
            with self._opener.open(request, timeout=30) as answer:
                return _response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as err:
            return _response(err.code, err.headers, err.read())
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            reason = " ".join(str(getattr(err, "reason", err)).split())
            raise ProbeFailure(f"{method} {path} got no answer: {reason}") from None

    def follow(self, path: str) -> tuple[str, Response]:
        """GET ``path``, following same-origin redirects; the final path and answer."""
        response = self.send("GET", path)
        for _ in range(REDIRECT_LIMIT):
            location = response.header("Location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                break
            target = urllib.parse.urlsplit(urllib.parse.urljoin(self.origin + path, location))
            if target.netloc and target.netloc != urllib.parse.urlsplit(self.origin).netloc:
                break
            path = urllib.parse.urlunsplit(("", "", target.path, target.query, ""))
            response = self.send("GET", path)
        return path, response


def _response(status: int, headers: Any, raw: bytes) -> Response:
    items = {key: value for key, value in headers.items()} if headers else {}
    content_type = headers.get("Content-Type", "") if headers else ""
    return Response(status, items, raw.decode("utf-8", "replace"), content_type)

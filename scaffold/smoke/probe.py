"""Use a running project as its users would: crawl its pages, send requests, read its mail.

A template's production check (a ``serve`` step) may list pages to ``crawl`` and
``requests`` to send in order with one cookie jar; a mail sink on loopback catches
what the project sends over SMTP. Every failure is one line, such as
``POST /accounts/login/ answered 200, expected 403``.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import http.cookiejar
import json
import re
import socketserver
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

MAIL_WAIT = 10.0  # seconds a message may take to reach the sink after its request
REDIRECT_LIMIT = 5

CSRF_FIELDS = ("csrfmiddlewaretoken", "csrf_token")


class ProbeFailure(Exception):
    """A page or request did not answer as the check expects; the message is one line."""


# --- the mail sink ------------------------------------------------------------------


class MailSink:
    """A plain SMTP server on a free loopback port that keeps every message it receives.

    No TLS and no authentication: it exists for one check, on 127.0.0.1, and is
    stopped with it. Use it as a context manager.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._lock = threading.Condition()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._converse(self.rfile, self.wfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> MailSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _converse(self, rfile: Any, wfile: Any) -> None:
        def send(line: str) -> None:
            wfile.write(line.encode("ascii") + b"\r\n")
            wfile.flush()

        send("220 127.0.0.1 smoke mail sink")
        body: list[bytes] | None = None
        while line := rfile.readline(1 << 20):
            if body is not None:
                if line.rstrip(b"\r\n") == b".":
                    self._keep(b"".join(body))
                    body = None
                    send("250 OK: queued")
                else:
                    body.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                send("250-127.0.0.1")
                send("250 8BITMIME")
            elif verb == b"DATA":
                body = []
                send("354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                send("221 Bye")
                return
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                send("250 OK")
            else:
                send("502 Command not implemented")

    def _keep(self, raw: bytes) -> None:
        with self._lock:
            self.messages.append(message_text(raw))
            self._lock.notify_all()

    def wait_for(self, text: str, since: int, timeout: float | None = None) -> bool:
        """Whether a message received after the first ``since`` ones contains ``text``."""
        deadline = time.monotonic() + (MAIL_WAIT if timeout is None else timeout)
        with self._lock:
            while True:
                if any(text in message for message in self.messages[since:]):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)


def message_text(raw: bytes) -> str:
    """A message's headers and decoded text parts, as one string to search."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(str(part.get_content()))  # type: ignore[attr-defined]
            except (LookupError, ValueError):
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


# --- the HTTP client ----------------------------------------------------------------


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


# --- crawl --------------------------------------------------------------------------


class _Links(HTMLParser):
    """The links (``<a href>``) and assets (link, script, img) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "link" and values.get("href"):
            self.assets.append(values["href"])
        elif tag in ("script", "img") and values.get("src"):
            self.assets.append(values["src"])
        elif tag == "input" and values.get("name"):
            self.inputs[values["name"]] = values.get("value", "")


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _local(origin: str, page: str, href: str) -> str | None:
    """The same-origin path ``href`` on ``page`` points to, or None to skip it."""
    href = href.strip()
    if not href or href.startswith("#") or href.split(":", 1)[0].lower() in (
        "mailto", "tel", "javascript", "data",
    ):  # fmt: skip
        return None
    target = urllib.parse.urlsplit(urllib.parse.urljoin(origin + page, href))
    if target.netloc != urllib.parse.urlsplit(origin).netloc:
        return None
    return urllib.parse.urlunsplit(("", "", target.path or "/", target.query, ""))


def crawl(client: Client, pages: Sequence[str]) -> None:
    """Each page answers 200 with HTML; its links lead to 200 and its assets answer 200.

    Linked pages that are HTML have their assets checked too, so a broken static path
    on any page one click from the start fails.
    """
    checked: set[str] = set()

    def assets_of(page: str, html: str) -> None:
        for href in _parse(html).assets:
            path = _local(client.origin, page, href)
            if path is None or path in checked:
                continue
            checked.add(path)
            response = client.send("GET", path)
            if response.status != 200:
                raise ProbeFailure(f"GET {path} (linked from {page}) answered {response.status}")

    visited: set[str] = set()
    for page in pages:
        response = client.send("GET", page)
        if response.status != 200:
            raise ProbeFailure(f"GET {page} answered {response.status}, expected 200")
        if "html" not in response.content_type:
            raise ProbeFailure(f"GET {page} answered {response.content_type!r}, not HTML")
        assets_of(page, response.body)
        for href in _parse(response.body).links:
            path = _local(client.origin, page, href)
            if path is None or path in visited or path in pages:
                continue
            visited.add(path)
            final, answer = client.follow(path)
            if answer.status != 200:
                via = f" (redirected to {final})" if final != path else ""
                raise ProbeFailure(f"GET {path}{via} (linked from {page}) answered {answer.status}")
            if "html" in answer.content_type:
                assets_of(final, answer.body)


# --- requests -----------------------------------------------------------------------


SAVED = re.compile(r"\{saved:(\w+)\}")


def _with_saved(value: Any, saved: Mapping[str, str], what: str) -> Any:
    """``value`` with each ``{saved:NAME}`` replaced by what an earlier request saved."""
    if isinstance(value, str):

        def one(match: re.Match[str]) -> str:
            if match[1] not in saved:
                raise ProbeFailure(f"{what} uses {{saved:{match[1]}}}, which no request saved")
            return saved[match[1]]

        return SAVED.sub(one, value)
    if isinstance(value, Mapping):
        return {key: _with_saved(item, saved, what) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_saved(item, saved, what) for item in value]
    return value


def _save(what: str, body: str, wanted: Mapping[str, str], saved: dict[str, str]) -> None:
    """Keep the values at the JSON answer's dotted paths (``items.0.id``) under their names."""
    try:
        document = json.loads(body)
    except ValueError:
        raise ProbeFailure(f"{what} answered a body that is not JSON: nothing to save") from None
    for name, path in wanted.items():
        value = document
        for part in path.split("."):
            if isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            elif isinstance(value, dict) and part in value:
                value = value[part]
            else:
                raise ProbeFailure(f"{what} answered no {path!r} to save as {name!r}")
        if isinstance(value, dict | list) or value is None:
            raise ProbeFailure(f"{what} answered {path!r} that is not a single value")
        saved[name] = json.dumps(value) if isinstance(value, bool) else str(value)


def check_request(
    client: Client,
    item: Mapping[str, Any],
    sink: MailSink | None,
    saved: dict[str, str] | None = None,
) -> None:
    """Send one request of a check's ``requests`` list and compare the answer.

    ``{saved:NAME}`` in the request stands for a value an earlier request's ``save``
    kept from its JSON answer (a token, a new item's id), in ``saved``.
    """
    saved = {} if saved is None else saved
    item = _with_saved(item, saved, f"{item.get('method', 'GET')} {item.get('path')}")
    method = str(item.get("method", "GET")).upper()
    path = str(item["path"])
    what = f"{method} {path}"
    data = dict(item["data"]) if "data" in item else None
    if "csrf_from" in item:
        page = str(item["csrf_from"])
        form = client.send("GET", page)
        inputs = _parse(form.body).inputs
        token = next((inputs[name] for name in CSRF_FIELDS if inputs.get(name)), None)
        if token is None:
            raise ProbeFailure(f"GET {page} has no CSRF token field for {what}")
        name = next(name for name in CSRF_FIELDS if inputs.get(name))
        data = {**(data or {}), name: token}
    mail_before = len(sink.messages) if sink else 0
    response = client.send(
        method, path, data=data, json_body=item.get("json"), headers=item.get("headers")
    )
    expected = item.get("status", 200)
    allowed = expected if isinstance(expected, list) else [expected]
    if response.status not in allowed:
        wanted = " or ".join(str(code) for code in allowed)
        raise ProbeFailure(f"{what} answered {response.status}, expected {wanted}")
    if "contains" in item and str(item["contains"]) not in response.body:
        raise ProbeFailure(f"{what} answered without {item['contains']!r} in its body")
    if item.get("json_response"):
        if "application/json" not in response.content_type:
            raise ProbeFailure(f"{what} answered {response.content_type!r}, not JSON")
        try:
            json.loads(response.body)
        except ValueError:
            raise ProbeFailure(f"{what} answered a body that is not valid JSON") from None
    for name, part in dict(item.get("expect_headers", {})).items():
        value = response.header(name)
        if value is None:
            raise ProbeFailure(f"{what} answered without a {name} header")
        if str(part) not in value:
            raise ProbeFailure(f"{what} answered {name}: {value!r}, expected {str(part)!r} in it")
    if "location" in item:
        location = response.header("Location") or ""
        if str(item["location"]) not in location:
            raise ProbeFailure(
                f"{what} redirected to {location!r}, expected {str(item['location'])!r} in it"
            )
    if "save" in item:
        _save(what, response.body, item["save"], saved)
    if "mail" in item:
        if sink is None:
            raise ProbeFailure(f'{what} expects mail but the step has no "smtp": true')
        if not sink.wait_for(str(item["mail"]), since=mail_before):
            raise ProbeFailure(
                f"{what} sent no mail containing {str(item['mail'])!r} within {MAIL_WAIT:g} s"
            )


def probe(
    port: int,
    *,
    pages: Sequence[str] = (),
    requests: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
    sink: MailSink | None = None,
) -> str:
    """Crawl the pages, then send the requests in order; '' when all went as expected."""
    try:
        if pages:
            crawl(Client(port, headers or {}), pages)
        client = Client(port, headers or {})
        saved: dict[str, str] = {}
        for item in requests:
            check_request(client, item, sink, saved)
    except ProbeFailure as failure:
        return str(failure)
    return ""

"""Use a running project as its users would: crawl its pages, send requests, read its mail.

A template's production check (a ``serve`` step) may list pages to ``crawl`` and
``requests`` to send in order with one cookie jar (http_client.py); a mail sink on
loopback (mail_sink.py) catches what the project sends over SMTP. Every failure is
one line, such as ``POST /accounts/login/ answered 200, expected 403``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

from scaffold.smoke import mail_sink
from scaffold.smoke.http_client import Client, ProbeFailure
from scaffold.smoke.mail_sink import MailSink

__all__ = ["Client", "MailSink", "ProbeFailure", "check_request", "crawl", "probe"]

CSRF_FIELDS = ("csrfmiddlewaretoken", "csrf_token")


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
    for name in item.get("headers_absent", ()):
        if response.header(name) is not None:
            raise ProbeFailure(f"{what} answered {name}: {response.header(name)!r}, expected none")
    if "location" in item:
        location = response.header("Location") or ""
        if str(item["location"]) not in location:
            raise ProbeFailure(
                f"{what} redirected to {location!r}, expected {str(item['location'])!r} in it"
            )
    if "save" in item:
        _save(what, response.body, item["save"], saved)
    if ("mail" in item or "no_mail" in item) and sink is None:
        raise ProbeFailure(f'{what} expects mail but the step has no "smtp": true')
    if "mail" in item and sink is not None:
        message = sink.first_with(str(item["mail"]), since=mail_before)
        if message is None:
            wait = mail_sink.MAIL_WAIT
            raise ProbeFailure(
                f"{what} sent no mail containing {str(item['mail'])!r} within {wait:g} s"
            )
        _save_from_mail(what, message, item.get("save_mail", {}), saved)
    if item.get("no_mail") and sink is not None:
        message = sink.first_with("", since=mail_before, timeout=mail_sink.NO_MAIL_WAIT)
        if message is not None:
            subjects = [line for line in message.splitlines() if line.startswith("Subject:")]
            shown = subjects[0] if subjects else "no subject"
            raise ProbeFailure(f"{what} sent a mail ({shown}), expected none")


def _save_from_mail(
    what: str, message: str, wanted: Mapping[str, str], saved: dict[str, str]
) -> None:
    """Keep what each pattern matches in the mail (its first group, if it has one)."""
    for name, pattern in wanted.items():
        match = re.search(pattern, message)
        if match is None:
            raise ProbeFailure(f"{what} mailed nothing matching {pattern!r} to save as {name!r}")
        saved[name] = match[1] if match.re.groups else match[0]


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

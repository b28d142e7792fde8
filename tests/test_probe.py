"""The production check's probe: crawl, requests with expectations, and the mail sink.

A small WSGI app on loopback plays the project; each expectation is shown to pass when
met and to fail, with its one-line message, when not.
"""

from __future__ import annotations

import json
import smtplib
import threading
import urllib.parse
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from scaffold.catalog import Template, parse_template
from scaffold.errors import TemplateError
from scaffold.smoke.mail_sink import MailSink, message_text
from scaffold.smoke.probe import probe
from scaffold.smoke.runner import run_smoke

TOKEN = "tok-123"
PAGES = {
    "/": '<a href="/about">About</a> <a href="#top">top</a> <a href="mailto:a@b.c">mail</a>'
    '<a href="https://elsewhere.example/">away</a> <a href="/private">private</a>'
    '<link rel="stylesheet" href="/static/site.css"><script src="static/app.js"></script>',
    "/about": '<img src="/static/logo.png">',
    "/login": '<form method="post"><input type="hidden" name="csrf_token" value="tok-123"></form>',
    "/broken-asset": '<link rel="stylesheet" href="/static/missing.css">',
    "/broken-link": '<a href="/gone">gone</a>',
    "/broken-inner": '<a href="/inner">inner</a>',
    "/inner": '<img src="/static/nope.png">',
    "/offsite": '<a href="http://elsewhere.example/gone">away</a>'
    '<img src="//cdn.example/missing.png"><script src="https://cdn.example/x.js"></script>',
    "/broken-redirect": '<a href="/moved">moved</a>',
}
STATIC = {"/static/site.css", "/static/app.js", "/static/logo.png"}


class Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def make_app(smtp_port: list[int]) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        cookies = environ.get("HTTP_COOKIE", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        html = [("Content-Type", "text/html; charset=utf-8")]
        if path in PAGES and method == "GET":
            headers = html + [("X-Frame-Options", "DENY")]
            if path == "/login":
                headers.append(("Set-Cookie", "session=abc; Secure; HttpOnly; Path=/"))
            start_response("200 OK", headers)
            return [PAGES[path].encode()]
        if path.startswith("/behind-proxy/"):
            # Only answers what came through the TLS proxy, as a production app would.
            if environ.get("HTTP_X_FORWARDED_PROTO") != "https":
                start_response("400 Bad Request", html)
                return [b"plain HTTP"]
            page = '<link rel="stylesheet" href="/behind-proxy/site.css">'
            start_response("200 OK", html)
            return [page.encode() if path == "/behind-proxy/" else b"asset"]
        if path == "/form" and method == "POST":
            referer = environ.get("HTTP_REFERER", "")
            ok = referer.startswith("http://127.0.0.1:") and referer.endswith("/form")
            start_response("200 OK" if ok else "403 Forbidden", html)
            return [b"saved" if ok else b"Referer checking failed"]
        if path == "/moved":
            start_response("302 Found", [("Location", "/gone")])
            return [b""]
        if path in STATIC:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"asset"]
        if path == "/private":
            start_response("302 Found", [("Location", "/login?next=/private")])
            return [b""]
        if path == "/login" and method == "POST":
            form = urllib.parse.parse_qs(body)
            ok = form.get("csrf_token") == [TOKEN] and "session=abc" in cookies
            start_response("302 Found" if ok else "403 Forbidden", [("Location", "/welcome")])
            return [b"" if ok else b"CSRF failed"]
        if path == "/welcome":
            if "session=abc" not in cookies:
                start_response("403 Forbidden", html)
                return [b"no session"]
            start_response("200 OK", html)
            return [b"Hello again"]
        if path == "/api/echo" and method == "POST":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"got": json.loads(body)}).encode()]
        if path == "/api/tokens" and method == "POST":
            start_response("201 Created", [("Content-Type", "application/json")])
            return [json.dumps({"token": "t-0k3n", "items": [{"id": 7}]}).encode()]
        if path == "/api/mine/7":
            ok = environ.get("HTTP_AUTHORIZATION") == "Bearer t-0k3n"
            start_response("200 OK" if ok else "401 Unauthorized", html)
            return [b"yours" if ok else b"who are you?"]
        if path == "/api/bad-json":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b"{not json"]
        if path == "/reset" and method == "POST":
            message = EmailMessage()
            message["Subject"] = "Reset your password"
            message["From"] = "site@example.com"
            message["To"] = "user@example.com"
            message.set_content("Follow https://example.com/reset/Zk9=\u00e9t\u00e9 to reset.")
            with smtplib.SMTP("127.0.0.1", smtp_port[0]) as smtp:
                smtp.send_message(message)
            start_response("302 Found", [("Location", "/reset/done")])
            return [b""]
        start_response("404 Not Found", html)
        return [b"Page not found"]

    return app


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink() as mail:
        yield mail


@pytest.fixture
def port(sink: MailSink) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, make_app([sink.port]), handler_class=Quiet)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_crawl_passes_when_links_and_assets_answer(port: int) -> None:
    assert probe(port, pages=["/"]) == ""


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("/broken-asset", "GET /static/missing.css (linked from /broken-asset) answered 404"),
        ("/broken-link", "GET /gone (linked from /broken-link) answered 404"),
        ("/broken-inner", "GET /static/nope.png (linked from /inner) answered 404"),
        ("/missing", "GET /missing answered 404, expected 200"),
        ("/static/site.css", "GET /static/site.css answered 'text/plain', not HTML"),
        (
            "/broken-redirect",
            "GET /moved (redirected to /gone) (linked from /broken-redirect) answered 404",
        ),
    ],
)
def test_crawl_finds_what_is_broken(port: int, page: str, message: str) -> None:
    assert probe(port, pages=[page]) == message


def test_crawl_leaves_other_hosts_alone(port: int) -> None:
    """Links and assets on other hosts are not fetched (their paths are 404 here)."""
    assert probe(port, pages=["/offsite"]) == ""


def test_step_headers_go_with_every_request_crawl_included(port: int) -> None:
    proxy = {"X-Forwarded-Proto": "https"}
    requests = [{"path": "/behind-proxy/page"}]
    assert probe(port, pages=["/behind-proxy/"], requests=requests, headers=proxy) == ""
    assert probe(port, pages=["/behind-proxy/"]) == "GET /behind-proxy/ answered 400, expected 200"
    assert probe(port, requests=requests) == "GET /behind-proxy/page answered 400, expected 200"
    one = [{"path": "/behind-proxy/page", "headers": proxy}]
    assert probe(port, requests=one) == ""


def test_unsafe_methods_send_a_referer_of_the_same_origin(port: int) -> None:
    assert probe(port, requests=[{"path": "/form", "method": "POST", "data": {"a": "1"}}]) == ""
    stranger = {"Referer": "https://evil.example/form-elsewhere"}
    item = {"path": "/form", "method": "POST", "headers": stranger, "status": 403}
    assert probe(port, requests=[item]) == ""


def test_a_login_with_a_csrf_token_persists_in_the_cookie_jar(port: int) -> None:
    requests = [
        {"path": "/login", "method": "POST", "csrf_from": "/login", "status": 302,
         "location": "/welcome"},
        {"path": "/welcome", "contains": "Hello again"},
    ]  # fmt: skip
    assert probe(port, requests=requests) == ""


def test_without_the_token_the_post_is_refused(port: int) -> None:
    requests = [{"path": "/login", "method": "POST", "data": {"x": "1"}, "status": 302}]
    assert probe(port, requests=requests) == "POST /login answered 403, expected 302"


def test_a_status_list_allows_each_code(port: int) -> None:
    assert probe(port, requests=[{"path": "/nowhere", "status": [403, 404]}]) == ""
    failed = probe(port, requests=[{"path": "/nowhere", "status": [200, 403]}])
    assert failed == "GET /nowhere answered 404, expected 200 or 403"


def test_a_page_without_a_csrf_field_fails_the_request(port: int) -> None:
    requests = [{"path": "/login", "method": "POST", "csrf_from": "/about"}]
    assert probe(port, requests=requests) == "GET /about has no CSRF token field for POST /login"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"path": "/", "contains": "Nothing like this"},
         "GET / answered without 'Nothing like this' in its body"),
        ({"path": "/", "json_response": True},
         "GET / answered 'text/html; charset=utf-8', not JSON"),
        ({"path": "/api/bad-json", "json_response": True},
         "GET /api/bad-json answered a body that is not valid JSON"),
        ({"path": "/", "expect_headers": {"Strict-Transport-Security": ""}},
         "GET / answered without a Strict-Transport-Security header"),
        ({"path": "/", "expect_headers": {"X-Frame-Options": "SAMEORIGIN"}},
         "GET / answered X-Frame-Options: 'DENY', expected 'SAMEORIGIN' in it"),
        ({"path": "/private", "status": 302, "location": "/accounts/login"},
         "GET /private redirected to '/login?next=/private', expected '/accounts/login' in it"),
    ],
)  # fmt: skip
def test_each_expectation_fails_with_one_line(
    port: int, item: dict[str, Any], message: str
) -> None:
    assert probe(port, requests=[item]) == message


def test_each_expectation_passes_when_met(port: int) -> None:
    requests = [
        {"path": "/", "contains": "About", "expect_headers": {"X-Frame-Options": "DENY"}},
        {"path": "/api/echo", "method": "POST", "json": {"hello": "world"},
         "json_response": True, "contains": "world"},
        {"path": "/private", "status": 302, "location": "/login?next="},
    ]  # fmt: skip
    assert probe(port, requests=requests) == ""


def test_a_saved_value_goes_into_later_requests(port: int) -> None:
    """A token and an id from one JSON answer authenticate and name a later request."""
    saved = [
        {"path": "/api/tokens", "method": "POST", "json": {}, "status": 201,
         "save": {"token": "token", "first": "items.0.id"}},
        {"path": "/api/mine/{saved:first}", "contains": "yours",
         "headers": {"Authorization": "Bearer {saved:token}"}},
    ]  # fmt: skip
    assert probe(port, requests=saved) == ""
    without = [saved[0], {**saved[1], "headers": {"Authorization": "Bearer guess"}}]
    assert "answered 401" in probe(port, requests=without)


@pytest.mark.parametrize(
    ("requests", "message"),
    [
        ([{"path": "/api/mine/7", "headers": {"Authorization": "Bearer {saved:token}"}}],
         "GET /api/mine/7 uses {saved:token}, which no request saved"),
        ([{"path": "/api/tokens", "method": "POST", "json": {}, "status": 201,
           "save": {"token": "access_token"}}],
         "POST /api/tokens answered no 'access_token' to save as 'token'"),
        ([{"path": "/api/tokens", "method": "POST", "json": {}, "status": 201,
           "save": {"all": "items"}}],
         "POST /api/tokens answered 'items' that is not a single value"),
        ([{"path": "/private", "status": 302, "save": {"token": "token"}}],
         "GET /private answered a body that is not JSON: nothing to save"),
    ],
)  # fmt: skip
def test_a_value_that_cannot_be_saved_or_was_not_is_one_line(
    port: int, requests: list[dict[str, Any]], message: str
) -> None:
    assert probe(port, requests=requests) == message


def test_mail_sent_by_a_request_reaches_the_sink(port: int, sink: MailSink) -> None:
    requests = [{"path": "/reset", "method": "POST", "status": 302, "mail": "/reset/Zk9=été"}]
    assert probe(port, requests=requests, sink=sink) == ""
    assert "Subject: Reset your password" in sink.messages[0]


def test_mail_that_never_comes_fails(port: int, sink: MailSink, monkeypatch: Any) -> None:
    monkeypatch.setattr("scaffold.smoke.mail_sink.MAIL_WAIT", 0.1)
    item = {"path": "/", "mail": "reset"}
    assert (
        probe(port, requests=[item], sink=sink)
        == "GET / sent no mail containing 'reset' within 0.1 s"
    )
    assert probe(port, requests=[item]) == 'GET / expects mail but the step has no "smtp": true'


def test_no_mail_passes_when_none_comes_and_fails_when_one_does(
    port: int, sink: MailSink, monkeypatch: Any
) -> None:
    """``no_mail`` watches the sink a while after the answer: late mail still counts."""
    monkeypatch.setattr("scaffold.smoke.mail_sink.NO_MAIL_WAIT", 0.2)
    assert probe(port, requests=[{"path": "/", "no_mail": True}], sink=sink) == ""
    item = {"path": "/reset", "method": "POST", "status": 302, "no_mail": True}
    assert (
        probe(port, requests=[item], sink=sink)
        == "POST /reset sent a mail (Subject: Reset your password), expected none"
    )


def test_a_link_saved_from_a_mail_goes_into_later_requests(port: int, sink: MailSink) -> None:
    """``save_mail`` keeps a pattern's group from the mail ``mail`` waited for."""
    requests = [
        {"path": "/reset", "method": "POST", "status": 302, "mail": "Reset",
         "save_mail": {"link": r"https://example\.com(/reset/\w+)", "whole": "Zk9"}},
        {"path": "{saved:link}", "status": 404, "contains": "Page not found"},
    ]  # fmt: skip
    assert probe(port, requests=requests, sink=sink) == ""
    missing = [{**requests[0], "save_mail": {"link": "/confirm/"}}]
    assert (
        probe(port, requests=missing, sink=sink)
        == "POST /reset mailed nothing matching '/confirm/' to save as 'link'"
    )


def test_headers_absent_fails_on_a_header_that_is_there(port: int) -> None:
    assert probe(port, requests=[{"path": "/", "headers_absent": ["Server-Timing"]}]) == ""
    assert (
        probe(port, requests=[{"path": "/", "headers_absent": ["X-Frame-Options"]}])
        == "GET / answered X-Frame-Options: 'DENY', expected none"
    )


def test_mail_from_an_earlier_request_does_not_count(
    port: int, sink: MailSink, monkeypatch: Any
) -> None:
    monkeypatch.setattr("scaffold.smoke.mail_sink.MAIL_WAIT", 0.1)
    requests = [
        {"path": "/reset", "method": "POST", "status": 302, "mail": "Reset your password"},
        {"path": "/", "mail": "Reset your password"},
    ]
    assert (
        probe(port, requests=requests, sink=sink)
        == "GET / sent no mail containing 'Reset your password' within 0.1 s"
    )


def test_no_server_is_one_line(sink: MailSink) -> None:
    failed = probe(sink.port + 0, requests=[{"path": "/"}])  # an SMTP port speaks no HTTP
    assert failed.startswith("GET / ")
    assert "\n" not in failed


def test_quoted_printable_and_base64_bodies_are_searched_decoded() -> None:
    message = EmailMessage()
    message["Subject"] = "Hi"
    message.set_content("line=with=equals " + "é" * 80, cte="quoted-printable")
    assert "line=with=equals " + "é" * 80 in message_text(message.as_bytes())
    message = EmailMessage()
    message.set_content("token: abc/def", cte="base64")
    assert "token: abc/def" in message_text(message.as_bytes())


def _template(tmp_path: Any, step: dict[str, Any]) -> Template:
    return Template(
        name="t", path=tmp_path, variables={}, options=(), requirements=(),
        reserved_slugs=frozenset(), checks_data={"steps": [step]},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"name": "p", "serve": ["x"], "crawls": ["/"]}, "step 'p': unknown key 'crawls'"),
        ({"name": "p", "run": ["x"], "crawl": ["/"]}, "step 'p': unknown key 'crawl'"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "staus": 200}]},
         "step 'p' request 1: unknown key 'staus'"),
        ({"name": "p", "serve": ["x"], "requests": [{"method": "GET"}]},
         "step 'p' request 1: needs a \"path\""),
        ({"name": "p", "serve": ["x"], "requests": ["/"]},
         "step 'p' request 1: needs a \"path\""),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "status": "200"}]},
         "step 'p' request 1: 'status' must be a status code or a list of them, not \"200\""),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "status": []}]},
         "step 'p' request 1: 'status' must be a status code or a list of them, not []"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "status": True}]},
         "step 'p' request 1: 'status' must be a status code or a list of them, not true"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "login/"}]},
         "step 'p' request 1: 'path' must be a path starting with \"/\", not \"login/\""),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "json_response": "yes"}]},
         "step 'p' request 1: 'json_response' must be true or false, not \"yes\""),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "data": {"n": 1}}]},
         "step 'p' request 1: 'data' must be an object of text fields, not {\"n\": 1}"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "expect_headers": ["X"]}]},
         "step 'p' request 1: 'expect_headers' must be an object of header names and text"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "method": "PO ST"}]},
         "step 'p' request 1: 'method' must be an HTTP method"),
        ({"name": "p", "serve": ["x"],
          "requests": [{"path": "/", "json": {}, "csrf_from": "/"}]},
         "step 'p' request 1: sends \"json\", so it cannot also send \"data\" or \"csrf_from\""),
        ({"name": "p", "serve": ["x"], "smtp": "yes"},
         "step 'p': \"smtp\" must be true or false"),
        ({"name": "p", "serve": ["x"], "headers": {"X-Forwarded-Proto": 1}},
         "step 'p': \"headers\" must be an object of text headers"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "mail": "reset"}]},
         "step 'p': a request expects \"mail\" but the step has no \"smtp\": true"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "no_mail": True}]},
         "step 'p': a request expects \"no_mail\" but the step has no \"smtp\": true"),
        ({"name": "p", "serve": ["x"], "smtp": True,
          "requests": [{"path": "/", "no_mail": False}]},
         "step 'p' request 1: 'no_mail' must be true"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "headers_absent": "Server"}]},
         "step 'p' request 1: 'headers_absent' must be a list of header names"),
        ({"name": "p", "serve": ["x"], "smtp": True,
          "requests": [{"path": "/", "mail": "x", "save_mail": {"link": "(unclosed"}}]},
         "step 'p' request 1: 'save_mail' must be an object of names (letters, digits, _) and"),
        ({"name": "p", "serve": ["x"], "smtp": True,
          "requests": [{"path": "/", "save_mail": {"link": "/x/"}}]},
         "step 'p' request 1: \"save_mail\" reads the mail \"mail\" waits for: give \"mail\" too"),
        ({"name": "p", "serve": ["x"], "smtp": True,
          "requests": [{"path": "/", "mail": "x", "no_mail": True}]},
         "step 'p' request 1: expects \"mail\" and \"no_mail\" at once"),
        ({"name": "p", "serve": ["x"], "env": {"EMAIL_URL": "smtp://127.0.0.1:{smtp_port}"}},
         "step 'p': uses {smtp_port} but has no \"smtp\": true"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "save": {"a-b": "id"}}]},
         "step 'p' request 1: 'save' must be an object of names (letters, digits, _) and JSON"),
        ({"name": "p", "serve": ["x"], "requests": [{"path": "/", "save": {}}]},
         "step 'p' request 1: 'save' must be an object of names"),
        ({"name": "p", "serve": ["x"], "crawl": "/"},
         "step 'p': \"crawl\" must be a list of paths"),
    ],
)  # fmt: skip
def test_a_typo_in_a_step_is_refused(tmp_path: Any, step: dict[str, Any], message: str) -> None:
    with pytest.raises(TemplateError) as refused:
        _template(tmp_path, step).checks  # noqa: B018 - reading them is the test
    assert message in str(refused.value)


def test_shipped_templates_pass_the_stricter_reading() -> None:
    """Every step of the shipped templates is read as written."""
    root = Path(__file__).resolve().parent.parent / "templates"
    for name in ("django", "flask"):
        steps = parse_template(name, root / name).checks.steps
        assert any(step.serve for step in steps)


def test_a_serve_step_reads_the_new_keys(tmp_path: Any) -> None:
    step = {"name": "p", "serve": ["x"], "crawl": ["/"], "smtp": True,
            "headers": {"X-Forwarded-Proto": "https"},
            "requests": [{"path": "/", "status": 200}]}  # fmt: skip
    parsed = _template(tmp_path, step).checks.steps[0]
    assert parsed.crawl == ("/",)
    assert parsed.smtp is True
    assert parsed.headers == {"X-Forwarded-Proto": "https"}
    assert [request.send for request in parsed.requests] == [{"path": "/", "status": 200}]


# --- through a smoke run: placeholders, the mail sink and failures in the report -----

# The project's server: a page with a link and a stylesheet, a form that mails, and a
# page saying how long its secret is. Its port comes as the first argument.
SERVER = """
import os, smtplib, sys, urllib.parse
from email.message import EmailMessage
from wsgiref.simple_server import make_server

def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if path == "/" or path == "/about":
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b'<a href="/about">a</a><link rel="stylesheet" href="/site.css">']
    if path == "/site.css":
        start_response("200 OK", [("Content-Type", "text/css")])
        return [b"h1 {}"]
    if path == "/send" and method == "POST":
        to = urllib.parse.parse_qs(environ["QUERY_STRING"])["to"][0]
        message = EmailMessage()
        message["Subject"] = "Hello"
        message.set_content("for " + to + " via port " + sys.argv[1])
        with smtplib.SMTP("127.0.0.1", int(os.environ["MAIL_PORT"])) as smtp:
            smtp.send_message(message, "site@example.com", ["user@example.com"])
        start_response("303 See Other", [("Location", "/sent")])
        return [b""]
    if path == "/secret-length":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"length %d on %s" % (len(os.environ["SECRET"]), sys.argv[1].encode())]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]

make_server("127.0.0.1", int(sys.argv[1]), app).serve_forever()
"""
RECORD_SECRET = "import os, pathlib; pathlib.Path('secret.txt').write_text(os.environ['SECRET'])"


def _production_step(*extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "production",
        "serve": ["python", "-c", SERVER, "{port}"],
        "smtp": True,
        "env": {"MAIL_PORT": "{smtp_port}", "SECRET": "{secret}"},
        "crawl": ["/"],
        "requests": [
            {"path": "/send?to={project_slug}-{port}", "method": "POST", "status": 303,
             "location": "/sent", "mail": "for tiny-"},
            {"path": "/send?to=x", "method": "POST", "status": 303,
             "mail": "via port {port}"},
            {"path": "/secret-length", "contains": "length 50 on {port}"},
            *extra,
        ],
    }  # fmt: skip


def _smoke(tmp_path: Path, cache: Path, steps: list[dict[str, Any]]) -> Any:
    from tests.test_smoke import make_template

    template = make_template(tmp_path, steps, env={"SECRET": "{secret}"})
    return run_smoke(
        [template], only=["database=sqlite"], jobs=2, cache=cache, keep=tmp_path / "kept"
    )


@pytest.mark.slow  # a smoke run: a render process, a server
def test_a_smoke_run_fills_secret_and_smtp_port_and_catches_mail(
    tmp_path: Path, smoke_cache: Path
) -> None:
    run = _smoke(
        tmp_path, smoke_cache, [{"name": "record", "run": ["python", "-c", RECORD_SECRET]},
                                _production_step()],
    )  # fmt: skip
    assert [(s.name, s.ok, s.message) for r in run.results for s in r.steps[1:]] == [
        ("record", True, ""),
        ("production", True, ""),
    ] * 2
    secrets = {r.project_dir: (r.project_dir / "secret.txt").read_text() for r in run.results}
    assert len(set(secrets.values())) == 2  # a fresh secret for each combination
    for project, secret in secrets.items():
        assert len(secret) == 50
        written = [
            p
            for p in project.rglob("*")
            if p.is_file() and secret in p.read_text("utf-8", "replace")
        ]
        assert written == [project / "secret.txt"]  # only where the check itself put it


@pytest.mark.slow  # a smoke run: a render process, a server
def test_a_smoke_run_reports_a_probe_failure_in_one_line(tmp_path: Path, smoke_cache: Path) -> None:
    step = _production_step({"path": "/secret-length", "contains": "length 64"})
    run = _smoke(tmp_path, smoke_cache, [step])
    failed = [s for r in run.results for s in r.steps if not s.ok]
    assert [s.message for s in failed] == [
        "GET /secret-length answered without 'length 64' in its body"
    ] * 2

"""Tests for scaffold.smoke.redis_databases: a Redis database of its own per combination."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator

import pytest

from scaffold.checks_model import Checks, Step
from scaffold.smoke import redis_databases
from scaffold.smoke.combination import Combination
from scaffold.smoke.redis_databases import REDIS_ENV, claim, database_url, flush, release
from scaffold.smoke.results import CombinationResult
from scaffold.smoke.steps import StepContext, _redis


class _Redis(socketserver.StreamRequestHandler):
    """Enough of Redis's protocol for AUTH, SELECT and FLUSHDB; records what it was sent."""

    def handle(self) -> None:
        while line := self.rfile.readline():
            count = int(line[1:])
            parts = []
            for _ in range(count):
                self.rfile.readline()  # $length
                parts.append(self.rfile.readline().strip().decode())
            self.server.seen.append(parts)  # type: ignore[attr-defined]
            if parts[0] == "AUTH" and parts[-1] != "secret":
                self.wfile.write(b"-WRONGPASS invalid password\r\n")
            else:
                self.wfile.write(b"+OK\r\n")


@pytest.fixture
def server() -> Iterator[socketserver.ThreadingTCPServer]:
    """A fake Redis server on a loopback port, in a thread of the test."""
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Redis) as fake:
        fake.seen = []  # type: ignore[attr-defined]
        thread = threading.Thread(target=fake.serve_forever, daemon=True)
        thread.start()
        yield fake
        fake.shutdown()


def url_of(server: socketserver.ThreadingTCPServer, auth: str = "") -> str:
    return f"redis://{auth}127.0.0.1:{server.server_address[1]}"


def test_combinations_at_the_same_time_get_different_databases_flushed(server) -> None:
    """Each claim takes a free number and flushes it; a released number is taken again."""
    url = url_of(server)
    first, second = claim(url), claim(url)
    assert (first, second) == ((1, ""), (2, ""))
    assert server.seen[:2] == [["SELECT", "1"], ["FLUSHDB"]]
    release(url, 1)
    assert server.seen[-2:] == [["SELECT", "1"], ["FLUSHDB"]]
    assert claim(url) == (1, "")
    release(url, 1)
    release(url, 2)


def test_a_password_in_the_url_is_sent_first(server) -> None:
    assert flush(url_of(server, ":secret@"), 3) == ""
    assert server.seen == [["AUTH", "secret"], ["SELECT", "3"], ["FLUSHDB"]]


def test_a_refused_password_is_one_line(server) -> None:
    error = flush(url_of(server, ":wrong@"), 3)
    assert error.startswith("Redis at 127.0.0.1:") and "refused AUTH: WRONGPASS" in error


def test_an_unreachable_server_is_one_line_naming_the_variable() -> None:
    number, error = claim("redis://127.0.0.1:1")
    assert number == 0
    assert error.startswith("cannot reach Redis at 127.0.0.1:1") and REDIS_ENV in error
    assert "\n" not in error
    assert 1 not in redis_databases._held["redis://127.0.0.1:1"]  # given back


def test_a_url_that_is_not_redis_is_refused() -> None:
    assert "must look like redis://" in flush("http://127.0.0.1:6379", 1)


def test_the_database_url_replaces_the_servers_path() -> None:
    assert database_url("redis://:pw@h:6380/0", 7) == "redis://:pw@h:6380/7"


def context(url: str | None, checks: Checks) -> StepContext:
    return StepContext({"t": checks}, None, 60.0, None, lambda event: None, redis_url=url)


def test_a_combination_needing_redis_without_a_server_fails_in_one_line() -> None:
    """No SCAFFOLD_TEST_REDIS_URL: a `redis` step fails, naming the variable."""
    checks = Checks(env={"REDIS_URL": "{redis_url}"}, steps=(Step("s", run=("true",)),))
    result = CombinationResult("t", Combination("t", ()))
    assert _redis({}, checks, context(None, checks), result) is None
    (step,) = result.steps
    assert (step.name, step.ok) == ("redis", False)
    assert step.message.startswith(f"{REDIS_ENV} is not set") and "\n" not in step.message


@pytest.mark.parametrize(
    ("checks", "values", "needed"),
    [
        (Checks(steps=(Step("s", run=("echo", "{redis_url}")),)), {}, True),
        (Checks(steps=(Step("s", run=("true",)),)), {}, False),
        (
            Checks(steps=(Step("s", run=("{redis_url}",), when={"tasks": True}),)),
            {"tasks": False},
            False,
        ),  # fmt: skip
        (Checks(env={"R": "{redis_url}"}, redis_when={"tasks": True}), {"tasks": False}, False),
        (Checks(redis_when={"tasks": True}), {"tasks": True}, True),
    ],
    ids=["used", "unused", "step-skipped", "redis-when-not", "redis-when"],
)
def test_who_needs_redis(checks: Checks, values: dict, needed: bool) -> None:
    """A combination whose steps use {redis_url}, or that `redis: {when}` names."""
    assert checks.needs_redis(values) is needed

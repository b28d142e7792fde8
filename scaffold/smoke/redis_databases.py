"""A Redis database of its own for each combination whose checks use ``{redis_url}``.

The server is the one in ``SCAFFOLD_TEST_REDIS_URL`` (``.ci/redis start PORT``
starts one). Combinations running at the same time each hold one of its database
numbers 1 to 15 (0 is left to whoever else uses the server), flushed when taken
and when given back, so one combination never sees another's keys or jobs. A
combination waits while all fifteen are held.
"""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Sequence

REDIS_ENV = "SCAFFOLD_TEST_REDIS_URL"
NO_REDIS = (
    f"{REDIS_ENV} is not set: point it at a Redis server this run may use databases "
    "1 to 15 of, e.g. redis://127.0.0.1:6379 (.ci/redis start PORT starts one)"
)
NUMBERS = range(1, 16)

_lock = threading.Condition()
_held: dict[str, set[int]] = {}  # server URL -> the database numbers combinations hold


def database_url(server: str, number: int) -> str:
    """The URL of database ``number`` on the server ``server`` names (its path replaced)."""
    parts = urllib.parse.urlsplit(server)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{number}", "", ""))


def claim(server: str) -> tuple[int, str]:
    """Take a free database number on ``server`` and flush it: (number, '') or (0, why not)."""
    with _lock:
        held = _held.setdefault(server, set())
        while not (free := [n for n in NUMBERS if n not in held]):
            _lock.wait()
        number = free[0]
        held.add(number)
    error = flush(server, number)
    if error:
        release(server, number, flushed=True)
        return 0, error
    return number, ""


def release(server: str, number: int, *, flushed: bool = False) -> None:
    """Flush database ``number`` (unless it was just flushed) and give it back."""
    if not flushed:
        flush(server, number)
    with _lock:
        _held.get(server, set()).discard(number)
        _lock.notify_all()


def flush(server: str, number: int) -> str:
    """Empty database ``number`` of ``server``; '' when done, else one line saying why not."""
    parts = urllib.parse.urlsplit(server)
    if parts.scheme != "redis" or not parts.hostname:
        return f"{REDIS_ENV} must look like redis://[:password@]host:port, not {server!r}"
    commands: list[Sequence[str]] = []
    if parts.password is not None:
        user = urllib.parse.unquote(parts.username or "")
        password = urllib.parse.unquote(parts.password)
        commands.append(["AUTH", user, password] if user else ["AUTH", password])
    commands += [["SELECT", str(number)], ["FLUSHDB"]]
    where = f"{parts.hostname}:{parts.port or 6379}"
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=10) as conn:
            reader = conn.makefile("rb")
            for command in commands:
                conn.sendall(_encode(command))
                answer = reader.readline().decode(errors="replace").strip()
                if not answer.startswith("+"):
                    return f"Redis at {where} refused {command[0]}: {answer[1:] or 'no answer'}"
    except OSError as err:
        return f"cannot reach Redis at {where} ({REDIS_ENV}): {err.strerror or err}"
    return ""


def _encode(command: Sequence[str]) -> bytes:
    """A command in Redis's protocol (RESP): an array of bulk strings."""
    out = [f"*{len(command)}\r\n".encode()]
    for part in command:
        data = part.encode()
        out.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(out)

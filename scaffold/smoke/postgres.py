"""A throwaway PostgreSQL server for a smoke run that was given none.

When ``SCAFFOLD_TEST_POSTGRES_URL`` is unset and the run has PostgreSQL combinations,
the run starts its own server with the machine's ``initdb`` and ``pg_ctl``: data in a
temp dir, listening on 127.0.0.1 and a private socket only, stopped and removed when
the run ends. Without ``initdb`` the run stops before generating anything.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from scaffold.errors import SmokeError
from scaffold.smoke.process import free_port


def _pg_tool(name: str) -> str | None:
    """A PostgreSQL client binary from PATH, else from the newest /usr/lib/postgresql."""
    if found := shutil.which(name):
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return str(candidates[-1]) if candidates else None


class PostgresServer:
    """Creates and drops throwaway databases on one server, with its client binaries."""

    def __init__(self, url: str) -> None:
        self.url = url

    def database_url(self, name: str) -> str:
        """The server URL pointing at database ``name``."""
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def _run(self, tool: str, args: list[str], sql: str) -> str:
        """Run createdb/dropdb, or psql with ``sql`` when they are missing; '' means success."""
        binary = _pg_tool(tool)
        if binary:
            command = [binary, f"--maintenance-db={self.url}", *args]
        elif psql := _pg_tool("psql"):
            command = [psql, self.url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        else:
            return f"neither {tool} nor psql was found: install the PostgreSQL client"
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        return "" if result.returncode == 0 else (result.stderr or result.stdout).strip()

    def create(self, name: str) -> str:
        """Create database ``name``; return an error message, or '' on success."""
        return self._run("createdb", [name], f'CREATE DATABASE "{name}"')

    def drop(self, name: str) -> str:
        """Drop database ``name`` (and its test twin) if they exist, closing connections."""
        errors = []
        for database in (name, f"test_{name}"):
            sql = f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
            if error := self._run("dropdb", ["--if-exists", "--force", database], sql):
                errors.append(error)
        return "; ".join(errors)


# initdb refuses to run as root; as root the server runs as this system user.
SERVER_USER = "postgres"


def _user() -> str | None:
    """The user the server runs as: None for the current one, or SERVER_USER under root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise SmokeError(
            f"initdb refuses to run as root and there is no {SERVER_USER!r} user: "
            "set SCAFFOLD_TEST_POSTGRES_URL to a PostgreSQL server this run may create "
            "databases on"
        ) from None
    return SERVER_USER


def _last_line(*logs: Path) -> str:
    """The last line of the first log that has one: the server's own reason, usually."""
    for log in logs:
        if log.is_file() and (lines := log.read_text(errors="replace").strip().splitlines()):
            return lines[-1]
    return "no output"


def _run(command: list[str], user: str | None, what: str, log: Path, *detail: Path) -> None:
    with log.open("a") as out:
        result = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, user=user, timeout=120, check=False
        )
    if result.returncode != 0:
        reason = _last_line(*detail, log)
        raise SmokeError(f"could not {what} a throwaway PostgreSQL server: {reason}")


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a PostgreSQL server for the length of the block; yield its URL."""
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not initdb or not pg_ctl:
        raise SmokeError(
            "PostgreSQL combinations need a server: set SCAFFOLD_TEST_POSTGRES_URL to one "
            "this run may create databases on, or install PostgreSQL (initdb) so the run "
            "can start its own"
        )
    user = _user()
    home = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    data, log = home / "data", home / "server.log"
    try:
        if user:
            shutil.chown(home, user)
        port = free_port()
        _run(
            [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            user,
            "initialise",
            home / "initdb.log",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off"
        _run(
            [pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o", options, "start"],
            user,
            "start",
            home / "pg_ctl.log",
            log,
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                user=user,
                timeout=120,
                check=False,
            )
    finally:
        shutil.rmtree(home, ignore_errors=True)

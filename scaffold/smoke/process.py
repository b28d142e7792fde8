"""Run a check's command, or start a server and ask it for pages, within a time limit.

Every command runs in a new session (its own process group) with its output in
a log file, so a step that hangs, or leaves children behind, is stopped whole:
the group gets SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TAIL_LINES = 40
TAIL_CHARS = 6000

_ports_lock = threading.Lock()
_ports_given: set[int] = set()
_running_lock = threading.Lock()
_running: set[subprocess.Popen[bytes]] = set()  # so an interrupted run can stop them all


@dataclass
class Outcome:
    """How a command went: success, exit code, a one-line message and the output tail."""

    ok: bool
    returncode: int | None
    message: str
    output: str


def free_port() -> int:
    """A free loopback TCP port, never the same twice in this process."""
    with _ports_lock:
        while True:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            if port not in _ports_given:
                _ports_given.add(port)
                return port


def tail(path: Path, lines: int = TAIL_LINES, chars: int = TAIL_CHARS) -> str:
    """The last lines of a log file, at most ``chars`` characters."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    text = "\n".join(text.rstrip().splitlines()[-lines:])
    return text[-chars:]


def _start(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out, _running_lock:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: Ctrl-C does not reach it, stop() does
        )
        _running.add(process)
        return process


def stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Stop a process and everything it started: SIGTERM to its group, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # children that ignored SIGTERM after their parent left
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    with _running_lock:
        _running.discard(process)


def stop_all() -> None:
    """Stop every command still running (an interrupted run)."""
    with _running_lock:
        running = list(_running)
    for process in running:
        stop(process, grace=2.0)


def run_command(
    command: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path, timeout: float
) -> Outcome:
    """Run ``command`` to completion, killing its process group at ``timeout`` seconds."""
    try:
        process = _start(command, cwd, env, log)
    except OSError as err:
        return Outcome(False, None, f"cannot run {command[0]!r}: {err.strerror or err}", "")
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)
        return Outcome(False, None, f"timed out after {timeout:g} s and was killed", tail(log))
    finally:
        stop(process, grace=1.0)  # reaps whatever the command left running
    if returncode != 0:
        return Outcome(False, returncode, f"exited with code {returncode}", tail(log))
    return Outcome(True, 0, "", tail(log))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer instead of following it: the check wants 200."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _status(url: str, headers: Mapping[str, str] | None = None) -> int | None:
    """The HTTP status ``url`` answers, or None while nothing listens there."""
    try:
        request = urllib.request.Request(url, headers=dict(headers or {}))
        with _opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def serve_and_get(
    command: Sequence[str],
    *,
    paths: Sequence[str],
    port: int,
    cwd: Path,
    env: Mapping[str, str],
    log: Path,
    timeout: float,
    then: Callable[[], str] | None = None,
    headers: Mapping[str, str] | None = None,
    workers: Sequence[Sequence[str]] = (),
) -> Outcome:
    """Start a server, wait until every path answers HTTP 200, then stop it.

    ``then`` runs while the server is up, after the paths answered; it returns a
    one-line failure, or '' when all went well. ``workers`` are commands started
    first, beside the server (a task queue's worker, say), and stopped after it; each
    writes its own log, whose tail a failure shows.
    """
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    exited: list[str] = []  # the workers that stopped before the server did, and how
    try:
        for number, worker in enumerate(workers, start=1):
            worker_log = log.with_name(f"{log.stem}.worker{number}{log.suffix}")
            try:
                started.append((" ".join(worker), _start(worker, cwd, env, worker_log), worker_log))
            except OSError as err:
                message = f"cannot run worker {worker[0]!r}: {err.strerror or err}"
                return Outcome(False, None, message, "")
        outcome = _serve(command, paths, port, cwd, env, log, timeout, then, headers)
    finally:
        for name, process, _ in started:
            if process.poll() is not None:
                exited.append(f"worker {name!r} exited with code {process.returncode}")
            stop(process)
    if outcome.ok:
        return outcome
    outcome.message = "; ".join([outcome.message, *exited])
    for name, _, worker_log in started:
        outcome.output += f"\n--- worker {name} ---\n{tail(worker_log)}"
    return outcome


def _serve(
    command: Sequence[str],
    paths: Sequence[str],
    port: int,
    cwd: Path,
    env: Mapping[str, str],
    log: Path,
    timeout: float,
    then: Callable[[], str] | None,
    headers: Mapping[str, str] | None,
) -> Outcome:
    try:
        process = _start(command, cwd, env, log)
    except OSError as err:
        return Outcome(False, None, f"cannot run {command[0]!r}: {err.strerror or err}", "")
    deadline = time.monotonic() + timeout
    try:
        for path in paths:
            url = f"http://127.0.0.1:{port}{path}"
            while (status := _status(url, headers)) is None:
                if process.poll() is not None:
                    message = f"exited with code {process.returncode} before answering GET {path}"
                    return Outcome(False, process.returncode, message, tail(log))
                if time.monotonic() > deadline:
                    message = f"GET {path} got no answer within {timeout:g} s"
                    return Outcome(False, None, message, tail(log))
                time.sleep(0.2)
            if status != 200:
                message = f"GET {path} answered HTTP {status}, not 200"
                return Outcome(False, None, message, tail(log))
        if then is not None and (message := then()):
            return Outcome(False, None, message, tail(log))
    finally:
        stop(process)
    return Outcome(True, 0, "", tail(log))

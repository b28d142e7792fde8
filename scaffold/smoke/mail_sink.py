"""A mail sink on loopback: the SMTP server a production check's project sends mail to.

A ``serve`` step with ``smtp: true`` gets one for its run; a request that expects
``mail`` waits for a message containing the text (probe.py).
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time
from typing import Any

MAIL_WAIT = 10.0  # seconds a message may take to reach the sink after its request
# Seconds a request that expects no mail is watched for one: projects may send mail
# from a background thread, after the answer.
NO_MAIL_WAIT = 2.0


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
        return self.first_with(text, since, timeout) is not None

    def first_with(self, text: str, since: int, timeout: float | None = None) -> str | None:
        """The first message after the first ``since`` ones that contains ``text``, if
        one comes within ``timeout`` seconds (default ``MAIL_WAIT``)."""
        deadline = time.monotonic() + (MAIL_WAIT if timeout is None else timeout)
        with self._lock:
            while True:
                for message in self.messages[since:]:
                    if text in message:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
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

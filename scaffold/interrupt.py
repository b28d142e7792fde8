"""Ctrl-C that never lies about what is on disk.

A short step that must not be cut in half (moving the project into place and its
first git commit) holds Ctrl-C until it is done; the interrupt then reports what
was written instead of "nothing was written".
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with the one line that says what is on disk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@contextlib.contextmanager
def held() -> Iterator[list[int]]:
    """Hold Ctrl-C during the block; the list says whether one came (main thread only)."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)

"""Ctrl-C that never lies about what is on disk.

A short step that must not be cut in half (moving the project into place and its
first git commit) holds Ctrl-C until it is done; the interrupt then reports what
was written instead of "nothing was written".
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path


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

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)
        outer = previous if callable(previous) else None
        if caught and outer is not None and outer.__qualname__ == hold.__qualname__:
            # Inside a block that holds Ctrl-C too: the interrupt is that block's to
            # answer, when its whole step is done, not this inner one's.
            outer(signal.SIGINT, None)
            caught.clear()


@contextlib.contextmanager
def temporary_directory(prefix: str) -> Iterator[str]:
    """A temporary directory, removed afterwards even when Ctrl-C cuts the block short.

    Creating and removing it run with Ctrl-C held: an interrupt during either would
    leave it behind. One that came meanwhile is raised once it is gone.
    """
    with held() as caught:
        path = tempfile.mkdtemp(prefix=prefix)
    try:
        if caught:
            raise KeyboardInterrupt
        yield path
    except BaseException:
        with held():
            shutil.rmtree(path, ignore_errors=True)
        raise
    with held() as caught:
        shutil.rmtree(path, ignore_errors=True)
    if caught:
        raise KeyboardInterrupt


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Block Ctrl-C during the block, for this process and the programs it starts.

    Unlike ``held``, the block is inherited: a hook script cookiecutter runs does not
    die half-way with a traceback of its own. A Ctrl-C that came is delivered as
    KeyboardInterrupt once the block is done.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def written(path: Path) -> Interrupted:
    """The interrupt to raise once the project at ``path`` is whole on disk."""
    return Interrupted(f"Interrupted: the project was already complete in {path}; kept it.")

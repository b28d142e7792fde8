"""The `scaffold` command's entry point: Ctrl-C is one line and exit code 130 from the start.

Importing the command line (click, cookiecutter, jinja2) takes a noticeable moment;
a Ctrl-C during it would print a traceback. Until the imports are done, Ctrl-C
exits at once: nothing has been written yet.
"""

from __future__ import annotations

import os
import signal
import sys


def _leave(signum: int, frame: object) -> None:
    os.write(2, b"\nInterrupted: nothing was written.\n")
    os._exit(130)


def main() -> int:
    signal.signal(signal.SIGINT, _leave)
    from scaffold.cli import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = run()
    except KeyboardInterrupt:  # before the command's own handler took over
        os.write(2, b"\nInterrupted: nothing was written.\n")
        code = 130
    # The command has finished and said so: a Ctrl-C from now on (or one pending, which
    # setting a handler raises first) would only kill the interpreter's shutdown.
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            break
        except KeyboardInterrupt:
            continue
    if code == 130:
        # Interrupted, and said so. Python would end by killing itself with SIGINT when a
        # KeyboardInterrupt once passed through exec'd code (as templates are), even
        # though it was handled: leave with the exit code the message promises.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    return code


if __name__ == "__main__":
    sys.exit(main())

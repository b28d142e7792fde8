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
        return run()
    except KeyboardInterrupt:  # before the command's own handler took over
        os.write(2, b"\nInterrupted: nothing was written.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())

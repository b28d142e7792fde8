"""Allow ``python -m scaffold``."""

from __future__ import annotations

from scaffold._entry import main

if __name__ == "__main__":
    raise SystemExit(main())

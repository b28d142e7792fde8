"""scaffold: recommends Django or Flask and writes a starter project that works."""

from __future__ import annotations

__version__ = "0.3.0"

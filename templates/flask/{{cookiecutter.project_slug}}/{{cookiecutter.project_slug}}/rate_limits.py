"""Where Flask-Limiter counts attempts: the app's database, unless configured otherwise.

Flask-Limiter's default store is each process's memory, so with several gunicorn
workers every worker would allow the full number of guesses. RATELIMIT_STORAGE_URI
picks the store: `database://` (the default) counts in the `rate_limits` table that
every worker and machine shares; redis://... or memcached://... use a server of
that kind instead; memory:// is for the tests alone.
"""

import hashlib
import time

from flask import Flask
from limits.storage import Storage
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db, limiter
from .models import RateLimitCount

TABLE = RateLimitCount.__table__


def hashed(key: str) -> str:
    """Return the form a key is stored in (keys may hold email addresses)."""
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counts in the `rate_limits` table, shared by every worker."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's count, starting a window of `expiry` seconds."""
        now = time.time()
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(TABLE).values(
            key=hashed(key), count=amount, expires_at=now + expiry
        )
        # One statement, so two workers counting at once both count.
        upsert = insert.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={"count": TABLE.c.count + amount},
        ).returning(TABLE.c.count)
        row = TABLE.c.key == hashed(key)
        ended = delete(TABLE).where(row, TABLE.c.expires_at <= now)
        with db.engine.begin() as connection:
            connection.execute(ended)  # a window that is over starts again at 0
            return connection.execute(upsert).scalar_one()

    def get(self, key: str) -> int:
        """Return the key's count in its current window (0 when none)."""
        row = self._row(key)
        return row.count if row is not None else 0

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends, in seconds since the epoch."""
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        """Tell whether the database answers."""
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        """Forget every count."""
        with db.engine.begin() as connection:
            return connection.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Forget the key's count."""
        with db.engine.begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == hashed(key)))

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(
                select(TABLE.c.count, TABLE.c.expires_at).where(
                    TABLE.c.key == hashed(key), TABLE.c.expires_at > time.time()
                )
            ).first()


def init_app(app: Flask) -> None:
    """Start Flask-Limiter on the store RATELIMIT_STORAGE_URI names.

    Importing this module registers database://, so Flask-Limiter finds it.
    """
    limiter.init_app(app)

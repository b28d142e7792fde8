"""The database models (SQLAlchemy 2 typed mappings)."""

{% if cookiecutter.accounts %}
import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
{% else %}
from datetime import UTC, datetime
{% endif %}

{% if cookiecutter.accounts %}
from flask_login import UserMixin
{% endif %}
{% if cookiecutter.admin %}
from sqlalchemy import Double, ForeignKey, String, false
{% elif cookiecutter.accounts %}
from sqlalchemy import Double, ForeignKey, String
{% else %}
from sqlalchemy import String
{% endif %}
{% if cookiecutter.accounts %}
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash
{% else %}
from sqlalchemy.orm import Mapped, mapped_column
{% endif %}

from .extensions import db

NOTE_MAX_LENGTH = 280
{% if cookiecutter.accounts %}
EMAIL_MAX_LENGTH = 255
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
{% endif %}


def utcnow() -> datetime:
    """Return the current UTC time; used as a column default, so called per row."""
    return datetime.now(UTC)
{% if cookiecutter.accounts %}


def normalize_email(email: str) -> str:
    """Return the form in which emails are stored and looked up."""
    return email.strip().lower()


def clean_email(email: str) -> str:
    """Return `email` normalized, or raise ValueError saying it is not an address.

    The one check of an address, used by sign-up, login, the admin and make-admin
    (through the User model), so no way in stores an address login cannot find.
    """
    email = normalize_email(email)
    if len(email) > EMAIL_MAX_LENGTH or not EMAIL_PATTERN.fullmatch(email):
        raise ValueError("Enter a valid email address.")
    return email
{% endif %}


class Note(db.Model):
{% if cookiecutter.accounts %}
    """A short public note by a user: the example model; rename or replace it."""
{% else %}
    """A short public note: the example model; rename or replace it."""
{% endif %}

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(NOTE_MAX_LENGTH))
    # Pass the function, not its result: utcnow() here would freeze the import time.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
{% if cookiecutter.accounts %}
    # Notes written before notes had authors have none; every new one has one.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    author: Mapped["User | None"] = relationship(back_populates="notes")

    def is_editable_by(self, user: "User") -> bool:
        """Tell whether `user` may change or delete this note: only its author may."""
        return self.user_id is not None and self.user_id == user.id
{% endif %}
{% if cookiecutter.accounts %}


class User(UserMixin, db.Model):
    """Someone who can sign in; only a hash of the password is stored."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
{% if cookiecutter.admin %}
    # The server default covers the users who existed before the column.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
{% endif %}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the owner opened the link mailed at sign-up; no login before.
    verified_at: Mapped[datetime | None]
    # Deleting a user deletes their notes and API tokens too.
    notes: Mapped[list[Note]] = relationship(
        back_populates="author", cascade="all, delete-orphan"
    )
    api_tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @validates("email")
    def validate_email(self, key: str, email: str) -> str:
        """Store every email normalized, and refuse what is not an address."""
        return clean_email(email)

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password` (werkzeug.security, scrypt)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Return what the session keeps: the id and a digest of the password hash.

        A new password changes it, so sessions (and remember-me cookies) from
        before a password change or reset stop working.
        """
        digest = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}:{digest}"


def hash_token(token: str) -> str:
    """Return the form in which an API token is stored: its SHA-256, in hex.

    A token is 32 random bytes, so a fast hash is enough (unlike a password), and
    a stolen copy of the table gives no usable token.
    """
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A bearer token an API client got with its user's email and password.

    Only its hash is stored; delete the row to revoke it.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    user: Mapped[User] = relationship(back_populates="api_tokens")

    @classmethod
    def issue(cls, user: User, max_age: timedelta) -> tuple["ApiToken", str]:
        """Return a new token row for `user` and the token itself, shown only once."""
        token = secrets.token_urlsafe(32)
        row = cls(
            user=user, token_hash=hash_token(token), expires_at=utcnow() + max_age
        )
        return row, token


class RateLimitCount(db.Model):
    """A rate limit's count of attempts in its current window (see rate_limits.py).

    Kept in the database so that every gunicorn worker and machine counts together.
    """

    __tablename__ = "rate_limits"

    # The SHA-256 of Flask-Limiter's key, which may hold an email address.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int]
    # When the window ends, in seconds since the epoch (time.time()).
    expires_at: Mapped[float] = mapped_column(Double)
{% endif %}

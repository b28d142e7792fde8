"""The database models (SQLAlchemy 2 typed mappings)."""

{% if cookiecutter.accounts %}
import re
{% endif %}
from datetime import UTC, datetime

{% if cookiecutter.accounts %}
from flask_login import UserMixin
{% endif %}
{% if cookiecutter.admin %}
from sqlalchemy import String, false
{% else %}
from sqlalchemy import String
{% endif %}
{% if cookiecutter.accounts %}
from sqlalchemy.orm import Mapped, mapped_column, validates
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
    """A short public note: the example model; rename or replace it."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(NOTE_MAX_LENGTH))
    # Pass the function, not its result: utcnow() here would freeze the import time.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict[str, object]:
        """Return the note as the JSON API shows it."""
        return {
            "id": self.id,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }
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
{% endif %}

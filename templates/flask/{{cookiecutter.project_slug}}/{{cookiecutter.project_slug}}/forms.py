"""The forms (Flask-WTF): each one renders and checks a CSRF token."""

from flask_wtf import FlaskForm
{% if cookiecutter.accounts %}
from sqlalchemy import select
from wtforms import EmailField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from .extensions import db
from .models import (
    EMAIL_PATTERN,
    NOTE_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    User,
    normalize_email,
)
{% else %}
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .models import NOTE_MAX_LENGTH
{% endif %}


def strip(value: str | None) -> str | None:
    """Drop surrounding whitespace from a submitted value."""
    return value.strip() if value else value


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Note",
        filters=[strip],
        validators=[DataRequired(), Length(max=NOTE_MAX_LENGTH)],
    )
{% if cookiecutter.accounts %}


def email_field() -> EmailField:
    """Return an email field that stores the normalized address."""
    return EmailField(
        "Email",
        filters=[lambda value: normalize_email(value) if value else value],
        validators=[
            DataRequired(),
            Length(max=255),
            Regexp(EMAIL_PATTERN, message="Enter a valid email address."),
        ],
    )


class SignupForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
        ],
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[EqualTo("password", message="The passwords do not match.")],
    )

    def validate_email(self, field: EmailField) -> None:
        """Refuse an email that already has an account."""
        if db.session.scalar(select(User.id).where(User.email == field.data)):
            raise ValidationError("That email is already registered.")


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired()])
{% endif %}

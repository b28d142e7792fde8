"""The forms (Flask-WTF): each one renders and checks a CSRF token."""

from flask_wtf import FlaskForm
{% if cookiecutter.accounts %}
from wtforms import EmailField, Field, PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .models import (
    NOTE_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    clean_email,
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


def valid_email(form: FlaskForm, field: Field) -> None:
    """Check the address with the models' one rule and keep its normalized form."""
    try:
        field.data = clean_email(field.data or "")
    except ValueError as error:
        raise ValidationError(str(error)) from None


def email_field() -> EmailField:
    """Return an email field that stores the normalized address."""
    return EmailField("Email", validators=[DataRequired(), valid_email])


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """Return a new password field and the field that repeats it."""
    password = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH),
        ],
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[EqualTo("password", message="The passwords do not match.")],
    )
    return password, confirm


class SignupForm(FlaskForm):
    email = email_field()
    # No check for a taken address here: sign-up answers the same either way.
    password, confirm = new_password_fields()


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired()])


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    password, confirm = new_password_fields()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ConfirmationRequestForm(FlaskForm):
    email = email_field()


class PasswordResetForm(FlaskForm):
    password, confirm = new_password_fields()
{% endif %}

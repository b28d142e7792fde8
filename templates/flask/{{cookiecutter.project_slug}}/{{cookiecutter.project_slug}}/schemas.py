{% set db = cookiecutter.database != "none" %}
"""The API's request and response schemas (marshmallow): they validate what comes in,
shape what goes out, and describe both in the OpenAPI document."""

from marshmallow import Schema, fields, validate
{% if db %}

from .models import NOTE_MAX_LENGTH

# The most items one page of a list holds; ?per_page= asks for fewer.
MAX_PER_PAGE = 100


class NoteIn(Schema):
    """A note to create: its text, surrounding spaces removed."""

    text = fields.String(
        required=True,
        validate=validate.Length(min=1, max=NOTE_MAX_LENGTH),
        metadata={"example": "Buy milk"},
    )


class NoteOut(Schema):
    """A note as the API shows it."""

    id = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()
{% if cookiecutter.accounts %}
    user_id = fields.Integer(allow_none=True, metadata={"description": "its author"})
{% endif %}


class PageArgs(Schema):
    """?page= and ?per_page= for a list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE)
    )


class PageLinks(Schema):
    """Links to the other pages of a list; next and prev only where they exist."""

    self = fields.String()
    first = fields.String()
    last = fields.String()
    next = fields.String()
    prev = fields.String()


class NotePage(Schema):
    """One page of notes, newest first, with links to the others."""

    notes = fields.List(fields.Nested(NoteOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    links = fields.Nested(PageLinks)
{% if cookiecutter.accounts %}


class Credentials(Schema):
    """The email and password of an account, to get an API token with."""

    email = fields.String(required=True, metadata={"example": "ada@example.com"})
    password = fields.String(required=True, load_only=True)


class TokenOut(Schema):
    """A new API token: send it as `Authorization: Bearer <token>`."""

    token = fields.String()
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_at = fields.DateTime()
{% endif %}
{% else %}


class EchoIn(Schema):
    """A message to send back."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class EchoOut(Schema):
    """The message, sent back."""

    echo = fields.String()
{% endif %}

"""The admin interface at /admin/ (Flask-Admin), open to signed-in admins only."""

import click
from flask import Flask, abort
from flask.cli import with_appcontext
from flask_admin import Admin, AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from sqlalchemy import select

from .extensions import db, login_manager
from .models import Note, User, normalize_email

TITLE = {{ cookiecutter.project_name | tojson }}


class AdminOnly:
    """Send anonymous users to the login page and refuse users who are not admins."""

    def is_accessible(self) -> bool:
        """Let in signed-in admins only."""
        return current_user.is_authenticated and current_user.is_admin

    def inaccessible_callback(self, name, **kwargs):
        """Redirect to login if signed out, else answer 403."""
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)


class IndexView(AdminOnly, AdminIndexView):
    """The admin home page."""


class NoteView(AdminOnly, ModelView):
    """Notes, newest first, with their authors' emails; the author is not edited."""

    column_default_sort = ("id", True)
    column_list = ("text", "author.email", "created_at")
    column_labels = {"author.email": "Author"}
    form_excluded_columns = ("author",)


class UserView(AdminOnly, ModelView):
    """Users: they sign up themselves, and no password hash is shown or typed here.

    An edited email goes through User.email's validator, like a sign-up: it is
    stored normalized, and an invalid one is refused with a message.
    """

    can_create = False
    column_exclude_list = ("password_hash",)
    # Their notes and API tokens are theirs: the admin deletes them with the user.
    form_excluded_columns = ("password_hash", "notes", "api_tokens")
    column_searchable_list = ("email",)


def init_app(app: Flask) -> None:
    """Give `app` its own Admin (Flask-Admin views cannot be shared between apps)."""
    admin = Admin(app, name=TITLE, index_view=IndexView())
    # Passing db, not db.session: the form Flask-Admin 2 expects. The endpoints
    # (Flask blueprint names) are prefixed so they cannot clash with the app's own,
    # such as a blueprint named "user"; the URLs stay /admin/user/ and /admin/note/.
    admin.add_view(UserView(User, db, endpoint="admin_user", url="user"))
    admin.add_view(NoteView(Note, db, endpoint="admin_note", url="note"))
    app.cli.add_command(make_admin)


@click.command("make-admin")
@click.argument("email")
@with_appcontext
def make_admin(email: str) -> None:
    """Let the user with EMAIL into the admin interface."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(
            f"no user with email {email}; create one with: flask create-user {email}"
        )
    user.is_admin = True
    db.session.commit()
    click.echo(f"{user.email} can now use /admin/.")

"""The admin interface: admins only."""

import pytest
from flask import Blueprint
from sqlalchemy import select

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import User


@pytest.mark.parametrize("path", ["/admin/", "/admin/user/", "/admin/note/"])
def test_anonymous_users_are_sent_to_login(client, path):
    """Anonymous users are redirected to the login page."""
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_users_who_are_not_admins_are_refused(client, auth, user):
    """A signed-in user without is_admin gets 403."""
    auth.log_in()
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/user/").status_code == 403


def test_admins_get_in(client, auth, runner, user):
    """`flask make-admin EMAIL` lets that user into every admin page."""
    result = runner.invoke(args=["make-admin", user])
    assert result.exit_code == 0, result.output
    auth.log_in()
    for path in ["/admin/", "/admin/user/", "/admin/note/", "/admin/note/new/"]:
        assert client.get(path).status_code == 200, path


def test_make_admin_needs_an_existing_user(runner):
    """`flask make-admin` with an unknown email fails with a message."""
    result = runner.invoke(args=["make-admin", "nobody@example.com"])
    assert result.exit_code != 0
    assert "no user" in result.output


def test_admin_forms_carry_a_csrf_token(app, client, auth, runner, user):
    """Admin forms include the CSRF token, so they work with CSRF protection on."""
    runner.invoke(args=["make-admin", user])
    auth.log_in()
    app.config["{{ "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" }}"] = True
    assert 'name="csrf_token"' in client.get("/admin/note/new/").text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" Grace@Example.COM ", "grace@example.com"), ("not-an-email", "ada@example.com")],
    ids=["normalized", "refused"],
)
def test_admin_edits_of_an_email_go_through_the_model_check(
    app, client, auth, runner, user, typed, stored
):
    """The admin stores what login finds, and keeps an address it cannot use."""
    runner.invoke(args=["make-admin", user])
    auth.log_in()
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
    client.post(f"/admin/user/edit/?id={user_id}", data={"email": typed})
    with app.app_context():
        assert db.session.scalar(select(User.email)) == stored


def test_a_blueprint_named_user_does_not_clash_with_the_admin():
    """The admin's views have their own endpoint names, leaving "user" to the app."""
    app = create_app("testing")
    app.register_blueprint(Blueprint("user", __name__, url_prefix="/user"))
    assert "admin_user" in app.blueprints


def test_admin_pages_alone_may_run_inline_handlers(client, auth, runner, user):
    """Flask-Admin's inline handlers (the delete confirmation) run on its pages only."""
    runner.invoke(args=["make-admin", user])
    auth.log_in()
    response = client.get("/admin/user/")
    assert "onclick=" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "unsafe-inline" not in client.get("/").headers["Content-Security-Policy"]

"""Sign-up, login and logout."""

from sqlalchemy import select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import User


def test_sign_up_then_log_in(app, client, auth):
    """A new account can sign out and back in; only a hash of its password is kept."""
    response = auth.sign_up("Grace@Example.com ", password="a good long password")
    assert response.status_code == 302
    assert "grace@example.com" in client.get("/").text  # signed in

    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "grace@example.com"
        assert "a good long password" not in user.password_hash

    assert auth.log_out().status_code == 302
    assert "grace@example.com" not in client.get("/").text

    response = auth.log_in("grace@example.com", "a good long password")
    assert response.status_code == 302
    assert "grace@example.com" in client.get("/").text


def test_sign_up_refuses_a_taken_email(app, auth, user):
    """An email can have only one account."""
    response = auth.sign_up(user)
    assert response.status_code == 200
    assert "already registered" in response.text
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_sign_up_refuses_mismatched_passwords(auth):
    """The repeated password must match."""
    response = auth.sign_up("new@example.com", confirm="something else entirely")
    assert response.status_code == 200
    assert "do not match" in response.text


def test_wrong_password_is_refused(client, auth, user):
    """A wrong password does not sign in."""
    response = auth.log_in(user, "not the password")
    assert response.status_code == 200
    assert "Wrong email or password" in response.text
    assert user not in client.get("/").text


def test_login_goes_to_next_page_on_this_site_only(auth, user):
    """?next= is followed within the site and ignored when it points elsewhere."""
    assert auth.log_in(next_url="/notes").headers["Location"] == "/notes"
    auth.log_out()
    assert auth.log_in(next_url="https://evil.example/").headers["Location"] == "/"


def test_login_required_redirects_to_login(client):
    """Anonymous users are sent to the login page, not given a bare 401."""
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")

"""Sign-up, login, logout, password change and reset."""

import logging
import re
{% if not cookiecutter.tasks %}
import threading
{% endif %}
import time

import pytest
from sqlalchemy import select

from {{ cookiecutter.project_slug }} import auth as auth_module
from {{ cookiecutter.project_slug }} import config, create_app{{ "" if cookiecutter.tasks else ", mail" }}
from {{ cookiecutter.project_slug }}.extensions import db
{% if not cookiecutter.tasks %}
from {{ cookiecutter.project_slug }}.mail import background
{% endif %}
from {{ cookiecutter.project_slug }}.models import (
    RateLimitCount,
    User,
    utcnow,
)
from {{ cookiecutter.project_slug }}.rate_limits import (
    DatabaseStorage,
)

PASSWORD = "correct horse battery staple"  # the `user` fixture's password


def mailed_link(caplog, path):
    """Return the path of the last link to `path` in the mail written to the log."""
    links = re.findall(rf"http://localhost({path}\S+)", caplog.text)
    assert links, caplog.text
    return links[-1]


def test_sign_up_then_log_in(app, client, auth, caplog):
    """A new account can sign out and back in; only a hash of its password is kept."""
    with caplog.at_level(logging.INFO):
        response = auth.sign_up("Grace@Example.com ", password="a good long password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert client.get(mailed_link(caplog, "/auth/confirm/")).status_code == 302
    assert auth.log_in("grace@example.com", "a good long password").status_code == 302
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


def test_sign_up_answers_the_same_for_a_known_email_and_mails_its_owner(
    app, client, auth, user, caplog
):
    """Sign-up does not tell who has an account: the owner gets a note instead."""
    new = auth.sign_up("grace@example.com")
    new_page = client.get(new.headers["Location"]).text
    with caplog.at_level(logging.INFO):
        known = auth.sign_up(user.upper(), password="another long password")
    assert (known.status_code, known.headers["Location"]) == (302, "/auth/login")
    assert (new.status_code, new.headers["Location"]) == (302, "/auth/login")
    assert client.get(known.headers["Location"]).text == new_page
    assert f"To: {user}" in caplog.text
    assert "already has an account" in caplog.text
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 2
    assert auth.log_in(user, "another long password").status_code == 200
    assert auth.log_in(user, PASSWORD).status_code == 302


def test_an_unconfirmed_account_cannot_log_in(client, auth, caplog):
    """Until its mailed link is opened, the right password does not sign in."""
    with caplog.at_level(logging.INFO):
        auth.sign_up("grace@example.com")
    response = auth.log_in("grace@example.com", PASSWORD)
    assert response.status_code == 200
    assert "Confirm your address first" in response.text
    link = mailed_link(caplog, "/auth/confirm/")
    assert client.get(link).headers["Location"] == "/auth/login"
    assert auth.log_in("grace@example.com", PASSWORD).status_code == 302


@pytest.mark.parametrize("token", ["forged", "WzEsImdyYWNlQGV4YW1wbGUuY29tIl0"])
def test_a_forged_confirmation_link_confirms_nothing(client, auth, token):
    """Only a link signed with the app's key, for this address, confirms it."""
    auth.sign_up("grace@example.com")
    response = client.get(f"/auth/confirm/{token}")
    assert response.headers["Location"] == "/auth/confirm"
    assert auth.log_in("grace@example.com", PASSWORD).status_code == 200


def test_a_confirmation_link_expires(app, client, auth, caplog):
    """A link older than CONFIRMATION_MAX_AGE is refused."""
    with caplog.at_level(logging.INFO):
        auth.sign_up("grace@example.com")
    app.config["CONFIRMATION_MAX_AGE"] = -1
    link = mailed_link(caplog, "/auth/confirm/")
    assert client.get(link).headers["Location"] == "/auth/confirm"


def test_a_new_confirmation_link_is_mailed_alike_for_any_address(
    client, auth, user, caplog
):
    """Asking again mails only an unconfirmed account, and answers alike for all."""
    auth.sign_up("grace@example.com")
    client.get("/auth/login")  # shows sign-up's own message
    answers = []
    for email in ("grace@example.com", user, "nobody@example.com"):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.post("/auth/confirm", data={"email": email})
        answers.append((response.status_code, client.get("/auth/login").text))
        mailed = "/auth/confirm/" in caplog.text
        assert mailed is (email == "grace@example.com"), email
    assert answers[0] == answers[1] == answers[2]


def test_a_concurrent_sign_up_with_the_same_email_is_not_an_error(
    app, auth, user, monkeypatch
):
    """When another sign-up takes the address after the check, no 500."""
    monkeypatch.setattr(auth_module, "find_user", lambda email: None)
    response = auth.sign_up(user)
    assert (response.status_code, response.headers["Location"]) == (302, "/auth/login")
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


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.com", "a b@c.com"])
def test_sign_up_refuses_an_invalid_email(app, auth, email):
    """An address the shared email check refuses makes no account."""
    response = auth.sign_up(email)
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_the_user_model_normalizes_and_validates_email(app):
    """Every way in (forms, admin, commands) stores the address login looks up."""
    with app.app_context():
        assert User(email="  Ada@Example.COM ").email == "ada@example.com"
        with pytest.raises(ValueError, match="valid email"):
            User(email="not-an-email")


def test_unknown_email_is_checked_against_a_dummy_hash(auth, monkeypatch):
    """Login hashes the password even for unknown emails, so timing reveals nothing."""
    checked = []

    def check_password_hash(pwhash, password):
        checked.append(password)
        return False

    monkeypatch.setattr(auth_module, "check_password_hash", check_password_hash)
    response = auth.log_in("nobody@example.com", "a guess")
    assert response.status_code == 200
    assert checked == ["a guess"]


@pytest.fixture
def limited_client(monkeypatch):
    """Return a client of an app with rate limits on, counted as in production."""
    monkeypatch.setattr(config.TestingConfig, "RATELIMIT_ENABLED", True)
    monkeypatch.setattr(config.TestingConfig, "RATELIMIT_STORAGE_URI", "database://")
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        user = User(email="ada@example.com", verified_at=utcnow())
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    yield app.test_client()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_failed_logins_lock_the_account_even_for_the_right_password(limited_client):
    """After 10 failed logins for an account, its right password is refused too."""
    wrong = {"email": "ada@example.com", "password": "a wrong guess"}
    post = limited_client.post
    statuses = [post("/auth/login", data=wrong).status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    right = {"email": "ADA@example.com", "password": PASSWORD}
    assert limited_client.post("/auth/login", data=right).status_code == 429
    other = {"email": "grace@example.com", "password": "a wrong guess"}
    assert limited_client.post("/auth/login", data=other).status_code == 200
    assert limited_client.get("/auth/login").status_code == 200  # reading is free


def test_failed_logins_from_one_client_are_limited(limited_client):
    """After 50 failed logins from one address, over any accounts, it gets 429."""
    statuses = [
        limited_client.post(
            "/auth/login", data={"email": f"n{number}@example.com", "password": "x"}
        ).status_code
        for number in range(51)
    ]
    assert statuses == [200] * 50 + [429]


def test_successful_logins_are_not_counted(limited_client):
    """Only failures count: a person who logs in often is never locked out."""
    right = {"email": "ada@example.com", "password": PASSWORD}
    for _ in range(12):
        assert limited_client.post("/auth/login", data=right).status_code == 302
        limited_client.post("/auth/logout")


def test_reset_mails_are_limited_per_address(limited_client, caplog):
    """A fourth reset for one address within the hour is refused and mails nothing."""
    data = {"email": "ada@example.com"}
    post = limited_client.post
    statuses = [post("/auth/reset", data=data).status_code for _ in range(3)]
    assert statuses == [302] * 3
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert limited_client.post("/auth/reset", data=data).status_code == 429
    assert "/auth/reset/" not in caplog.text
    other = {"email": "grace@example.com"}
    assert limited_client.post("/auth/reset", data=other).status_code == 302


def test_sign_up_is_rate_limited(limited_client):
    """After ten sign-ups a minute from one address, sign-up answers 429."""
    statuses = [
        limited_client.post(
            "/auth/signup", data={"email": f"n{number}@example.com"}
        ).status_code
        for number in range(11)
    ]
    assert 429 not in statuses[:10]
    assert statuses[10] == 429


def test_the_database_store_counts_in_a_window(app):
    """database:// counts per key in the shared table, and starts again after it."""
    storage = DatabaseStorage()
    with app.app_context():
        counts = [storage.incr("email:ada@example.com", 60) for _ in range(3)]
        assert counts == [1, 2, 3]
        assert storage.get("email:ada@example.com") == 3
        stored = db.session.scalar(select(RateLimitCount))
        assert "ada" not in stored.key  # only a hash of the key is kept
        stored.expires_at = time.time() - 1  # the window is over
        db.session.commit()
        assert storage.get("email:ada@example.com") == 0
        assert storage.incr("email:ada@example.com", 60) == 1
        storage.clear("email:ada@example.com")
        assert storage.get("email:ada@example.com") == 0


def test_password_change_needs_login_and_the_current_password(client, auth, user):
    """The password page is for signed-in users, who must give the old password."""
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")

    auth.log_in()
    new = "a brand new password"
    data = {"current": "wrong", "password": new, "confirm": new}
    assert "current password is wrong" in client.post("/auth/password", data=data).text
    data["current"] = PASSWORD
    assert client.post("/auth/password", data=data).status_code == 302
    auth.log_out()
    assert auth.log_in(user, PASSWORD).status_code == 200  # the old one is refused
    assert auth.log_in(user, new).status_code == 302


def test_a_password_change_ends_the_other_sessions(app, auth, user):
    """Changing the password signs out every other session, not this one."""
    other = app.test_client()
    login = {"email": user, "password": PASSWORD}
    assert other.post("/auth/login", data=login).status_code == 302
    assert auth.log_in(user, PASSWORD).status_code == 302
    new = "a brand new password"
    data = {"current": PASSWORD, "password": new, "confirm": new}
    assert auth.client.post("/auth/password", data=data).status_code == 302
    assert auth.client.get("/auth/password").status_code == 200  # still signed in
    assert other.get("/auth/password").status_code == 302  # signed out


def test_a_password_reset_ends_every_session(app, client, user, caplog):
    """Setting a new password by mail signs out the sessions from before."""
    other = app.test_client()
    login = {"email": user, "password": PASSWORD}
    assert other.post("/auth/login", data=login).status_code == 302
    with caplog.at_level(logging.INFO):
        client.post("/auth/reset", data={"email": user})
    new = "a brand new password"
    client.post(reset_link(caplog), data={"password": new, "confirm": new})
    assert other.get("/auth/password").status_code == 302


def reset_link(caplog):
    """Return the path of the reset link in the mail written to the log."""
    match = re.search(r"http://localhost(/auth/reset/\S+)", caplog.text)
    assert match, caplog.text
    return match.group(1)


def test_password_reset(client, auth, user, caplog):
    """A reset mail's link sets a new password once; the old password stops working."""
    with caplog.at_level(logging.INFO):
        response = client.post("/auth/reset", data={"email": " ADA@example.com"})
    assert response.status_code == 302
    link = reset_link(caplog)
    assert "To: ada@example.com" in caplog.text

    new = "a brand new password"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert auth.log_in(user, PASSWORD).status_code == 200
    assert auth.log_in(user, new).status_code == 302
    auth.log_out()

    # Used once: the new password changed the fingerprint the token carries.
    again = {"password": "again and again", "confirm": "again and again"}
    response = client.post(link, data=again)
    assert response.headers["Location"] == "/auth/reset"


def test_reset_with_a_forged_host_is_refused_and_mails_nothing(client, user, caplog):
    """A Host outside TRUSTED_HOSTS cannot put its name in a reset link."""
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/auth/reset", data={"email": user}, headers={"Host": "evil.example"}
        )
    assert response.status_code == 400
    assert "/auth/reset/" not in caplog.text
    assert "evil.example" not in caplog.text


def test_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, caplog):
    """The answer does not tell whether the address has an account."""
    with caplog.at_level(logging.INFO):
        response = client.post("/auth/reset", data={"email": "nobody@example.com"})
    assert response.status_code == 302
    assert "/auth/reset/" not in caplog.text


def test_reset_link_expires(app, client, user, caplog, monkeypatch):
    """A link older than PASSWORD_RESET_MAX_AGE is refused."""
    with caplog.at_level(logging.INFO):
        client.post("/auth/reset", data={"email": user})
    link = reset_link(caplog)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(link)
    assert response.headers["Location"] == "/auth/reset"


def test_create_user_command(app, runner):
    """`flask create-user` makes an account, refusing a bad address."""
    args = ["create-user", "Ops@Example.com", "--password", PASSWORD]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "ops@example.com"
    result = runner.invoke(args=["create-user", "not-an-email", "--password", PASSWORD])
    assert result.exit_code == 1
    assert "valid email" in result.output
{% if not cookiecutter.tasks %}


def test_mail_leaves_outside_the_request(app, monkeypatch):
    """send_mail() returns before the mail is delivered: no request waits on SMTP."""
    monkeypatch.setattr(mail, "background", background)  # the real one, a thread
    release, delivered = threading.Event(), threading.Event()

    def slow_delivery(app, message):
        release.wait(5)
        delivered.set()

    monkeypatch.setattr(mail, "deliver", slow_delivery)
    with app.app_context():
        mail.send_mail("ada@example.com", "Hello", "A message.")
    assert not delivered.is_set()
    release.set()
    assert delivered.wait(5)
{% endif %}


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [("EMAIL_URL", "", "EMAIL_URL"), ("RATELIMIT_STORAGE_URI", "memory://", "memory")],
)
def test_production_refuses_no_mail_or_per_process_limits(
    monkeypatch, setting, value, message
):
    """Production does not start without a mail server or with per-process limits."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 50)
    monkeypatch.setattr(config.ProductionConfig, "TRUSTED_HOSTS", ["localhost"])
    monkeypatch.setattr(config.ProductionConfig, "EMAIL_URL", "smtp://localhost")
{% if cookiecutter.tasks %}
    monkeypatch.setattr(config.ProductionConfig, "REDIS_URL", "redis://localhost:6379")
{% endif %}
    monkeypatch.setattr(config.ProductionConfig, setting, value)
    with pytest.raises(RuntimeError, match=message):
        create_app("production")

import re
{%- if not cookiecutter.tasks %}
import threading
{%- endif %}

import pytest
{%- if cookiecutter.tasks %}
from django.core.management import call_command
{%- endif %}
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

{%- if not cookiecutter.tasks %}

from accounts import mail
{%- endif %}

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "staple-horse-correct"

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD)


def current_user(client):
    """The user the home page sees for this client."""
    return client.get(reverse("home")).context["user"]


@pytest.mark.parametrize("name", ["signup", "login", "password_reset"])
def test_pages_render(client, name):
    """The sign-up, login and password reset pages render."""
    assert client.get(reverse(name)).status_code == 200


def sign_up(client, username="alice", email="alice@example.com"):
    """Post the sign-up form."""
    data = {"username": username, "email": email}
    return client.post(
        reverse("signup"), {**data, "password1": PASSWORD, "password2": PASSWORD}
    )


def link_in(mail):
    """The path of the first link to this site in a mail."""
    return re.search(r"https?://testserver(/\S+)", mail.body).group(1)


def test_sign_up_mails_a_link_and_logs_no_one_in(client, django_user_model, mailoutbox):
    """A new account waits for its address to be confirmed."""
    assertRedirects(sign_up(client), reverse("signup_done"))
    user = django_user_model.objects.get(username="alice")
    assert user.email == "alice@example.com"
    assert user.email_unconfirmed
    assert not current_user(client).is_authenticated
    assert mailoutbox[0].to == ["alice@example.com"]
    assert "/accounts/signup/confirm/" in link_in(mailoutbox[0])


def test_log_in_with_the_email_address(client, user):
    """The login page takes the address as well as the username."""
    assert "Username or email" in client.get(reverse("login")).content.decode()
    client.post(reverse("login"), {"username": "BOB@example.com", "password": PASSWORD})
    assert current_user(client) == user


def test_a_username_cannot_look_like_an_address(client, django_user_model):
    response = sign_up(client, username="carol@example.com")
    assert "username" in response.context["form"].errors
    assert not django_user_model.objects.exists()


def test_an_unconfirmed_account_cannot_log_in(client, mailoutbox):
    """Until the link is opened, the right password is refused."""
    sign_up(client)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert not current_user(client).is_authenticated


def test_the_mailed_link_confirms_the_address(client, django_user_model, mailoutbox):
    """Opening the link and pressing its button lets the account log in."""
    sign_up(client)
    link = link_in(mailoutbox[0])
    assert client.get(link).context["valid"]
    assertRedirects(client.post(link), reverse("login"))
    assert not django_user_model.objects.get(username="alice").email_unconfirmed
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert current_user(client).username == "alice"


def test_opening_the_link_alone_confirms_nothing(client, django_user_model, mailoutbox):
    """A GET (a mail scanner following links) leaves the account unconfirmed."""
    sign_up(client)
    client.get(link_in(mailoutbox[0]))
    assert django_user_model.objects.get(username="alice").email_unconfirmed


def test_the_link_works_once(client, mailoutbox):
    """A used or forged link shows the invalid-link page."""
    sign_up(client)
    link = link_in(mailoutbox[0])
    client.post(link)
    assert not client.get(link).context["valid"]
    assert not client.get(link.replace("/confirm/", "/confirm/x")).context["valid"]


def test_the_link_can_be_sent_again(client, mailoutbox):
    """An unconfirmed account gets a new link from the resend page."""
    sign_up(client)
    response = client.post(reverse("signup_resend"), {"email": "ALICE@example.com"})
    assertRedirects(response, reverse("signup_done"))
    assert len(mailoutbox) == 2
    assertRedirects(client.post(link_in(mailoutbox[1])), reverse("login"))


def test_a_password_reset_confirms_the_address(client, django_user_model, mailoutbox):
    """The reset link reached the address, so the account can log in afterwards."""
    sign_up(client)
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    form_url = client.get(link_in(mailoutbox[-1]))["Location"]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assertRedirects(client.post(form_url, data), reverse("password_reset_complete"))
    assert not django_user_model.objects.get(username="alice").email_unconfirmed
    assert client.login(username="alice", password=NEW_PASSWORD)


def test_resend_answers_the_same_for_any_address(client, user, mailoutbox):
    """A confirmed or unknown address gets the same page and no mail."""
    for email in ["bob@example.com", "nobody@example.com"]:
        response = client.post(reverse("signup_resend"), {"email": email})
        assertRedirects(response, reverse("signup_done"))
    assert mailoutbox == []


def test_sign_up_needs_an_email(client, django_user_model):
    """An account without an email address could never reset its password."""
    response = client.post(
        reverse("signup"),
        {"username": "alice", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not django_user_model.objects.exists()


def test_log_in_and_out(client, user):
    """Logging in starts a session; logging out (a POST) ends it."""
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assertRedirects(response, reverse("home"))
    assert current_user(client) == user

    assertRedirects(client.post(reverse("logout")), reverse("home"))
    assert not current_user(client).is_authenticated


def test_wrong_password_is_refused(client, user):
    """A wrong password shows the form again instead of logging in."""
    response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    assert not current_user(client).is_authenticated


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@example.com"])
def test_sign_up_with_an_email_in_use_answers_as_for_a_new_one(
    client, user, django_user_model, mailoutbox, email
):
    """The page does not tell who has an account: the address's owner gets a note."""
    response = sign_up(client, username="robert", email=email)
    assertRedirects(response, reverse("signup_done"))
    assert django_user_model.objects.count() == 1
    assert mailoutbox[0].to == ["bob@example.com"]
    assert "already has an account" in mailoutbox[0].body
{%- if cookiecutter.tasks %}


# transaction=True: the worker closes the connection between tasks.
@pytest.mark.django_db(transaction=True)
def test_reset_mail_waits_for_the_worker(client, user, settings, mailoutbox):
    """The page enqueues the mail in the database; `manage.py db_worker` sends it."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    response = client.post(reverse("password_reset"), {"email": "bob@example.com"})
    assertRedirects(response, reverse("password_reset_done"))
    assert mailoutbox == []
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
{%- else %}


def test_mail_is_sent_outside_the_response(client, user, settings, mailoutbox):
    """With MAIL_IN_BACKGROUND the page answers before the mail is sent."""
    settings.MAIL_IN_BACKGROUND = True
    release = threading.Event()
    sent = []

    class SlowMessage:
        to = ["bob@example.com"]

        def send(self):
            release.wait(5)
            sent.append(self)

    mail.send_later(SlowMessage())
    assert sent == []
    release.set()
    mail._sender.submit(lambda: None).result(5)
    assert len(sent) == 1
{%- endif %}


def test_password_reset(client, user, mailoutbox):
    """The emailed link lets the user choose a new password and log in with it."""
    response = client.post(reverse("password_reset"), {"email": "bob@example.com"})
    assertRedirects(response, reverse("password_reset_done"))
    assert len(mailoutbox) == 1
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)

    # The link redirects to a URL that no longer holds the token.
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assertRedirects(response, reverse("password_reset_complete"))
    assert client.login(username="bob", password=NEW_PASSWORD)
    assert not client.login(username="bob", password=PASSWORD)


def test_password_reset_link_works_once(client, user, mailoutbox):
    """A link that has set a password cannot set another."""
    client.post(reverse("password_reset"), {"email": "bob@example.com"})
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(form_url, data)
    response = Client().get(link, follow=True)
    assert "invalid or was already used" in response.content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing(client, user, mailoutbox):
    """The page answers the same, so it does not reveal who has an account."""
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assertRedirects(response, reverse("password_reset_done"))
    assert mailoutbox == []


def test_login_is_refused_after_too_many_failures(client, user, settings):
    """Past the limit for an account even its right password is refused."""
    allowed, _ = settings.ACCOUNT_LIMITS["login_per_account"]
    for _ in range(allowed):
        client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert "Too many failed logins" in response.content.decode()
    assert not current_user(client).is_authenticated


def test_password_reset_mails_are_limited_per_address(
    client, user, mailoutbox, settings
):
    """Repeated resets for one address stop sending mail but answer the same."""
    allowed, _ = settings.ACCOUNT_LIMITS["mail_per_address"]
    for _ in range(allowed + 2):
        response = client.post(reverse("password_reset"), {"email": "BOB@example.com"})
        assertRedirects(response, reverse("password_reset_done"))
    assert len(mailoutbox) == allowed


def test_password_reset_mails_are_limited_per_client(
    client, user, mailoutbox, settings
):
    """One client cannot send resets to many addresses without end."""
    allowed, _ = settings.ACCOUNT_LIMITS["mail_per_client"]
    for number in range(allowed):
        client.post(reverse("password_reset"), {"email": f"x{number}@example.com"})
    client.post(reverse("password_reset"), {"email": "bob@example.com"})
    assert mailoutbox == []


def test_password_change_ends_the_other_sessions(client, user):
    """Changing the password keeps this session and logs every other one out."""
    other = Client()
    other.force_login(user)
    client.force_login(user)
    data = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    assertRedirects(
        client.post(reverse("password_change"), data), reverse("password_change_done")
    )
    assert current_user(client) == user
    assert not current_user(other).is_authenticated


def test_password_reset_ends_every_session(client, user, mailoutbox):
    """A reset (say, after a stolen password) logs out whoever was logged in."""
    thief = Client()
    thief.force_login(user)
    client.post(reverse("password_reset"), {"email": "bob@example.com"})
    form_url = client.get(link_in(mailoutbox[0]))["Location"]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(form_url, data)
    assert not current_user(thief).is_authenticated

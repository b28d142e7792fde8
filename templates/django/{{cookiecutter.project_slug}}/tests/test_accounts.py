import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

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


def test_sign_up_logs_the_new_user_in(client, django_user_model):
    """Signing up creates the account and logs it in."""
    response = client.post(
        reverse("signup"),
        {
            "username": "alice",
            "email": "alice@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assertRedirects(response, reverse("home"))
    assert django_user_model.objects.get(username="alice").email == "alice@example.com"
    assert current_user(client).username == "alice"


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


def test_sign_up_refuses_an_email_in_use(client, user, django_user_model):
    """A second account cannot take an address another account has, whatever its case."""
    response = client.post(
        reverse("signup"),
        {
            "username": "robert",
            "email": "BOB@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert django_user_model.objects.count() == 1


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
    client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
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

import re

import pytest
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

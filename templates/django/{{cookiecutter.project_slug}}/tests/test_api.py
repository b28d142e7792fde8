import pytest
from django.urls import reverse
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("carol", "carol@example.com", PASSWORD)


def test_anonymous_requests_are_refused(api_client):
    """Without credentials the API answers 401 and asks for a token."""
    response = api_client.get(reverse("api:user-me"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_authenticates(api_client, user):
    """A token obtained with username and password authenticates later requests."""
    response = api_client.post(
        reverse("api:token"), {"username": "carol", "password": PASSWORD}
    )
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    response = api_client.get(reverse("api:user-me"))
    assert response.status_code == 200
    assert response.data["username"] == "carol"


def test_no_token_for_a_wrong_password(api_client, user):
    """A wrong password gets no token."""
    response = api_client.post(
        reverse("api:token"), {"username": "carol", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.data


def test_user_list_is_for_staff_only(api_client, user):
    """A signed-in user without staff rights may not list users."""
    api_client.force_authenticate(user)
    assert api_client.get(reverse("api:user-list")).status_code == 403


def test_browsable_api_login_page(client):
    """The browsable API has its own login page."""
    assert client.get(reverse("rest_framework:login")).status_code == 200


def test_staff_list_users(api_client, admin_user, user):
    """Staff list every user, paginated and in a stable order."""
    api_client.force_authenticate(admin_user)
    response = api_client.get(reverse("api:user-list"))
    assert response.status_code == 200
    assert [row["username"] for row in response.data["results"]] == ["admin", "carol"]

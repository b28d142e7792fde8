import re

import pytest
from django.core.management import call_command
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


def token_limit(settings) -> int:
    """How many password checks the "token" rate allows, e.g. 10 for "10/minute"."""
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])


def test_token_view_is_throttled(api_client, user, settings):
    """After the "token" rate of guesses even the right password is refused for a while."""
    limit = token_limit(settings)
    for _ in range(limit):
        api_client.post(reverse("api:token"), {"username": "carol", "password": "x"})
    response = api_client.post(
        reverse("api:token"), {"username": "carol", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_forged_forwarded_for_header_does_not_evade_the_throttle(
    api_client, user, settings
):
    """With no proxy declared, X-Forwarded-For is the client's word and is not believed."""
    limit = token_limit(settings)
    for guess in range(limit + 1):
        response = api_client.post(
            reverse("api:token"),
            {"username": "carol", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{guess}",
        )
    assert response.status_code == 429


def test_anonymous_and_user_rates_apply_to_every_endpoint(settings):
    """Every view is throttled per client unless it sets a stricter rate of its own."""
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert "rest_framework.throttling.AnonRateThrottle" in classes
    assert "rest_framework.throttling.UserRateThrottle" in classes


def test_openapi_schema_describes_the_endpoints(api_client):
    """The schema is public and lists the API's paths."""
    response = api_client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/users/", "/api/users/me/", "/api/token/"} <= set(paths)


def test_docs_page_uses_local_static_files(client):
    """Swagger UI loads from the site's own static files, not from a CDN."""
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()


def test_docs_page_has_no_inline_script(client):
    """Its script is a file of its own, so the Content-Security-Policy lets it run."""
    response = client.get(reverse("api:docs"))
    html = response.content.decode()
    assert "<script>" not in html
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src" not in policy  # default-src 'self' covers scripts


def test_cross_origin_calls_are_allowed_only_from_listed_origins(client, settings):
    """Another site's pages may call the API only when DJANGO_CORS_ALLOWED_ORIGINS lists it."""
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    listed = client.get(reverse("api:api-root"), HTTP_ORIGIN="https://app.example.com")
    assert listed["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = client.get(reverse("api:api-root"), HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Credentials" not in listed


def test_no_origin_is_allowed_by_default():
    from {{ cookiecutter.project_slug }} import settings

    assert settings.CORS_ALLOWED_ORIGINS == []


def test_api_root_lists_the_endpoints_to_anyone(api_client):
    """The home page links the API root, so it answers without credentials."""
    response = api_client.get(reverse("api:api-root"))
    assert response.status_code == 200
    assert "users" in response.data


def test_a_wrong_method_gets_405_json(api_client, admin_user):
    """A method the endpoint does not have answers 405 with a JSON body."""
    api_client.force_authenticate(admin_user)
    response = api_client.delete(reverse("api:user-list"))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_schema_generates_without_warnings(tmp_path):
    """Every view is described fully; drf-spectacular warns where it has to guess."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml"
    )

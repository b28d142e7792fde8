import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed


def test_home_page_extends_base(client):
    """The home page renders through base.html."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assertTemplateUsed(response, "pages/home.html")
    assertTemplateUsed(response, "base.html")


def test_admin_login_page(client):
    """The admin is on and shows its login page."""
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200


def test_health_endpoint_answers_without_the_database(client):
    """No django_db mark: any query here would be an error."""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_endpoint_can_check_the_database(client):
    response = client.get(reverse("healthz"), {"database": "1"})
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_endpoint_answers_plain_http_probes(client, settings):
    """With the HTTPS redirect on, pages redirect but /healthz answers the probe."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("home")).status_code == 301
    assert client.get(reverse("healthz")).status_code == 200


def test_an_unknown_page_gets_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assert "Page not found" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_sites_403(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_bad_host_header_is_refused(client):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_every_page_renders_with_collected_static_files(client, settings, tmp_path):
    """What production serves: hashed static files after collectstatic.

    A static-tag path to a missing file fails here, as it would
    answer 500 in production.
    """
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    names = ["home", "admin:login"]
{%- if cookiecutter.accounts %}
    names += ["login", "signup", "password_reset"]
{%- endif %}
    for name in names:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("name", ["home", "admin:login", "healthz"])
def test_every_page_has_a_content_security_policy(client, name):
    """Scripts and styles from this site only, and no framing by other sites."""
    policy = client.get(reverse(name))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_every_page_turns_off_unused_browser_features(client):
    """Permissions-Policy: no camera, microphone or location for the site or its frames."""
    policy = client.get(reverse("home"))["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy

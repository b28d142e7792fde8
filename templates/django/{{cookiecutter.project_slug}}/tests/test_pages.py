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

{% set db = cookiecutter.database != "none" %}
{% set flag = "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" %}
"""CSRF protection: a form post must carry the token its page was given."""
{% if db %}

import re
{% endif %}

import pytest


@pytest.fixture(autouse=True)
def csrf_on(app):
    """Switch CSRF protection on, as in production."""
    app.config["{{ flag }}"] = True
{% if db %}


def test_form_post_without_token_is_rejected(client, author):
    """A form post with no CSRF token gets the styled 400 page and changes nothing."""
    response = client.post("/notes", data={"text": "forged"})
    assert response.status_code == 400
    assert "Bad request" in response.text
    assert "/static/css/style.css" in response.text  # the site's page, styled
    assert "forged" not in client.get("/notes").text


def test_form_post_with_token_is_accepted(client, author):
    """The token rendered into the form lets the post through."""
    page = client.get("/notes").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/notes", data={"text": "genuine", "csrf_token": token})
    assert response.status_code == 302
    assert "genuine" in client.get("/notes").text
{% else %}


def test_form_post_without_token_is_rejected(app, client):
    """Any form post with no CSRF token gets 400: protection is on everywhere."""
    app.add_url_rule("/form", "form", lambda: "saved", methods=["POST"])
    response = client.post("/form", data={"text": "forged"})
    assert response.status_code == 400
{% endif %}


def test_post_to_a_missing_page_is_404_not_a_csrf_error(client):
    """Routing comes first: a post without a token to an unknown URL is a 404."""
    response = client.post("/no-such-page", data={"text": "x"})
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_wrong_method_is_405_not_a_csrf_error(client):
    """A method the page does not take is a 405, whatever the token."""
    response = client.delete("/")
    assert response.status_code == 405
    assert "Method not allowed" in response.text

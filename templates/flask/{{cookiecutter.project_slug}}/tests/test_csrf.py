{% set db = cookiecutter.database != "none" %}
{% set flag = "WTF_CSRF_ENABLED" if cookiecutter.forms else "CSRF_ENABLED" %}
"""CSRF protection: a form post must carry the token its page was given."""
{% if db %}

import re
{% endif %}


{% if db %}
def test_form_post_without_token_is_rejected(app, client):
    """A form post with no CSRF token gets 400 and changes nothing."""
    app.config["{{ flag }}"] = True
    response = client.post("/notes", data={"text": "forged"})
    assert response.status_code == 400
    assert "forged" not in client.get("/notes").text


def test_form_post_with_token_is_accepted(app, client):
    """The token rendered into the form lets the post through."""
    app.config["{{ flag }}"] = True
    page = client.get("/notes").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/notes", data={"text": "genuine", "csrf_token": token})
    assert response.status_code == 302
    assert "genuine" in client.get("/notes").text
{% else %}
def test_form_post_without_token_is_rejected(app, client):
    """Any form post with no CSRF token gets 400: protection is on everywhere."""
    app.config["{{ flag }}"] = True
    app.add_url_rule("/form", "form", lambda: "saved", methods=["POST"])
    response = client.post("/form", data={"text": "forged"})
    assert response.status_code == 400
{% endif %}

"""WSGI config for the {{ cookiecutter.project_slug }} project, served by gunicorn.

https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application
{% if cookiecutter.project_slug|length > 28 %}
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "{{ cookiecutter.project_slug }}.settings",
)
{%- else %}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- endif %}

application = get_wsgi_application()

"""ASGI config for the {{ cookiecutter.project_slug }} project.

https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application
{% if cookiecutter.project_slug|length > 28 %}
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "{{ cookiecutter.project_slug }}.settings",
)
{%- else %}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- endif %}

application = get_asgi_application()

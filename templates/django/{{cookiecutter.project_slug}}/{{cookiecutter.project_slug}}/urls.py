"""URL configuration for the {{ cookiecutter.project_slug }} project.

https://docs.djangoproject.com/en/5.2/topics/http/urls/
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
{%- if cookiecutter.accounts %}
    path("accounts/", include("accounts.urls")),
{%- endif %}
{%- if cookiecutter.api %}
    path("api/", include("api.urls")),
    # Log in and out of the browsable API.
    path("api-auth/", include("rest_framework.urls")),
{%- endif %}
    path("", include("pages.urls")),
]

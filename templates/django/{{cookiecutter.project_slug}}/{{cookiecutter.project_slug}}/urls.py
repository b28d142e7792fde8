"""URL configuration for {{ cookiecutter.project_name }}.

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
{%- endif %}
    path("", include("pages.urls")),
]

from django.urls import path

from .views import HomePageView, healthz{% if cookiecutter.tasks %}, worker_healthz{% endif %}

urlpatterns = [
    path("", HomePageView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
{%- if cookiecutter.tasks %}
    path("healthz/worker", worker_healthz, name="worker_healthz"),
{%- endif %}
]

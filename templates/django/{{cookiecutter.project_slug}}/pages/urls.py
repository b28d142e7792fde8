from django.urls import path

from .views import HomePageView, healthz

urlpatterns = [
    path("", HomePageView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
]

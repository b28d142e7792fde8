from django.urls import include, path

from .views import SignUpView

# Django's auth views supply login, logout, password change and password reset;
# their templates live in templates/registration/.
urlpatterns = [
    path("signup/", SignUpView.as_view(), name="signup"),
    path("", include("django.contrib.auth.urls")),
]

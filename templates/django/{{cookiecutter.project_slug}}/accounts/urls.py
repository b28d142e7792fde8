from django.urls import include, path

from .views import PasswordResetView, SignUpView

# Django's auth views supply login, logout, password change and the rest of password
# reset; their templates live in templates/registration/.
urlpatterns = [
    path("signup/", SignUpView.as_view(), name="signup"),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]

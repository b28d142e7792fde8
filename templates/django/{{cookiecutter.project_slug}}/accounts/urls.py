from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from . import views
from .forms import LoginForm

# Django's auth views supply login, logout, password change and the rest of password
# reset; their templates live in templates/registration/.
urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path(
        "signup/done/",
        TemplateView.as_view(template_name="registration/signup_done.html"),
        name="signup_done",
    ),
    path(
        "signup/confirm/<uidb64>/<token>/",
        views.SignUpConfirmView.as_view(),
        name="signup_confirm",
    ),
    path("signup/resend/", views.SignUpResendView.as_view(), name="signup_resend"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]

"""Deploy checks of the project's own: `python manage.py check --deploy` runs them."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that keep mail on this machine: fine for development, never in production.
LOCAL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_is_sent(app_configs, **kwargs):
    """Confirmation and password-reset links must reach the user, never the server's log."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in LOCAL_BACKENDS:
        return []
    return [
        Error(
            "Mail is not sent: confirmation and password-reset links would be "
            "written to the log.",
            hint="Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587) "
            "or DJANGO_EMAIL_HOST and its companions; see .env.example.",
            id="accounts.E001",
        )
    ]

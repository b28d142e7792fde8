"""Mail the account pages send, outside the time a response takes.

A page that mails only when an account exists would otherwise answer more slowly
for a known address than for an unknown one, and so reveal who has an account.
{%- if cookiecutter.tasks %}
The mail goes through a background task, which `manage.py db_worker` sends.
{%- endif %}
"""
{%- if cookiecutter.tasks %}

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task
{%- else %}

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)

# One thread per gunicorn worker sends, in order; the worker waits for it on exit.
_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
{%- endif %}


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the sign-up link: they stop working once the address is confirmed."""

    key_salt = "accounts.mail.ConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.email_unconfirmed}"


confirmation_token = ConfirmationTokenGenerator()
{%- if cookiecutter.tasks %}


@task()
def send_mail(
    subject: str, body: str, from_email: str, to: list[str], html: str | None = None
) -> None:
    """Send one mail; a worker runs it (tests: at once, with the immediate backend)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def send_later(message: EmailMessage) -> None:
    """Enqueue the mail as a task: a worker sends it, after the response."""
    html = [
        content
        for content, mimetype in getattr(message, "alternatives", [])
        if mimetype == "text/html"
    ]
    # A task's arguments are stored as JSON, so the message travels as its parts.
    send_mail.enqueue(
        message.subject,
        message.body,
        message.from_email,
        list(message.to),
        html[0] if html else None,
    )
{%- else %}


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        logger.exception("Could not send mail to %s", ", ".join(message.to))


def send_later(message: EmailMessage) -> None:
    """Send after the response, or now when MAIL_IN_BACKGROUND is off (tests)."""
    if settings.MAIL_IN_BACKGROUND:
        _sender.submit(_send, message)
    else:
        _send(message)
{%- endif %}


def render_mail(request, template: str, to: str, **context) -> EmailMessage:
    """A mail from registration/<template>_subject.txt and <template>_email.txt."""
    context = {
        "domain": get_current_site(request).domain,
        "protocol": "https" if request.is_secure() else "http",
        **context,
    }
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [to])


def send_confirmation(request, user) -> None:
    """Mail the link that confirms a new account's address."""
    path = reverse(
        "signup_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": confirmation_token.make_token(user),
        },
    )
    send_later(render_mail(request, "signup_confirm", user.email, user=user, path=path))


def send_already_registered(request, user) -> None:
    """Tell an address's owner that someone tried to sign up with it again."""
    send_later(render_mail(request, "signup_existing", user.email, user=user))

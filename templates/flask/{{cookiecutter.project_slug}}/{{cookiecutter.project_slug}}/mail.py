"""Outgoing mail: sent over SMTP to EMAIL_URL, or written to the log in development."""

import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
{% if cookiecutter.tasks %}
from rq import get_current_job

from . import tasks
{% endif %}

# scheme: (default port, SMTP class, STARTTLS after connecting)
SCHEMES = {
    "smtp": (25, smtplib.SMTP, False),
    "smtp+starttls": (587, smtplib.SMTP, True),
    "smtps": (465, smtplib.SMTP_SSL, False),
}


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to `to` through the server EMAIL_URL names."""
{% if cookiecutter.tasks %}
    if get_current_job() is None:
        # Outside a job (a request): a worker sends it, after the response.
        tasks.enqueue(send_mail, to, subject, body)
        return
{% endif %}
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    url = config["EMAIL_URL"]
    if not url:
        if config["EMAIL_TO_LOG"]:
            current_app.logger.info(
                "EMAIL_URL is not set; the mail:\nTo: %s\nSubject: %s\n\n%s",
                to,
                subject,
                body,
            )
        else:
            current_app.logger.error("Mail to %s not sent: set EMAIL_URL", to)
        return
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"EMAIL_URL must start with one of: {', '.join(SCHEMES)}")
    port, smtp_class, starttls = SCHEMES[parts.scheme]
    with smtp_class(parts.hostname, parts.port or port, timeout=10) as server:
        if starttls:
            server.starttls()
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(message)

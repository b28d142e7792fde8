"""Outgoing mail: sent over SMTP to EMAIL_URL, or written to the log in development.

{% if cookiecutter.tasks %}
Every mail goes through send_mail(), which hands the message to a background task
(a worker sends it) and returns at once:
{% else %}
Every mail goes through send_mail(), which hands the message to a thread and
returns at once:
{% endif %} a request that mails takes as long as one that does not, so a
password reset does not tell, by its time, whether the address has an account.
"""

import smtplib
import threading
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app
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
    """Send a plain-text message to `to`, outside the request's time."""
{% if cookiecutter.tasks %}
    if get_current_job() is None:
        # In a request: a worker sends it (tasks.py), after the response.
        tasks.enqueue(send_mail, to, subject, body)
        return
{% endif %}
    message = EmailMessage()
    message["From"] = current_app.config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
{% if cookiecutter.tasks %}
    deliver(current_app._get_current_object(), message)  # in the worker's job
{% else %}
    background(deliver, current_app._get_current_object(), message)
{% endif %}


def background(function: Callable[..., None], *args: object) -> None:
    """Call function(*args) in a thread of its own and return at once.

    Not a daemon: a worker that stops normally sends what it holds first.
    """
    threading.Thread(target=function, args=args).start()


def deliver(app: Flask, message: EmailMessage) -> None:
    """Send `message` through EMAIL_URL, or log it when EMAIL_URL is unset."""
    config = app.config
    url = config["EMAIL_URL"]
    if not url:
        # Production refuses to start without EMAIL_URL (config.py).
        app.logger.info(
            "EMAIL_URL is not set; the mail:\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )
        return
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        app.logger.error("EMAIL_URL must start with one of: %s", ", ".join(SCHEMES))
        return
    port, smtp_class, starttls = SCHEMES[parts.scheme]
    try:
        with smtp_class(parts.hostname, parts.port or port, timeout=10) as server:
            if starttls:
                server.starttls()
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException):
        app.logger.exception("Mail to %s not sent", message["To"])

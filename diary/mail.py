"""E-mail over SMTP (``DIARY_SMTP_*``): reminders and forgot-password links.

With no ``DIARY_SMTP_HOST`` the diary sends no e-mail, and the pages that would offer it say so.
"""

import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage

from flask import Flask, current_app


def mail_configured(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("SMTP_HOST"))


@contextmanager
def smtp_connection(app: Flask):
    """One connection for a batch of messages."""
    config = app.config
    host, port, security = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]
    if security == "tls":
        connection = smtplib.SMTP_SSL(host, port, timeout=30, context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(host, port, timeout=30)
    try:
        if security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            connection.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        yield connection
    finally:
        try:
            connection.quit()
        except smtplib.SMTPException:
            connection.close()


def message(app: Flask, to: str, subject: str, body: str, headers: dict | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = app.config["SMTP_FROM"]
    mail["To"] = to
    mail["Subject"] = subject
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return mail


def send(app: Flask, to: str, subject: str, body: str, headers: dict | None = None) -> None:
    with smtp_connection(app) as connection:
        connection.send_message(message(app, to, subject, body, headers))

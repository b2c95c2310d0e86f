"""Sending an e-mail from a handler: through Django's mail backend, failures as results."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMessage

from makegood.outbox.handlers import SendResult


def email_send(message: EmailMessage) -> SendResult:
    """Hand the message to the configured mail backend; a refusal is a failed attempt to retry."""
    try:
        sent = message.send()
    except (OSError, smtplib.SMTPException) as exc:
        return SendResult(ok=False, error=f"The mail server refused it: {exc}")
    if not sent:
        return SendResult(ok=False, error="The mail backend sent nothing.")
    return SendResult(ok=True)

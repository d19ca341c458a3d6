"""The e-mail backend that turns every ``send_mail`` into a job (ADR 0025).

``EMAIL_BACKEND`` is this backend; it hands each message to the ``send_email`` task, which a
worker delivers through ``SAFEMOVES_EMAIL_DELIVERY_BACKEND`` (SMTP in production), retrying
while the mail server is away. Services already send only after their transaction commits, so a
queued message always describes committed data. Without a broker the task runs at once, in
the sending process.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend


def serialise(message: EmailMessage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": [],
    }
    for attachment in message.attachments:
        if isinstance(attachment, tuple | list) and len(attachment) == 3:
            name, content, mimetype = attachment
            raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            data["attachments"].append([name, base64.b64encode(raw).decode("ascii"), mimetype])
        else:
            raise ValueError("Only (name, content, mimetype) attachments can be queued.")
    return data


def deserialise(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def deliver(data: dict[str, Any]) -> None:
    connection = get_connection(settings.SAFEMOVES_EMAIL_DELIVERY_BACKEND, fail_silently=False)
    connection.send_messages([deserialise(data)])


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from safemoves.jobs.tasks import send_email  # noqa: PLC0415 -- tasks imports this module (a real cycle)

        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            send_email.delay(serialise(message), uuid.uuid4().hex)
            queued += 1
        return queued

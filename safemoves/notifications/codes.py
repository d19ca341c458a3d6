"""What a notification is about. The text shown and mailed is built from the kind and a
reference only: a notification never holds a name, an address or any other personal detail."""

from __future__ import annotations

from django.db import models


class NotificationKind(models.TextChoices):
    OFFER_RECEIVED = "offer_received", "Offer received"
    OFFER_ANSWERED = "offer_answered", "Offer answered"
    IDENTITY_RELEASED = "identity_released", "Identity released"
    MOVE_RECORDED = "move_recorded", "Move recorded"
    CLOCK_BREACHED = "clock_breached", "Clock breached"
    TASK_OVERDUE = "task_overdue", "Task overdue"
    REQUEST_WAITING = "request_waiting", "Request waiting too long"


# One sentence per kind; "{reference}" is a case or move-request reference, never a name.
MESSAGES: dict[str, str] = {
    NotificationKind.OFFER_RECEIVED: "A home has been offered to move request {reference}.",
    NotificationKind.OFFER_ANSWERED: "The tenant's answer to your offer on move request {reference} is recorded.",
    NotificationKind.IDENTITY_RELEASED: (
        "The household's identity on move request {reference} has been released to you."
    ),
    NotificationKind.MOVE_RECORDED: "The move on move request {reference} has been recorded.",
    NotificationKind.CLOCK_BREACHED: "A safety action on case {reference} has passed its deadline.",
    NotificationKind.TASK_OVERDUE: "A task on case {reference} has passed its due date.",
    NotificationKind.REQUEST_WAITING: (
        "Move request {reference} has waited longer than the scheme allows with no offer."
    ),
}


def message_for(kind: str, reference: str) -> str:
    return MESSAGES[kind].format(reference=reference)

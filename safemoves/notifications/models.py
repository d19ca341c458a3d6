"""In-application notifications and each person's e-mail preferences.

A notification holds a kind, a case or move-request reference and a link inside the
application, nothing else: no name, address or free text, so it can be shown in the header,
listed and e-mailed without carrying personal data. Rows belong to the recipient's landlord.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.common.scoping import OrganisationOwned
from safemoves.notifications.codes import NotificationKind, message_for
from safemoves.organisations.models import Organisation


class Notification(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    # A case reference (DA-…) or a move-request reference (KMR-…): never a name.
    reference = models.CharField(max_length=32)
    link = models.CharField(max_length=300)
    # Set by jobs that must notify once per event (a breach, a task, a waiting request).
    once_key = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The header's unread count: one index-only count per page.
            models.Index(
                fields=["organisation", "recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["organisation", "recipient", "-created_at"], name="notification_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "once_key"], condition=~models.Q(once_key=""), name="notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"

    @property
    def message(self) -> str:
        return message_for(self.kind, self.reference)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(OrganisationOwned):
    """Which kinds of notification a person also wants by e-mail (absent: every kind)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_kinds = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"e-mail preferences of {self.user_id}"

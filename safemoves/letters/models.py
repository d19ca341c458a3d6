"""Letter templates of each landlord and the letters sent from a case (ADR 0023).

Templates hold no personal data (merge fields stand in for it) and are plain text. A sent
letter keeps what went out — subject, body, the address and the PDF itself — encrypted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned


class LetterTemplate(OrganisationOwned):
    # The standard template this one replaces ("offer", "sign_up_pack", ...), blank for a landlord's own.
    standard_key = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=120)
    letterhead = models.TextField(help_text="The landlord's name on the first line, then its address and phone.")
    sender_name = models.CharField(max_length=120)
    sender_role = models.CharField(max_length=120, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SentLetter(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    template_name = models.CharField(max_length=120)
    subject = EncryptedTextField()
    body = EncryptedTextField()
    address = EncryptedTextField()
    pdf = EncryptedTextField(help_text="The PDF as sent, base64.")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"letter {self.pk}"

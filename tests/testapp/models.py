"""A test-only model with encrypted fields (no organisation scoping)."""

from __future__ import annotations

import uuid

from django.db import models

from safemoves.common.fields import EncryptedDateField, EncryptedTextField


class SecretNote(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org_ref = models.CharField(max_length=20)
    name = EncryptedTextField()
    address = EncryptedTextField(null=True, blank=True)
    born = EncryptedDateField(null=True, blank=True)

    objects: models.Manager[SecretNote] = models.Manager()

    class Meta:
        ordering = ["org_ref"]

    def __str__(self) -> str:
        return f"note {self.pk}"

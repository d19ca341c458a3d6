"""Documents uploaded to a case: police reports, court orders, signed consent (ADR 0023).

The file name, description and content are encrypted like every personal field (ADR 0006):
the content is base64 text sealed in its own row (:class:`DocumentContent`), so listing a
case's documents never reads, decrypts or carries the files themselves.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.fields import EncryptedTextField
from safemoves.common.scoping import OrganisationOwned


class DocumentKind(models.TextChoices):
    POLICE_REPORT = "police_report", "Police report"
    COURT_ORDER = "court_order", "Court order"
    SIGNED_CONSENT = "signed_consent", "Signed consent"
    OTHER = "other", "Other evidence"


class FileType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"


class CaseDocument(OrganisationOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    # The type found by reading the file's first bytes, never the one the browser claimed.
    content_type = models.CharField(max_length=32, choices=FileType.choices)
    size_bytes = models.PositiveIntegerField()
    file_name = EncryptedTextField()
    description = EncryptedTextField(blank=True, default="")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"document {self.pk}"


class DocumentContent(OrganisationOwned):
    """The sealed bytes of one document (base64 inside the encrypted token)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.OneToOneField(CaseDocument, on_delete=models.CASCADE, related_name="content")
    data = EncryptedTextField()

    def __str__(self) -> str:
        return f"content of {self.document_id}"

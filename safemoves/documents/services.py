from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.documents.files import max_bytes, safe_file_name, size_text, sniff
from safemoves.documents.models import CaseDocument, DocumentContent, DocumentKind


@audited("case.document_uploaded")
@transaction.atomic
def document_upload(
    *, case: Case, actor: User, kind: str, file_name: str, data: bytes, description: str = ""
) -> CaseDocument:
    """Store a document on the case, encrypted; refused (nothing stored) if too big or not a PDF, PNG or JPEG."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose what the document is."})
    if not data:
        raise ValidationError({"file": "The file is empty. Choose the document to upload."})
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError({"file": f"The file is larger than {size_text(limit)}. Upload a smaller copy."})
    file_type = sniff(data)
    if file_type is None:
        raise ValidationError({"file": "The file is not a PDF, PNG or JPEG. Save or scan it as one of those."})
    document = CaseDocument.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        content_type=file_type.value,
        size_bytes=len(data),
        file_name=safe_file_name(file_name, file_type),
        description=description.strip(),
        uploaded_by=actor,
    )
    DocumentContent.objects.create(
        organisation_id=case.organisation_id, document=document, data=base64.b64encode(data).decode("ascii")
    )
    record_case_event(
        action="case.document_uploaded",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["file_name", "description", "content"],
        reason=f"document {document.pk}",
    )
    return document

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from safemoves.accounts.models import User
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.documents.models import CaseDocument


def documents(case: Case) -> QuerySet[CaseDocument]:
    return documents_of(case.organisation_id, case.pk)


def documents_of(organisation_id: int, case_id: Any) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(organisation_id=organisation_id, case_id=case_id).select_related("uploaded_by")


def document_of(case: Case, document_id: Any) -> CaseDocument:
    document = documents(case).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def document_bytes(document: CaseDocument) -> bytes:
    """The decrypted file, without logging (for exports, which log themselves)."""
    return base64.b64decode(document.content.data)


def document_open(*, case: Case, document: CaseDocument, actor: User) -> bytes:
    """The decrypted file, with the view written to the case's access log."""
    with transaction.atomic():
        record_case_event(
            action="case.document_viewed",
            actor=actor,
            organisation_id=case.organisation_id,
            case_id=case.pk,
            reason=f"document {document.pk}",
        )
    return document_bytes(document)

"""The documents section of the case page and of the subject-access export."""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.documents import selectors
from safemoves.documents.models import CaseDocument

# The columns the documents section shows (ADR 0030).
PANEL_DOCUMENT_FIELDS = (
    "pk",
    "organisation",
    "kind",
    "file_name",
    "description",
    "size_bytes",
    "uploaded_at",
    "uploaded_by",
    "uploaded_by__full_name",
    "uploaded_by__email",
)


def _panel_documents(organisation_id: int, case_id: UUID) -> QuerySet[CaseDocument]:
    return selectors.documents_of(organisation_id, case_id).only(*PANEL_DOCUMENT_FIELDS)


def documents_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("documents.panel", _panel_documents, {"organisation_id": case.organisation_id, "case_id": case.pk})]


def documents_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (documents,) = documents_panel_reads(case)
    return {
        "case": case,
        "documents": list(documents.queryset()),
        "can_upload": can_work_case(request.membership, case),
    }


def export_section(case: Case) -> list[dict[str, Any]]:
    """Every document with its file (base64), for a subject-access export."""
    return [
        {
            "kind": document.get_kind_display(),
            "file_name": document.file_name,
            "description": document.description,
            "file_type": document.get_content_type_display(),
            "size_bytes": document.size_bytes,
            "uploaded_by": str(document.uploaded_by),
            "uploaded_at": timezone.localtime(document.uploaded_at).isoformat(timespec="seconds"),
            "content_base64": base64.b64encode(selectors.document_bytes(document)).decode("ascii"),
        }
        for document in selectors.documents(case).select_related("content")
    ]

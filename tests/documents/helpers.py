"""Small files of each accepted type, and a document on a case."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.documents.models import CaseDocument
from safemoves.documents.services import document_upload
from safemoves.organisations.models import Role
from tests.factories import World


def pdf_bytes(text: str = "Police report") -> bytes:
    # Uncompressed, so a canary in ``text`` is in the file's bytes as written.
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n%%EOF\n"


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def add_document(world: World, case: Case, *, text: str = "Police report", **extra: Any) -> CaseDocument:
    with organisation_scope(world.a.organisation.pk):
        return document_upload(
            case=case,
            actor=world.a[Role.OFFICER],
            kind=extra.get("kind", "police_report"),
            file_name=extra.get("file_name", "report.pdf"),
            data=pdf_bytes(text),
            description=extra.get("description", "Kent Police report"),
        )

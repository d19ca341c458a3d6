from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from safemoves.audit.models import AuditEvent
from safemoves.cases.export import case_export
from safemoves.cases.retention import retention_run
from safemoves.cases.services import case_purge
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.documents.files import safe_file_name
from safemoves.documents.models import CaseDocument, DocumentContent, FileType
from safemoves.documents.services import document_upload
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.documents.helpers import JPEG_BYTES, PNG_BYTES, add_document, pdf_bytes
from tests.factories import World, sign_in


def _upload(world: World, data: bytes, name: str = "x.pdf") -> CaseDocument:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    with organisation_scope(world.a.organisation.pk):
        return document_upload(case=case, actor=world.a[Role.OFFICER], kind="court_order", file_name=name, data=data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [(pdf_bytes(), "application/pdf"), (PNG_BYTES, "image/png"), (JPEG_BYTES, "image/jpeg")],
)
def test_the_type_comes_from_the_content(world: World, data: bytes, expected: str) -> None:
    document = _upload(world, data, name="claims-to-be.docx")
    assert document.content_type == expected
    assert document.file_name == "claims-to-be" + {"application/pdf": ".pdf", "image/png": ".png"}.get(expected, ".jpg")


@pytest.mark.parametrize(
    "data", [b"<html><script>alert(1)</script>", b"PK\x03\x04 zip or docx", b"GIF89a", b"  %PDF-1.4 late"]
)
def test_anything_else_is_refused_and_nothing_is_stored(world: World, data: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        _upload(world, data, name="evil.pdf")
    assert refused.value.message_dict == {
        "file": ["The file is not a PDF, PNG or JPEG. Save or scan it as one of those."]
    }
    with scopes_disabled():
        assert CaseDocument.objects.count() == 0
        assert DocumentContent.objects.count() == 0


@override_settings(DOCUMENT_MAX_BYTES=2048)
def test_a_file_over_the_limit_is_refused(world: World) -> None:
    assert _upload(world, b"%PDF-" + b"x" * 2043).size_bytes == 2048  # exactly the limit is accepted
    with pytest.raises(ValidationError) as refused:
        _upload(world, b"%PDF-" + b"x" * 2044)
    assert refused.value.message_dict == {"file": ["The file is larger than 2 KB. Upload a smaller copy."]}
    with scopes_disabled():
        assert CaseDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\Police report 3 Nov.PDF", "Police report 3 Nov.pdf"),
        ('a"b;c<script>.pdf', "a b c script.pdf"),
        ("Zoë's order.png", "Zoe s order.pdf"),
        ("", "document.pdf"),
        ("\x00\r\n.pdf", "document.pdf"),
    ],
)
def test_names_are_sanitised(given: str, expected: str) -> None:
    assert safe_file_name(given, FileType.PDF) == expected


def test_upload_download_access_log_and_headers(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    client = sign_in(Client(), world.a[Role.OFFICER])
    upload = SimpleUploadedFile("report.pdf", pdf_bytes("Report body"), content_type="text/html")
    response = client.post(
        reverse("documents:upload", kwargs={"case_id": case.pk}),
        {"kind": "police_report", "file": upload, "description": "Kent Police"},
    )
    assert response.status_code == 302
    with organisation_scope(world.a.organisation.pk):
        document = CaseDocument.objects.get(case=case)
        assert (document.kind, document.content_type, document.file_name) == (
            "police_report",
            "application/pdf",
            "report.pdf",
        )
    detail = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "report.pdf" in detail

    response = client.get(reverse("documents:download", kwargs={"case_id": case.pk, "document_id": document.pk}))
    assert response.status_code == 200
    assert response.content == pdf_bytes("Report body")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, max-age=0"
    with scopes_disabled():
        viewed = AuditEvent.objects.filter(action="case.document_viewed", object_id=str(case.pk)).get()
    assert (viewed.actor_id, viewed.reason) == (world.a[Role.OFFICER].pk, f"document {document.pk}")

    manager = sign_in(Client(), world.a[Role.MANAGER])
    log = manager.get(reverse("cases:access_log", kwargs={"case_id": case.pk})).content.decode()
    assert "Opened a document" in log


def test_a_bad_upload_names_the_field(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.post(
        reverse("documents:upload", kwargs={"case_id": case.pk}),
        {"kind": "police_report", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert "The file is not a PDF, PNG or JPEG" in response.content.decode()


@override_settings(UPLOAD_MAX_BYTES=2000)
def test_an_upload_over_the_request_limit_is_skipped_and_explained(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    client = sign_in(Client(), world.a[Role.OFFICER])
    response = client.post(
        reverse("documents:upload", kwargs={"case_id": case.pk}),
        {"kind": "police_report", "file": SimpleUploadedFile("a.pdf", pdf_bytes("y" * 5000))},
    )
    assert response.status_code == 400
    assert "The file is larger than 10 MB" in response.content.decode()
    with scopes_disabled():
        assert CaseDocument.objects.count() == 0


def test_documents_are_in_the_export_with_their_content(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    add_document(world, case, text="Exported")
    with organisation_scope(world.a.organisation.pk):
        document = case_export(case=case, actor=world.a[Role.MANAGER])
    [exported] = document["documents"]
    assert exported["file_name"] == "report.pdf"
    assert exported["kind"] == "Police report"
    assert base64.b64decode(exported["content_base64"]) == pdf_bytes("Exported")


def test_purging_a_case_erases_its_documents(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    add_document(world, case)
    with organisation_scope(world.a.organisation.pk):
        case_purge(case=case, actor=None, reason="retention")
    with scopes_disabled():
        assert CaseDocument.objects.count() == 0
        assert DocumentContent.objects.count() == 0
    assert retention_run(apply=False).total == 0

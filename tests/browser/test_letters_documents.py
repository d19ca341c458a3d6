"""Issue 14 items 6, 7 and 10 in a real browser: a letter only to the safe address (and refused
with the reason when letters are not agreed), a document uploaded, opened (access logged) and in
the subject-access export, and the MARAC summary. Officer steps use the keyboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Page, expect

from safemoves.audit.models import AuditEvent
from safemoves.cases import services as case_services
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.documents.models import CaseDocument
from safemoves.letters.models import SentLetter
from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import choose, press, sign_in, sign_out
from tests.cases.factories import make_case
from tests.documents.helpers import pdf_bytes
from tests.factories import make_world


def test_letter_document_export_and_summary(page: Page, live_server: Any) -> None:
    world = make_world()
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    officer = world.a[Role.OFFICER]

    sign_in(page, officer)
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)

    # A letter from the standard offer template, addressed to the safe postal address only.
    press(page.get_by_role("region", name="Letters").get_by_role("link", name="Write a letter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a letter")
    address = page.locator("address.letter-address")
    expect(address).to_contain_text("PO Box 1")
    expect(address).not_to_contain_text("Example Street")
    assert_accessible(page)
    choose(page.get_by_label("Letter template"), "Offer of a home")
    press(page.get_by_role("button", name="Use this template"))
    expect(page.get_by_label("Subject")).to_have_value("An offer of a home (our reference {reference})")
    assert_accessible(page)
    press(page.get_by_role("button", name="Produce the PDF"))
    expect(page.get_by_text("Letter produced as a PDF, addressed to the safe postal address.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as letter_download:
        press(page.get_by_role("region", name="Letters").get_by_role("link", name=re.compile("Offer of a home")))
    assert Path(letter_download.value.path()).read_bytes().startswith(b"%PDF-")
    with organisation_scope(world.a.organisation.pk):
        letter = SentLetter.objects.get(case=case)
        assert letter.address == "Jane Example\nc/o Women's Aid\nPO Box 1\nMaidstone"
        assert letter.subject == f"An offer of a home (our reference {case.reference})"

    # A police report uploaded, then opened: the opening is in the access log.
    press(page.get_by_role("region", name="Documents").get_by_role("link", name="Upload a document"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    assert_accessible(page)
    choose(page.get_by_label("What is the document?"), "Police report")
    upload: FilePayload = {
        "name": "police report.pdf",
        "mimeType": "application/pdf",
        "buffer": pdf_bytes("Kent Police"),
    }
    # The file input opens the system's file chooser from the keyboard (Space), as for a person.
    file_input = page.get_by_label("File", exact=True)
    file_input.focus()
    with page.expect_file_chooser() as chooser:
        file_input.press("Space")
    chooser.value.set_files(files=[upload])
    page.get_by_label("Description (optional)").fill("Kent Police, 3 November")
    press(page.get_by_role("button", name="Upload"))
    expect(page.get_by_text("Document uploaded and stored encrypted.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as document_download:
        press(page.get_by_role("region", name="Documents").get_by_role("link", name=re.compile("police report.pdf")))
    assert Path(document_download.value.path()).read_bytes() == pdf_bytes("Kent Police")
    with organisation_scope(world.a.organisation.pk):
        document = CaseDocument.objects.get(case=case)
    with scopes_disabled():
        opened = AuditEvent.objects.get(action="case.document_viewed", object_id=str(case.pk))
    assert (opened.actor_id, opened.reason) == (officer.pk, f"document {document.pk}")

    # The MARAC summary prints from the case.
    press(page.get_by_role("navigation", name="Case actions").get_by_role("link", name="MARAC summary"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case summary for MARAC: {case.reference}")
    assert_accessible(page)

    # Letters withdrawn as a safe way to reach the tenant: the case says why, the page refuses.
    with organisation_scope(world.a.organisation.pk):
        case_services.contact_rules_update(
            case=case, actor=world.a[Role.MANAGER], expected_version=None, changes={"letter_ok": False}
        )
    page.goto(f"/cases/{case.pk}/")
    letters = page.get_by_role("region", name="Letters")
    expect(letters).to_contain_text("A letter is not allowed: the tenant has not agreed to letters.")
    expect(letters.get_by_role("link", name="Write a letter")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"/letters/case/{case.pk}/write/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A letter cannot be sent")
    expect(page.get_by_text("A letter is not allowed: the tenant has not agreed to letters.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The manager's subject-access export lists the document; the audit log shows who opened it.
    sign_in(page, world.a[Role.MANAGER])
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)
    press(page.get_by_role("navigation", name="Case actions").get_by_role("link", name="Subject-access export"))
    expect(page.get_by_role("heading", level=2, name="Documents")).to_be_visible()
    expect(page.get_by_text("police report.pdf")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Letters sent")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{case.pk}/access-log/")
    expect(page.get_by_role("cell", name="Opened a document")).to_be_visible()
    assert_accessible(page)

"""A canary written into a document's bytes and into a letter never reaches a table in clear."""

from __future__ import annotations

import base64

import pytest

from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.cases.test_canary import _raw_cells
from tests.documents.helpers import add_document, pdf_bytes
from tests.factories import make_world
from tests.letters.helpers import send_letter

CANARY = "CANARY-file-letter-Q9x"


@pytest.mark.django_db(transaction=True)
def test_document_and_letter_contents_are_not_stored_in_clear() -> None:
    world = make_world()
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    add_document(world, case, text=CANARY, file_name=f"{CANARY}.pdf", description=CANARY)
    send_letter(world, case, body=f"Dear {{tenant_name}}, {CANARY}")
    encoded = base64.b64encode(pdf_bytes(CANARY)).decode("ascii")
    cells = _raw_cells()
    assert [cell for cell in cells if CANARY in cell] == []
    assert [cell for cell in cells if encoded in cell] == []

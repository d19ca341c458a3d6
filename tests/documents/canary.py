"""Rows of the documents and letters models for the plaintext canary test (tests/cases/test_canary.py)."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.documents.models import DocumentContent
from safemoves.letters.models import SentLetter
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.documents.helpers import add_document
from tests.factories import World
from tests.letters.helpers import send_letter


def documents_and_letters_rows(world: World) -> dict[str, list[Any]]:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    document = add_document(world, case)
    letter = send_letter(world, case)
    with organisation_scope(world.a.organisation.pk):
        return {
            "documents.casedocument": [document],
            "documents.documentcontent": list(DocumentContent.objects.filter(document=document)),
            "letters.sentletter": list(SentLetter.objects.filter(pk=letter.pk)),
        }

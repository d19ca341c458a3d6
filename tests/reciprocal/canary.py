"""Canary rows for the reciprocal app's encrypted fields (Move's protected address).

Add ``reciprocal_rows`` to ``ROW_BUILDERS`` in tests/cases/test_canary.py.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.reciprocal import services
from tests.factories import World
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case


def reciprocal_rows(world: World) -> dict[str, list[Any]]:
    case = reciprocal_case(world.a, name="Reciprocal Canary Case")
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    return {"reciprocal.move": [move]}

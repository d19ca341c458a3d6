"""Canary rows for the reciprocal app's encrypted fields (Move's protected address; the move
itself: viewings, the handover consent and the handed-over case).

Add ``reciprocal_rows`` to ``ROW_BUILDERS`` in tests/cases/test_canary.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.reciprocal.models import Handover
from safemoves.reciprocal.pool import services
from tests.factories import World
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case


def reciprocal_rows(world: World) -> dict[str, list[Any]]:
    case = reciprocal_case(world.a, name="Reciprocal Canary Case")
    request = circulated_request(world.a, case)
    offer = offer_home(world.b, make_home(world.b), request)
    accept(world.a, offer)
    lettings = world.b[Role.LETTINGS_OFFICER]
    with organisation_scope(world.b.organisation.pk):
        viewing = services.viewing_arrange(
            offer=offer, actor=lettings, starts_at=timezone.now() + timedelta(days=1), place_note="placeholder"
        )
    with organisation_scope(world.a.organisation.pk):
        consent = services.handover_consent_record(
            offer=offer,
            actor=world.a[Role.OFFICER],
            given_by="the tenant",
            given_on=timezone.localdate(),
            how_given="signed form",
            support_needs="placeholder",
        )
    with organisation_scope(world.b.organisation.pk):
        move = services.move_record(offer=offer, actor=lettings, move_date=timezone.localdate())
        handover = Handover.objects.get(move=move)
    return {
        "reciprocal.move": [move],
        "reciprocal.viewing": [viewing],
        "reciprocal.handoverconsent": [consent],
        "reciprocal.handover": [handover],
    }

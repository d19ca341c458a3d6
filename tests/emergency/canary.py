"""Rows of every emergency accommodation model with personal fields, for the plaintext canary test
(`tests/cases/test_canary.py`: add ``emergency_rows`` to its ``ROW_BUILDERS``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.emergency.services import OfferDetails, emergency_offer_record
from safemoves.organisations.models import Role
from safemoves.safety.services import place_add
from tests.factories import World
from tests.safety.factories import make_case


def emergency_rows(world: World) -> dict[str, list[Any]]:
    officer = world.a[Role.OFFICER]
    case = make_case(world)
    with organisation_scope(world.a.organisation.pk):
        place_add(case=case, actor=officer, kind="near", label="placeholder", postcode="ME1 1AA", radius_km="5")
        offer = emergency_offer_record(
            case=case,
            actor=officer,
            details=OfferDetails(
                kind="refuge",
                provider="placeholder",
                offered_on=timezone.localdate(),
                postcode="CT20 1AA",
                decision="refused",
                refusal_reason="other",
                decision_note="placeholder",
            ),
        )
    return {"emergency.emergencyoffer": [offer]}

"""Demo emergency accommodation offers: the first seed's turning point on a few cases of each
demo landlord (a refuge refused as too far from the support network, one accepted, one pending)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.emergency.models import EmergencyOffer
from safemoves.emergency.services import OfferDetails, emergency_offer_record
from safemoves.organisations.models import Organisation
from safemoves.safety.selectors import places
from safemoves.safety.services import place_add

OFFERS = (
    OfferDetails(
        kind="refuge",
        provider="Women's Aid refuge service",
        offered_on=timezone.localdate(),
        postcode="CT20 1AA",
        decision="refused",
        refusal_reason="too_far_support_network",
        decision_note="Wants to stay near family and keep the children at their school.",
    ),
    OfferDetails(
        kind="emergency",
        provider="District council housing options",
        offered_on=timezone.localdate(),
        area_code="E07000105",
        decision="accepted",
    ),
    OfferDetails(
        kind="temporary",
        provider="District council housing options",
        offered_on=timezone.localdate(),
        area_code="E07000110",
    ),
)


def seed_demo_emergency_offers(*, cases_per_landlord: int = 3) -> int:
    """Offers on the first open, assigned cases of each demo landlord with none yet; returns how many."""
    created = 0
    with scopes_disabled():
        organisation_ids = list(
            Organisation.objects.filter(memberships__user__is_demo=True).distinct().values_list("pk", flat=True)
        )
    for organisation_id in organisation_ids:
        with organisation_scope(organisation_id), transaction.atomic():
            if EmergencyOffer.objects.filter(organisation_id=organisation_id).exists():
                continue
            cases = list(
                Case.objects.filter(organisation_id=organisation_id, assigned_officer__isnull=False)
                .exclude(status=CaseStatus.CLOSED)
                .select_related("assigned_officer")
                .order_by("reference")[:cases_per_landlord]
            )
            for index, case in enumerate(cases):
                officer = case.assigned_officer
                assert officer is not None  # noqa: S101 - filtered above
                if not places(case).exists():
                    place_add(
                        case=case, actor=officer, kind="near", label="Parent's home", postcode="ME1 1AA", radius_km="5"
                    )
                details = OFFERS[index % len(OFFERS)]
                offered_on = timezone.localdate() - timedelta(days=3 * index)
                emergency_offer_record(
                    case=case,
                    actor=officer,
                    details=replace(details, offered_on=offered_on),
                )
                created += 1
    return created

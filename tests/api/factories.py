from __future__ import annotations

from typing import Any

from safemoves.api.models import ApiToken, TokenPurpose
from safemoves.api.services import api_token_create
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.factories import Landlord
from tests.intake.factories import make_link

ACTING_ROLE = {TokenPurpose.HOUSING_SYSTEM: Role.LETTINGS_OFFICER, TokenPurpose.STAFF: Role.MANAGER}


def make_token(
    landlord: Landlord, purpose: str, *, acting_role: Role | None = None, rate_per_minute: int = 1000
) -> tuple[ApiToken, str]:
    """A token of ``purpose`` issued by the landlord's admin (an agency token gets its own link)."""
    link = make_link(landlord)[0] if purpose == TokenPurpose.AGENCY else None
    acting = None
    if purpose != TokenPurpose.AGENCY:
        acting = landlord[acting_role or ACTING_ROLE[TokenPurpose(purpose)]].membership
    with organisation_scope(landlord.organisation.pk):
        return api_token_create(
            membership=landlord[Role.ADMIN].membership,
            name=f"{purpose} system",
            purpose=purpose,
            days=30,
            acting_member=acting,
            referral_link=link,
            rate_per_minute=rate_per_minute,
        )


def bearer(secret: str, **headers: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}


REFERRAL_JSON: dict[str, Any] = {
    "referrer_name": "PC Amy Taylor",
    "referrer_role": "Domestic abuse officer, Kent Police",
    "referrer_phone": "01622 690690",
    "tenant_name": "Jane Example",
    "tenant_date_of_birth": "1990-05-17",
    "address": "12 Example Street\nChatham",
    "postcode": "me4 4aa",
    "children": 2,
    "children_ages": [4, 9],
    "perpetrator_name": "John Example",
    "perpetrator_relationship": "ex_partner",
    "perpetrator_at_address": "no",
    "perpetrator_has_key": "yes",
    "court_orders": ["non_molestation"],
    "what_happened": "Assaulted by her ex-partner on Saturday night.",
    "contact_directly": "yes",
    "safe_phone": "07700 900123",
    "safe_times": "Weekdays 10am to 2pm",
    "voicemail_ok": "no",
    "letter_ok": "not_known",
    "crime_reference": "46/123456/26",
    "police_officer": "PC 1234 Amy Taylor",
    "police_station": "Medway",
    "police_dash_level": "high",
    "marac_referred": "yes",
}

HOME_JSON: dict[str, Any] = {
    "address": "14 Hopfield Close, Canterbury",
    "postcode": "CT1 1AA",
    "bedrooms": 3,
    "floor": 0,
    "has_lift": False,
    "step_free": False,
    "wheelchair_standard": "3",
    "pets_allowed": True,
    "weekly_rent": "121.00",
    "tenancy_offered": "2",
    "available_from": "2026-04-01",
}

from __future__ import annotations

from typing import Any

from safemoves.cases.codes import CaseSource
from safemoves.common.scoping import organisation_scope
from safemoves.intake.models import ReferralLink
from safemoves.intake.services import NO, NOT_KNOWN, YES, AgencyReferral, referral_link_create
from safemoves.organisations.models import Role
from tests.factories import Landlord


def make_link(
    landlord: Landlord, *, agency_name: str = "Kent Police", source: str = CaseSource.POLICE
) -> tuple[ReferralLink, str]:
    with organisation_scope(landlord.organisation.pk):
        return referral_link_create(
            membership=landlord[Role.MANAGER].membership, agency_name=agency_name, source=source
        )


REFERRAL_FORM: dict[str, Any] = {
    "referrer_name": "PC Amy Taylor",
    "referrer_role": "Domestic abuse officer, Kent Police",
    "referrer_phone": "01622 690690",
    "referrer_email": "amy.taylor@police.example",
    "tenant_name": "Jane Example",
    "tenant_date_of_birth": "1990-05-17",
    "address": "12 Example Street\nChatham",
    "postcode": "me4 4aa",
    "children": "2",
    "perpetrator_at_address": NO,
    "perpetrator_has_key": YES,
    "what_happened": "Assaulted by her ex-partner on Saturday night; he left before officers arrived.",
    "contact_directly": YES,
    "safe_phone": "07700 900123",
    "safe_times": "Weekdays 10am to 2pm",
    "voicemail_ok": NO,
    "letter_ok": NOT_KNOWN,
}


def referral(**changes: Any) -> AgencyReferral:
    from datetime import date

    values: dict[str, Any] = {
        **REFERRAL_FORM,
        "tenant_date_of_birth": date(1990, 5, 17),
        "children": 2,
    }
    values.update(changes)
    return AgencyReferral(**values)


CONTACT_FORM: dict[str, str] = {
    "name": "Jane Example",
    "contact_method": "phone",
    "phone": "07700 900123",
    "email": "",
    "safe_times": "Weekdays 10am to 2pm",
    "voicemail_ok": NO,
    "letter_ok": YES,
    "message": "Please call, do not text.",
}

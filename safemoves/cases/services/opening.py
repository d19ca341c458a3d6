"""A case opened by an officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases import extensions
from safemoves.cases.codes import (
    Answer,
    CaseSource,
)
from safemoves.cases.models import (
    Case,
)
from safemoves.cases.services.base import CASE_FIELDS, _index_case, _next_reference, case_settings_for
from safemoves.common.clock import due_after_working_days
from safemoves.organisations.models import Membership


@dataclass(frozen=True)
class NewCase:
    lead_name: str
    source: str
    referral_summary: str = ""
    address: str = ""
    postcode: str = ""
    lead_date_of_birth: date | None = None
    tenure: str = ""
    tenancy_start: date | None = None
    introductory_period_ends: date | None = None
    referrer_details: str = ""
    # Carried in the referral summary until households are recorded; kept for the intake form.
    children: int = 0
    # What the referrer or officer said of the perpetrator's access to the home (Answer values).
    perpetrator_at_address: str = ""
    perpetrator_has_key: str = ""


def _create_case(*, organisation_id: int, data: NewCase, actor: User | None, received_at: datetime) -> Case:
    if not data.lead_name.strip():
        raise ValidationError({"lead_name": "Enter the tenant's name."})
    if data.source not in CaseSource.values:
        raise ValidationError({"source": f"{data.source!r} is not a referral source."})
    for name in ("perpetrator_at_address", "perpetrator_has_key"):
        if getattr(data, name) not in ("", *Answer.values):
            raise ValidationError({name: "Choose yes, no or not known."})
    if data.tenancy_start and data.introductory_period_ends and data.introductory_period_ends < data.tenancy_start:
        raise ValidationError(
            {"introductory_period_ends": "The introductory period cannot end before the tenancy starts."}
        )
    settings = case_settings_for(organisation_id)
    due = due_after_working_days(received_at, settings.first_contact_working_days)
    case = Case.objects.create(
        organisation_id=organisation_id,
        reference=_next_reference(organisation_id),
        source=data.source,
        received_at=received_at,
        first_contact_due_at=due,
        next_due_at=due,
        lead_name=data.lead_name.strip(),
        lead_date_of_birth=data.lead_date_of_birth,
        address=data.address.strip(),
        postcode=data.postcode.strip().upper(),
        referral_summary=data.referral_summary.strip(),
        referrer_details=data.referrer_details.strip(),
        tenure=data.tenure,
        tenancy_start=data.tenancy_start,
        introductory_period_ends=data.introductory_period_ends,
        updated_by=actor,
    )
    _index_case(case)
    return case


def _case_opened(case: Case, data: NewCase, actor: User | None) -> None:
    """Let the apps built on cases act on a new case (the lock change), in this transaction."""
    event = extensions.CaseOpened(
        case=case,
        actor=actor,
        perpetrator_at_address=data.perpetrator_at_address,
        perpetrator_has_key=data.perpetrator_has_key,
    )
    for hook in extensions.case_opened_hooks():
        hook(event)


@audited("case.opened")
@transaction.atomic
def case_open(*, membership: Membership, data: NewCase) -> Case:
    """A member of staff opens a case directly; it lands in the triage inbox with its clock."""
    case = _create_case(
        organisation_id=membership.organisation_id, data=data, actor=membership.user, received_at=timezone.now()
    )
    record_case_event(
        action="case.opened",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        case_id=case.pk,
        fields=[name for name in CASE_FIELDS if getattr(case, name)],
        reason=f"source: {data.source}",
    )
    _case_opened(case, data, membership.user)
    return case

"""API: staff read and list cases through the same selectors and policies as the case pages.

The token acts as one officer, manager or auditor: they see through it exactly the cases they
see on the web, and every case read is written to the access log.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from safemoves.api.core import READ_PROBLEMS, Page, Str200, acting_member, guarded
from safemoves.api.models import TokenPurpose
from safemoves.api.problems import Problem
from safemoves.cases import selectors
from safemoves.cases.models import Case, SafeContactRules

router = Router(tags=["Cases"])


class CaseSummaryOut(Schema):
    id: uuid.UUID
    reference: str
    status: str
    source: str
    lead_name: str
    assigned_officer: str | None
    received_at: datetime
    first_contact_due_at: datetime
    next_due_at: datetime | None


class CaseFiltersIn(Page):
    query: Str200 = Field("", description="A reference, or words of the tenant's name.")
    status: Literal["", "new", "open", "closed"] = Field("", description="Blank: open cases.")


class MemberOut(Schema):
    kind: str
    name: str
    date_of_birth: date | None


class PerpetratorOut(Schema):
    name: str
    relationship: str
    lives_at_address: bool
    has_key: bool
    court_orders: list[str]


class ContactRulesOut(Schema):
    safe_phone: str
    safe_email: str
    safe_times: str
    phone_ok: bool
    sms_ok: bool
    voicemail_ok: bool
    email_ok: bool
    letter_ok: bool
    visit_ok: bool


class CaseOut(CaseSummaryOut):
    address: str
    postcode: str
    referral_summary: str
    household: list[MemberOut]
    perpetrators: list[PerpetratorOut]
    contact_rules: ContactRulesOut | None


def _summary(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(
        id=case.pk,
        reference=case.reference,
        status=case.status,
        source=case.source,
        lead_name=case.lead_name,
        assigned_officer=case.assigned_officer.full_name if case.assigned_officer else None,
        received_at=case.received_at,
        first_contact_due_at=case.first_contact_due_at,
        next_due_at=case.next_due_at,
    )


@router.get("/cases", response={200: list[CaseSummaryOut], READ_PROBLEMS: Problem}, operation_id="case_list")
@guarded(TokenPurpose.STAFF)
def case_list(request: HttpRequest, filters: Query[CaseFiltersIn]) -> list[CaseSummaryOut]:
    """The cases this member sees on the cases page (open ones unless a status is asked for)."""
    chosen = selectors.CaseFilters(query=filters.query, status=filters.status)
    cases = selectors.case_list(acting_member(request), chosen)[filters.offset : filters.offset + filters.limit]
    return [_summary(case) for case in cases]


@router.get("/cases/{case_id}", response={200: CaseOut, READ_PROBLEMS: Problem}, operation_id="case_get")
@guarded(TokenPurpose.STAFF)
def case_get(request: HttpRequest, case_id: uuid.UUID) -> CaseOut:
    """One case, if this member may see it; the read is written to the case's access log."""
    case = selectors.get_case(acting_member(request), case_id)
    try:
        rules: SafeContactRules | None = case.contact_rules
    except SafeContactRules.DoesNotExist:
        rules = None
    return CaseOut(
        **_summary(case).model_dump(),
        address=case.address,
        postcode=case.postcode,
        referral_summary=case.referral_summary,
        household=[
            MemberOut(kind=member.kind, name=member.name, date_of_birth=member.date_of_birth)
            for member in case.household.all()
        ],
        perpetrators=[
            PerpetratorOut(
                name=perpetrator.name,
                relationship=perpetrator.relationship,
                lives_at_address=perpetrator.lives_at_address,
                has_key=perpetrator.has_key,
                court_orders=[order.order_type for order in perpetrator.court_orders.all()],
            )
            for perpetrator in case.perpetrators.all()
        ],
        contact_rules=None
        if rules is None
        else ContactRulesOut(**{name: getattr(rules, name) for name in ContactRulesOut.model_fields}),
    )

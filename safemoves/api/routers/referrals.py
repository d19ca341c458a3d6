"""API: an agency sends a referral and reads the status of its own referrals, nothing else."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status

from safemoves.api import selectors, services
from safemoves.api.core import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Page,
    Required200,
    Required5000,
    Str10,
    Str40,
    Str200,
    Str254,
    Str2000,
    WriteHeaders,
    guarded,
)
from safemoves.api.models import ApiReferral, ApiToken, TokenPurpose
from safemoves.api.problems import Problem
from safemoves.intake.services import MAX_CHILDREN, AgencyReferral

router = Router(tags=["Agency referrals"])

Answer = Literal["yes", "no", "not_known"]
OptionalAnswer = Literal["", "yes", "no", "not_known"]
RelationshipCode = Literal["", "partner", "ex_partner", "family", "other"]
CourtOrderCode = Literal["non_molestation", "occupation", "restraining", "dvpo", "dapo", "bail", "other"]


class ReferralIn(Schema):
    """The same fields as the agency referral form, checked by the same service."""

    referrer_name: Required200
    referrer_role: Required200
    referrer_phone: Str40 = ""
    referrer_email: Str254 = ""
    tenant_name: Required200
    tenant_date_of_birth: date | None = None
    address: Str2000 = ""
    postcode: Str10 = ""
    children: int = Field(0, ge=0, le=MAX_CHILDREN)
    children_ages: list[int] = Field(default_factory=list, max_length=MAX_CHILDREN)
    perpetrator_name: Str200 = ""
    perpetrator_relationship: RelationshipCode = ""
    perpetrator_at_address: Answer
    perpetrator_has_key: Answer
    court_orders: list[CourtOrderCode] = Field(default_factory=list, max_length=7)
    what_happened: Required5000
    contact_directly: Literal["yes", "no"]
    safe_phone: Str40 = ""
    safe_times: Str200 = ""
    voicemail_ok: Answer
    letter_ok: Answer
    crime_reference: Str40 = ""
    police_officer: Str200 = ""
    police_station: Str200 = ""
    police_dash_level: Literal["", "standard", "medium", "high"] = ""
    marac_referred: OptionalAnswer = ""


class ReferralOut(Schema):
    """All an agency may know of its referral: its reference and where it has got to."""

    id: uuid.UUID
    reference: str
    status: Literal["received", "contact_made", "closed"]
    received_at: datetime


def _out(referral: ApiReferral) -> ReferralOut:
    case = referral.case
    return ReferralOut(
        id=referral.pk,
        reference=case.reference,
        status=selectors.referral_status(case),  # type: ignore[arg-type]
        received_at=case.received_at,
    )


@router.post("/referrals", response={201: ReferralOut, WRITE_PROBLEMS: Problem}, operation_id="referral_create")
@guarded(TokenPurpose.AGENCY, write=True)
def referral_create(
    request: HttpRequest,
    payload: ReferralIn,
    headers: Header[WriteHeaders],
) -> Status[ReferralOut]:
    """Refer a tenant: the case opens in the landlord's triage inbox with its records filled."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    data = payload.model_dump()
    data["children_ages"] = tuple(data["children_ages"])
    data["court_orders"] = tuple(data["court_orders"])
    referral = services.api_referral_create(token=token, referral=AgencyReferral(**data))
    return Status(201, _out(referral))


@router.get("/referrals", response={200: list[ReferralOut], READ_PROBLEMS: Problem}, operation_id="referral_list")
@guarded(TokenPurpose.AGENCY)
def referral_list(request: HttpRequest, page: Query[Page]) -> list[ReferralOut]:
    """The status of this agency's API referrals, newest first."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return [_out(referral) for referral in selectors.agency_referrals(token)[page.offset : page.offset + page.limit]]


@router.get(
    "/referrals/{referral_id}", response={200: ReferralOut, READ_PROBLEMS: Problem}, operation_id="referral_get"
)
@guarded(TokenPurpose.AGENCY)
def referral_get(request: HttpRequest, referral_id: uuid.UUID) -> ReferralOut:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return _out(selectors.get_agency_referral(token, referral_id))

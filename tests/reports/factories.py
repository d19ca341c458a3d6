"""Rows for the report tests, written straight to the tables: each test states its data set
and works out the expected figures by hand, so the rows are built exactly, not via services."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from safemoves.accounts.models import User
from safemoves.cases.models import Case, Perpetrator
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Organisation, Role, Scheme
from safemoves.properties.models import Home
from safemoves.reciprocal.models import LedgerEntry, Move, MoveRequest, Offer
from safemoves.reports.services import time_to_safety_refresh
from safemoves.risk.models import MaracReferral, RiskAssessment
from safemoves.safety.models import SafetyAction, SafetyActionType
from tests.factories import World
from tests.reciprocal.factories import make_home

_numbers = itertools.count(1)


def case_row(
    organisation: Organisation,
    *,
    received_at: datetime,
    first_contact_after: timedelta | None = None,
    status: str = "open",
    outcome: str = "",
    closed_at: datetime | None = None,
    officer: User | None = None,
) -> Case:
    with scopes_disabled():
        return Case.objects.create(
            organisation=organisation,
            reference=f"T{next(_numbers)}",
            status=status,
            outcome=outcome,
            source="police",
            assigned_officer=officer,
            received_at=received_at,
            first_contact_due_at=received_at + timedelta(days=1),
            first_contact_at=None if first_contact_after is None else received_at + first_contact_after,
            closed_at=closed_at,
            lead_name="Test Tenant",
        )


def action_row(
    case: Case, code: str, *, starts_at: datetime, status: str = "open", done_after: timedelta | None = None
) -> SafetyAction:
    with scopes_disabled():
        action = SafetyAction.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            action_type=SafetyActionType.objects.get(code=code),
            starts_at=starts_at,
            due_at=starts_at + timedelta(hours=24),
            status=status,
            done_at=None if done_after is None else starts_at + done_after,
        )
        # Written straight to the table, so the summary is kept here as the services keep it.
        time_to_safety_refresh(case_id=case.pk)
        return action


def assessment_row(case: Case, band: str, *, assessed_at: datetime, assessor: User) -> RiskAssessment:
    with scopes_disabled():
        return RiskAssessment.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            question_set_version="test",
            answers="{}",
            score=0,
            computed_band=band,
            final_band=band,
            high_threshold=14,
            medium_threshold=10,
            callout_window_months=12,
            escalation_callouts=3,
            assessed_at=assessed_at,
            assessor=assessor,
        )


def marac_row(case: Case, referred_on: date, *, repeat: bool, created_by: User) -> MaracReferral:
    with scopes_disabled():
        return MaracReferral.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            area_code="E07000110",
            referred_on=referred_on,
            sharing_basis="consent",
            is_repeat=repeat,
            created_by=created_by,
        )


def request_row(
    case: Case,
    scheme: Scheme,
    officer: User,
    *,
    created_at: datetime,
    approved_after: timedelta | None = None,
    circulated_after: timedelta | None = None,
) -> MoveRequest:
    approved_at = None if approved_after is None else created_at + approved_after
    circulated_at = None if circulated_after is None or approved_at is None else approved_at + circulated_after
    with scopes_disabled():
        return MoveRequest.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            scheme=scheme,
            reference=f"TR-{next(_numbers)}",
            status="circulated" if circulated_at else ("approved" if approved_at else "draft"),
            nominating_officer=officer,
            bedrooms_needed=2,
            created_by=officer,
            created_at=created_at,
            approved_at=approved_at,
            circulated_at=circulated_at,
        )


def offer_row(
    request: MoveRequest,
    home: Home,
    officer: User,
    *,
    offered_at: datetime,
    status: str = "offered",
    decided_after: timedelta | None = None,
    refusal_reason: str = "",
) -> Offer:
    with scopes_disabled():
        return Offer.objects.create(
            organisation_id=home.organisation_id,
            request=request,
            referring_organisation_id=request.organisation_id,
            home=home,
            tenancy="2",
            status=status,
            offered_by=officer,
            offered_at=offered_at,
            expires_at=offered_at + timedelta(days=7),
            decided_at=None if decided_after is None else offered_at + decided_after,
            refusal_reason=refusal_reason,
        )


def move_row(
    offer: Offer,
    officer: User,
    *,
    move_date: date,
    old_tenure: str = "7",
    new_tenure: str = "2",
    starter: bool = False,
) -> Move:
    with scopes_disabled():
        return Move.objects.create(
            organisation_id=offer.organisation_id,
            referring_organisation_id=offer.referring_organisation_id,
            request_id=offer.request_id,
            offer=offer,
            home_id=offer.home_id,
            move_date=move_date,
            old_tenure=old_tenure,
            new_tenure=new_tenure,
            introductory_period_ends=move_date + timedelta(days=200) if starter else None,
            new_address="1 New Road",
            new_postcode="CT1 1AA",
            new_area_code="E07000106",
            recorded_by=officer,
            check_in_due_at=datetime.combine(move_date, datetime.min.time()).astimezone() + timedelta(days=14),
        )


def ledger_row(
    scheme: Scheme, organisation: Organisation, *, delta: int, bedrooms: int, posted_at: datetime, by: User
) -> LedgerEntry:
    with scopes_disabled():
        return LedgerEntry.objects.create(
            scheme=scheme,
            organisation=organisation,
            request_reference="TR-L",
            delta=delta,
            bedrooms=bedrooms,
            reason="move_in" if delta > 0 else "move_out",
            posted_by=by,
            posted_at=posted_at,
        )


def perpetrator_row(case: Case, *, joint_tenant: bool, relationship: str = "ex_partner") -> Perpetrator:
    with scopes_disabled():
        return Perpetrator.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            name="Test Perpetrator",
            relationship=relationship,
            joint_tenant=joint_tenant,
        )


def rows(table: Any) -> dict[str, tuple[Any, ...]]:
    """A table's rows keyed by their first cell."""
    return {str(row[0]): tuple(row[1:]) for row in table.rows}


def six_requests_one_moved(world: World) -> World:
    """A's officer's six cases of February 2026, each with a request approved and circulated a
    day apart; the first is offered B's home and moved on 1 March."""
    home = make_home(world.b)
    for day in range(1, 7):
        case = case_row(
            world.a.organisation, received_at=datetime(2026, 2, day, 9, tzinfo=UTC), officer=world.a[Role.OFFICER]
        )
        request = request_row(
            case, world.scheme, world.a[Role.MANAGER], created_at=case.received_at,
            approved_after=timedelta(days=1), circulated_after=timedelta(days=1),
        )  # fmt: skip
        if day == 1:
            assert request.circulated_at is not None
            offer = offer_row(
                request, home, world.b[Role.LETTINGS_OFFICER], offered_at=request.circulated_at, status="moved",
                decided_after=timedelta(days=1),
            )  # fmt: skip
            move_row(offer, world.b[Role.LETTINGS_OFFICER], move_date=date(2026, 3, 1))
    return world

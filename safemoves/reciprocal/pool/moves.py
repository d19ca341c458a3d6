"""Moves seen from either side (cross-landlord reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils import timezone

from safemoves.audit.services import record_event
from safemoves.cases.policies import can_view_case
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.reciprocal import policies
from safemoves.reciprocal.models import (
    Move,
)
from safemoves.reciprocal.pool.fits import _area_label


@dataclass(frozen=True)
class MoveView:
    id: UUID
    reference: str
    request_id: UUID
    offer_id: UUID
    move_date: date
    old_tenure: str
    new_tenure: str
    introductory_period_ends: date | None
    new_area: str
    # "" unless this member may see the protected address.
    new_address: str
    new_postcode: str
    check_in_due_at: datetime
    check_in_done_at: datetime | None
    is_rehousing_side: bool
    may_record_check_in: bool
    # The check-in is about her, not the home: her landlord's case workers only.
    check_in_outcome: str = ""
    check_in_notes: str = ""
    ledger_posted: bool = True


def get_move_view(membership: Membership, move_id: Any) -> MoveView:
    with scopes_disabled():
        move = Move.objects.filter(pk=move_id).select_related("request__case", "offer").first()
        if move is None:
            raise Http404
        case = move.request.case
        rehousing = move.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS
        referring = move.referring_organisation_id == membership.organisation_id and can_view_case(membership, case)
        if not rehousing and not referring:
            raise Http404
        # The protected address: the rehousing landlord's staff working it and the named officer.
        named_officer = referring and case.assigned_officer_id == membership.user_id
        shows_address = rehousing or named_officer
        if shows_address:
            # An audited read: atomic by itself (ADR 0036).
            record_event(
                action="reciprocal.protected_address_viewed",
                actor=membership.user,
                organisation_id=membership.organisation_id,
                object_type="move",
                object_id=move.pk,
            )
        return MoveView(
            id=move.pk,
            reference=move.request.reference,
            request_id=move.request_id,
            offer_id=move.offer_id,
            move_date=move.move_date,
            old_tenure=move.get_old_tenure_display(),
            new_tenure=move.get_new_tenure_display(),
            introductory_period_ends=move.introductory_period_ends,
            new_area=_area_label(move.new_area_code),
            new_address=move.new_address if shows_address else "",
            new_postcode=move.new_postcode if shows_address else "",
            check_in_due_at=move.check_in_due_at,
            check_in_done_at=move.check_in_done_at,
            is_rehousing_side=rehousing,
            may_record_check_in=referring
            and policies.can_work_request(membership, case)
            and move.check_in_done_at is None
            and move.move_date <= timezone.localdate(),
            check_in_outcome=move.get_check_in_outcome_display() if referring and move.check_in_outcome else "",
            check_in_notes=(move.check_in_notes or "")
            if referring and policies.can_work_request(membership, case)
            else "",
            ledger_posted=move.ledger_posted_at is not None,
        )


def get_move_for_check_in(membership: Membership, move_id: Any) -> Move:
    with scopes_disabled():
        move = Move.objects.filter(pk=move_id).select_related("request__case").first()
        if move is None or move.referring_organisation_id != membership.organisation_id:
            raise Http404
        if not policies.can_work_request(membership, move.request.case):
            raise Http404
        return move


# --- ledger ---------------------------------------------------------------------------------

"""The move: the new tenancy recorded, the follow-ups on her case, the ledger posted on the move
date, and the case officer's post-move check-in."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.common.clock import LONDON, due_after_working_days
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.properties.models import Home
from safemoves.properties.services import home_mark_let
from safemoves.reciprocal import notices
from safemoves.reciprocal.codes import (
    CheckInOutcome,
    OfferStatus,
    RequestStatus,
)
from safemoves.reciprocal.models import (
    IdentityRelease,
    Move,
    MoveRequest,
    Offer,
)
from safemoves.reciprocal.pool.services.base import (
    _case_event,
    _lock_offer,
    _lock_request,
    _move_to,
    _refresh_case_clock,
    _save_request,
)
from safemoves.reciprocal.pool.services.checks import _check_pair, check_tenure
from safemoves.reciprocal.pool.services.handover import handover_on_move
from safemoves.reciprocal.pool.services.ledger import ledger_post_move
from safemoves.reciprocal.pool.services.proposals import _decline_open_proposals
from safemoves.risk.models import MaracReferral
from safemoves.risk.selectors import marac_area_for
from safemoves.risk.services import marac_transfer
from safemoves.safety.catalogue import OLD_ADDRESS_FLAGS
from safemoves.safety.codes import ActionStatus
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import safety_action_create

POST_MOVE_CHECK_IN_WORKING_DAYS = 10


def _follow_ups(*, case: Case, move: Move, actor: User, owner: User) -> list[str]:
    """After the move, on her case: review of flags at the old address, and MARAC-to-MARAC
    transfer when she moved to another area."""

    done: list[str] = []
    move_start = datetime.combine(move.move_date, time(9, 0), tzinfo=LONDON)
    with organisation_scope(case.organisation_id):
        open_flags = SafetyAction.objects.filter(
            case=case, action_type__code=OLD_ADDRESS_FLAGS, status=ActionStatus.OPEN
        ).exists()
        if not open_flags and not case.is_closed:
            safety_action_create(case=case, actor=actor, type_code=OLD_ADDRESS_FLAGS, owner=owner, starts_at=move_start)
            done.append("old_address_flags")
        latest = MaracReferral.objects.filter(case=case, transferred_on__isnull=True).order_by("-referred_on").first()
        transferred_on = min(move.move_date, timezone.localdate())
        if latest is not None and latest.area_code != move.new_area_code and transferred_on >= latest.referred_on:
            marac_transfer(referral=latest, actor=actor, to_area_code=move.new_area_code, transferred_on=transferred_on)
            done.append("marac_transfer")
    return done


@audited("reciprocal.move_recorded", "reciprocal.moved", "reciprocal.case_handed_over", "reciprocal.proposal_declined")
@transaction.atomic
def move_record(*, offer: Offer, actor: User, move_date: date) -> Move:
    """The new tenancy, on the tenancy the offer was made on (same or better security, checked
    again), any introductory period carried over, the new address protected, the home let, the
    follow-ups set on her case, and the ledger posted on the move date (now, or by the tick)."""
    current = _lock_offer(offer)
    if current.status != OfferStatus.ACCEPTED:
        raise ValidationError("A move can be recorded only for an accepted offer.")
    with scopes_disabled():
        if not IdentityRelease.objects.filter(offer=current).exists():
            raise ValidationError("The identity has not been released to you yet: the referring landlord does that.")
    request = _lock_request(current.request)
    case = request.case
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("The case behind this request is closed.")
    if move_date < timezone.localdate(current.offered_at):
        raise ValidationError({"move_date": "The move date cannot be before the offer was made."})
    with scopes_disabled():
        home = Home.objects.get(pk=current.home_id)
    new_tenure = current.tenancy or home.tenancy_offered
    check_tenure(case.tenure, new_tenure)
    _check_pair(home=home, request=request, tenancy=new_tenure, stage="moved into", offer=current)

    with organisation_scope(case.organisation_id):
        old_area = marac_area_for(case)
    carried = case.introductory_period_ends
    move = Move(
        organisation_id=current.organisation_id,
        referring_organisation_id=request.organisation_id,
        request=request,
        offer=current,
        home=home,
        move_date=move_date,
        old_tenure=case.tenure,
        new_tenure=new_tenure,
        introductory_period_ends=carried if carried is not None and carried > move_date else None,
        new_address=home.address,
        new_postcode=home.postcode,
        new_area_code=home.area_code,
        old_area_code=old_area,
        recorded_by=actor,
        check_in_due_at=due_after_working_days(
            datetime.combine(move_date, time(9, 0), tzinfo=LONDON), POST_MOVE_CHECK_IN_WORKING_DAYS
        ),
    )
    with organisation_scope(current.organisation_id):
        move.save()
        home_mark_let(home=home, actor=actor)
        current.status = OfferStatus.MOVED
        current.save(update_fields=["status"])
    _move_to(request, RequestStatus.MOVED, "moved")
    _save_request(request, [])
    _decline_open_proposals(request, actor, reason="moved")
    if move_date <= timezone.localdate():
        _post_move_ledger(move, request=request, bedrooms=home.bedrooms, actor=actor)
    handover_on_move(move=move, offer=current, actor=actor)
    record_event(
        action="reciprocal.move_recorded",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="move",
        object_id=move.pk,
        fields=[
            "move_date",
            "new_tenure",
            "new_address",
            "new_postcode",
            "introductory_period_ends",
            "ledger_posted_at",
        ],
        reason=f"offer {current.pk}: tenure {case.tenure} to {new_tenure}",
    )
    owner = case.assigned_officer or request.nominating_officer
    follow_ups = _follow_ups(case=case, move=move, actor=actor, owner=owner)
    _case_event(
        request,
        action="reciprocal.moved",
        actor=actor,
        fields=["status"],
        reason=f"move {move.pk}; follow-ups: {', '.join(follow_ups) or 'none'}, check-in",
    )
    notices.move_recorded(request)
    _refresh_case_clock(case)
    return move


def _post_move_ledger(move: Move, *, request: MoveRequest, bedrooms: int, actor: User) -> None:
    ledger_post_move(
        scheme_id=request.scheme_id,
        move_id=move.pk,
        mover_organisation_id=request.organisation_id,
        rehousing_organisation_id=move.organisation_id,
        reference=request.reference,
        bedrooms=bedrooms,
        actor=actor,
    )
    move.ledger_posted_at = timezone.now()
    with organisation_scope(move.organisation_id):
        move.save(update_fields=["ledger_posted_at"])


@audited("reciprocal.move_ledger_posted")
def moves_post_ledger(*, today: date | None = None) -> int:
    """Post the ledger pair of each move whose date has come (run by the tick). Idempotent: a
    move is claimed under a row lock and marked posted in the same transaction."""
    today = today or timezone.localdate()
    with scopes_disabled():
        due = list(
            Move.objects.filter(ledger_posted_at__isnull=True, move_date__lte=today).values_list("pk", flat=True)
        )
    posted = 0
    for move_id in due:
        with transaction.atomic(), scopes_disabled():
            move = (
                Move.objects.select_for_update()
                .select_related("request", "recorded_by")
                .filter(pk=move_id, ledger_posted_at__isnull=True)
                .first()
            )
            if move is None:
                continue
            bedrooms = Home.objects.filter(pk=move.home_id).values_list("bedrooms", flat=True).get()
            _post_move_ledger(move, request=move.request, bedrooms=bedrooms, actor=move.recorded_by)
            record_event(
                action="reciprocal.move_ledger_posted",
                actor=None,
                organisation_id=move.organisation_id,
                object_type="move",
                object_id=move.pk,
                fields=["ledger_posted_at"],
                reason=f"move date {move.move_date.isoformat()}",
            )
            posted += 1
    return posted


@audited("reciprocal.check_in_done")
@transaction.atomic
def move_check_in(*, move: Move, actor: User, outcome: str, notes: str = "") -> None:
    """The case officer's post-move check-in: what was found (an outcome code, and notes kept
    encrypted), on or after the move date."""
    if outcome not in CheckInOutcome.values:
        raise ValidationError({"outcome": "Choose what the check-in found."})
    with scopes_disabled():
        current = Move.objects.select_for_update().select_related("request__case").get(pk=move.pk)
    if current.check_in_done_at is not None:
        raise ValidationError("The post-move check-in is already recorded.")
    if timezone.localdate() < current.move_date:
        raise ValidationError(
            f"The check-in cannot be recorded before the move on {current.move_date.strftime('%-d %B %Y')}."
        )
    with organisation_scope(current.organisation_id):
        current.check_in_done_at = timezone.now()
        current.check_in_done_by = actor
        current.check_in_outcome = outcome
        current.check_in_notes = notes.strip()
        current.save(update_fields=["check_in_done_at", "check_in_done_by", "check_in_outcome", "check_in_notes"])
    _case_event(
        current.request,
        action="reciprocal.check_in_done",
        actor=actor,
        fields=["check_in_done_at", "check_in_outcome", *(["check_in_notes"] if notes.strip() else [])],
        reason=outcome,
    )
    _refresh_case_clock(current.request.case)
    with scopes_disabled():  # the move may be the other landlord's row (row-level security, ADR 0020)
        move.refresh_from_db(fields=["check_in_done_at", "check_in_done_by"])

"""Viewings of an accepted home and the sign-up date (ADR 0028), recorded by the rehousing landlord
(the referring landlord records what happened at a viewing); each audited on both sides."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.reciprocal.codes import ViewingOutcome
from safemoves.reciprocal.models import Offer, SignUp, Viewing
from safemoves.reciprocal.pool.services.base import TEXT_LIMIT, _both_sides, _lock_offer_with_case
from safemoves.reciprocal.pool.services.checks import _stage_checks


@audited("reciprocal.viewing_arranged")
@transaction.atomic
def viewing_arrange(*, offer: Offer, actor: User, starts_at: datetime, place_note: str = "") -> Viewing:
    """The rehousing landlord arranges a viewing of the accepted home."""
    current = _lock_offer_with_case(offer)
    errors = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = "Enter a date and time for the viewing in the future."
    if len(place_note.strip()) > TEXT_LIMIT:
        errors["place_note"] = f"Keep the note to {TEXT_LIMIT} characters or fewer."
    if errors:
        raise ValidationError(errors)
    _stage_checks(current, "viewed")
    with organisation_scope(current.organisation_id):
        viewing = Viewing.objects.create(
            organisation_id=current.organisation_id,
            referring_organisation_id=current.referring_organisation_id,
            offer=current,
            starts_at=starts_at,
            place_note=place_note.strip(),
            arranged_by=actor,
        )
    _both_sides(
        current,
        action="reciprocal.viewing_arranged",
        actor=actor,
        object_type="viewing",
        object_id=viewing.pk,
        fields=["starts_at", *(["place_note"] if viewing.place_note else [])],
    )
    return viewing


@audited("reciprocal.viewing_attended", "reciprocal.viewing_not_attended", "reciprocal.viewing_cancelled")
@transaction.atomic
def viewing_outcome(*, viewing: Viewing, actor: User, outcome: str, referring_side: bool) -> None:
    """The referring landlord's officer records what happened (attended, did not attend) or
    cancels; the rehousing landlord may cancel only."""
    allowed = (
        (ViewingOutcome.ATTENDED, ViewingOutcome.NOT_ATTENDED, ViewingOutcome.CANCELLED)
        if referring_side
        else (ViewingOutcome.CANCELLED,)
    )
    if outcome not in allowed:
        raise ValidationError({"outcome": "Choose what happened at the viewing."})
    with scopes_disabled():
        current = Viewing.objects.select_for_update().select_related("offer__request").get(pk=viewing.pk)
    if current.outcome != ViewingOutcome.ARRANGED:
        raise ValidationError(f"This viewing is already recorded as {current.get_outcome_display().lower()}.")
    if outcome != ViewingOutcome.CANCELLED and current.starts_at > timezone.now():
        raise ValidationError("What happened at a viewing can be recorded only once its time has come.")
    with organisation_scope(current.organisation_id):
        current.outcome = outcome
        current.outcome_by = actor
        current.outcome_at = timezone.now()
        current.save(update_fields=["outcome", "outcome_by", "outcome_at"])
    # Each outcome's audit action is spelled out, so that a search for the action finds this writer.
    if outcome == ViewingOutcome.ATTENDED:
        _outcome_events(current, actor, action="reciprocal.viewing_attended")
    elif outcome == ViewingOutcome.NOT_ATTENDED:
        _outcome_events(current, actor, action="reciprocal.viewing_not_attended")
    else:
        _outcome_events(current, actor, action="reciprocal.viewing_cancelled")
    with scopes_disabled():  # the caller's copy may belong to the other landlord
        viewing.refresh_from_db()


def _outcome_events(viewing: Viewing, actor: User, *, action: str) -> None:
    _both_sides(
        viewing.offer, action=action, actor=actor, object_type="viewing", object_id=viewing.pk, fields=["outcome"]
    )


@audited("reciprocal.viewing_cancelled")
def viewings_cancel_for(offer: Offer, actor: User | None) -> None:
    """Called by ``offers`` when an offer ends without a move: its arranged viewings are cancelled."""
    with scopes_disabled():
        open_viewings = list(
            Viewing.objects.select_for_update().filter(offer_id=offer.pk, outcome=ViewingOutcome.ARRANGED)
        )
    for viewing in open_viewings:
        with organisation_scope(viewing.organisation_id):
            viewing.outcome = ViewingOutcome.CANCELLED
            viewing.outcome_by = actor
            viewing.outcome_at = timezone.now()
            viewing.save(update_fields=["outcome", "outcome_by", "outcome_at"])
        record_event(
            action="reciprocal.viewing_cancelled",
            actor=actor,
            organisation_id=viewing.organisation_id,
            object_type="viewing",
            object_id=viewing.pk,
            fields=["outcome"],
            reason=f"offer {offer.pk} {offer.status}",
        )


@audited("reciprocal.sign_up_recorded")
@transaction.atomic
def sign_up_record(*, offer: Offer, actor: User, sign_up_on: date) -> SignUp:
    """The date the new tenancy is signed, recorded (or moved) by the rehousing landlord."""
    current = _lock_offer_with_case(offer)
    if sign_up_on < timezone.localdate(current.offered_at):
        raise ValidationError({"sign_up_on": "The sign-up date cannot be before the offer was made."})
    _stage_checks(current, "signed up for")
    with organisation_scope(current.organisation_id):
        existing = SignUp.objects.filter(offer=current).first()
        if existing is not None and existing.sign_up_on == sign_up_on:
            return existing
        if existing is None:
            sign_up = SignUp.objects.create(
                organisation_id=current.organisation_id, offer=current, sign_up_on=sign_up_on, recorded_by=actor
            )
        else:
            sign_up = existing
            sign_up.sign_up_on = sign_up_on
            sign_up.recorded_by = actor
            sign_up.recorded_at = timezone.now()
            sign_up.save(update_fields=["sign_up_on", "recorded_by", "recorded_at"])
    _both_sides(
        current,
        action="reciprocal.sign_up_recorded",
        actor=actor,
        object_type="sign_up",
        object_id=sign_up.pk,
        fields=["sign_up_on"],
    )
    return sign_up

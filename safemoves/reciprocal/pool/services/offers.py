"""Offers of a home to a request: made, decided, withdrawn, expired; and the release of her
identity to the rehousing landlord once she has accepted."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.cases.codes import ConsentPurpose
from safemoves.cases.services import consent_in_force
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.properties.services import home_set_offer_status
from safemoves.reciprocal import notices
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    OfferStatus,
    RefusalReason,
    RequestStatus,
    UnreasonableRefusal,
)
from safemoves.reciprocal.models import (
    IdentityRelease,
    MoveRequest,
    Offer,
)
from safemoves.reciprocal.pool.access import policy_in_force
from safemoves.reciprocal.pool.services.base import (
    _case_event,
    _lock_offer,
    _lock_request,
    _move_to,
    _refresh_case_clock,
    _reload,
    _save_request,
)
from safemoves.reciprocal.pool.services.checks import (
    _check_offerable,
    _check_pair,
    _count_fit_check,
    _home_landlord_staff,
)
from safemoves.reciprocal.pool.services.viewings import viewings_cancel_for


def _close_offer(offer: Offer, status: str, actor: User | None, **decision: Any) -> None:
    """End a live offer; its home returns to the pool."""
    with organisation_scope(offer.organisation_id):
        offer.status = status
        offer.decided_at = timezone.now()
        offer.decided_by = actor
        for name, value in decision.items():
            setattr(offer, name, value)
        offer.save(update_fields=["status", "decided_at", "decided_by", *decision])
    with scopes_disabled():
        home = Home.objects.get(pk=offer.home_id)
    if home.status == HomeStatus.OFFERED:
        home_set_offer_status(home=home, status=HomeStatus.AVAILABLE, actor=actor, expected=(HomeStatus.OFFERED,))
    viewings_cancel_for(offer, actor)
    record_event(
        action=f"reciprocal.offer_{status}",
        actor=actor,
        organisation_id=offer.organisation_id,
        object_type="offer",
        object_id=offer.pk,
        fields=["status", *decision],
        reason=str(decision.get("refusal_reason", "")),
    )


def _back_to_pool(request: MoveRequest, *, review: bool = False) -> None:
    """After an offer ends: a request with no live offer left circulates again, or, after an
    unreasonable refusal when the scheme's policy says so, returns to its landlord for review."""
    with scopes_disabled():
        live = Offer.objects.filter(request_id=request.pk, status__in=LIVE_OFFER_STATUSES).exists()
    if not live and request.status in (RequestStatus.OFFERED, RequestStatus.ACCEPTED):
        if review and request.status == RequestStatus.OFFERED:
            _move_to(request, RequestStatus.REVIEW, "returned for review")
        else:
            _move_to(request, RequestStatus.CIRCULATED, "returned to circulation")
        _save_request(request, [])


def _end_live_offers(request: MoveRequest, actor: User | None, *, keep: Offer | None = None) -> list[str]:
    ended = []
    with scopes_disabled():
        live = list(Offer.objects.select_for_update().filter(request_id=request.pk, status__in=LIVE_OFFER_STATUSES))
    for offer in live:
        if keep is not None and offer.pk == keep.pk:
            continue
        _close_offer(offer, OfferStatus.WITHDRAWN, actor)
        ended.append(str(offer.pk))
    return ended


@audited("reciprocal.offer_made", "reciprocal.offer_received")
def offer_create(*, actor: User, home: Home, request: MoveRequest) -> Offer:
    """Offer ``home`` to a circulated request, by the home's own lettings staff or a coordinator
    employed by the home's landlord (a coordinator proposes other members' homes instead)."""
    if not _home_landlord_staff(actor, home):
        raise ValidationError(
            {"home": "Only the home's own landlord can offer it; propose it to that landlord instead."}
        )
    _count_fit_check(actor=actor, home=home, request=request)
    return _offer_create(actor=actor, home=home, request=request)


@transaction.atomic
def _offer_create(*, actor: User, home: Home, request: MoveRequest) -> Offer:
    with organisation_scope(home.organisation_id):
        current_home = Home.objects.select_for_update().get(pk=home.pk)
    current = _lock_request(request)
    policy = _check_offerable(home=current_home, request=current)
    with organisation_scope(current_home.organisation_id):
        offer = Offer.objects.create(
            organisation_id=current_home.organisation_id,
            request=current,
            referring_organisation_id=current.organisation_id,
            home=current_home,
            tenancy=current_home.tenancy_offered,
            offered_by=actor,
            expires_at=timezone.now() + timedelta(days=policy.offer_expiry_days),
        )
    home_set_offer_status(home=current_home, status=HomeStatus.OFFERED, actor=actor, expected=(HomeStatus.AVAILABLE,))
    if current.status == RequestStatus.CIRCULATED:
        _move_to(current, RequestStatus.OFFERED, "offered a home")
        _save_request(current, [])
    record_event(
        action="reciprocal.offer_made",
        actor=actor,
        organisation_id=current_home.organisation_id,
        object_type="offer",
        object_id=offer.pk,
        fields=["home", "tenancy", "expires_at"],
        reason=f"request {current.reference}",
    )
    _case_event(current, action="reciprocal.offer_received", actor=actor, fields=["status"], reason=f"offer {offer.pk}")
    notices.offer_received(current)
    _refresh_case_clock(current.case)
    _reload(request)
    home.refresh_from_db()
    return offer


@audited(
    "reciprocal.offer_accepted",
    "reciprocal.offer_refused",
    "reciprocal.offer_withdrawn",
    "reciprocal.viewing_cancelled",
)
@transaction.atomic
def offer_decide(
    *,
    offer: Offer,
    actor: User,
    accepted: bool,
    refusal_reason: str = "",
    reasonable_refusal: bool | None = None,
) -> None:
    """Record her decision, through the nominating officer. A refusal needs its reason code and
    whether it was reasonable; the home then returns to the pool."""
    current = _lock_offer(offer)
    if current.status != OfferStatus.OFFERED:
        raise ValidationError(f"This offer is {current.get_status_display().lower()}: there is nothing to decide.")
    if current.expires_at <= timezone.now():
        raise ValidationError("This offer expired before the tenant's decision was recorded.")
    request = _lock_request(current.request)
    if accepted:
        _move_to(request, RequestStatus.ACCEPTED, "accepted")
        with scopes_disabled():
            home = Home.objects.get(pk=current.home_id)
        _check_pair(
            home=home, request=request, tenancy=current.tenancy or home.tenancy_offered, stage="accepted", offer=current
        )
        with organisation_scope(current.organisation_id):
            current.status = OfferStatus.ACCEPTED
            current.decided_at = timezone.now()
            current.decided_by = actor
            current.save(update_fields=["status", "decided_at", "decided_by"])
        _end_live_offers(request, actor, keep=current)
        _save_request(request, [])
        record_event(
            action="reciprocal.offer_accepted",
            actor=actor,
            organisation_id=current.organisation_id,
            object_type="offer",
            object_id=current.pk,
            fields=["status"],
        )
        _case_event(
            request, action="reciprocal.offer_accepted", actor=actor, fields=["status"], reason=f"offer {current.pk}"
        )
    else:
        errors = {}
        if refusal_reason not in RefusalReason.values:
            errors["refusal_reason"] = "Choose why the offer was refused."
        if reasonable_refusal is None:
            errors["reasonable_refusal"] = "Say whether the refusal was reasonable."
        if errors:
            raise ValidationError(errors)
        _close_offer(
            current, OfferStatus.REFUSED, actor, refusal_reason=refusal_reason, reasonable_refusal=reasonable_refusal
        )
        policy = policy_in_force(request.scheme_id)
        _back_to_pool(
            request, review=not reasonable_refusal and policy.unreasonable_refusal == UnreasonableRefusal.REVIEW
        )
        _case_event(
            request,
            action="reciprocal.offer_refused",
            actor=actor,
            fields=["refusal_reason", "reasonable_refusal"],
            reason=f"offer {current.pk}: {refusal_reason}{'' if reasonable_refusal else ', unreasonable'}",
        )
    notices.offer_answered(current, request)
    _refresh_case_clock(request.case)
    _reload(offer)


@audited("reciprocal.offer_withdrawn", "reciprocal.viewing_cancelled")
@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: User) -> None:
    """The offering landlord takes the home back (before the move); the request circulates again."""
    current = _lock_offer(offer)
    if current.status not in LIVE_OFFER_STATUSES:
        raise ValidationError(f"This offer is {current.get_status_display().lower()} and cannot be withdrawn.")
    request = _lock_request(current.request)
    _close_offer(current, OfferStatus.WITHDRAWN, actor)
    _back_to_pool(request)
    _case_event(
        request, action="reciprocal.offer_withdrawn", actor=actor, fields=["status"], reason=f"offer {current.pk}"
    )
    _refresh_case_clock(request.case)
    _reload(offer)


@audited("reciprocal.offer_expired", "reciprocal.viewing_cancelled")
@transaction.atomic
def offers_expire(*, now: datetime | None = None) -> int:
    """Expire offers past their deadline (run by the scheduler); their homes return to the pool."""
    now = now or timezone.now()
    # Every landlord's offers, and the requests they answer: the scheduler has no scope, and
    # the database shows these rows only to the explicit mechanism (row-level security, ADR 0020).
    with scopes_disabled():
        due = list(Offer.objects.select_for_update().filter(status=OfferStatus.OFFERED, expires_at__lte=now))
        for offer in due:
            _close_offer(offer, OfferStatus.EXPIRED, None)
            request = _lock_request(offer.request)
            _back_to_pool(request)
            _case_event(
                request, action="reciprocal.offer_expired", actor=None, fields=["status"], reason=f"offer {offer.pk}"
            )
            _refresh_case_clock(request.case)
    return len(due)


@audited("reciprocal.identity_released")
@transaction.atomic
def identity_release(*, offer: Offer, actor: User) -> IdentityRelease:
    """Release her name and safe contact route to the rehousing landlord: only for an accepted
    offer and with her consent to sharing with the scheme in force."""
    current = _lock_offer(offer)
    if current.status != OfferStatus.ACCEPTED:
        raise ValidationError("The identity can be released only once the tenant has accepted the offer.")
    case = current.request.case
    with organisation_scope(case.organisation_id):
        consent = consent_in_force(case, ConsentPurpose.SCHEME_SHARING)
    if consent is None:
        raise ValidationError(
            "Record the tenant's consent to sharing with the reciprocal scheme on the case first: "
            "without it the identity cannot be released."
        )
    with scopes_disabled():
        if IdentityRelease.objects.filter(offer=current).exists():
            raise ValidationError("The identity has already been released for this offer.")
    with organisation_scope(current.organisation_id):
        release = IdentityRelease.objects.create(
            organisation_id=current.organisation_id, offer=current, consent=consent, released_by=actor
        )
    _case_event(
        current.request,
        action="reciprocal.identity_released",
        actor=actor,
        fields=["lead_name", "contact_rules"],
        reason=f"offer {current.pk}, consent {consent.pk}",
    )
    record_event(
        action="reciprocal.identity_released",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="offer",
        object_id=current.pk,
        reason=f"consent {consent.pk}",
    )
    notices.identity_released(current, current.request)
    return release

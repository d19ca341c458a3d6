"""Writes of the reciprocal scheme. Each transition is one service: atomic, validated before
writing, refused with the reason when illegal, and audited in the same transaction (ids,
codes and field names only).

A scheme transition touches two landlords (the referring one and the offering one); each
side's rows are written inside that landlord's own organisation scope, explicitly.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.services import record_event
from safemoves.cases.codes import TENURE_SECURITY, CaseStatus, ConsentPurpose, CoreTenancy
from safemoves.cases.models import Case
from safemoves.cases.services import consent_in_force, refresh_next_due
from safemoves.common.clock import LONDON, due_after_working_days
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.importing import MAX_BEDROOMS
from safemoves.properties.models import Home
from safemoves.properties.services import home_mark_let, home_set_offer_status
from safemoves.reciprocal import notices, pool, probing
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    LIVE_STATUSES,
    POOL_STATUSES,
    REQUEST_TRANSITIONS,
    AccessNeed,
    CheckInOutcome,
    EndReason,
    LedgerReason,
    OfferStatus,
    ProposalStatus,
    RefusalReason,
    RequestStatus,
    UnreasonableRefusal,
)
from safemoves.reciprocal.models import (
    IdentityRelease,
    LedgerEntry,
    Move,
    MoveRequest,
    Offer,
    OfferProposal,
    SchemePolicy,
    SharedProfile,
)
from safemoves.reciprocal.policies import HOME_OFFERERS
from safemoves.reciprocal.profile import build_profile
from safemoves.risk.models import MaracReferral
from safemoves.risk.selectors import marac_area_for
from safemoves.risk.services import marac_transfer
from safemoves.safety.catalogue import OLD_ADDRESS_FLAGS
from safemoves.safety.codes import ActionStatus, Option
from safemoves.safety.models import SafetyAction
from safemoves.safety.selectors import appraisal_for_matching
from safemoves.safety.services import safety_action_create

# No 0/O, 1/I/L or 5/S: a code read out on the phone must not be misheard.
REFERENCE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
REFERENCE_PREFIX = "KMR-"
POST_MOVE_CHECK_IN_WORKING_DAYS = 10
POLICY_LIMITS = {
    "live_offer_limit": (1, 5),
    "minimum_areas": (1, 20),
    "offer_expiry_days": (1, 60),
    "circulation_working_days": (1, 30),
    "max_offers": (1, 10),
    "waiting_alert_days": (1, 365),
}
POLICY_CHOICES = {"unreasonable_refusal": UnreasonableRefusal}


def new_reference() -> str:
    """A random, non-sequential reference such as KMR-7Q4K9, unused so far."""
    with scopes_disabled():
        while True:
            code = REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))
            if not MoveRequest.objects.filter(reference=code).exists():
                return code


def _label(status: str) -> str:
    return RequestStatus(status).label.lower()


def _lock_request(request: MoveRequest) -> MoveRequest:
    with scopes_disabled():
        return MoveRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


def _move_to(current: MoveRequest, target: str, doing: str) -> None:
    if target not in REQUEST_TRANSITIONS[RequestStatus(current.status)]:
        raise ValidationError(f"A request that is {_label(current.status)} cannot be {doing}.")
    current.status = target
    current.status_changed_at = timezone.now()


def _save_request(request: MoveRequest, fields: list[str]) -> None:
    with organisation_scope(request.organisation_id):
        request.save(update_fields=[*fields, "status", "status_changed_at"])


def _case_event(request: MoveRequest, *, action: str, actor: User | None, fields: list[str], reason: str) -> None:
    record_event(
        action=action,
        actor=actor,
        organisation_id=request.organisation_id,
        object_type="case",
        object_id=request.case_id,
        fields=fields,
        reason=f"move request {request.pk}: {reason}" if reason else f"move request {request.pk}",
    )


def _refresh_case_clock(case: Case) -> None:
    with organisation_scope(case.organisation_id):
        refresh_next_due(case)


def _scheme_for(organisation_id: int) -> int:
    schemes = pool.member_scheme_ids(organisation_id)
    if not schemes:
        raise ValidationError("Your landlord is not an active member of a reciprocal scheme.")
    return schemes[0]


def _check_appraisal(case: Case, scheme_id: int) -> dict[str, Any]:
    places = appraisal_for_matching(case)
    errors: dict[str, str] = {}
    if places["decision"] != Option.RECIPROCAL:
        errors["case"] = "The options appraisal must choose a reciprocal move before a request can be raised."
    minimum = pool.policy_in_force(scheme_id).minimum_areas
    if len(places["areas"]) < minimum:
        chosen = len(places["areas"])
        errors["safe_areas"] = (
            f"{chosen or 'No'} safe district{'s' if chosen != 1 else ''} chosen; the scheme needs at least "
            f"{minimum}. A request circulates only to members with homes in the districts (council areas) "
            f"the household could live in safely, so it names at least {minimum} of them to reach enough "
            "landlords. Add them as areas to live near on the case's options appraisal."
        )
    if not case.tenure:
        errors["tenure"] = "Record the tenant's current tenure on the case: the new tenancy must be as secure."
    if errors:
        raise ValidationError(errors)
    return places


# --- move requests ---------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *, membership: Membership, case: Case, bedrooms_needed: int, access_need: str, pets: bool, urgent: bool
) -> MoveRequest:
    """A draft request from a case whose options appraisal chose a reciprocal move."""
    if case.is_closed:
        raise ValidationError("This case is closed.")
    if not 1 <= bedrooms_needed <= MAX_BEDROOMS:
        raise ValidationError({"bedrooms_needed": f"Enter a number of bedrooms from 1 to {MAX_BEDROOMS}."})
    if access_need not in AccessNeed.values:
        raise ValidationError({"access_need": "Choose the household's access need from the list."})
    scheme_id = _scheme_for(case.organisation_id)
    _check_appraisal(case, scheme_id)
    if MoveRequest.objects.filter(case=case, status__in=LIVE_STATUSES).exists():
        raise ValidationError("This case already has a move request in progress.")
    request = MoveRequest.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        scheme_id=scheme_id,
        reference=new_reference(),
        nominating_officer=case.assigned_officer or membership.user,
        bedrooms_needed=bedrooms_needed,
        access_need=access_need,
        pets=pets,
        urgent=urgent,
        created_by=membership.user,
    )
    _case_event(
        request,
        action="reciprocal.request_created",
        actor=membership.user,
        fields=["bedrooms_needed", "access_need", "pets", "urgent"],
        reason="draft",
    )
    return request


def _snapshot(request: MoveRequest) -> None:
    with organisation_scope(request.organisation_id):
        data = build_profile(request)
        SharedProfile.objects.filter(request=request).delete()
        SharedProfile.objects.create(organisation_id=request.organisation_id, request=request, data=data)


@transaction.atomic
def request_approve(*, request: MoveRequest, actor: User) -> None:
    """The landlord's lead approves: the anonymised profile is taken and the circulation clock starts."""
    current = _lock_request(request)
    _move_to(current, RequestStatus.APPROVED, "approved")
    with organisation_scope(current.organisation_id):
        _check_appraisal(current.case, current.scheme_id)
    now = timezone.now()
    current.approved_by = actor
    current.approved_at = now
    days = pool.policy_in_force(current.scheme_id).circulation_working_days
    current.circulation_due_at = due_after_working_days(now, days)
    _save_request(current, ["approved_by", "approved_at", "circulation_due_at"])
    _snapshot(current)
    _case_event(current, action="reciprocal.request_approved", actor=actor, fields=["status"], reason="approved")
    _refresh_case_clock(current.case)
    _reload(request)


@transaction.atomic
def request_circulate(*, request: MoveRequest, actor: User) -> None:
    """Send the request to the members with stock in her safe areas, with a fresh profile."""
    current = _lock_request(request)
    _move_to(current, RequestStatus.CIRCULATED, "circulated")
    with organisation_scope(current.organisation_id):
        _check_appraisal(current.case, current.scheme_id)
        consent = consent_in_force(current.case, ConsentPurpose.SCHEME_SHARING)
    if consent is None:
        raise ValidationError(
            "No consent to sharing with the reciprocal scheme is in force for this case. Record the "
            "tenant's consent, or the lawful basis for sharing without it, on the case before circulating."
        )
    current.circulated_at = timezone.now()
    _save_request(current, ["circulated_at"])
    _snapshot(current)
    _case_event(
        current,
        action="reciprocal.request_circulated",
        actor=actor,
        fields=["status"],
        reason=f"circulated on consent {consent.pk} ({consent.basis})",
    )
    _refresh_case_clock(current.case)
    _reload(request)


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


def _end(request: MoveRequest, actor: User, reason: str, target: str, doing: str, *, by_case: bool = False) -> None:
    # "The case was closed" is set only by closing the case, never chosen.
    if reason not in EndReason.values or (reason == EndReason.CASE_CLOSED and not by_case):
        raise ValidationError({"reason": "Choose why the request ends."})
    current = _lock_request(request)
    _move_to(current, target, doing)
    current.end_reason = reason
    _end_live_offers(current, actor)
    _save_request(current, ["end_reason"])
    _case_event(
        current, action=f"reciprocal.request_{target}", actor=actor, fields=["status", "end_reason"], reason=reason
    )
    _refresh_case_clock(current.case)
    _reload(request)


@transaction.atomic
def request_withdraw(*, request: MoveRequest, actor: User, reason: str) -> None:
    """The referring landlord withdraws the request; any live offer ends and its home returns to the pool."""
    _end(request, actor, reason, RequestStatus.WITHDRAWN, "withdrawn")


@transaction.atomic
def request_close(*, request: MoveRequest, actor: User, reason: str) -> None:
    """Close a circulated request without a move (for example no suitable home in the time agreed)."""
    _end(request, actor, reason, RequestStatus.CLOSED, "closed")


def case_closed(case: Case, actor: User) -> None:
    """Close hook of the cases app (``extensions.register_close_hook``), inside ``case_close``'s
    transaction: the case's live request leaves the pool and its live offers are withdrawn
    (their homes go back to the pool); open proposals on it are declined."""
    with scopes_disabled():
        live = list(MoveRequest.objects.filter(case_id=case.pk, status__in=LIVE_STATUSES))
    for request in live:
        _end(request, actor, EndReason.CASE_CLOSED, RequestStatus.WITHDRAWN, "withdrawn", by_case=True)
        with scopes_disabled():
            open_proposals = list(OfferProposal.objects.filter(request_id=request.pk, status=ProposalStatus.PROPOSED))
        for proposal in open_proposals:
            _end_proposal(proposal, ProposalStatus.DECLINED, actor, reason="case closed")


# --- offers ---------------------------------------------------------------------------------


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
    from safemoves.reciprocal.moving import viewings_cancel_for  # noqa: PLC0415 - moving imports services

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


def _tenure_error(old: str, new: str) -> str | None:
    """Why a tenancy ``new`` does not keep her security of tenure ``old``, or None if it does."""
    if old not in TENURE_SECURITY:
        return "The tenant's current tenure is not recorded on the case."
    if new not in TENURE_SECURITY:
        return "The home does not record the tenancy it is let on."
    if TENURE_SECURITY[new] < TENURE_SECURITY[old]:
        return (
            f"A {CoreTenancy(new).label.lower()} tenancy is less secure than the current "
            f"{CoreTenancy(old).label.lower()} tenancy: the tenant must keep the same security of tenure or better."
        )
    return None


def _check_pair(*, home: Home, request: MoveRequest, tenancy: str, stage: str, offer: Offer | None = None) -> None:
    """Every rule of a home for a request, checked again at each step (offer, acceptance, move).

    Tenure and "refused before" are checked here directly, so each holds even if the fit
    computation changes; the rest is the engine's fit. A refusal names the rule that failed
    and never a place or a distance.
    """
    tenure_problem = _tenure_error(request.case.tenure, tenancy)
    if tenure_problem is not None:
        raise ValidationError({"home": f"Tenure rule: {tenure_problem}"})
    with scopes_disabled():
        refused = Offer.objects.filter(request_id=request.pk, home_id=home.pk, status=OfferStatus.REFUSED)
        if offer is not None:
            refused = refused.exclude(pk=offer.pk)
        refused_before = refused.exists()
    if refused_before:
        raise ValidationError(
            {"home": f"Refused-before rule: the household refused this home before; it cannot be {stage}."}
        )
    if not pool.home_fits_request(home, request):
        raise ValidationError(
            {
                "home": f"Fit rule: this home no longer fits the request (size, access, pets, areas or safety); "
                f"it cannot be {stage}."
            }
        )


def _offers_used(request_id: Any) -> int:
    """Offers that count against the scheme's total per request: all but those the landlord withdrew."""
    with scopes_disabled():
        return Offer.objects.filter(request_id=request_id).exclude(status=OfferStatus.WITHDRAWN).count()


def _check_offerable(*, home: Home, request: MoveRequest) -> SchemePolicy:
    """Everything an offer of ``home`` to ``request`` needs, before anything is written."""
    if request.status not in POOL_STATUSES:
        raise ValidationError(f"A request that is {_label(request.status)} cannot receive an offer.")
    if request.case.status == CaseStatus.CLOSED:
        raise ValidationError("The case behind this request is closed.")
    if home.status != HomeStatus.AVAILABLE:
        raise ValidationError({"home": f"This home is {home.get_status_display().lower()}."})
    if home.organisation_id == request.organisation_id:
        raise ValidationError({"home": "A request cannot be offered a home of its own landlord."})
    policy = pool.policy_in_force(request.scheme_id)
    with scopes_disabled():
        live = Offer.objects.filter(request_id=request.pk, status__in=LIVE_OFFER_STATUSES).count()
    if live >= policy.live_offer_limit:
        raise ValidationError(
            f"This request already has {live} live offer{'s' if live != 1 else ''}; "
            f"the scheme allows {policy.live_offer_limit} at a time."
        )
    used = _offers_used(request.pk)
    if used >= policy.max_offers:
        raise ValidationError(
            f"This request has had {used} offer{'s' if used != 1 else ''}; "
            f"the scheme allows {policy.max_offers} in total."
        )
    _check_pair(home=home, request=request, tenancy=home.tenancy_offered, stage="offered")
    return policy


def _home_landlord_staff(actor: User, home: Home) -> bool:
    """Only the home's own landlord commits its home: its lettings staff, or its coordinator."""
    with scopes_disabled():
        membership = Membership.objects.filter(user_id=actor.pk, is_active=True).first()
    return (
        membership is not None
        and membership.organisation_id == home.organisation_id
        and membership.role in (HOME_OFFERERS | {Role.COORDINATOR})
    )


def offer_create(*, actor: User, home: Home, request: MoveRequest) -> Offer:
    """Offer ``home`` to a circulated request, by the home's own lettings staff or a coordinator
    employed by the home's landlord (a coordinator proposes other members' homes instead)."""
    if not _home_landlord_staff(actor, home):
        raise ValidationError(
            {"home": "Only the home's own landlord can offer it; propose it to that landlord instead."}
        )
    _count_fit_check(actor=actor, home=home, request=request)
    return _offer_create(actor=actor, home=home, request=request)


def _count_fit_check(*, actor: User, home: Home, request: MoveRequest) -> None:
    """An offer answers "does this home fit?" as surely as the matching page does, so it counts
    against the same per-landlord limit (ADR 0012). The check is recorded in its own
    transaction: an offer refused by the fit rule still counts."""
    if home.organisation_id == request.organisation_id:
        return
    with transaction.atomic():
        allowed = probing.fit_check_allowed(
            request=request, home_id=home.pk, home_organisation_id=home.organisation_id, actor=actor
        )
    if not allowed:
        raise ValidationError(
            {
                "home": "Limit rule: your landlord has checked as many homes against this request as the "
                "scheme allows in the period; it cannot be offered another now."
            }
        )


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


def _reload(row: models.Model) -> None:
    """Reload a row this service changed. It may be the other landlord's (an offer seen from the
    requesting side, a request from the offering side), which the database's row-level security
    shows only to the explicit cross-organisation mechanism (ADR 0020)."""
    with scopes_disabled():
        row.refresh_from_db()


def _lock_offer(offer: Offer) -> Offer:
    with scopes_disabled():
        return Offer.objects.select_for_update().select_related("request").get(pk=offer.pk)


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
        policy = pool.policy_in_force(request.scheme_id)
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


# --- moves and the ledger ------------------------------------------------------------------


def check_tenure(old: str, new: str) -> None:
    """The new tenure must be as secure as the old one, or more."""
    problem = _tenure_error(old, new)
    if problem is not None:
        raise ValidationError({"new_tenure": problem})


def ledger_post_move(
    *,
    scheme_id: int,
    move_id: Any,
    mover_organisation_id: int,
    rehousing_organisation_id: int,
    reference: str,
    bedrooms: int,
    actor: User,
) -> list[LedgerEntry]:
    """The pair of entries of one move: the mover's landlord owes the pool a home (-1), the
    rehousing landlord is owed one (+1). Called inside ``move_record``'s transaction."""
    if mover_organisation_id == rehousing_organisation_id:
        raise ValidationError("A move within one landlord's stock does not go through the ledger.")
    with scopes_disabled():
        return [
            LedgerEntry.objects.create(
                scheme_id=scheme_id,
                organisation_id=organisation_id,
                move_id=move_id,
                request_reference=reference,
                delta=delta,
                bedrooms=bedrooms,
                reason=reason,
                posted_by=actor,
            )
            for organisation_id, delta, reason in (
                (mover_organisation_id, -1, LedgerReason.MOVE_OUT),
                (rehousing_organisation_id, 1, LedgerReason.MOVE_IN),
            )
        ]


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
    if move_date <= timezone.localdate():
        _post_move_ledger(move, request=request, bedrooms=home.bedrooms, actor=actor)
    from safemoves.reciprocal.moving import handover_on_move  # noqa: PLC0415 - moving imports services

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


@transaction.atomic
def ledger_correct(*, entry: LedgerEntry, actor: User) -> list[LedgerEntry]:
    """Reverse a move's pair of entries with two new ones; nothing is ever edited or deleted."""
    with scopes_disabled():
        if entry.reason == LedgerReason.CORRECTION:
            raise ValidationError("A correction cannot itself be corrected; post the move again instead.")
        pair = list(
            LedgerEntry.objects.select_for_update()
            .filter(scheme_id=entry.scheme_id, move_id=entry.move_id, correction_of__isnull=True)
            .exclude(reason=LedgerReason.CORRECTION)
        )
        if LedgerEntry.objects.filter(correction_of__in=pair).exists():
            raise ValidationError("This move's entries have already been corrected.")
        corrections = [
            LedgerEntry.objects.create(
                scheme_id=original.scheme_id,
                organisation_id=original.organisation_id,
                move_id=original.move_id,
                request_reference=original.request_reference,
                delta=-original.delta,
                bedrooms=original.bedrooms,
                reason=LedgerReason.CORRECTION,
                correction_of=original,
                posted_by=actor,
            )
            for original in pair
        ]
    for correction in corrections:
        record_event(
            action="reciprocal.ledger_corrected",
            actor=actor,
            organisation_id=correction.organisation_id,
            object_type="ledger_entry",
            object_id=correction.pk,
            fields=["delta"],
            reason=f"corrects entry {correction.correction_of_id}",
        )
    return corrections


@transaction.atomic
def policy_update(*, membership: Membership, values: dict[str, int | str]) -> SchemePolicy:
    """A new version of the scheme's policy (the coordinator's edit); the old versions stay."""
    if membership.role != Role.COORDINATOR:
        raise ValidationError("Only the scheme coordinator can change the scheme policy.")
    scheme_id = _scheme_for(membership.organisation_id)
    errors = {}
    for name, (low, high) in POLICY_LIMITS.items():
        value = values.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"Enter a whole number from {low} to {high}."
    for name, choices in POLICY_CHOICES.items():
        if values.get(name) not in choices.values:
            errors[name] = "Choose one of the options."
    if errors:
        raise ValidationError(errors)
    previous = pool.policy_in_force(scheme_id)
    names = [*POLICY_LIMITS, *POLICY_CHOICES]
    changed = [name for name in names if getattr(previous, name) != values[name]]
    if not changed:
        return previous
    version = (SchemePolicy.objects.filter(scheme_id=scheme_id).aggregate(top=Max("version"))["top"] or 0) + 1
    policy = SchemePolicy.objects.create(
        scheme_id=scheme_id,
        version=version,
        created_by=membership.user,
        **{name: values[name] for name in names},
    )
    record_event(
        action="reciprocal.policy_changed",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="scheme_policy",
        object_id=policy.pk,
        fields=changed,
        reason=f"scheme {scheme_id} version {version}",
    )
    return policy


# --- proposals: the coordinator proposes, the home's landlord commits -----------------------


def _end_proposal(
    proposal: OfferProposal, status: str, actor: User, *, reason: str, offer: Offer | None = None
) -> None:
    with organisation_scope(proposal.organisation_id):
        proposal.status = status
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.offer = offer
        proposal.save(update_fields=["status", "decided_by", "decided_at", "offer"])
    record_event(
        action=f"reciprocal.proposal_{status}",
        actor=actor,
        organisation_id=proposal.organisation_id,
        object_type="offer_proposal",
        object_id=proposal.pk,
        fields=["status"],
        reason=reason,
    )


@transaction.atomic
def proposal_create(*, membership: Membership, home: Home, request: MoveRequest) -> OfferProposal:
    """The coordinator proposes another member's home to a request; that landlord's lettings
    staff see it and decide. Checked as an offer would be, so a proposal is never unsafe."""
    if membership.role != Role.COORDINATOR:
        raise ValidationError("Only the scheme coordinator can propose a home.")
    with scopes_disabled():
        current_home = Home.objects.select_for_update().get(pk=home.pk)
    current = _lock_request(request)
    _check_offerable(home=current_home, request=current)
    with scopes_disabled():
        if OfferProposal.objects.filter(
            request_id=current.pk, home_id=current_home.pk, status=ProposalStatus.PROPOSED
        ).exists():
            raise ValidationError("This home is already proposed to this request.")
    with organisation_scope(current_home.organisation_id):
        proposal = OfferProposal.objects.create(
            organisation_id=current_home.organisation_id,
            request=current,
            home=current_home,
            proposed_by=membership.user,
        )
    record_event(
        action="reciprocal.proposal_made",
        actor=membership.user,
        organisation_id=current_home.organisation_id,
        object_type="offer_proposal",
        object_id=proposal.pk,
        fields=["home", "request"],
        reason=f"request {current.reference}",
    )
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: OfferProposal, actor: User, confirm: bool) -> Offer | None:
    """The home's landlord confirms a proposal (which makes the offer, with every check of an
    offer) or declines it."""
    with scopes_disabled():
        current = OfferProposal.objects.select_for_update().select_related("home", "request").get(pk=proposal.pk)
    if current.status != ProposalStatus.PROPOSED:
        raise ValidationError(f"This proposal is {current.get_status_display().lower()}: there is nothing to decide.")
    if not _home_landlord_staff(actor, current.home):
        raise ValidationError("Only the home's own landlord can decide on this proposal.")
    if not confirm:
        _end_proposal(current, ProposalStatus.DECLINED, actor, reason="declined")
        _reload(proposal)
        return None
    offer = offer_create(actor=actor, home=current.home, request=current.request)
    _end_proposal(current, ProposalStatus.CONFIRMED, actor, reason=f"offer {offer.pk}", offer=offer)
    _reload(proposal)
    return offer

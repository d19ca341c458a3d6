"""Move requests: drafted from a case, approved (the anonymised profile is taken), circulated,
withdrawn or closed, and ended when the case closes."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.cases.codes import ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.services import consent_in_force
from safemoves.common.clock import due_after_working_days
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.properties.importing import MAX_BEDROOMS
from safemoves.reciprocal.codes import (
    LIVE_STATUSES,
    AccessNeed,
    EndReason,
    RequestStatus,
)
from safemoves.reciprocal.models import (
    MoveRequest,
    SharedProfile,
)
from safemoves.reciprocal.pool.access import policy_in_force
from safemoves.reciprocal.pool.services.base import (
    _case_event,
    _check_appraisal,
    _lock_request,
    _move_to,
    _refresh_case_clock,
    _reload,
    _save_request,
    _scheme_for,
)
from safemoves.reciprocal.pool.services.offers import _end_live_offers
from safemoves.reciprocal.pool.services.proposals import _decline_open_proposals
from safemoves.reciprocal.profile import build_profile

# No 0/O, 1/I/L or 5/S: a code read out on the phone must not be misheard.
REFERENCE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"


REFERENCE_PREFIX = "KMR-"


@unaudited("reads only: picks a reference no request uses yet")
def new_reference() -> str:
    """A random, non-sequential reference such as KMR-7Q4K9, unused so far."""
    with scopes_disabled():
        while True:
            code = REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))
            if not MoveRequest.objects.filter(reference=code).exists():
                return code


@audited("reciprocal.request_created")
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


@audited("reciprocal.request_approved")
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
    days = policy_in_force(current.scheme_id).circulation_working_days
    current.circulation_due_at = due_after_working_days(now, days)
    _save_request(current, ["approved_by", "approved_at", "circulation_due_at"])
    _snapshot(current)
    _case_event(current, action="reciprocal.request_approved", actor=actor, fields=["status"], reason="approved")
    _refresh_case_clock(current.case)
    _reload(request)


@audited("reciprocal.request_circulated")
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


def _end(
    request: MoveRequest, actor: User, reason: str, target: str, doing: str, *, action: str, by_case: bool = False
) -> None:
    # "The case was closed" is set only by closing the case, never chosen.
    if reason not in EndReason.values or (reason == EndReason.CASE_CLOSED and not by_case):
        raise ValidationError({"reason": "Choose why the request ends."})
    current = _lock_request(request)
    _move_to(current, target, doing)
    current.end_reason = reason
    _end_live_offers(current, actor)
    _decline_open_proposals(current, actor, reason="case closed" if by_case else "request ended")
    _save_request(current, ["end_reason"])
    _case_event(current, action=action, actor=actor, fields=["status", "end_reason"], reason=reason)
    _refresh_case_clock(current.case)
    _reload(request)


@audited(
    "reciprocal.request_withdrawn",
    "reciprocal.offer_withdrawn",
    "reciprocal.proposal_declined",
    "reciprocal.viewing_cancelled",
)
@transaction.atomic
def request_withdraw(*, request: MoveRequest, actor: User, reason: str) -> None:
    """The referring landlord withdraws the request; any live offer ends and its home returns to the pool."""
    _end(request, actor, reason, RequestStatus.WITHDRAWN, "withdrawn", action="reciprocal.request_withdrawn")


@audited(
    "reciprocal.request_closed",
    "reciprocal.offer_withdrawn",
    "reciprocal.proposal_declined",
    "reciprocal.viewing_cancelled",
)
@transaction.atomic
def request_close(*, request: MoveRequest, actor: User, reason: str) -> None:
    """Close a circulated request without a move (for example no suitable home in the time agreed)."""
    _end(request, actor, reason, RequestStatus.CLOSED, "closed", action="reciprocal.request_closed")


@audited(
    "reciprocal.request_withdrawn",
    "reciprocal.offer_withdrawn",
    "reciprocal.proposal_declined",
    "reciprocal.viewing_cancelled",
)
def case_closed(case: Case, actor: User) -> None:
    """Close hook of the cases app (``extensions.register_close_hook``), inside ``case_close``'s
    transaction: the case's live request leaves the pool and its live offers are withdrawn
    (their homes go back to the pool); open proposals on any of its requests are declined."""
    with scopes_disabled():
        requests = list(MoveRequest.objects.filter(case_id=case.pk).order_by("created_at", "pk"))
    for request in requests:
        if request.status in LIVE_STATUSES:
            _end(
                request,
                actor,
                EndReason.CASE_CLOSED,
                RequestStatus.WITHDRAWN,
                "withdrawn",
                action="reciprocal.request_withdrawn",
                by_case=True,
            )
        else:  # a request that had already left the pool: nothing on a closed case stays live
            _decline_open_proposals(request, actor, reason="case closed")

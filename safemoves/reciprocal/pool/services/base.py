"""Shared steps of the scheme's writes: locking a request or an offer, moving a request along its
states, the audit event on the case, and reloading a row that may be the other landlord's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.models import Case
from safemoves.cases.services import refresh_next_due
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.reciprocal.codes import (
    REQUEST_TRANSITIONS,
    RequestStatus,
)
from safemoves.reciprocal.models import (
    MoveRequest,
    Offer,
)
from safemoves.reciprocal.pool.access import member_scheme_ids, policy_in_force
from safemoves.safety.codes import Option
from safemoves.safety.selectors import appraisal_for_matching

# The longest free text a step of the move takes (a note, who gave consent, an address).
TEXT_LIMIT = 500


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
    record_case_event(
        action=action,
        actor=actor,
        organisation_id=request.organisation_id,
        case_id=request.case_id,
        fields=fields,
        reason=f"move request {request.pk}: {reason}" if reason else f"move request {request.pk}",
    )


def _refresh_case_clock(case: Case) -> None:
    with organisation_scope(case.organisation_id):
        refresh_next_due(case)


def _scheme_for(organisation_id: int) -> int:
    schemes = member_scheme_ids(organisation_id)
    if not schemes:
        raise ValidationError("Your landlord is not an active member of a reciprocal scheme.")
    return schemes[0]


def _check_appraisal(case: Case, scheme_id: int) -> dict[str, Any]:
    places = appraisal_for_matching(case)
    errors: dict[str, str] = {}
    if places["decision"] != Option.RECIPROCAL:
        errors["case"] = "The options appraisal must choose a reciprocal move before a request can be raised."
    minimum = policy_in_force(scheme_id).minimum_areas
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


def _reload(row: models.Model) -> None:
    """Reload a row this service changed. It may be the other landlord's (an offer seen from the
    requesting side, a request from the offering side), which the database's row-level security
    shows only to the explicit cross-organisation mechanism (ADR 0020)."""
    with scopes_disabled():
        row.refresh_from_db()


def _lock_offer(offer: Offer) -> Offer:
    with scopes_disabled():
        return Offer.objects.select_for_update().select_related("request").get(pk=offer.pk)


def _lock_offer_with_case(offer: Offer) -> Offer:
    with scopes_disabled():
        return Offer.objects.select_for_update().select_related("request__case").get(pk=offer.pk)


def _both_sides(offer: Offer, *, action: str, actor: User, object_type: str, object_id: Any, fields: list[str]) -> None:
    """The event in the rehousing landlord's log, and on the case in the referring landlord's."""
    record_event(
        action=action,
        actor=actor,
        organisation_id=offer.organisation_id,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        reason=f"offer {offer.pk}",
    )
    record_case_event(
        action=action,
        actor=actor,
        organisation_id=offer.referring_organisation_id,
        case_id=offer.request.case_id,
        fields=fields,
        reason=f"move request {offer.request_id}: offer {offer.pk}",
    )

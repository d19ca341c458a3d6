"""The rules checked again at every step of an offer (ADR 0013): tenure, refused before, the fit,
the scheme's limits, who may commit a home, and the per-landlord limit on fit checks (ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import unaudited
from safemoves.cases.codes import TENURE_SECURITY, CaseStatus, CoreTenancy
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal.codes import (
    LIVE_OFFER_STATUSES,
    POOL_STATUSES,
    OfferStatus,
)
from safemoves.reciprocal.models import (
    MoveRequest,
    Offer,
    SchemePolicy,
)
from safemoves.reciprocal.policies import HOME_OFFERERS
from safemoves.reciprocal.pool import probing
from safemoves.reciprocal.pool.access import policy_in_force
from safemoves.reciprocal.pool.fits import home_fits_request
from safemoves.reciprocal.pool.services.base import _label


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


@unaudited("a check: refuses a tenancy less secure than the current one; writes nothing")
def check_tenure(old: str, new: str) -> None:
    """The new tenure must be as secure as the old one, or more."""
    problem = _tenure_error(old, new)
    if problem is not None:
        raise ValidationError({"new_tenure": problem})


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
    if not home_fits_request(home, request):
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
    policy = policy_in_force(request.scheme_id)
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


def _stage_checks(offer: Offer, stage: str) -> None:
    """The offer must be accepted (not yet moved) and the home must still be one the household
    may move into: every rule of the scheme, checked again (ADR 0013)."""
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(
            f"A home can be {stage} only while the offer is accepted and before the move "
            f"(this offer is {offer.get_status_display().lower()})."
        )
    request = offer.request
    if request.case.status == CaseStatus.CLOSED:
        raise ValidationError("The case behind this request is closed.")
    with scopes_disabled():
        home = Home.objects.get(pk=offer.home_id)
    _check_pair(home=home, request=request, tenancy=offer.tenancy or home.tenancy_offered, stage=stage, offer=offer)

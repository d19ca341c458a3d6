"""The coordinator proposes another member's home to a request; the home's landlord confirms
(which makes the offer) or declines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.properties.models import Home
from safemoves.reciprocal.codes import (
    ProposalStatus,
)
from safemoves.reciprocal.models import (
    MoveRequest,
    Offer,
    OfferProposal,
)
from safemoves.reciprocal.pool.services.base import _lock_request, _reload
from safemoves.reciprocal.pool.services.checks import _check_offerable, _home_landlord_staff
from safemoves.reciprocal.pool.services.offers import offer_create


def _end_proposal(
    proposal: OfferProposal, status: str, actor: User, *, action: str, reason: str, offer: Offer | None = None
) -> None:
    with organisation_scope(proposal.organisation_id):
        proposal.status = status
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.offer = offer
        proposal.save(update_fields=["status", "decided_by", "decided_at", "offer"])
    record_event(
        action=action,
        actor=actor,
        organisation_id=proposal.organisation_id,
        object_type="offer_proposal",
        object_id=proposal.pk,
        fields=["status"],
        reason=reason,
    )


def _decline_open_proposals(request: MoveRequest, actor: User, *, reason: str) -> None:
    """A request that leaves the pool for good (withdrawn, closed, moved, its case closed) takes
    its open proposals with it: each is declined, so no landlord is left asked to confirm a home
    for a request that can no longer take it."""
    with scopes_disabled():
        open_proposals = list(
            OfferProposal.objects.select_for_update()
            .filter(request_id=request.pk, status=ProposalStatus.PROPOSED)
            .order_by("proposed_at", "pk")
        )
    for proposal in open_proposals:
        _end_proposal(proposal, ProposalStatus.DECLINED, actor, action="reciprocal.proposal_declined", reason=reason)


@audited("reciprocal.proposal_made")
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


@audited(
    "reciprocal.proposal_declined",
    "reciprocal.proposal_confirmed",
    "reciprocal.offer_made",
    "reciprocal.offer_received",
)
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
        _end_proposal(current, ProposalStatus.DECLINED, actor, action="reciprocal.proposal_declined", reason="declined")
        _reload(proposal)
        return None
    offer = offer_create(actor=actor, home=current.home, request=current.request)
    _end_proposal(
        current,
        ProposalStatus.CONFIRMED,
        actor,
        action="reciprocal.proposal_confirmed",
        reason=f"offer {offer.pk}",
        offer=offer,
    )
    _reload(proposal)
    return offer

"""Notifications at the scheme's turning points. Each goes to staff of one landlord, in that
landlord's scope, and carries the move request's reference (random, anonymous) and a link:
never the household's name or the other landlord's details (ARCHITECTURE.md)."""

from __future__ import annotations

from django.urls import reverse

from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.reciprocal.models import MoveRequest, Offer


def _to_referring_landlord(request: MoveRequest, kind: str) -> None:
    notify(
        organisation_id=request.organisation_id,
        recipients=[request.nominating_officer, request.case.assigned_officer],
        kind=kind,
        reference=request.reference,
        link=reverse("reciprocal:request_detail", kwargs={"request_id": request.pk}),
    )


def _to_offering_landlord(offer: Offer, request: MoveRequest, kind: str) -> None:
    notify(
        organisation_id=offer.organisation_id,
        recipients=[offer.offered_by],
        kind=kind,
        reference=request.reference,
        link=reverse("reciprocal:offer_detail", kwargs={"offer_id": offer.pk}),
    )


def offer_received(request: MoveRequest) -> None:
    """Landlord B offered a home: A's nominating officer and case officer hear of it."""
    _to_referring_landlord(request, NotificationKind.OFFER_RECEIVED)


def offer_answered(offer: Offer, request: MoveRequest) -> None:
    """The tenant accepted or refused: the offering landlord's officer who made the offer hears."""
    _to_offering_landlord(offer, request, NotificationKind.OFFER_ANSWERED)


def identity_released(offer: Offer, request: MoveRequest) -> None:
    _to_offering_landlord(offer, request, NotificationKind.IDENTITY_RELEASED)


def move_recorded(request: MoveRequest) -> None:
    _to_referring_landlord(request, NotificationKind.MOVE_RECORDED)

"""API: a landlord's housing system reads the state of the offers made on its homes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from safemoves.api.core import READ_PROBLEMS, Page, acting_member, guarded
from safemoves.api.models import TokenPurpose
from safemoves.api.problems import Problem
from safemoves.reciprocal import pool

router = Router(tags=["Offers"])


class OfferOut(Schema):
    """An offer's state only: nothing of the household it was made to."""

    id: uuid.UUID
    home_id: uuid.UUID
    status: Literal["offered", "accepted", "refused", "expired", "withdrawn", "moved"]
    offered_at: datetime
    expires_at: datetime
    decided_at: datetime | None


@router.get("/offers", response={200: list[OfferOut], READ_PROBLEMS: Problem}, operation_id="offer_list")
@guarded(TokenPurpose.HOUSING_SYSTEM)
def offer_list(request: HttpRequest, page: Query[Page]) -> list[OfferOut]:
    """The offers this landlord has made on its homes, newest first."""
    offers = pool.own_offers(acting_member(request))[page.offset : page.offset + page.limit]
    return [
        OfferOut(
            id=offer.pk,
            home_id=offer.home_id,
            status=offer.status,  # type: ignore[arg-type]
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
            decided_at=offer.decided_at,
        )
        for offer in offers
    ]

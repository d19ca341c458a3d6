"""Reads of emergency accommodation offers, for the case page and for reports.

``offer_counts`` is the reporting entry point: counts of offers made, accepted, refused and
still pending, and refusals by reason, for one landlord over a range of offer dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from safemoves.cases.models import Case
from safemoves.emergency.codes import Decision, RefusalReason
from safemoves.emergency.models import EmergencyOffer


def offers(case: Case) -> QuerySet[EmergencyOffer]:
    return offers_of_case_id(case.pk)


def offers_of_case_id(case_id: Any) -> QuerySet[EmergencyOffer]:
    return EmergencyOffer.objects.filter(case_id=case_id).order_by("-offered_on", "-created_at")


def get_offer(case: Case, offer_id: Any) -> EmergencyOffer:
    """An offer on this case, or 404 (an offer on another case looks the same as none)."""
    offer = offers(case).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


@dataclass(frozen=True)
class OfferCounts:
    offered: int
    accepted: int
    refused: int
    pending: int
    # Every refusal reason (code -> count), zeros included, in the order of the list.
    refused_by_reason: dict[str, int] = field(default_factory=dict)

    def reasons_with_labels(self) -> list[tuple[str, int]]:
        return [(RefusalReason(code).label, count) for code, count in self.refused_by_reason.items()]


def offer_counts(*, organisation_id: int, start: date, end: date) -> OfferCounts:
    """Offers to this landlord's tenants dated ``start`` to ``end`` (both included).

    Call inside that organisation's scope; counts only, nothing personal.
    """
    rows = (
        EmergencyOffer.objects.filter(organisation_id=organisation_id, offered_on__gte=start, offered_on__lte=end)
        .values("decision", "refusal_reason")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_decision = dict.fromkeys(Decision.values, 0)
    by_reason = dict.fromkeys(RefusalReason.values, 0)
    for row in rows:
        by_decision[row["decision"]] += row["count"]
        if row["decision"] == Decision.REFUSED and row["refusal_reason"]:
            by_reason[row["refusal_reason"]] += row["count"]
    return OfferCounts(
        offered=sum(by_decision.values()),
        accepted=by_decision[Decision.ACCEPTED],
        refused=by_decision[Decision.REFUSED],
        pending=by_decision[Decision.PENDING],
        refused_by_reason=by_reason,
    )

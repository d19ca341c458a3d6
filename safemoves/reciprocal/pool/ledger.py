"""The scheme ledger: balances and lines (cross-landlord reads)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, Organisation
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import (
    LedgerReason,
)
from safemoves.reciprocal.models import (
    LedgerEntry,
)
from safemoves.reciprocal.pool.access import member_scheme_ids


@dataclass(frozen=True)
class Balance:
    organisation: str
    given: int
    received: int
    corrections: int
    balance: int
    by_bedrooms: list[int]


@dataclass(frozen=True)
class LedgerLine:
    id: int
    posted_at: datetime
    organisation: str
    reference: str
    delta: int
    bedrooms: int
    reason: str
    correction_of_id: int | None
    corrected: bool


@dataclass(frozen=True)
class LedgerSummary:
    balances: list[Balance]
    bedroom_sizes: list[int]
    lines: list[LedgerLine]
    total: int


def ledger_summary(membership: Membership) -> LedgerSummary:
    """Who owes the pool what, per landlord and per bedroom size (the coordinator's page)."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        entries = list(
            LedgerEntry.objects.filter(scheme_id__in=schemes)
            .select_related("organisation")
            .order_by("-posted_at", "-pk")
        )
        corrected = set(
            LedgerEntry.objects.filter(scheme_id__in=schemes, correction_of__isnull=False).values_list(
                "correction_of_id", flat=True
            )
        )
        names = dict(
            Organisation.objects.filter(scheme_memberships__scheme_id__in=schemes, scheme_memberships__is_active=True)
            .distinct()
            .values_list("pk", "name")
        )
    for entry in entries:
        names.setdefault(entry.organisation_id, entry.organisation.name)
    sizes = sorted({entry.bedrooms for entry in entries})
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_size: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        counts[entry.organisation_id][entry.reason] += 1
        counts[entry.organisation_id]["balance"] += entry.delta
        per_size[entry.organisation_id][entry.bedrooms] += entry.delta
    balances = [
        Balance(
            organisation=names[org_id],
            given=counts[org_id][LedgerReason.MOVE_IN],
            received=counts[org_id][LedgerReason.MOVE_OUT],
            corrections=counts[org_id][LedgerReason.CORRECTION],
            balance=counts[org_id]["balance"],
            by_bedrooms=[per_size[org_id][size] for size in sizes],
        )
        for org_id in sorted(names, key=lambda key: names[key])
    ]
    lines = [
        LedgerLine(
            id=entry.pk,
            posted_at=entry.posted_at,
            organisation=names[entry.organisation_id],
            reference=entry.request_reference,
            delta=entry.delta,
            bedrooms=entry.bedrooms,
            reason=entry.get_reason_display(),
            correction_of_id=entry.correction_of_id,
            corrected=entry.pk in corrected,
        )
        for entry in entries
    ]
    return LedgerSummary(
        balances=balances, bedroom_sizes=sizes, lines=lines, total=sum(entry.delta for entry in entries)
    )


def get_ledger_entry(membership: Membership, entry_id: Any) -> LedgerEntry:
    if not policies.can_coordinate(membership):
        raise Http404
    with scopes_disabled():
        entry = LedgerEntry.objects.filter(
            pk=entry_id, scheme_id__in=member_scheme_ids(membership.organisation_id)
        ).first()
        if entry is None:
            raise Http404
        return entry

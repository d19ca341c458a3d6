"""The scheme's ledger: the pair of entries of a move, and their correction. Nothing is ever
edited or deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.common.scoping import scopes_disabled
from safemoves.reciprocal.codes import (
    LedgerReason,
)
from safemoves.reciprocal.models import (
    LedgerEntry,
)


@unaudited("posted only inside move_record and moves_post_ledger, whose audit events record the posting")
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


@audited("reciprocal.ledger_corrected")
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

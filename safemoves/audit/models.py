from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from safemoves.common.scoping import OrganisationOwned


class AppendOnlyError(RuntimeError):
    pass


SYSTEM_CHAIN = 0
"""The chain of events that belong to no organisation (and of every event written before
per-organisation chains, ADR 0015)."""

# The object type of every event about a case (audit.services.record_case_event): a case's
# history, access log and export find its events by it.
CASE_OBJECT_TYPE = "case"

# The actions that record a read of a case, not a change: its access log shows these, its
# history the rest. Each half has its own partial index (ADR 0034): a case read ten thousand
# times still finds its last thirty changes, and its last ten readers, in a few index entries.
# A query must name them with ``action__in_constants`` for a prepared plan to use the index.
CASE_READ_ACTIONS = (
    "case.viewed",
    "case.exported",
    "case.document_viewed",
    "case.letter_viewed",
    "case.summary_printed",
)


def chain_for(organisation_id: int | None) -> int:
    return organisation_id if organisation_id is not None else SYSTEM_CHAIN


class AuditEvent(OrganisationOwned):
    """One link of an append-only, HMAC-chained audit log (ADR 0003, ADR 0015).

    It records who did what to which object and which fields, never the values:
    the log must be safe to show to an auditor without showing personal data.
    Each organisation's events form their own chain, so one landlord's writers never
    wait for another's; ``seq`` counts within the chain.
    """

    chain = models.PositiveBigIntegerField(default=SYSTEM_CHAIN, db_default=SYSTEM_CHAIN)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(default=timezone.now)
    # No database constraints: the log outlives what it describes, and a cascade must
    # never be able to rewrite it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Nullable (system events) and without constraint, unlike the base's key.
    organisation = models.ForeignKey(  # type: ignore[assignment]
        "organisations.Organisation", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_uniq")]
        indexes = [
            models.Index(fields=["organisation", "object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
            models.Index(
                fields=["organisation", "object_type", "object_id", "id"],
                condition=~models.Q(action__in=CASE_READ_ACTIONS),
                name="audit_object_change_idx",
            ),
            models.Index(
                fields=["organisation", "object_type", "object_id", "id"],
                condition=models.Q(action__in=CASE_READ_ACTIONS),
                name="audit_object_read_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """The last link of one chain; its row is locked while that chain is appended to.

    ``mac`` binds the chain, the count and the last hash under the audit key, so someone
    who cuts off the newest events cannot rewind the head to match without the key.
    """

    chain = models.PositiveBigIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain {self.chain} head at #{self.seq}"

"""Writing to the audit log. Services call :func:`record_event` inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safemoves.audit.chain import GENESIS_HASH, link_hash
from safemoves.audit.models import AuditChainHead, AuditEvent
from safemoves.common.requestid import current_request_id
from safemoves.common.scoping import scopes_disabled

if TYPE_CHECKING:
    from safemoves.accounts.models import User


def audit_key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode("utf-8")


def event_payload(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    fields: list[str],
    reason: str,
    request_id: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "organisation": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": fields,
        "reason": reason,
        "request_id": request_id,
    }


def record_event(
    *,
    action: str,
    actor: User | None,
    organisation_id: int | None,
    object_type: str = "",
    object_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``fields`` names what changed; values never enter the log.
    """
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        seq = head.seq + 1
        occurred_at = timezone.now()
        field_names = sorted(set(fields))
        request_id = current_request_id()
        actor_id = actor.pk if actor is not None else None
        payload = event_payload(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            organisation_id=organisation_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            fields=field_names,
            reason=reason,
            request_id=request_id,
        )
        digest = link_hash(audit_key(), head.hash, payload)
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            organisation_id=organisation_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            fields=field_names,
            reason=reason,
            request_id=request_id,
            prev_hash=head.hash,
            hash=digest,
        )
        # An event may belong to another organisation's log (an offer on its request): the
        # audit service is the one writer allowed to append there, and only metadata goes in.
        with scopes_disabled():
            event.save()
        AuditChainHead.objects.filter(id=1).update(seq=seq, hash=digest)
        return event

"""Writing to the audit log. Services call :func:`record_event` inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safemoves.audit.chain import GENESIS_HASH, head_mac, link_hash
from safemoves.audit.models import CASE_OBJECT_TYPE, SYSTEM_CHAIN, AuditChainHead, AuditEvent, chain_for
from safemoves.common.requestid import current_request_id
from safemoves.common.scoping import scopes_disabled

if TYPE_CHECKING:
    from safemoves.accounts.models import User


def audit_key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode("utf-8")


def event_payload(
    *,
    chain: int,
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
    payload: dict[str, Any] = {
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
    # The system chain's payload is exactly the pre-ADR-0015 one, so events written before
    # per-organisation chains still verify; every other chain signs its number, so an
    # event moved between chains fails its HMAC.
    if chain != SYSTEM_CHAIN:
        payload["chain"] = chain
    return payload


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
    """Append one event to the organisation's chain, in the caller's transaction.

    Only that chain's head row is locked (until the caller commits), so writers of
    different organisations never queue behind each other (ADR 0015).
    ``fields`` names what changed; values never enter the log.
    """
    chain = chain_for(organisation_id)
    # No savepoint: an event that fails to append must take the caller's change down with it,
    # and a savepoint would cost two more round trips on every audited read and write.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
        if head is None:
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(
                chain=chain,
                defaults={
                    "seq": 0,
                    "hash": GENESIS_HASH,
                    "mac": head_mac(audit_key(), chain=chain, seq=0, last_hash=GENESIS_HASH),
                },
            )
        seq = head.seq + 1
        occurred_at = timezone.now()
        field_names = sorted(set(fields))
        request_id = current_request_id()
        actor_id = actor.pk if actor is not None else None
        payload = event_payload(
            chain=chain,
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
            chain=chain,
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
        AuditChainHead.objects.filter(chain=chain).update(
            seq=seq, hash=digest, mac=head_mac(audit_key(), chain=chain, seq=seq, last_hash=digest)
        )
        return event


def record_case_event(
    *,
    action: str,
    actor: User | None,
    organisation_id: int,
    case_id: object,
    fields: Iterable[str] = (),
    reason: str = "",
) -> AuditEvent:
    """Append one event about a case to its organisation's chain, in the caller's transaction.

    The one way a read or write of a case is logged: the event names the case by its id (a
    purged case keeps only that), the fields that changed, never their values.
    """
    return record_event(
        action=action,
        actor=actor,
        organisation_id=organisation_id,
        object_type=CASE_OBJECT_TYPE,
        object_id=case_id,
        fields=fields,
        reason=reason,
    )

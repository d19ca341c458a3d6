from __future__ import annotations

from collections.abc import Iterator

from safemoves.audit.chain import Link, Problem, verify_links
from safemoves.audit.models import AuditChainHead, AuditEvent
from safemoves.audit.services import audit_key, event_payload
from safemoves.common.scoping import scopes_disabled


def _links() -> Iterator[Link]:
    for event in AuditEvent.objects.order_by("seq", "pk").iterator(chunk_size=2000):
        yield Link(
            seq=event.seq,
            prev_hash=event.prev_hash,
            hash=event.hash,
            payload=event_payload(
                seq=event.seq,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                organisation_id=event.organisation_id,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                fields=list(event.fields),
                reason=event.reason,
                request_id=event.request_id,
            ),
        )


def verify_chain() -> tuple[int, list[Problem]]:
    """Check the whole log; returns the number of events read and every problem found."""
    with scopes_disabled():
        head = AuditChainHead.objects.filter(id=1).first()
        counted = 0

        def counting() -> Iterator[Link]:
            nonlocal counted
            for link in _links():
                counted += 1
                yield link

        problems = verify_links(
            audit_key(),
            counting(),
            head_seq=head.seq if head else None,
            head_hash=head.hash if head else None,
        )
    return counted, problems

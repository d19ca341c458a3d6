from __future__ import annotations

from collections.abc import Iterator

from safemoves.audit.chain import Head, Link, Problem, verify_links
from safemoves.audit.models import AuditChainHead, AuditEvent
from safemoves.audit.services import audit_key, event_payload
from safemoves.common.scoping import scopes_disabled


def _links(chain: int) -> Iterator[Link]:
    events = AuditEvent.objects.filter(chain=chain).order_by("seq", "pk")
    for event in events.iterator(chunk_size=2000):
        yield Link(
            seq=event.seq,
            prev_hash=event.prev_hash,
            hash=event.hash,
            payload=event_payload(
                chain=event.chain,
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
    """Check every chain of the log; returns the number of events read and every problem found."""
    key = audit_key()
    counted = 0
    problems: list[Problem] = []
    with scopes_disabled():
        heads = {head.chain: Head(seq=head.seq, hash=head.hash, mac=head.mac) for head in AuditChainHead.objects.all()}
        chains = set(heads) | set(AuditEvent.objects.order_by("chain").values_list("chain", flat=True).distinct())

        def counting(chain: int) -> Iterator[Link]:
            nonlocal counted
            for link in _links(chain):
                counted += 1
                yield link

        for chain in sorted(chains):
            problems.extend(verify_links(key, counting(chain), chain=chain, head=heads.get(chain)))
    return counted, problems

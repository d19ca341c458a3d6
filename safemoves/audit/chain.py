"""The hash chain of the audit log: how a link's hash is computed and checked."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def link_hash(key: bytes, prev_hash: str, payload: Mapping[str, Any]) -> str:
    """HMAC-SHA256 over the previous hash and a canonical JSON of the link's content."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    message = prev_hash.encode("ascii") + b"\n" + canonical.encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head_mac(key: bytes, *, chain: int, seq: int, last_hash: str) -> str:
    """HMAC over a chain's head: which chain, how many events, and the last event's hash.

    Without it the head's count and hash could be copied from an earlier event, and a log
    cut back to that event would look whole.
    """
    message = f"audit-head\n{chain}\n{seq}\n{last_hash}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    mac: str


@dataclass(frozen=True)
class Link:
    seq: int
    prev_hash: str
    hash: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str
    detail: str
    chain: int = 0

    def __str__(self) -> str:
        return f"chain {self.chain} #{self.seq}: {self.kind} ({self.detail})"


def verify_links(key: bytes, links: Iterable[Link], *, chain: int, head: Head | None) -> list[Problem]:
    """Walk one chain's links in ``seq`` order and report every break.

    * altered row   - its stored hash no longer matches its content;
    * deleted row   - a gap in ``seq``, and the next link's ``prev_hash`` does not match;
    * inserted row  - a forged link cannot carry a valid HMAC without the key;
    * reordered row - ``seq`` is inside the HMAC, so moved rows fail their own hash
      and break their neighbours' ``prev_hash``;
    * truncated log - the chain head remembers the last ``seq`` and hash, under its own
      HMAC, so the head cannot be rewound to match a shortened chain.
    """
    problems: list[Problem] = []
    report = problems.append
    expected_seq = 1
    previous_hash = GENESIS_HASH
    for link in links:
        if link.seq != expected_seq:
            if link.seq > expected_seq:
                missing = f"{expected_seq}" if link.seq == expected_seq + 1 else f"{expected_seq}-{link.seq - 1}"
                report(Problem(link.seq, "missing", f"no event numbered {missing}", chain))
            else:
                report(Problem(link.seq, "out of order", f"expected #{expected_seq}", chain))
        if link.prev_hash != previous_hash:
            report(Problem(link.seq, "broken link", "previous-hash does not match the event before it", chain))
        if not hmac.compare_digest(link.hash, link_hash(key, link.prev_hash, link.payload)):
            report(Problem(link.seq, "altered", "content does not match its hash", chain))
        previous_hash = link.hash
        expected_seq = link.seq + 1
    last_seq = expected_seq - 1
    if head is None:
        if last_seq > 0:
            report(Problem(last_seq, "head missing", "events exist but the chain has no head", chain))
        return problems
    if not hmac.compare_digest(head.mac, head_mac(key, chain=chain, seq=head.seq, last_hash=head.hash)):
        report(Problem(head.seq, "head altered", "the chain head does not match its own HMAC", chain))
    if last_seq < head.seq:
        report(Problem(last_seq, "truncated", f"the log should end at #{head.seq}", chain))
    elif last_seq > head.seq:
        report(Problem(last_seq, "extra events", f"the log should end at #{head.seq}", chain))
    elif last_seq > 0 and not hmac.compare_digest(head.hash, previous_hash):
        report(Problem(last_seq, "altered", "last event differs from the recorded chain head", chain))
    return problems

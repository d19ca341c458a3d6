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

    def __str__(self) -> str:
        return f"#{self.seq}: {self.kind} ({self.detail})"


def verify_links(key: bytes, links: Iterable[Link], *, head_seq: int | None, head_hash: str | None) -> list[Problem]:
    """Walk the links in ``seq`` order and report every break.

    * altered row   - its stored hash no longer matches its content;
    * deleted row   - a gap in ``seq``, and the next link's ``prev_hash`` does not match;
    * inserted row  - a forged link cannot carry a valid HMAC without the key;
    * reordered row - ``seq`` is inside the HMAC, so moved rows fail their own hash
      and break their neighbours' ``prev_hash``;
    * truncated log - the chain head remembers the last ``seq`` and hash.
    """
    problems: list[Problem] = []
    expected_seq = 1
    previous_hash = GENESIS_HASH
    for link in links:
        if link.seq != expected_seq:
            if link.seq > expected_seq:
                missing = f"{expected_seq}" if link.seq == expected_seq + 1 else f"{expected_seq}-{link.seq - 1}"
                problems.append(Problem(link.seq, "missing", f"no event numbered {missing}"))
            else:
                problems.append(Problem(link.seq, "out of order", f"expected #{expected_seq}"))
        if link.prev_hash != previous_hash:
            problems.append(Problem(link.seq, "broken link", "previous-hash does not match the event before it"))
        if not hmac.compare_digest(link.hash, link_hash(key, link.prev_hash, link.payload)):
            problems.append(Problem(link.seq, "altered", "content does not match its hash"))
        previous_hash = link.hash
        expected_seq = link.seq + 1
    last_seq = expected_seq - 1
    if head_seq is not None and last_seq < head_seq:
        problems.append(Problem(last_seq, "truncated", f"the log should end at #{head_seq}"))
    elif head_seq is not None and last_seq > head_seq:
        problems.append(Problem(last_seq, "extra events", f"the log should end at #{head_seq}"))
    elif head_hash is not None and last_seq > 0 and not hmac.compare_digest(head_hash, previous_hash):
        problems.append(Problem(last_seq, "altered", "last event differs from the recorded chain head"))
    return problems

"""A lock in the shared cache (Redis in production), held across web processes and workers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def cache_lock(name: str, *, seconds: int) -> Iterator[bool]:
    """Yield True when this caller holds the lock ``name``, False when someone else does.

    The lock expires after ``seconds`` so that a holder killed mid-way never blocks for good;
    work under it must take less than that, or be safe to overlap after it.
    """
    key = f"lock:{name}"
    token = secrets.token_hex(16)
    held = cache.add(key, token, timeout=seconds)
    try:
        yield held
    finally:
        if held and cache.get(key) == token:
            cache.delete(key)

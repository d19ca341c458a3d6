"""A modest per-address limit on public form submissions.

The public forms open cases without anyone signing in, so a script could fill a landlord's
triage inbox. Every POST from one address counts, valid or not, in a fixed one-hour window
kept in Django's cache. With several web processes the cache must be shared (for example
Redis) for the limit to hold across them.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from safemoves.accounts.security import client_ip

SUBMISSIONS_PER_HOUR = 20
WINDOW_SECONDS = 60 * 60


def submission_allowed(request: HttpRequest) -> bool:
    """Count this submission; False once the address has used up its hour's allowance."""
    key = f"intake:submissions:{client_ip(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= SUBMISSIONS_PER_HOUR

"""Token secrets, their digests, finding the token of a request, and per-token rate limits.

A token reads ``smk_<prefix>_<secret>``. Only the prefix (to find the row) and a keyed digest
of the whole token are stored; the digest is compared in constant time. The rate limit is a
fixed one-minute window per token in Django's cache (Redis in production, shared by every
web process).
"""

from __future__ import annotations

import hmac
import re
import secrets

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from safemoves.api.models import ApiToken
from safemoves.common.scoping import scopes_disabled

TOKEN_RE = re.compile(r"^smk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")
_REQUEST_ATTR = "_safemoves_api_token"
WINDOW_SECONDS = 60


def new_token() -> tuple[str, str]:
    """A fresh (prefix, token) pair; the token is shown once and never stored."""
    prefix = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(12))
    return prefix, f"smk_{prefix}_{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    return salted_hmac("safemoves.api.token", token, algorithm="sha256").hexdigest()


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credential.strip()


def token_for_request(request: HttpRequest) -> ApiToken | None:
    """The usable token the request carries, or None; looked up once per request.

    The lookup is the API's one deliberate cross-organisation read: before it, nothing says
    which landlord the caller belongs to (like an agency's referral-link token).
    """
    if hasattr(request, _REQUEST_ATTR):
        found: ApiToken | None = getattr(request, _REQUEST_ATTR)
        return found
    token = None
    credential = _bearer(request)
    match = TOKEN_RE.fullmatch(credential) if credential else None
    if match is not None and credential is not None:
        with scopes_disabled():
            candidate = (
                ApiToken.objects.filter(prefix=match.group(1))
                .select_related("organisation", "membership__user", "referral_link")
                .first()
            )
        if (
            candidate is not None
            and hmac.compare_digest(candidate.digest, token_digest(credential))
            and candidate.is_usable
            and (candidate.membership is None or candidate.membership.is_active)
            and (candidate.referral_link is None or candidate.referral_link.is_active)
        ):
            token = candidate
    setattr(request, _REQUEST_ATTR, token)
    return token


def note_use(token: ApiToken) -> None:
    """Every use of a token is counted and dated on the token itself (the admin page shows both).

    Called inside the token's organisation scope."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now(), uses=F("uses") + 1)


def within_rate_limit(token: ApiToken) -> tuple[bool, int]:
    """Count this request against the token's minute; (allowed, seconds until the window ends)."""
    now = int(timezone.now().timestamp())
    window = now // WINDOW_SECONDS
    # The prefix is unique and random: a row id can come back after a rollback or restore.
    key = f"api:rate:{token.prefix}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= token.rate_per_minute, WINDOW_SECONDS - now % WINDOW_SECONDS

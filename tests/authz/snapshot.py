"""A digest of everything stored, to assert that a refused request changed nothing."""

from __future__ import annotations

import hashlib
import json

from django.apps import apps

from safemoves.common.scoping import scopes_disabled

# Bookkeeping that any request may touch: the session itself and sign-in throttling.
IGNORED = {"sessions.session", "accounts.staffsession", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def database_digest(*, also_ignore: frozenset[str] = frozenset()) -> str:
    digest = hashlib.sha256()
    with scopes_disabled():
        for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
            if model._meta.label_lower in IGNORED | also_ignore or model._meta.proxy:
                continue
            rows = list(model._base_manager.order_by("pk").values())
            digest.update(model._meta.label_lower.encode())
            digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
    return digest.hexdigest()

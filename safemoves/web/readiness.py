"""Readiness probe for the load balancer and the orchestrator.

``/healthz`` (safemoves.web) says the process is up and touches no dependency, so a database
outage does not get every web process restarted. ``/readyz``: the database, the cache and the broker
answer; otherwise 503 naming which of them failed, never a host, address or error text.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from safemoves.jobs.queue import app


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        return False


def _cache() -> bool:
    key = f"readyz:{secrets.token_hex(8)}"
    try:
        cache.set(key, "1", timeout=10)
        answered = bool(cache.get(key) == "1")
        cache.delete(key)
        return answered
    except Exception:
        return False


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "unreachable"


def readiness() -> dict[str, str]:
    return {
        "database": "ok" if _database() else "unreachable",
        "cache": "ok" if _cache() else "unreachable",
        "broker": _broker(),
    }


@login_not_required
@require_GET
def readyz_view(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ready = all(value in ("ok", "in-process") for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)

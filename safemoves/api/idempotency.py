"""``Idempotency-Key`` on every API write (ADR 0026).

The record of a key is inserted *before* the write, in the write's own transaction. A second
request with the same token and key meets the unique constraint: on PostgreSQL its insert
waits until the first transaction ends, then fails, and the committed response is replayed
(or, if the first write was refused and rolled back, the insert succeeds and the second
request is simply the first). So 50 concurrent requests with one key make one resource.
A refused write (4xx) keeps no record: repeating it gives the same refusal.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from safemoves.api.models import ApiToken, IdempotencyRecord
from safemoves.api.problems import problem

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
_KEY_RE = re.compile(KEY_PATTERN)
REPLAYED_HEADER = "Idempotent-Replayed"


def request_digest(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.response_body, status=record.status_code, content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return response


def run_once(
    request: HttpRequest, token: ApiToken, run: Callable[..., HttpResponseBase], kwargs: dict[str, Any]
) -> HttpResponseBase:
    """Run the write ``run`` at most once per (token, key); call inside the token's organisation scope."""
    key = request.headers.get(HEADER, "")
    if not _KEY_RE.fullmatch(key):
        return run(request, **kwargs)  # the operation's own header validation names the fault
    digest = request_digest(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    organisation_id=token.organisation_id, token=token, key=key, request_digest=digest
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(token=token, key=key).first()
            if existing is None or existing.status_code is None:
                return problem(409, "A request with this Idempotency-Key is still being processed; try again shortly.")
            if existing.request_digest != digest:
                return problem(
                    422,
                    "This Idempotency-Key was already used for a different request.",
                    errors=[(HEADER, "Use a new key for a different request body or address.")],
                )
            return _replay(existing)
        response = run(request, **kwargs)
        if not 200 <= response.status_code < 300 or not isinstance(response, HttpResponse):
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.response_body = response.content.decode("utf-8")
        record.save(update_fields=["status_code", "response_body"])
        return response

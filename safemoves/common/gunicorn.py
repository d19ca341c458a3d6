"""Gunicorn settings for SafeMoves: ``gunicorn -c python:safemoves.common.gunicorn safemoves.wsgi``.

Gunicorn writes its access log itself, outside Django's logging, so the secret-path filter
of the application log never sees it: the logger class below redacts referral and invitation
tokens, and API tokens, from every access-log field (request line, path, Referer and every header;
the Authorization header's value is dropped whole).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger

from safemoves.common.logging import redact_secret_paths


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Redacted, then escaped so that each value sits safely inside the JSON access-log line
        # (backslashes and control characters here; gunicorn's SafeAtoms escapes the quotes).
        return {
            key: "[redacted]"
            if key.lower() == "{authorization}i"
            else json.dumps(redact_secret_paths(value))[1:-1].replace('\\"', '"')
            if isinstance(value, str)
            else value
            for key, value in atoms.items()
        }


def _workers() -> int:
    # Sync workers: two per core plus one keeps a core busy while another worker waits on the
    # database. WEB_CONCURRENCY overrides (a small container, a shared host).
    return int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))


logger_class = "safemoves.common.gunicorn.RedactingLogger"
bind = os.environ.get("SAFEMOVES_BIND", "127.0.0.1:8000")
workers = _workers()
# A request still running after 30 s is killed and its transaction rolled back; a worker gets
# 30 s to finish its requests on a graceful restart; keep-alive covers the load balancer's reuse.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that slow growth of memory never builds up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# No client address or cookie: one JSON object a line with the request id the app assigned.
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request": "%(r)s", "status": "%(s)s",'
    ' "bytes": "%(B)s", "duration_ms": "%(M)s", "request_id": "%({x-request-id}o)s"}'
)

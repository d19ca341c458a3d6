"""Gunicorn settings for SafeMoves: ``gunicorn -c python:safemoves.common.gunicorn safemoves.wsgi``.

Gunicorn writes its access log itself, outside Django's logging, so the secret-path filter
of the application log never sees it: the logger class below redacts referral and invitation
tokens, and API tokens, from every access-log field (request line, path, Referer and every header;
the Authorization header's value is dropped whole).
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from gunicorn.glogging import Logger

from safemoves.common.logging import redact_secret_paths


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: "[redacted]"
            if key.lower() == "{authorization}i"
            else redact_secret_paths(value)
            if isinstance(value, str)
            else value
            for key, value in atoms.items()
        }


logger_class = "safemoves.common.gunicorn.RedactingLogger"
workers = multiprocessing.cpu_count() * 2 + 1
timeout = 30
graceful_timeout = 30
accesslog = "-"

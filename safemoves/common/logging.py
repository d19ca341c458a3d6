"""Logging filters that keep secrets out of the application log: referral and invitation tokens
in paths, and API tokens wherever they appear (an ``Authorization`` header value, a bare token)."""

from __future__ import annotations

import json
import logging
import re

from safemoves.common.requestid import current_request_id

# Path segments that are credentials: agency referral tokens, staff invitation tokens.
_SECRET_PATHS = re.compile(r"(/(?:refer|account/invitation)/)[^/\s\"?]+")
# API credentials: "Bearer <anything>" (an Authorization header value) and a bare SafeMoves API token.
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")
_API_TOKEN = re.compile(r"smk_[A-Za-z0-9]+_[A-Za-z0-9_-]+")


class RedactSecretPaths(logging.Filter):
    """Replace referral, invitation and API tokens with [redacted] in every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secret_paths(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def redact_secret_paths(text: str) -> str:
    text = _SECRET_PATHS.sub(r"\1[redacted]", text)
    text = _BEARER.sub(r"\1[redacted]", text)
    return _API_TOKEN.sub("smk_[redacted]", text)


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request (or job) being served, "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id and the (redacted) message.

    Only the message and exception text are written, never the record's arguments one by one,
    so nothing reaches the log that the message itself does not say.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact_secret_paths(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact_secret_paths(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)

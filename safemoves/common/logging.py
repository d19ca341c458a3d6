"""Logging filters that keep secrets out of the application log: referral and invitation tokens
in paths, and API tokens wherever they appear (an ``Authorization`` header value, a bare token)."""

from __future__ import annotations

import logging
import re

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

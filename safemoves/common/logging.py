"""Logging filters that keep secrets out of the application log."""

from __future__ import annotations

import logging
import re

# Path segments that are credentials: agency referral tokens, staff invitation tokens.
_SECRET_PATHS = re.compile(r"(/(?:refer|account/invitation)/)[^/\s\"?]+")


class RedactSecretPaths(logging.Filter):
    """Replace the token in referral and invitation URLs with [redacted] in every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secret_paths(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def redact_secret_paths(text: str) -> str:
    return _SECRET_PATHS.sub(r"\1[redacted]", text)

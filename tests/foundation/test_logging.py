from __future__ import annotations

import logging

from safemoves.common.logging import RedactSecretPaths


def _filtered(message: str, *args: object) -> str:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)
    assert RedactSecretPaths().filter(record) is True
    return record.getMessage()


def test_referral_and_invitation_tokens_never_reach_the_log() -> None:
    assert _filtered("Not Found: %s", "/refer/AbC-123_xyz/") == "Not Found: /refer/[redacted]/"
    assert (
        _filtered('"GET /account/invitation/tok3n/ HTTP/1.1" 404')
        == '"GET /account/invitation/[redacted]/ HTTP/1.1" 404'
    )
    assert _filtered("Not Found: /cases/new/") == "Not Found: /cases/new/"

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

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


def test_runserver_request_log_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    # pytest adds its own capture handlers; the project's are the plain stream handlers.
    ours = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]
    assert len(ours) == 1, "django.server must log through the project's console handler"
    assert any(isinstance(f, RedactSecretPaths) for f in ours[0].filters)
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /account/invitation/s3cr3t-token/ HTTP/1.1", "200", "512"),
        None,
    )
    assert ours[0].filter(record)
    assert "s3cr3t-token" not in record.getMessage()
    assert "/account/invitation/[redacted]/" in record.getMessage()


def test_gunicorn_access_log_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    from gunicorn.config import Config

    from safemoves.common import gunicorn as gunicorn_conf

    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", gunicorn_conf.logger_class)
    logger = config.logger_class(config)
    assert isinstance(logger, gunicorn_conf.RedactingLogger)
    response = SimpleNamespace(status="404 Not Found", sent=10, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/refer/agency-T0KEN/?x=1",
        "PATH_INFO": "/refer/agency-T0KEN/",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://safemoves.example/account/invitation/inv1te-T0KEN/",
        "REMOTE_ADDR": "127.0.0.1",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    out = capsys.readouterr().out
    assert "GET /refer/[redacted]/" in out
    assert "T0KEN" not in out

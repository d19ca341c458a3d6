"""API tokens never reach a log: the redacting filter covers the Authorization header and bare tokens."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client

from safemoves.api.models import TokenPurpose
from safemoves.common.logging import RedactSecretPaths, redact_secret_paths
from tests.api.factories import bearer, make_token
from tests.factories import World

SECRET = "smk_AbCdEfGhJkMn_" + "x" * 43


def test_bearer_values_and_bare_tokens_are_redacted() -> None:
    assert redact_secret_paths(f"Authorization: Bearer {SECRET}") == "Authorization: Bearer [redacted]"
    assert redact_secret_paths(f"headers={{'Authorization': 'bearer {SECRET}'}}") == (
        "headers={'Authorization': 'bearer [redacted]'}"
    )
    assert redact_secret_paths(f"token {SECRET} used") == "token smk_[redacted] used"
    assert redact_secret_paths("GET /api/v1/cases 200") == "GET /api/v1/cases 200"


def test_the_log_filter_redacts_a_record_carrying_a_token() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Auth %s", (f"Bearer {SECRET}",), None)
    assert RedactSecretPaths().filter(record) is True
    assert record.getMessage() == "Auth Bearer [redacted]"


def test_gunicorn_access_log_drops_the_authorization_header(capsys: pytest.CaptureFixture[str]) -> None:
    from gunicorn.config import Config

    from safemoves.common import gunicorn as gunicorn_conf

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(r)s %(s)s "%({authorization}i)s"')
    config.set("logger_class", gunicorn_conf.logger_class)
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/cases",
        "PATH_INFO": "/api/v1/cases",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_AUTHORIZATION": f"Bearer {SECRET}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", environ["HTTP_AUTHORIZATION"])])
    logger.access(SimpleNamespace(status="200 OK", sent=10, headers=[]), request, environ, timedelta(milliseconds=3))
    out = capsys.readouterr().out
    assert "GET /api/v1/cases HTTP/1.1 200" in out
    assert '"[redacted]"' in out
    assert "x" * 43 not in out


@pytest.mark.django_db
def test_refused_api_requests_log_no_token(world: World, caplog: pytest.LogCaptureFixture) -> None:
    token, secret = make_token(world.a, TokenPurpose.AGENCY)
    client = Client()
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/cases", **bearer(secret))  # wrong purpose: 404
        client.get("/api/v1/referrals", **bearer(secret + "x"))  # not a token: 401
        client.post("/api/v1/referrals", "{", content_type="application/json", **bearer(secret, idempotency_key="k"))
    assert [record.status_code for record in caplog.records if hasattr(record, "status_code")] == [404, 401, 400]
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert secret not in text
    assert token.prefix not in text

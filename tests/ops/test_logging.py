from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from safemoves.common.logging import JsonFormatter

TOKEN = "Xy7-referral-T0KEN-abcdef"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The project's own console handler (not pytest's), writing into a buffer for the test."""
    ours = [handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler]
    assert len(ours) == 1
    buffer = io.StringIO()
    previous = ours[0].setStream(buffer)
    try:
        yield buffer
    finally:
        ours[0].setStream(previous)


@pytest.mark.django_db
def test_a_log_line_is_json_with_the_request_id_and_no_token(console: io.StringIO) -> None:
    ours = [handler for handler in logging.getLogger().handlers if type(handler) is logging.StreamHandler]
    assert isinstance(ours[0].formatter, JsonFormatter)
    response = Client().get(f"/refer/{TOKEN}/", headers={"X-Request-ID": "req-0123456789abcdef"})
    assert response.status_code == 404
    lines = [json.loads(line) for line in console.getvalue().splitlines() if line.strip()]
    assert lines, "the 404 must be logged"
    entry = lines[-1]
    assert entry["request_id"] == "req-0123456789abcdef" == response["X-Request-ID"]
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /refer/[redacted]/"
    assert TOKEN not in console.getvalue()


def test_a_line_outside_any_request_says_so(console: io.StringIO) -> None:
    logging.getLogger("safemoves.test").warning("invitation at /account/invitation/%s/ failed", TOKEN)
    entry = json.loads(console.getvalue().splitlines()[-1])
    assert entry["request_id"] == "-"
    assert entry["message"] == "invitation at /account/invitation/[redacted]/ failed"


def test_the_gunicorn_access_log_is_one_json_object_with_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from safemoves.common import gunicorn as gunicorn_conf

    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", gunicorn_conf.logger_class)
    config.set("access_log_format", gunicorn_conf.access_log_format)
    logger = config.logger_class(config)
    response = SimpleNamespace(status="404 Not Found", sent=10, headers=[("X-Request-ID", "req-0123456789abcdef")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f'/refer/{TOKEN}/?q="quoted"',
        "PATH_INFO": f"/refer/{TOKEN}/",
        "QUERY_STRING": 'q="quoted"',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.44",
    }
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    line = capsys.readouterr().out.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["request_id"] == "req-0123456789abcdef"
    assert entry["request"] == 'GET /refer/[redacted]/?q="quoted" HTTP/1.1'
    assert entry["status"] == "404"
    assert TOKEN not in line
    assert "192.0.2.44" not in line

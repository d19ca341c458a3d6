from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from safemoves.jobs.queue import app

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers_without_touching_anything() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_reports_database_cache_and_in_process_jobs() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "broker": "in-process"},
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_the_unreachable_cache_and_nothing_secret() -> None:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:s3cret-pass@127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=caches):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "not ready",
        "checks": {"database": "ok", "cache": "unreachable", "broker": "in-process"},
    }
    body = response.content.decode()
    assert "s3cret" not in body
    assert "127.0.0.1" not in body


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_configured_but_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.conf, "broker_url", UNREACHABLE)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "ok", "cache": "ok", "broker": "unreachable"}
    assert b"127.0.0.1" not in response.content


def test_readyz_and_healthz_are_exempt_from_the_https_redirect() -> None:
    from django.conf import settings

    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$", r"^readyz$"]

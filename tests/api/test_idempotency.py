"""``Idempotency-Key`` on every write: a repeat is answered, not redone; a reused key with
another body is a 422; 50 concurrent requests with one key make exactly one resource."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from safemoves.api.models import ApiReferral, IdempotencyRecord, TokenPurpose
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.properties.models import Home
from tests.api.factories import HOME_JSON, REFERRAL_JSON, bearer, make_token
from tests.factories import World


def _post(secret: str, path: str, body: dict[str, Any], key: str) -> Any:
    return Client().post(path, json.dumps(body), content_type="application/json", **bearer(secret, idempotency_key=key))


@pytest.mark.django_db
def test_same_key_and_body_gives_the_same_response_and_one_case(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.AGENCY)

    first = _post(secret, "/api/v1/referrals", REFERRAL_JSON, "ref-1")
    again = _post(secret, "/api/v1/referrals", REFERRAL_JSON, "ref-1")

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.count() == 1
        assert ApiReferral.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused_naming_the_header(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.HOUSING_SYSTEM)
    assert _post(secret, "/api/v1/homes", HOME_JSON, "home-1").status_code == 201

    other = _post(secret, "/api/v1/homes", {**HOME_JSON, "bedrooms": 2}, "home-1")

    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in other.json()["errors"]] == ["Idempotency-Key"]
    with organisation_scope(world.a.organisation.pk):
        assert Home.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_write_keeps_no_key_and_a_fixed_repeat_goes_through(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.AGENCY)

    refused = _post(secret, "/api/v1/referrals", {**REFERRAL_JSON, "children_ages": [4]}, "ref-2")
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["children_ages"]
    with organisation_scope(world.a.organisation.pk):
        assert not IdempotencyRecord.objects.exists()
        assert not Case.objects.exists()

    assert _post(secret, "/api/v1/referrals", {**REFERRAL_JSON, "children_ages": [4]}, "ref-2").status_code == 422
    assert _post(secret, "/api/v1/referrals", REFERRAL_JSON, "ref-3").status_code == 201


@pytest.mark.django_db
def test_a_write_without_a_key_is_refused_naming_the_header(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.AGENCY)

    response = Client().post(
        "/api/v1/referrals", json.dumps(REFERRAL_JSON), content_type="application/json", **bearer(secret)
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["Idempotency-Key"]
    with scopes_disabled():
        assert not Case.objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_one_token(world: World) -> None:
    _first, secret = make_token(world.a, TokenPurpose.AGENCY)
    _second, other_secret = make_token(world.a, TokenPurpose.AGENCY)

    assert _post(secret, "/api/v1/referrals", REFERRAL_JSON, "shared").status_code == 201
    assert _post(other_secret, "/api/v1/referrals", REFERRAL_JSON, "shared").status_code == 201

    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.count() == 2


CONCURRENT = 50


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction (IMMEDIATE mode), so concurrent requests "
    "cannot race there; the race is tested on PostgreSQL, as CI runs it.",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_with_one_key_make_one_case(world: World) -> None:
    _token, secret = make_token(world.a, TokenPurpose.AGENCY)
    barrier = threading.Barrier(CONCURRENT)
    responses: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            barrier.wait()
            response = _post(secret, "/api/v1/referrals", REFERRAL_JSON, "same-key")
            with lock:
                responses.append(response)
        except BaseException as exc:  # surfaced below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(responses) == CONCURRENT
    statuses = sorted({response.status_code for response in responses})
    assert statuses == [201], [response.content for response in responses if response.status_code != 201][:3]
    assert len({response.json()["id"] for response in responses}) == 1
    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.count() == 1
        assert ApiReferral.objects.count() == 1
        assert IdempotencyRecord.objects.count() == 1

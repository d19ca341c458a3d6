"""Canary rows for the API app's encrypted field (a stored write response, which may name a home's
address). Added to ``ROW_BUILDERS`` in tests/cases/test_canary.py."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from safemoves.api.models import IdempotencyRecord, TokenPurpose
from safemoves.common.scoping import organisation_scope
from tests.api.factories import HOME_JSON, bearer, make_token
from tests.factories import World


def api_rows(world: World) -> dict[str, list[Any]]:
    _token, secret = make_token(world.a, TokenPurpose.HOUSING_SYSTEM)
    response = Client().post(
        "/api/v1/homes",
        json.dumps({**HOME_JSON, "address": "1 Canary Row, Canterbury"}),
        content_type="application/json",
        **bearer(secret, idempotency_key="canary"),
    )
    assert response.status_code == 201
    with organisation_scope(world.a.organisation.pk):
        return {"api.idempotencyrecord": list(IdempotencyRecord.objects.all())}

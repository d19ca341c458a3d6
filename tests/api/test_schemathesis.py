"""Schemathesis over the whole API schema: no input gives a server error, every response
matches the schema, and no operation answers without its token.

Runs in the normal suite (so on SQLite and PostgreSQL in CI): each operation gets positive
(schema-valid) and negative (schema-breaking) cases, derandomised so that a run is repeatable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, response_schema_conformance

from safemoves.api.models import TokenPurpose
from tests.api.factories import make_token
from tests.factories import World

pytestmark = pytest.mark.django_db

# 10 operations x 2 modes x 50 = 1,000 generated requests (plus the ignored-auth probes).
EXAMPLES_PER_MODE = 50
CHECKS = [not_a_server_error, response_schema_conformance, ignored_auth]
PURPOSE_BY_TAG = {
    "Agency referrals": TokenPurpose.AGENCY,
    "Void homes": TokenPurpose.HOUSING_SYSTEM,
    "Offers": TokenPurpose.HOUSING_SYSTEM,
    "Cases": TokenPurpose.STAFF,
}


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application; the test's database transaction must survive each request,
    as Django's own test client arranges by not closing connections between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_whole_schema_survives_fuzzing(world: World, wsgi_app: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    secrets = {
        purpose: make_token(world.a, purpose, rate_per_minute=6000)[1]
        for purpose in (TokenPurpose.AGENCY, TokenPurpose.HOUSING_SYSTEM, TokenPurpose.STAFF)
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    sent = 0
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == 10

    for operation in operations:
        purpose = PURPOSE_BY_TAG[(operation.tags or [""])[0]]
        headers = {"Authorization": f"Bearer {secrets[purpose]}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                nonlocal sent
                case.call_and_validate(headers=headers, checks=CHECKS)  # noqa: B023 - run at once, in this loop
                sent += 1

            run()

    assert sent >= 1000, f"only {sent} generated requests"

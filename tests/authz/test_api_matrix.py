"""The authorisation matrix of the API: for every operation, no token is a 401; a token of
another purpose, or of another landlord for landlord A's object, is a 404 that changes
nothing; the right token of landlord A is served."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse

from safemoves.api.core import api
from safemoves.api.models import TokenPurpose
from safemoves.cases.models import Case
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from tests.api.factories import HOME_JSON, REFERRAL_JSON, bearer, make_token
from tests.authz.api_matrix import API_ROOT, API_ROUTES, ApiRoute
from tests.authz.snapshot import database_digest
from tests.factories import Landlord, World

pytestmark = pytest.mark.django_db
PURPOSES = (TokenPurpose.AGENCY, TokenPurpose.HOUSING_SYSTEM, TokenPurpose.STAFF)
# Using a token dates and counts it on the token row: that is the only write a refusal makes.
TOKEN_USE = frozenset({"api.apitoken"})


def _tokens(landlord: Landlord) -> dict[str, str]:
    return {purpose: make_token(landlord, purpose)[1] for purpose in PURPOSES}


def _setup(world: World) -> tuple[dict[str, str], dict[str, str]]:
    cache.clear()
    tokens_a, tokens_b = _tokens(world.a), _tokens(world.b)
    client = Client()
    made = client.post(
        "/api/v1/referrals",
        json.dumps(REFERRAL_JSON),
        content_type="application/json",
        **bearer(tokens_a[TokenPurpose.AGENCY], idempotency_key="setup"),
    )
    assert made.status_code == 201
    world.extra["referral_id"] = made.json()["id"]
    with scopes_disabled():
        world.extra["case_id"] = str(Case.objects.get(organisation=world.a.organisation).pk)
    home = client.post(
        "/api/v1/homes",
        json.dumps(HOME_JSON),
        content_type="application/json",
        **bearer(tokens_a[TokenPurpose.HOUSING_SYSTEM], idempotency_key="setup"),
    )
    assert home.status_code == 201
    world.extra["home_id"] = home.json()["id"]
    return tokens_a, tokens_b


def _send(route: ApiRoute, world: World, secret: str | None, key: str) -> Any:
    headers = bearer(secret, idempotency_key=key) if secret else {"HTTP_IDEMPOTENCY_KEY": key}
    body = json.dumps(route.body(world)) if route.body else None
    client = Client()
    if route.method == "GET":
        return client.get(route.path(world), **headers)
    return client.generic(route.method, route.path(world), body or "", content_type="application/json", **headers)


def test_every_api_operation_is_in_the_matrix(world: World) -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), operation["operationId"])
        for methods in schema["paths"].values()
        for method, operation in methods.items()
    }
    described = {(route.method, route.operation_id) for route in API_ROUTES}
    assert operations == described
    world.extra.update(referral_id=uuid.uuid4(), home_id=uuid.uuid4(), case_id=uuid.uuid4())
    for route in API_ROUTES:
        assert resolve(route.path(world)).namespace == "api", route.operation_id


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda route: route.operation_id)
def test_api_operation_refuses_everyone_else(route: ApiRoute, world: World) -> None:
    tokens_a, tokens_b = _setup(world)
    callers: list[tuple[str, str | None, int]] = [("no token", None, 401), ("a wrong token", "smk_x_y", 401)]
    callers += [(f"landlord A's {p} token", tokens_a[p], 404) for p in PURPOSES if p != route.purpose]
    callers += [(f"landlord B's {p} token", tokens_b[p], 404) for p in PURPOSES if p != route.purpose]
    if route.targets_object:
        callers.append((f"landlord B's {route.purpose} token", tokens_b[route.purpose], 404))
    for label, secret, status in callers:
        before = database_digest(also_ignore=TOKEN_USE)
        response = _send(route, world, secret, key="refused-" + label.replace(" ", "-").replace("'", ""))
        assert response.status_code == status, f"{label}: {route.method} {route.path(world)}"
        assert response["Content-Type"] == "application/problem+json"
        assert database_digest(also_ignore=TOKEN_USE) == before, f"{label}: refused {route.operation_id} changed data"


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda route: route.operation_id)
def test_api_operation_serves_its_own_token(route: ApiRoute, world: World) -> None:
    tokens_a, _tokens_b = _setup(world)
    response = _send(route, world, tokens_a[route.purpose], key="own")
    assert response.status_code in (200, 201), response.content


def test_another_landlords_lists_show_none_of_landlord_as_records(world: World) -> None:
    _tokens_a, tokens_b = _setup(world)
    client = Client()
    assert client.get("/api/v1/referrals", **bearer(tokens_b[TokenPurpose.AGENCY])).json() == []
    assert client.get("/api/v1/cases", **bearer(tokens_b[TokenPurpose.STAFF])).json() == []
    assert client.get("/api/v1/offers", **bearer(tokens_b[TokenPurpose.HOUSING_SYSTEM])).json() == []


def test_a_staff_token_sees_only_what_its_member_sees_on_the_web(world: World) -> None:
    _setup(world)
    officer_token = make_token(world.a, TokenPurpose.STAFF, acting_role=Role.OFFICER)[1]
    client = Client()
    # An unassigned new case is in the triage inbox, which officers see.
    assert client.get(f"/api/v1/cases/{world.extra['case_id']}", **bearer(officer_token)).status_code == 200
    with scopes_disabled():
        case = Case.objects.filter(pk=str(world.extra["case_id"]))
        case.update(assigned_officer=world.a[Role.MANAGER], status="open")
    # Assigned to someone else: the officer's token, like the officer, gets "not found".
    assert client.get(f"/api/v1/cases/{world.extra['case_id']}", **bearer(officer_token)).status_code == 404
    assert client.get("/api/v1/cases", **bearer(officer_token)).json() == []


def test_the_api_root_is_not_found(world: World) -> None:
    assert Client().get(reverse(API_ROOT)).status_code == 404

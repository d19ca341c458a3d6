from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.organisations.models import Role
from tests.authz.api_matrix import API_URL_NAMES
from tests.authz.matrix import PUBLIC, ROUTES, Route, url_pattern_names
from tests.authz.snapshot import database_digest
from tests.factories import World, sign_in

STAFF_ROUTES = [route for route in ROUTES if route.allowed != PUBLIC]
PUBLIC_ROUTES = [route for route in ROUTES if route.allowed == PUBLIC]


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, data)


def _url(route: Route, world: World) -> str:
    if route.setup is not None:
        route.setup(world)
    return reverse(route.name, kwargs=route.kwargs(world))


def _may_use(route: Route, landlord_label: str, role: Role) -> bool:
    assert isinstance(route.allowed, frozenset)
    return role in route.allowed and (landlord_label == "A" or not route.targets_object)


def test_every_url_pattern_is_in_the_matrix() -> None:
    described = {route.name for route in ROUTES}
    assert len(described) == len(ROUTES), "a route is described twice"
    # The API's operations are called with tokens, not sessions: tests/authz/api_matrix.py describes
    # them (and test_api_matrix.py checks it against every operation of the OpenAPI document).
    assert described & API_URL_NAMES == set(), "an API operation is described in the session matrix"
    described |= API_URL_NAMES
    assert url_pattern_names() - described == set(), "URL patterns missing from tests/authz/matrix.py"
    assert described - url_pattern_names() == set(), "the matrix describes URLs that no longer exist"


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=lambda route: route.name)
def test_staff_route_is_refused_to_everyone_else(route: Route, world: World) -> None:
    url = _url(route, world)
    data = route.post_data(world)
    for method in route.methods:
        before = database_digest()
        response = _send(Client(), method, url, data)
        assert response.status_code == 302, f"anonymous {method} {url}"
        assert response["Location"].startswith(reverse("accounts:login")), f"anonymous {method} {url}"
        assert database_digest() == before, f"anonymous {method} {url} changed stored data"

    for label, _landlord, role, user in world.members():
        if _may_use(route, label, role):
            continue
        client = sign_in(Client(), user)
        for method in route.methods:
            before = database_digest()
            response = _send(client, method, url, data)
            assert response.status_code == 404, (
                f"{role} of landlord {label}: {method} {url} gave {response.status_code}"
            )
            assert database_digest() == before, f"{role} of landlord {label}: refused {method} {url} changed data"


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=lambda route: route.name)
def test_staff_route_serves_its_own_roles(route: Route, world: World) -> None:
    url = _url(route, world)
    assert isinstance(route.allowed, frozenset)
    roles = sorted(route.allowed) if route.methods == ("GET",) else sorted(route.allowed)[:1]
    for role in roles:
        client = sign_in(Client(), world.a[role])
        for method in route.methods:
            response = _send(client, method, url, route.post_data(world))
            assert response.status_code in (200, 302), (
                f"{role} of landlord A: {method} {url} gave {response.status_code}"
            )


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=lambda route: route.name)
def test_public_route_answers_anonymous_visitors(route: Route, world: World) -> None:
    url = _url(route, world)
    for method in route.methods:
        response = _send(Client(), method, url, route.post_data(world))
        assert response.status_code in (200, 302), f"anonymous {method} {url} gave {response.status_code}"

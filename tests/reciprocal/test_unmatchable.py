"""Issue 10 item 12: the officer learns early when a request cannot be matched, and a
lettings officer whose home fits nothing sees which rules failed, counted, with no place."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.properties.models import Home
from safemoves.reciprocal import pool
from safemoves.reciprocal.models import MoveRequest
from safemoves.safety import services as safety_services
from safemoves.safety.codes import PlaceKind
from tests.factories import World, sign_in
from tests.reciprocal.factories import circulated_request, make_home, reciprocal_case

SCHOOL = "CT1 3EP"  # Canterbury
JOB = "ME14 1PS"  # Maidstone, 40 km away


def _request_near(world: World, places: list[tuple[str, str]]) -> MoveRequest:
    case = reciprocal_case(world.a)
    with organisation_scope(world.a.organisation.pk):
        for postcode, radius in places:
            safety_services.place_add(
                case=case, actor=world.a[Role.MANAGER], kind=PlaceKind.NEAR, postcode=postcode, radius_km=radius
            )
    return circulated_request(world.a, case)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_required_places_with_no_common_point_warn_the_referring_officer_only(world: World) -> None:
    request = _request_near(world, [(SCHOOL, "4"), (JOB, "4")])

    assert pool.request_warnings(request) == [
        "Places to live near 1 and 2 are 40 km apart with radii of 4 and 4 km: no home can be within reach "
        "of both. Widen a radius or remove one of them on the options appraisal."
    ]
    own = sign_in(Client(), world.a[Role.OFFICER])
    page = _text(own.get(reverse("reciprocal:request_detail", kwargs={"request_id": request.pk})).content.decode())
    assert "No home can match this request as it stands" in page
    assert "40 km apart" in page
    other = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    pool_page = other.get(reverse("reciprocal:pool_request", kwargs={"request_id": request.pk})).content.decode()
    assert "No home can match" not in pool_page
    assert "km apart" not in pool_page


def test_a_radius_smaller_than_the_safety_margin_warns(world: World) -> None:
    request = _request_near(world, [(SCHOOL, "1")])
    [warning] = pool.request_warnings(request)
    assert warning.startswith("Place to live near 1 has a radius of 1 km: with the scheme's safety margin")
    assert re.search(r"Widen it to at least [23] km\.$", warning)


def test_places_that_can_be_met_together_give_no_warning(world: World) -> None:
    assert pool.request_warnings(_request_near(world, [(SCHOOL, "10"), ("CT2 7NZ", "10")])) == []


def test_a_home_that_fits_nothing_shows_the_failed_rules_counted_without_places(world: World) -> None:
    circulated_request(world.a, reciprocal_case(world.a))  # needs 2 bedrooms; avoids 5 km around Chatham
    circulated_request(world.a, reciprocal_case(world.a, name="John Example"))
    too_big = make_home(world.b, bedrooms=5, address="1 Saxon Rise")
    near_danger = make_home(world.b, postcode="ME4 4AA", address="2 Saxon Rise")  # Chatham, Medway
    with scopes_disabled():
        Home.objects.filter(pk=near_danger.pk).update(tenancy_offered="4")
        near_danger.refresh_from_db()
    membership = world.b[Role.LETTINGS_OFFICER].membership

    assert pool.unmet_rules_for_home(membership, too_big) == [("bedrooms", 2)]
    assert pool.unmet_rules_for_home(membership, near_danger) == [("safety/location", 2), ("tenure", 2)]
    client = sign_in(Client(), world.b[Role.LETTINGS_OFFICER])
    page = _text(client.get(reverse("reciprocal:home_fits", kwargs={"home_id": near_danger.pk})).content.decode())
    assert "safety/location: 2 requests" in page
    assert "tenure: 2 requests" in page
    assert "Chatham" not in page
    assert "ME4" not in page


def test_the_failed_rules_of_one_pair(world: World) -> None:
    request = circulated_request(world.a, reciprocal_case(world.a))
    assert pool.home_fit_failures(make_home(world.b), request) == []
    assert pool.home_fit_failures(make_home(world.b, bedrooms=5, address="5 Saxon Rise"), request) == ["bedrooms"]

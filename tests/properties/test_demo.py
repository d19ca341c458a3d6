"""Demo void homes: real postcodes in each landlord's own districts, created once."""

from __future__ import annotations

from collections import Counter

import pytest

from safemoves.common.scoping import scopes_disabled
from safemoves.demo.consortium import LANDLORDS
from safemoves.demo.properties import seed_demo_homes
from safemoves.demo.seed import seed_demo_consortium
from safemoves.geo import lookup_postcode
from safemoves.properties.models import Home


@pytest.mark.django_db
def test_demo_homes_sit_at_real_postcodes_in_each_landlords_districts() -> None:
    seed_demo_consortium()

    assert seed_demo_homes(per_landlord=3) == 3 * len(LANDLORDS)
    assert seed_demo_homes(per_landlord=3) == 0  # idempotent

    with scopes_disabled():
        homes = list(Home.objects.select_related("organisation"))
    assert Counter(home.organisation.slug for home in homes) == {landlord.slug: 3 for landlord in LANDLORDS}
    areas_of = {landlord.slug: set(landlord.areas) for landlord in LANDLORDS}
    for home in homes:
        assert home.area_code in areas_of[home.organisation.slug]
        place = lookup_postcode(home.postcode)
        assert place.area_code == home.area_code
        assert (home.latitude, home.longitude) == (round(place.lat, 3), round(place.lon, 3))
    assert len({home.postcode for home in homes}) == len(homes)
    assert {home.bedrooms for home in homes} >= {1, 2, 3, 4}
    assert {home.pets_allowed for home in homes} == {True, False}

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safemoves.geo import EARTH_RADIUS_KM, haversine_km, lookup_postcode, round_distance_km

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
distances = st.floats(min_value=0, max_value=25_000, allow_nan=False)


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(51, 0.5, 52, 0.5) == pytest.approx(111.195, abs=0.001)


def test_one_degree_of_longitude_shrinks_with_latitude() -> None:
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(60, 0, 60, 1) == pytest.approx(55.6, abs=0.1)


def test_london_to_paris() -> None:
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.56, abs=0.01)


def test_medway_to_canterbury() -> None:
    medway, canterbury = lookup_postcode("ME1 1AA"), lookup_postcode("CT1 1AA")

    distance = haversine_km(medway.lat, medway.lon, canterbury.lat, canterbury.lon)

    assert distance == pytest.approx(42.32, abs=0.01)
    # The spherical Earth is within 0.5 % of the OS grid's ellipsoidal distance.
    grid = math.dist((medway.easting, medway.northing), (canterbury.easting, canterbury.northing))
    assert distance == pytest.approx(grid / 1000, rel=0.005)


def test_antipodes_are_half_a_circumference_apart() -> None:
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_is_symmetric_and_bounded(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    there = haversine_km(lat1, lon1, lat2, lon2)

    assert there == pytest.approx(haversine_km(lat2, lon2, lat1, lon1), abs=1e-6)
    assert 0 <= there <= math.pi * EARTH_RADIUS_KM + 1e-6


@given(latitudes, longitudes)
def test_distance_to_itself_is_zero(lat: float, lon: float) -> None:
    assert haversine_km(lat, lon, lat, lon) == 0


@given(latitudes, longitudes, latitudes, longitudes, latitudes, longitudes)
def test_triangle_inequality(lat1: float, lon1: float, lat2: float, lon2: float, lat3: float, lon3: float) -> None:
    direct = haversine_km(lat1, lon1, lat3, lon3)
    via = haversine_km(lat1, lon1, lat2, lon2) + haversine_km(lat2, lon2, lat3, lon3)

    assert direct <= via + 1e-6


@pytest.mark.parametrize(
    ("distance", "shown"),
    [
        (0.0, 1),
        (0.05, 1),
        (0.99, 1),
        (1.0, 1),
        (1.49, 1),
        (1.5, 2),
        (2.5, 3),
        (10.49, 10),
        (42.32, 42),
    ],
)
def test_round_distance_to_whole_km_never_below_one(distance: float, shown: int) -> None:
    assert round_distance_km(distance) == shown


@pytest.mark.parametrize("distance", [-0.1, math.nan, math.inf])
def test_round_distance_rejects_impossible_distances(distance: float) -> None:
    with pytest.raises(ValueError, match="a distance must be a finite number of km"):
        round_distance_km(distance)


@given(distances)
def test_rounded_distance_is_at_least_one_and_within_half_a_km(distance: float) -> None:
    shown = round_distance_km(distance)

    assert isinstance(shown, int)
    assert shown >= 1
    assert shown == 1 or abs(shown - distance) <= 0.5


@given(distances, distances)
def test_rounding_never_reverses_order(a: float, b: float) -> None:
    if a <= b:
        assert round_distance_km(a) <= round_distance_km(b)

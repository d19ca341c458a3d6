import threading

import pytest

from safemoves.geo import Place, PostcodeError, lookup_many, lookup_postcode, normalise_postcode
from safemoves.geo.postcodes import BRITISH_NATIONAL_GRID, IRISH_GRID


def test_medway_postcode_has_exact_location() -> None:
    place = lookup_postcode("ME1 1AA")

    assert place.postcode == "ME1 1AA"
    assert place.area_code == "E06000035"
    assert (place.easting, place.northing) == (574570, 168212)
    assert (round(place.lat, 4), round(place.lon, 4)) == (51.3861, 0.5074)
    assert place.grid_crs == BRITISH_NATIONAL_GRID


def test_canterbury_postcode_has_exact_location() -> None:
    place = lookup_postcode("CT1 1AA")

    assert place == Place(
        postcode="CT1 1AA",
        lat=place.lat,
        lon=place.lon,
        area_code="E07000106",
        easting=615886,
        northing=158470,
    )
    assert (round(place.lat, 4), round(place.lon, 4)) == (51.2844, 1.0944)


def test_northern_ireland_grid_reference_is_read_on_the_irish_grid() -> None:
    # Belfast City Hall; read on the British grid it would land in north Wales.
    place = lookup_postcode("BT1 5GS")

    assert place.area_code == "N09000003"
    assert place.grid_crs == IRISH_GRID
    assert (round(place.lat, 3), round(place.lon, 3)) == (54.597, -5.930)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me11aa", "ME1 1AA"),
        ("  ct1   1aa ", "CT1 1AA"),
        ("ME1 1AA", "ME1 1AA"),
        ("m11aa", "M1 1AA"),
        ("m1 1aa", "M1 1AA"),
        ("da151aa", "DA15 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("w1m 1aa", "W1M 1AA"),
        ("ec1a\t1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode_upper_cases_and_puts_one_space_before_inward_code(text: str, expected: str) -> None:
    assert normalise_postcode(text) == expected


def test_lower_case_input_without_space_is_looked_up() -> None:
    assert lookup_postcode("me11aa") == lookup_postcode("ME1 1AA")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ME1",
        "1AA",
        "ME1 1A",
        "ME1 1AAA",
        "ME1-1AA",
        "1ME 1AA",
        "MEE1 1AA",
        "ME1 AA1",
        "ZZ99 9ZZ",  # second letter is never Z
        "NPT 0AD",  # obsolete pseudo-postcode, not a postcode format
        "ME1 1AA; DROP TABLE",
        "M£1 1AA",
    ],
)
def test_malformed_postcodes_are_rejected(text: str) -> None:
    with pytest.raises(PostcodeError, match="is not a valid UK postcode format"):
        normalise_postcode(text)
    with pytest.raises(PostcodeError, match="is not a valid UK postcode format"):
        lookup_postcode(text)


def test_malformed_input_is_not_echoed_in_full() -> None:
    with pytest.raises(PostcodeError) as caught:
        normalise_postcode("A" * 500)

    assert str(caught.value) == f"'{'A' * 20}…' is not a valid UK postcode format"


@pytest.mark.parametrize("text", ["ZX9 9ZZ", "ME1 1ZZ", "QA1 1AA"])
def test_well_formed_but_unknown_postcode_is_not_found(text: str) -> None:
    with pytest.raises(PostcodeError) as caught:
        lookup_postcode(text)

    assert str(caught.value) == f"{text} was not found in the ONS Postcode Directory"


@pytest.mark.parametrize("text", ["JE1 0BD", "GIR 0AA", "M1 9FN"])
def test_postcode_without_grid_reference_is_not_found(text: str) -> None:
    # Jersey, the old Girobank postcode and a Manchester large-user postcode are in the
    # directory with blank coordinates.
    with pytest.raises(PostcodeError, match="was not found in the ONS Postcode Directory"):
        lookup_postcode(text)


def test_lookup_many_returns_a_result_per_distinct_input() -> None:
    results = lookup_many(["me1 1aa", "not a postcode", "ZX9 9ZZ", "CT1 1AA", "me1 1aa", "JE1 0BD"])

    assert list(results) == ["me1 1aa", "not a postcode", "ZX9 9ZZ", "CT1 1AA", "JE1 0BD"]
    assert results["me1 1aa"] == lookup_postcode("ME1 1AA")
    assert isinstance(results["CT1 1AA"], Place)
    assert results["CT1 1AA"].area_code == "E07000106"
    assert str(results["not a postcode"]) == ("'not a postcode' is not a valid UK postcode format")
    assert str(results["ZX9 9ZZ"]) == "ZX9 9ZZ was not found in the ONS Postcode Directory"
    assert isinstance(results["JE1 0BD"], PostcodeError)


def test_lookup_many_of_nothing_is_empty() -> None:
    assert lookup_many([]) == {}


def test_concurrent_first_lookups_agree() -> None:
    postcodes = ["YO1 7HH"] * 8
    results: list[Place] = []
    lock = threading.Lock()

    def look_up(postcode: str) -> None:
        place = lookup_postcode(postcode)
        with lock:
            results.append(place)

    threads = [threading.Thread(target=look_up, args=(postcode,)) for postcode in postcodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 8
    assert {place.area_code for place in results} == {"E06000014"}  # York
    assert len(set(results)) == 1


def test_place_is_immutable() -> None:
    place = lookup_postcode("ME1 1AA")

    with pytest.raises(AttributeError):
        place.lat = 0.0  # type: ignore[misc]

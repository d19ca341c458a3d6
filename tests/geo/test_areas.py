import string

import pytest

from safemoves.geo import (
    AREA_NAMES,
    AREAS,
    KENT_AND_MEDWAY,
    area_centroid,
    area_name,
    haversine_km,
    is_known_area,
    lookup_postcode,
)
from safemoves.geo.build_areas import OUTPUT, build, render
from safemoves.geo.postcodes import read_letter_columns


@pytest.fixture(scope="module")
def directory_area_codes() -> set[str]:
    codes: set[str] = set()
    for letter in string.ascii_uppercase:
        codes.update(code for code in read_letter_columns(letter)["laua"] if isinstance(code, str))
    return codes


def test_every_listed_code_occurs_in_the_postcode_directory(directory_area_codes: set[str]) -> None:
    assert set(AREA_NAMES) <= directory_area_codes


def test_kent_and_medway_are_the_thirteen_districts() -> None:
    assert {code: area_name(code) for code in KENT_AND_MEDWAY} == {
        "E07000105": "Ashford",
        "E07000106": "Canterbury",
        "E07000107": "Dartford",
        "E07000108": "Dover",
        "E07000109": "Gravesham",
        "E07000110": "Maidstone",
        "E07000111": "Sevenoaks",
        "E07000112": "Folkestone and Hythe",
        "E07000113": "Swale",
        "E07000114": "Thanet",
        "E07000115": "Tonbridge and Malling",
        "E07000116": "Tunbridge Wells",
        "E06000035": "Medway",
    }
    assert len(KENT_AND_MEDWAY) == 13


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E09000004", "Bexley"),
        ("E09000006", "Bromley"),
        ("E09000011", "Greenwich"),
        ("E09000023", "Lewisham"),
        ("E07000061", "Eastbourne"),
        ("E07000065", "Wealden"),
        ("E07000209", "Guildford"),
        ("E07000215", "Tandridge"),
        ("E06000043", "Brighton and Hove"),
    ],
)
def test_neighbouring_districts_are_named(code: str, name: str) -> None:
    assert is_known_area(code)
    assert area_name(code) == name


def test_all_london_boroughs_and_the_city_are_known() -> None:
    assert all(is_known_area(f"E090000{number:02d}") for number in range(1, 34))


def test_postcode_areas_match_their_districts() -> None:
    assert area_name(lookup_postcode("CT1 1AA").area_code) == "Canterbury"
    assert lookup_postcode("ME1 1AA").area_code in KENT_AND_MEDWAY
    assert area_name(lookup_postcode("DA5 1AA").area_code) == "Bexley"


def test_unknown_area_is_not_known() -> None:
    assert not is_known_area("E99999999")
    assert not is_known_area("")
    with pytest.raises(KeyError, match="is not a local authority district SafeMoves knows"):
        area_name("E99999999")
    with pytest.raises(KeyError, match="is not a local authority district SafeMoves knows"):
        area_centroid("E99999999")


def test_centroids_are_inside_the_uk() -> None:
    for area in AREAS.values():
        assert 49.8 < area.lat < 60.9, area
        assert -8.7 < area.lon < 1.8, area


def test_kent_and_medway_centroids_are_in_kent() -> None:
    for code in KENT_AND_MEDWAY:
        lat, lon = area_centroid(code)
        assert 50.9 < lat < 51.5, code
        assert 0.0 < lon < 1.45, code


def test_canterbury_centroid_is_near_the_city() -> None:
    canterbury = lookup_postcode("CT1 1AA")

    assert haversine_km(canterbury.lat, canterbury.lon, *area_centroid("E07000106")) < 10


def test_committed_areas_file_matches_a_rebuild_from_the_directory() -> None:
    # build() also checks every code is in the directory and every name by its anchor town.
    assert OUTPUT.read_text(encoding="utf-8") == render(build())

"""Reading and checking import files: every kind of problem, with its exact message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from safemoves.cases.codes import CoreTenancy
from safemoves.properties import importing
from safemoves.properties.codes import WheelchairStandard
from safemoves.properties.importing import ImportFileError, check_table, read_table
from tests.properties.helpers import GOOD_ROW, csv_bytes, row, xlsx_bytes


def _problems(content: bytes, name: str = "homes.csv") -> list[str]:
    return [str(error) for error in check_table(read_table(content, name)).errors]


def test_csv_with_byte_order_mark_and_loose_header_names_is_read() -> None:
    header = [name.upper().replace("_", " ") for name in importing.COLUMN_NAMES]  # "WEEKLY RENT", ...
    # csv_bytes looks values up by header name, so the row is keyed by the loose names too.
    content = csv_bytes([dict(zip(header, GOOD_ROW.values(), strict=True))], header=header, bom=True)

    check = check_table(read_table(content, "Homes.CSV"))

    assert check.errors == []
    assert check.rows == 1
    [(line, home)] = check.good
    assert line == 2
    assert home.postcode == "ME1 1AA"
    assert home.area_code == "E06000035"  # Medway
    assert (home.latitude, home.longitude) == (51.386, 0.507)  # rounded to 3 places
    data = home.data
    assert data.address == "Flat 2, 7 Orchard Row, Chatham"
    assert data.uprn == "44012345678"
    assert (data.bedrooms, data.floor, data.has_lift, data.step_free) == (2, 1, True, True)
    assert (data.wheelchair_standard, data.pets_allowed) == ("2", False)
    assert data.weekly_rent == Decimal("104.50")
    assert data.tenancy_offered == "7"
    assert data.available_from == date(2026, 3, 1)


def test_xlsx_built_with_openpyxl_is_read_with_typed_cells() -> None:
    cells = [
        "3 Cobnut Walk, Canterbury",
        "ct1 1aa",
        100023456789,
        "E07000106",
        51.2841,
        1.0951,
        3,
        0,
        False,
        "No",
        "none",
        True,
        98.5,
        "Assured (lifetime)",
        datetime(2026, 5, 18),  # noqa: DTZ001 - a spreadsheet date cell has no zone
    ]
    check = check_table(read_table(xlsx_bytes([cells]), "homes.xlsx"))

    assert check.errors == []
    [(line, home)] = check.good
    assert line == 2
    assert (home.postcode, home.area_code) == ("CT1 1AA", "E07000106")  # Canterbury
    assert (home.latitude, home.longitude) == (51.284, 1.095)  # the coordinates given, rounded
    assert home.data.uprn == "100023456789"
    assert (home.data.bedrooms, home.data.has_lift, home.data.step_free, home.data.pets_allowed) == (
        3,
        False,
        False,
        True,
    )
    assert home.data.wheelchair_standard == "3"
    assert home.data.weekly_rent == Decimal("98.50")
    assert home.data.tenancy_offered == "2"
    assert home.data.available_from == date(2026, 5, 18)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"bedrooms": "three"}, "bedrooms: must be a whole number from 1 to 7, got 'three'"),
        ({"bedrooms": "8"}, "bedrooms: must be a whole number from 1 to 7, got '8'"),
        ({"bedrooms": ""}, "bedrooms: is empty; enter a whole number from 1 to 7"),
        ({"postcode": "ME1 9ZZ"}, "postcode: 'ME1 9ZZ' was not found in the ONS Postcode Directory"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode: 'ZZ99 9ZZ' is not a valid UK postcode"),
        ({"postcode": "GY1 1AA"}, "postcode: 'GY1 1AA' has no location in the ONS Postcode Directory"),
        (
            {"postcode": "EH1 1AA"},
            "postcode: 'EH1 1AA' is in district S12000036, outside the districts SafeMoves covers",
        ),
        ({"postcode": ""}, "postcode: is empty; enter the home's postcode"),
        ({"address": " "}, "address: is empty; enter the home's address"),
        ({"address": "x" * 501}, "address: must be at most 500 characters, got 501"),
        ({"uprn": "12A"}, "uprn: must be up to 12 digits, got '12A'"),
        ({"uprn": "1234567890123"}, "uprn: must be up to 12 digits, got '1234567890123'"),
        ({"area_code": "Medway"}, "area_code: must be an ONS district code such as E06000035, got 'Medway'"),
        ({"area_code": "E09999999"}, "area_code: 'E09999999' is not a district SafeMoves covers"),
        (
            {"area_code": "E07000110"},
            "area_code: E07000110 (Maidstone) is not the district of ME1 1AA, Medway (E06000035); "
            "correct one of them or leave area_code empty",
        ),
        ({"latitude": "51.38"}, "longitude: is empty; give both latitude and longitude, or neither"),
        (
            {"latitude": "40.1", "longitude": "0.5"},
            "latitude: must be a latitude in decimal degrees from 49 to 61 (the UK), got '40.1'",
        ),
        (
            {"latitude": "51.5", "longitude": "east"},
            "longitude: must be a longitude in decimal degrees from -9 to 2 (the UK), got 'east'",
        ),
        (
            {"latitude": "51.28", "longitude": "1.08"},
            "latitude: the coordinates are 41.5 km from the centre of ME1 1AA, more than 1 km; "
            "check the latitude, longitude and postcode, or leave both empty to use the postcode",
        ),
        ({"floor": "-1"}, "floor: must be a whole number from 0 (ground floor) to 50, got '-1'"),
        ({"lift": "maybe"}, "lift: must be yes or no, got 'maybe'"),
        ({"pets": ""}, "pets: is empty; enter yes or no"),
        (
            {"wheelchair": "ramp"},
            "wheelchair: must be one of 0 (fully wheelchair accessible), 1 (wheelchair access to essential rooms), "
            "2 (level access), 3 (none of these), got 'ramp'",
        ),
        ({"step_free": "no"}, "step_free: must be yes for a home with level access"),
        (
            {"lift": "no", "wheelchair": "3"},
            "step_free: cannot be yes for a home on floor 1 without a lift",
        ),
        ({"weekly_rent": "abc"}, "weekly_rent: must be an amount in pounds and pence from 0.01 to 2000.00, got 'abc'"),
        (
            {"weekly_rent": "104.505"},
            "weekly_rent: must be an amount in pounds and pence from 0.01 to 2000.00, got '104.505'",
        ),
        ({"weekly_rent": "0"}, "weekly_rent: must be an amount in pounds and pence from 0.01 to 2000.00, got '0'"),
        (
            {"tenancy": "1"},
            "tenancy: must be a CORE tenancy code: 2 (assured (lifetime)), 3 (other), "
            "4 (assured shorthold (fixed term)), 5 (licence), 6 (secure (fixed term)), 7 (secure (lifetime)), "
            "8 (periodic), got '1'",
        ),
        ({"available_from": "31/02/2026"}, "available_from: is not a real date, got '31/02/2026'"),
        (
            {"available_from": "2026/03/01"},
            "available_from: must be a date as YYYY-MM-DD or DD/MM/YYYY, got '2026/03/01'",
        ),
    ],
)
def test_each_kind_of_bad_value_is_named_by_line_and_column(changes: dict[str, str], problem: str) -> None:
    content = csv_bytes([GOOD_ROW, row(**{"uprn": "", **changes})])

    check = check_table(read_table(content, "homes.csv"))

    assert [str(error) for error in check.errors] == [f"line 3, {problem}"]
    assert [line for line, _ in check.good] == [2]


def test_one_row_can_have_several_problems_in_column_order() -> None:
    content = csv_bytes([row(bedrooms="three", postcode="", tenancy="x", pets="perhaps")])

    problems = _problems(content)

    assert [problem.split(":")[0] for problem in problems] == [
        "line 2, postcode",
        "line 2, bedrooms",
        "line 2, pets",
        "line 2, tenancy",
    ]


def test_line_numbers_are_spreadsheet_rows_with_blank_rows_and_line_breaks_in_cells() -> None:
    content = csv_bytes([row(address="Flat 1\n3 Saxon Rise"), {}, row(uprn="", bedrooms="nine")])

    check = check_table(read_table(content, "homes.csv"))

    assert check.rows == 2
    assert [str(error) for error in check.errors] == [
        "line 4, bedrooms: must be a whole number from 1 to 7, got 'nine'"
    ]


def test_a_uprn_twice_in_the_file_or_already_listed_is_refused() -> None:
    content = csv_bytes([row(uprn="1001"), row(uprn="1001"), row(uprn="2002")])

    check = check_table(read_table(content, "homes.csv"), taken_uprns=frozenset({"2002"}))

    assert [str(error) for error in check.errors] == [
        "line 3, uprn: 1001 is also on line 2 of this file",
        "line 4, uprn: 2002 is already listed as one of your void homes",
    ]


def test_cells_beyond_the_named_columns_are_a_row_problem() -> None:
    header = [*importing.COLUMN_NAMES, "surplus"]
    content = csv_bytes([GOOD_ROW, {**GOOD_ROW, "uprn": "", "surplus": "oops"}], header=header)
    content = content.replace(b",surplus\r\n", b"\r\n", 1)  # the header names only the real columns

    assert _problems(content) == ["line 3, row: has 1 filled cell(s) to the right of the last named column"]


ACCEPTED = (
    "address, postcode, uprn, area_code, latitude, longitude, bedrooms, floor, lift, step_free, wheelchair, pets, "
    "weekly_rent, tenancy, available_from"
)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            csv_bytes([], header=[*importing.COLUMN_NAMES, "Colour"]),
            "homes.csv",
            f"unknown column 'colour'; the accepted columns are: {ACCEPTED}",
        ),
        (
            csv_bytes([], header=[name for name in importing.COLUMN_NAMES if name not in ("pets", "tenancy")]),
            "homes.csv",
            f"missing column 'pets', 'tenancy'; the accepted columns are: {ACCEPTED}",
        ),
        (
            csv_bytes([], header=[*importing.COLUMN_NAMES, "Postcode"]),
            "homes.csv",
            "column 'postcode' appears more than once",
        ),
        (
            csv_bytes([], header=["address", "", "postcode"]),
            "homes.csv",
            f"column 2 of the first row has no name; the accepted columns are: {ACCEPTED}",
        ),
        (csv_bytes([]), "homes.csv", "the file has a header row but no homes"),
        (b"", "homes.csv", "the file is empty"),
        (b"\r\n", "homes.csv", "the first row must name the columns; it is empty"),
        (
            b"address,postcode\r\n\xa3100\r\n",
            "homes.csv",
            ("the file is not UTF-8 text; in your spreadsheet choose Save As, then CSV UTF-8 (comma delimited)"),
        ),
        (
            b"PK\x03\x04 not really a workbook",
            "homes.xlsx",
            ("the file is not a readable .xlsx workbook; save it again as Excel Workbook (.xlsx)"),
        ),
        (
            b"anything",
            "homes.xls",
            ("only .csv and .xlsx files can be imported; save the spreadsheet as CSV UTF-8 or .xlsx"),
        ),
        (
            b"x" * (5 * 1024 * 1024 + 1),
            "homes.csv",
            ("the file is 5.0 MB; the largest accepted is 5 MB: split it into smaller files"),
        ),
    ],
    ids=[
        "unknown-column",
        "missing-columns",
        "repeated-column",
        "unnamed-column",
        "no-rows",
        "empty",
        "empty-header",
        "not-utf8",
        "not-xlsx",
        "wrong-type",
        "too-large",
    ],
)
def test_a_file_that_cannot_be_taken_says_why(content: bytes, name: str, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(content, name)
    assert str(caught.value) == message


def test_more_than_five_thousand_homes_is_refused_before_any_row_is_checked() -> None:
    content = csv_bytes([{"address": "x"}] * (importing.MAX_ROWS + 1))

    with pytest.raises(ImportFileError) as caught:
        read_table(content, "homes.csv")

    assert str(caught.value) == "the file has more than 5,000 homes; split it into files of at most 5,000"


def test_xlsx_header_problems_are_reported_like_csv_ones() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(xlsx_bytes([], header=["Address", "Postcode", "Colour"]), "homes.xlsx")
    assert str(caught.value) == f"unknown column 'colour'; the accepted columns are: {ACCEPTED}"


def test_template_is_the_header_row() -> None:
    assert importing.template_csv() == ",".join(importing.COLUMN_NAMES) + "\r\n"


def test_code_lists_mirror_the_core_choices() -> None:
    assert dict(importing.TENANCY_CODES) == dict(CoreTenancy.choices)
    assert dict(importing.WHEELCHAIR_CODES) == dict(WheelchairStandard.choices)

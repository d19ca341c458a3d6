"""The limits, codes and columns of a void-home import, and the value types it produces."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ALL_OR_NOTHING = "all_or_nothing"


KEEP_GOOD_ROWS = "keep_good_rows"


MAX_FILE_BYTES = 5 * 1024 * 1024


MAX_ROWS = 5_000


# An XLSX header row is read this far to the right: a sheet's used range can be far wider
# than its data, and reading thousands of empty cells per row costs time for nothing.
MAX_HEADER_CELLS = 64


MAX_ADDRESS_CHARS = 500


MAX_BEDROOMS = 7


MAX_FLOOR = 50


MAX_WEEKLY_RENT = Decimal("2000.00")


# Plain coordinate columns keep 3 decimal places (about 110 m north-south, 70 m east-west in
# Kent): enough for distances the scheme shows in whole kilometres, never a front door (ADR 0008).
COORDINATE_DECIMALS = 3


# A home's position is only as certain as what can be verified: its postcode (ADR 0012). At
# the postcode's centre the home is taken to lie within this distance (most Kent postcode
# units fit inside it; the disc goes to matching as contract v2 `uncertainty_km`).
POSTCODE_UNCERTAINTY_KM = 0.25


# Coordinates typed beside a postcode must lie this close to its centre, and the home's
# uncertainty grows by their distance from it, so the disc always covers the postcode's own:
# typed coordinates never make a home look more certain than its postcode, and cannot place
# a home anywhere a postcode does not.
COORDINATES_MAX_KM_FROM_POSTCODE = 1.0


UK_LATITUDES = (49.0, 61.0)


UK_LONGITUDES = (-9.0, 2.0)


# CORE lettings `tenancy` codes (2024/25), mirrored from safemoves.cases.codes.CoreTenancy
# (a test keeps the two equal).
TENANCY_CODES: Mapping[str, str] = {
    "2": "Assured (lifetime)",
    "3": "Other",
    "4": "Assured shorthold (fixed term)",
    "5": "Licence",
    "6": "Secure (fixed term)",
    "7": "Secure (lifetime)",
    "8": "Periodic",
}


# CORE lettings `housingneeds_type` (2024/25), mirrored by codes.WheelchairStandard.
WHEELCHAIR_CODES: Mapping[str, str] = {
    "0": "Fully wheelchair accessible",
    "1": "Wheelchair access to essential rooms",
    "2": "Level access",
    "3": "None of these",
}


WHEELCHAIR_NONE = "3"


_WHEELCHAIR_WORDS = {"none": WHEELCHAIR_NONE, "no": WHEELCHAIR_NONE}


_TRUE = frozenset({"yes", "y", "true", "1"})


_FALSE = frozenset({"no", "n", "false", "0"})


_AREA_CODE_RE = re.compile(r"[EWSN]\d{8}")


_UPRN_RE = re.compile(r"\d{1,12}")


_UK_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


_HEADER_SPACES_RE = re.compile(r"[\s-]+")


_ECHO_CHARS = 40


@dataclass(frozen=True)
class Column:
    name: str
    field: str  # the HomeInput attribute it fills
    required: bool
    accepts: str


COLUMNS: tuple[Column, ...] = (
    Column("address", "address", True, f"The full address, up to {MAX_ADDRESS_CHARS} characters."),
    Column("postcode", "postcode", True, "A UK postcode in the ONS Postcode Directory, e.g. ME1 1AA."),
    Column("uprn", "uprn", False, "Unique Property Reference Number: up to 12 digits."),
    Column("area_code", "area_code", False, "ONS district code, e.g. E06000035. Empty: the postcode's district."),
    Column(
        "latitude",
        "latitude",
        False,
        "Decimal degrees, within 1 km of the postcode's centre. Empty: the postcode's centre.",
    ),
    Column("longitude", "longitude", False, "Decimal degrees, e.g. 0.507. Give both or neither."),
    Column("bedrooms", "bedrooms", True, f"A whole number from 1 to {MAX_BEDROOMS}."),
    Column("floor", "floor", True, f"A whole number from 0 (ground floor) to {MAX_FLOOR}."),
    Column("lift", "has_lift", True, "yes or no (also true/false, 1/0)."),
    Column("step_free", "step_free", True, "yes or no (also true/false, 1/0)."),
    Column(
        "wheelchair",
        "wheelchair_standard",
        True,
        "CORE code: 0 fully wheelchair accessible, 1 wheelchair access to essential rooms, "
        "2 level access, 3 none of these (or the words, or none).",
    ),
    Column("pets", "pets_allowed", True, "yes or no (also true/false, 1/0)."),
    Column("weekly_rent", "weekly_rent", True, "Pounds and pence, e.g. 104.50 (a £ sign is fine)."),
    Column(
        "tenancy",
        "tenancy_offered",
        True,
        "CORE code: " + ", ".join(f"{code} {label.lower()}" for code, label in TENANCY_CODES.items()) + ".",
    ),
    Column("available_from", "available_from", True, "A date as YYYY-MM-DD or DD/MM/YYYY."),
)


COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)


COLUMN_OF_FIELD: Mapping[str, str] = {column.field: column.name for column in COLUMNS}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, type, encoding, header, row count)."""


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` is the spreadsheet row (None for the file as a whole)."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"file: {self.message}"
        return f"line {self.line}, {self.column}: {self.message}"


@dataclass(frozen=True)
class HomeInput:
    """A home as typed or imported, before its postcode is resolved."""

    address: str
    postcode: str
    bedrooms: int
    floor: int
    has_lift: bool
    step_free: bool
    wheelchair_standard: str
    pets_allowed: bool
    weekly_rent: Decimal
    tenancy_offered: str
    available_from: date
    uprn: str = ""
    area_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ResolvedHome:
    """A checked home: postcode normalised, district and (rounded) coordinates settled."""

    data: HomeInput
    postcode: str
    area_code: str
    latitude: float
    longitude: float
    uncertainty_km: float = POSTCODE_UNCERTAINTY_KM

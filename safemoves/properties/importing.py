"""Reading and checking void homes: CSV/XLSX files, one row at a time, and the one-home form.

No Django import here, so the rules can be read, tested and reused on their own. The same
checks serve a single home typed into the form (:func:`resolve_home`) and every row of an
import (:func:`check_table`), so a home is never accepted one way and refused the other.

Line numbers are the row numbers a spreadsheet shows: the header is line 1, the first home
line 2 (a CSV cell with a line break inside quotes still counts as one row).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from safemoves.geo import (
    Place,
    PostcodeError,
    area_name,
    haversine_km,
    is_known_area,
    lookup_many,
    lookup_postcode,
    normalise_postcode,
)

__all__ = [
    "ALL_OR_NOTHING",
    "COLUMNS",
    "KEEP_GOOD_ROWS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "HomeInput",
    "ImportFileError",
    "ResolvedHome",
    "RowError",
    "Table",
    "TableCheck",
    "check_table",
    "read_table",
    "resolve_home",
    "template_csv",
    "too_large_message",
]

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


def uncertainty_covering_postcode(latitude: float, longitude: float, place: Place) -> float:
    """The disc around the stored (rounded) point that covers the postcode's own disc.

    Measured from the stored point, so the rounding and any typed offset are both inside it;
    rounded up to 10 m.
    """
    distance = haversine_km(latitude, longitude, place.lat, place.lon)
    return math.ceil((POSTCODE_UNCERTAINTY_KM + distance) * 100) / 100


FieldErrors = list[tuple[str, str]]  # (HomeInput field, message)
Lookup = Callable[[str], Place]


def _echo(value: object) -> str:
    text = _text(value)
    return repr(text if len(text) <= _ECHO_CHARS else text[:_ECHO_CHARS] + "…")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- one value at a time: each returns the value or raises ValueError with the message --


def _whole_number(value: object, low: int, high: int, rule: str) -> int:
    text = _text(value)
    if not text:
        raise ValueError(f"is empty; enter {rule}")
    if isinstance(value, bool) or not re.fullmatch(r"-?\d+", text) or not low <= int(text) <= high:
        raise ValueError(f"must be {rule}, got {_echo(value)}")
    return int(text)


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if not text:
        raise ValueError("is empty; enter yes or no")
    raise ValueError(f"must be yes or no, got {_echo(value)}")


def _wheelchair(value: object) -> str:
    text = _text(value).lower()
    if text in WHEELCHAIR_CODES:
        return text
    if text in _WHEELCHAIR_WORDS:
        return _WHEELCHAIR_WORDS[text]
    for code, label in WHEELCHAIR_CODES.items():
        if text == label.lower():
            return code
    rule = ", ".join(f"{code} ({label.lower()})" for code, label in WHEELCHAIR_CODES.items())
    if not text:
        raise ValueError(f"is empty; enter one of {rule}")
    raise ValueError(f"must be one of {rule}, got {_echo(value)}")


def _tenancy(value: object) -> str:
    text = _text(value).lower()
    if text in TENANCY_CODES:
        return text
    for code, label in TENANCY_CODES.items():
        if text == label.lower():
            return code
    rule = ", ".join(f"{code} ({label.lower()})" for code, label in TENANCY_CODES.items())
    if not text:
        raise ValueError(f"is empty; enter a CORE tenancy code: {rule}")
    raise ValueError(f"must be a CORE tenancy code: {rule}, got {_echo(value)}")


def _rent(value: object) -> Decimal:
    rule = f"an amount in pounds and pence from 0.01 to {MAX_WEEKLY_RENT}"
    text = _text(repr(value) if isinstance(value, float) else value).replace("£", "").replace(",", "").strip()
    if not text:
        raise ValueError(f"is empty; enter {rule}")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"must be {rule}, got {_echo(value)}") from None
    exponent = amount.as_tuple().exponent
    if (
        not amount.is_finite()
        or not isinstance(exponent, int)
        or exponent < -2
        or not Decimal("0.01") <= amount <= MAX_WEEKLY_RENT
    ):
        raise ValueError(f"must be {rule}, got {_echo(value)}")
    return amount.quantize(Decimal("0.01"))


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    rule = "a date as YYYY-MM-DD or DD/MM/YYYY"
    if not text:
        raise ValueError(f"is empty; enter {rule}")
    try:
        if _ISO_DATE_RE.fullmatch(text):
            return date.fromisoformat(text)
        match = _UK_DATE_RE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        raise ValueError(f"is not a real date, got {_echo(value)}") from None
    raise ValueError(f"must be {rule}, got {_echo(value)}")


def _coordinate(value: object, bounds: tuple[float, float], kind: str) -> float | None:
    text = _text(repr(value) if isinstance(value, float) else value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    low, high = bounds
    if not low <= number <= high:
        raise ValueError(f"must be a {kind} in decimal degrees from {low:g} to {high:g} (the UK), got {_echo(value)}")
    return number


def _address(value: object) -> str:
    text = _text(value)
    if not text:
        raise ValueError("is empty; enter the home's address")
    if len(text) > MAX_ADDRESS_CHARS:
        raise ValueError(f"must be at most {MAX_ADDRESS_CHARS} characters, got {len(text)}")
    return text


def _postcode(value: object) -> str:
    text = _text(value)
    if not text:
        raise ValueError("is empty; enter the home's postcode")
    return text


def _uprn(value: object) -> str:
    text = _text(value)
    if text and not _UPRN_RE.fullmatch(text):
        raise ValueError(f"must be up to 12 digits, got {_echo(value)}")
    return text


def _area_code(value: object) -> str:
    text = _text(value).upper()
    if not text:
        return ""
    if not _AREA_CODE_RE.fullmatch(text):
        raise ValueError(f"must be an ONS district code such as E06000035, got {_echo(value)}")
    if not is_known_area(text):
        raise ValueError(f"{text!r} is not a district SafeMoves covers")
    return text


_PARSERS: Mapping[str, Callable[[object], Any]] = {
    "address": _address,
    "postcode": _postcode,
    "uprn": _uprn,
    "area_code": _area_code,
    "latitude": lambda value: _coordinate(value, UK_LATITUDES, "latitude"),
    "longitude": lambda value: _coordinate(value, UK_LONGITUDES, "longitude"),
    "bedrooms": lambda value: _whole_number(value, 1, MAX_BEDROOMS, f"a whole number from 1 to {MAX_BEDROOMS}"),
    "floor": lambda value: _whole_number(value, 0, MAX_FLOOR, f"a whole number from 0 (ground floor) to {MAX_FLOOR}"),
    "has_lift": _yes_no,
    "step_free": _yes_no,
    "wheelchair_standard": _wheelchair,
    "pets_allowed": _yes_no,
    "weekly_rent": _rent,
    "tenancy_offered": _tenancy,
    "available_from": _date,
}


def parse_row(cells: Mapping[str, object]) -> tuple[HomeInput | None, FieldErrors]:
    """Turn one row's cells (keyed by column name) into a :class:`HomeInput`."""
    values: dict[str, Any] = {}
    errors: FieldErrors = []
    for column in COLUMNS:
        try:
            values[column.field] = _PARSERS[column.field](cells.get(column.name))
        except ValueError as error:
            errors.append((column.field, str(error)))
    if errors:
        return None, errors
    return HomeInput(**values), []


# -- the whole home --


def _consistency(data: HomeInput) -> FieldErrors:
    errors: FieldErrors = []
    if (data.latitude is None) != (data.longitude is None):
        missing = "longitude" if data.longitude is None else "latitude"
        errors.append((missing, "is empty; give both latitude and longitude, or neither"))
    if data.wheelchair_standard != WHEELCHAIR_NONE and not data.step_free:
        label = WHEELCHAIR_CODES[data.wheelchair_standard].lower()
        errors.append(("step_free", f"must be yes for a home with {label}"))
    elif data.step_free and data.floor > 0 and not data.has_lift:
        errors.append(("step_free", f"cannot be yes for a home on floor {data.floor} without a lift"))
    return errors


def _postcode_problem(postcode: str, error: PostcodeError) -> str:
    if "grid reference" in str(error):
        return f"{postcode!r} has no location in the ONS Postcode Directory"
    return f"{postcode!r} was not found in the ONS Postcode Directory"


def resolve_home(data: HomeInput, *, lookup: Lookup = lookup_postcode) -> tuple[ResolvedHome | None, FieldErrors]:
    """Check a home as a whole and settle its district and coordinates from its postcode.

    The postcode decides the district. An ``area_code`` that disagrees is an error rather
    than being corrected quietly: districts decide where a survivor may be sent, and a
    disagreement means one of the two is wrong. Coordinates given beside the postcode are
    kept if they lie within ``COORDINATES_MAX_KM_FROM_POSTCODE`` of its centre, and the home's
    uncertainty grows by their distance from it, so its disc always covers the postcode's own
    (ADR 0012): only the postcode is verified.
    """
    # Typed values (the form, other services, the demo) pass the same per-value rules as cells.
    _, errors = parse_row({column.name: getattr(data, column.field) for column in COLUMNS})
    bad = {name for name, _ in errors}
    if not errors:
        errors.extend(_consistency(data))
    place = None if "postcode" in bad else _place(data.postcode, lookup, errors)
    if place is None:
        return None, errors
    if "area_code" not in bad and data.area_code and data.area_code != place.area_code:
        errors.append(
            (
                "area_code",
                f"{data.area_code} ({area_name(data.area_code)}) is not the district of {place.postcode}, "
                f"{area_name(place.area_code)} ({place.area_code}); correct one of them or leave area_code empty",
            )
        )
    latitude, longitude = place.lat, place.lon
    if not bad & {"latitude", "longitude"} and data.latitude is not None and data.longitude is not None:
        distance = haversine_km(data.latitude, data.longitude, place.lat, place.lon)
        if distance > COORDINATES_MAX_KM_FROM_POSTCODE:
            errors.append(
                (
                    "latitude",
                    f"the coordinates are {distance:.1f} km from the centre of {place.postcode}, more than "
                    f"{COORDINATES_MAX_KM_FROM_POSTCODE:.0f} km; check the latitude, longitude and postcode, "
                    "or leave both empty to use the postcode",
                )
            )
        latitude, longitude = data.latitude, data.longitude
    if errors:
        return None, errors
    latitude, longitude = round(latitude, COORDINATE_DECIMALS), round(longitude, COORDINATE_DECIMALS)
    return (
        ResolvedHome(
            data=data,
            postcode=place.postcode,
            area_code=place.area_code,
            latitude=latitude,
            longitude=longitude,
            uncertainty_km=uncertainty_covering_postcode(latitude, longitude, place),
        ),
        [],
    )


def _place(text: str, lookup: Lookup, errors: FieldErrors) -> Place | None:
    """The postcode's place in a district SafeMoves covers, or None with the reason in ``errors``."""
    try:
        postcode = normalise_postcode(text)
    except PostcodeError:
        errors.append(("postcode", f"{_text(text)[:_ECHO_CHARS]!r} is not a valid UK postcode"))
        return None
    try:
        place = lookup(postcode)
    except PostcodeError as error:
        errors.append(("postcode", _postcode_problem(postcode, error)))
        return None
    if not is_known_area(place.area_code):
        errors.append(
            ("postcode", f"{postcode!r} is in district {place.area_code}, outside the districts SafeMoves covers")
        )
        return None
    return place


# -- files --


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, object]
    extra_cells: int = 0


@dataclass(frozen=True)
class Table:
    rows: list[RawRow]


def _header_name(cell: object) -> str:
    return _HEADER_SPACES_RE.sub("_", _text(cell).lower())


def _check_header(cells: list[object]) -> list[str]:
    while cells and not _text(cells[-1]):
        cells.pop()
    if not cells:
        raise ImportFileError("the first row must name the columns; it is empty")
    names = [_header_name(cell) for cell in cells]
    accepted = ", ".join(COLUMN_NAMES)
    blank = [str(position) for position, name in enumerate(names, start=1) if not name]
    if blank:
        raise ImportFileError(
            f"column {', '.join(blank)} of the first row has no name; the accepted columns are: {accepted}"
        )
    unknown = [name for name in names if name not in COLUMN_NAMES]
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise ImportFileError(f"unknown column {listed}; the accepted columns are: {accepted}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(f"column {', '.join(repr(name) for name in repeated)} appears more than once")
    missing = [column.name for column in COLUMNS if column.required and column.name not in names]
    if missing:
        raise ImportFileError(
            f"missing column {', '.join(repr(name) for name in missing)}; the accepted columns are: {accepted}"
        )
    return names


def _table(header: list[object], rows: Iterable[tuple[int, list[object]]]) -> Table:
    names = _check_header(header)
    table: list[RawRow] = []
    for line, cells in rows:
        if not any(_text(cell) for cell in cells):
            continue  # blank rows between homes are ignored
        if len(table) == MAX_ROWS:
            raise ImportFileError(
                f"the file has more than {MAX_ROWS:,} homes; split it into files of at most {MAX_ROWS:,}"
            )
        extra = [cell for cell in cells[len(names) :] if _text(cell)]
        table.append(RawRow(line=line, cells=dict(zip(names, cells, strict=False)), extra_cells=len(extra)))
    if not table:
        raise ImportFileError("the file has a header row but no homes")
    return Table(rows=table)


def _csv_rows(text: str) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header: list[object] = list(next(reader, []))
    except csv.Error as error:
        raise ImportFileError(f"line 1 is not valid CSV: {error}") from None

    def body() -> Iterator[tuple[int, list[object]]]:
        line = 1
        while True:
            line += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(f"line {line} is not valid CSV: {error}") from None
            yield line, list(cells)

    return header, body()


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "the file is not UTF-8 text; in your spreadsheet choose Save As, then CSV UTF-8 (comma delimited)"
        ) from None
    header, body = _csv_rows(text)
    return _table(header, body)


XLSX_UNREADABLE = "the file is not a readable .xlsx workbook; save it again as Excel Workbook (.xlsx)"


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # noqa: PLC0415 - only imports need it

    # The file is untrusted and openpyxl reads its parts lazily: a broken workbook, styles or
    # sheet part can fail with any exception (XML, zip, key, type errors) when opened or while
    # its rows are read. Every such failure means the same thing to the person importing.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(XLSX_UNREADABLE) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheet")
        sheet = workbook.worksheets[0]
        header_rows = sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_CELLS, values_only=True)
        header = list(next(header_rows, ()))
        width = len(_check_header(list(header)))
        body = (
            (line, list(cells))
            for line, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2)
        )
        return _table(header, body)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(XLSX_UNREADABLE) from None
    finally:
        workbook.close()


def too_large_message(size: int) -> str:
    megabytes = size / (1024 * 1024)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return f"the file is {megabytes:.1f} MB; the largest accepted is {limit} MB: split it into smaller files"


def read_table(content: bytes, file_name: str) -> Table:
    """The rows of a CSV or XLSX file; :class:`ImportFileError` if the file cannot be taken."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(too_large_message(len(content)))
    if not content:
        raise ImportFileError("the file is empty")
    lowered = file_name.lower()
    if lowered.endswith(".csv"):
        return _read_csv(content)
    if lowered.endswith(".xlsx"):
        return _read_xlsx(content)
    raise ImportFileError("only .csv and .xlsx files can be imported; save the spreadsheet as CSV UTF-8 or .xlsx")


@dataclass
class TableCheck:
    """The outcome of checking every row: homes ready to write and the problems found."""

    good: list[tuple[int, ResolvedHome]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def bad_lines(self) -> set[int]:
        return {error.line for error in self.errors if error.line is not None}


def check_table(table: Table, *, taken_uprns: frozenset[str] = frozenset()) -> TableCheck:
    """Check every row; ``taken_uprns`` are UPRNs of homes the landlord already lists."""
    check = TableCheck(rows=len(table.rows))
    parsed: list[tuple[int, HomeInput]] = []
    for row in table.rows:
        if row.extra_cells:
            check.errors.append(
                RowError(row.line, "row", f"has {row.extra_cells} filled cell(s) to the right of the last named column")
            )
            continue
        data, errors = parse_row(row.cells)
        check.errors.extend(RowError(row.line, COLUMN_OF_FIELD.get(name, name), message) for name, message in errors)
        if data is not None:
            parsed.append((row.line, data))
    normalised = set()
    for _, data in parsed:
        try:
            normalised.add(normalise_postcode(data.postcode))
        except PostcodeError:
            continue  # resolve_home reports it on its row
    places = lookup_many(sorted(normalised))

    def lookup(postcode: str) -> Place:
        result = places.get(postcode)
        if result is None:
            return lookup_postcode(postcode)
        if isinstance(result, PostcodeError):
            raise result
        return result

    first_line_of_uprn: dict[str, int] = {}
    for line, data in parsed:
        resolved, errors = resolve_home(data, lookup=lookup)
        if data.uprn and data.uprn in taken_uprns:
            errors.append(("uprn", f"{data.uprn} is already listed as one of your void homes"))
        elif data.uprn in first_line_of_uprn:
            errors.append(("uprn", f"{data.uprn} is also on line {first_line_of_uprn[data.uprn]} of this file"))
        elif data.uprn:
            first_line_of_uprn[data.uprn] = line
        if errors:
            check.errors.extend(RowError(line, COLUMN_OF_FIELD.get(name, name), message) for name, message in errors)
        elif resolved is not None:
            check.good.append((line, resolved))
    check.errors.sort(
        key=lambda error: (error.line or 0, COLUMN_NAMES.index(error.column) if error.column in COLUMN_NAMES else -1)
    )
    return check


def template_csv() -> str:
    """The header row of an import file, for the template download."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(COLUMN_NAMES)
    return buffer.getvalue()

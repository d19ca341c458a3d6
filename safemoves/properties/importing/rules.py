"""The home rules: one home's cells parsed, checked for consistency and its place resolved.

The same rules serve the one-home form and every row of a file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from safemoves.geo import (
    Place,
    PostcodeError,
    area_name,
    haversine_km,
    is_known_area,
    lookup_postcode,
    normalise_postcode,
)
from safemoves.properties.importing.columns import (
    _AREA_CODE_RE,
    _ECHO_CHARS,
    _FALSE,
    _ISO_DATE_RE,
    _TRUE,
    _UK_DATE_RE,
    _UPRN_RE,
    _WHEELCHAIR_WORDS,
    COLUMNS,
    COORDINATE_DECIMALS,
    COORDINATES_MAX_KM_FROM_POSTCODE,
    MAX_ADDRESS_CHARS,
    MAX_BEDROOMS,
    MAX_FLOOR,
    MAX_WEEKLY_RENT,
    POSTCODE_UNCERTAINTY_KM,
    TENANCY_CODES,
    UK_LATITUDES,
    UK_LONGITUDES,
    WHEELCHAIR_CODES,
    WHEELCHAIR_NONE,
    HomeInput,
    ResolvedHome,
)


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

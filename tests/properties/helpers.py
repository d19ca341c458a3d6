"""Builders for void-home tests: import files made in the test, and typical rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from safemoves.properties.importing import COLUMN_NAMES, HomeInput

GOOD_ROW: Mapping[str, str] = {
    "address": "Flat 2, 7 Orchard Row, Chatham",
    "postcode": "ME1 1AA",
    "uprn": "44012345678",
    "area_code": "",
    "latitude": "",
    "longitude": "",
    "bedrooms": "2",
    "floor": "1",
    "lift": "yes",
    "step_free": "yes",
    "wheelchair": "2",
    "pets": "no",
    "weekly_rent": "£104.50",
    "tenancy": "7",
    "available_from": "01/03/2026",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD_ROW, **changes}


def csv_bytes(
    rows: Iterable[Mapping[str, object]], *, header: Sequence[str] = COLUMN_NAMES, bom: bool = False
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, header: Sequence[str] = COLUMN_NAMES) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def home_input(**changes: Any) -> HomeInput:
    values: dict[str, Any] = {
        "address": "14 Hopfield Close, Canterbury",
        "postcode": "CT1 1AA",
        "bedrooms": 3,
        "floor": 0,
        "has_lift": False,
        "step_free": False,
        "wheelchair_standard": "3",
        "pets_allowed": True,
        "weekly_rent": Decimal("121.00"),
        "tenancy_offered": "2",
        "available_from": date(2026, 4, 1),
    }
    values.update(changes)
    return HomeInput(**values)

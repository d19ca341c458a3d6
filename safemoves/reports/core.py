"""The CORE lettings export of reciprocal moves, checked against versioned code lists.

CORE (the national social-housing lettings return) changes its code lists by collection year
(1 April to 31 March). Each year's list is a data file ``data/core_lettings_YYYY_YY.json``
naming its source; every exported code is checked against the year's list and a wrong one
refuses the whole export, naming the field (nothing half-written is handed out).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")

# The household was referred by its own (other) social landlord through the scheme.
RECIPROCAL_REFERRAL = "10"
# Reason for leaving the last settled home.
REASON_JOINT_TENANCY_WITH_PARTNER = "48"
REASON_DOMESTIC_ABUSE_OTHER = "49"
STARTER_YES, STARTER_NO = "1", "2"

COLUMNS = ("collection_year", "startdate", "tenancy", "startertenancy", "reason", "referral")
CODED_FIELDS = ("tenancy", "startertenancy", "reason", "referral")


class CoreCodeError(ValueError):
    """A code not in the collection year's published list; names the field."""

    def __init__(self, field: str, code: str, year: str) -> None:
        self.field = field
        self.code = code
        super().__init__(f"CORE field '{field}': code '{code}' is not in the {year} code list.")


@dataclass(frozen=True)
class CodeList:
    collection_year: str
    starts: date
    ends: date
    source: str
    fields: dict[str, dict[str, str]]

    def check(self, field: str, code: str) -> None:
        if field not in self.fields or code not in self.fields[field]:
            raise CoreCodeError(field, code, self.collection_year)


def _file_of(year: str) -> Path:
    return DATA / f"core_lettings_{year.replace('/', '_')}.json"


def available_years() -> list[str]:
    years = [path.stem.removeprefix("core_lettings_").replace("_", "/") for path in DATA.glob("core_lettings_*.json")]
    return sorted(years)


@cache
def code_list(year: str) -> CodeList:
    """The code list of a collection year such as "2025/26"; ValueError for a year with none."""
    if not YEAR_PATTERN.match(year) or year not in available_years():
        raise ValueError(f"There is no CORE code list for the collection year '{year}'.")
    raw: dict[str, Any] = json.loads(_file_of(year).read_text(encoding="utf-8"))
    if raw.get("collection_year") != year:
        raise ValueError(f"{_file_of(year).name} names the collection year {raw.get('collection_year')!r}.")
    fields = {str(name): {str(k): str(v) for k, v in codes.items()} for name, codes in raw["fields"].items()}
    missing = set(CODED_FIELDS) - set(fields)
    if missing:
        raise ValueError(f"{_file_of(year).name} lacks the fields {sorted(missing)}.")
    return CodeList(year, date.fromisoformat(raw["starts"]), date.fromisoformat(raw["ends"]), raw["source"], fields)


def collection_year_of(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def core_rows(year: str, lettings: list[tuple[date, str, bool, bool]]) -> list[tuple[str, ...]]:
    """Coded rows for (move date, new tenure, starter period carried over, joint tenancy with partner).

    Every code is checked against the year's list; the first wrong one raises CoreCodeError.
    """
    codes = code_list(year)
    rows: list[tuple[str, ...]] = []
    for move_date, tenure, starter, joint_with_partner in lettings:
        row = {
            "collection_year": year,
            "startdate": move_date.isoformat(),
            "tenancy": tenure,
            "startertenancy": STARTER_YES if starter else STARTER_NO,
            "reason": REASON_JOINT_TENANCY_WITH_PARTNER if joint_with_partner else REASON_DOMESTIC_ABUSE_OTHER,
            "referral": RECIPROCAL_REFERRAL,
        }
        for field in CODED_FIELDS:
            codes.check(field, row[field])
        rows.append(tuple(row[column] for column in COLUMNS))
    return rows

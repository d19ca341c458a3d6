"""The local authority districts the product knows: ONS codes, names and centroids.

The data is generated from the ONS Postcode Directory by :mod:`safemoves.geo.build_areas`
into ``data/areas.json`` and read once at import, so nothing is scanned at run time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "AREAS",
    "AREA_NAMES",
    "KENT_AND_MEDWAY",
    "Area",
    "area_centroid",
    "area_name",
    "is_known_area",
]

AREAS_FILE = Path(__file__).parent / "data" / "areas.json"
KENT_AND_MEDWAY_GROUP = "Kent and Medway"


@dataclass(frozen=True, slots=True)
class Area:
    """A local authority district; ``lat``/``lon`` is the mean of its postcodes' centres."""

    code: str
    name: str
    group: str
    lat: float
    lon: float


def _load() -> Mapping[str, Area]:
    document = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    return MappingProxyType(
        {
            row["code"]: Area(
                code=row["code"],
                name=row["name"],
                group=row["group"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
            for row in document["areas"]
        }
    )


AREAS: Mapping[str, Area] = _load()
AREA_NAMES: Mapping[str, str] = MappingProxyType({code: a.name for code, a in AREAS.items()})
KENT_AND_MEDWAY: tuple[str, ...] = tuple(code for code, area in AREAS.items() if area.group == KENT_AND_MEDWAY_GROUP)


def is_known_area(code: str) -> bool:
    return code in AREAS


def area_name(code: str) -> str:
    """The ONS name of a district; ``KeyError`` naming the code if the product does not know it."""
    try:
        return AREA_NAMES[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a local authority district SafeMoves knows") from None


def area_centroid(code: str) -> tuple[float, float]:
    """(latitude, longitude) of the district's postcode-weighted centre."""
    try:
        area = AREAS[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a local authority district SafeMoves knows") from None
    return area.lat, area.lon

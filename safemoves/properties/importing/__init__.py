"""Reading and checking void homes: CSV/XLSX files, one row at a time, and the one-home form.

No Django import here, so the rules can be read, tested and reused on their own. The same
checks serve a single home typed into the form (:func:`resolve_home`) and every row of an
import (:func:`check_table`), so a home is never accepted one way and refused the other.

Line numbers are the row numbers a spreadsheet shows: the header is line 1, the first home
line 2 (a CSV cell with a line break inside quotes still counts as one row).

Split (ADR 0029) into the home rules and the file reading: `columns` (limits, codes, the
columns and the value types), `rules` (one home's cells parsed and its postcode and place
resolved) and `files` (CSV/XLSX read into a table, every row checked, the template).
Every public name is re-exported here.
"""

from __future__ import annotations

from safemoves.properties.importing.columns import (
    ALL_OR_NOTHING,
    COLUMN_NAMES,
    COLUMN_OF_FIELD,
    COLUMNS,
    COORDINATE_DECIMALS,
    COORDINATES_MAX_KM_FROM_POSTCODE,
    KEEP_GOOD_ROWS,
    MAX_ADDRESS_CHARS,
    MAX_BEDROOMS,
    MAX_FILE_BYTES,
    MAX_FLOOR,
    MAX_HEADER_CELLS,
    MAX_ROWS,
    MAX_WEEKLY_RENT,
    POSTCODE_UNCERTAINTY_KM,
    TENANCY_CODES,
    UK_LATITUDES,
    UK_LONGITUDES,
    WHEELCHAIR_CODES,
    WHEELCHAIR_NONE,
    Column,
    HomeInput,
    ImportFileError,
    ResolvedHome,
    RowError,
)
from safemoves.properties.importing.files import (
    XLSX_UNREADABLE,
    RawRow,
    Table,
    TableCheck,
    check_table,
    read_table,
    template_csv,
    too_large_message,
)
from safemoves.properties.importing.rules import (
    FieldErrors,
    Lookup,
    parse_row,
    resolve_home,
    uncertainty_covering_postcode,
)

__all__ = [
    "ALL_OR_NOTHING",
    "COLUMNS",
    "COLUMN_NAMES",
    "COLUMN_OF_FIELD",
    "COORDINATES_MAX_KM_FROM_POSTCODE",
    "COORDINATE_DECIMALS",
    "KEEP_GOOD_ROWS",
    "MAX_ADDRESS_CHARS",
    "MAX_BEDROOMS",
    "MAX_FILE_BYTES",
    "MAX_FLOOR",
    "MAX_HEADER_CELLS",
    "MAX_ROWS",
    "MAX_WEEKLY_RENT",
    "POSTCODE_UNCERTAINTY_KM",
    "TENANCY_CODES",
    "UK_LATITUDES",
    "UK_LONGITUDES",
    "WHEELCHAIR_CODES",
    "WHEELCHAIR_NONE",
    "XLSX_UNREADABLE",
    "Column",
    "FieldErrors",
    "HomeInput",
    "ImportFileError",
    "Lookup",
    "RawRow",
    "ResolvedHome",
    "RowError",
    "Table",
    "TableCheck",
    "check_table",
    "parse_row",
    "read_table",
    "resolve_home",
    "template_csv",
    "too_large_message",
    "uncertainty_covering_postcode",
]

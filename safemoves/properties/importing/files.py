"""File reading: CSV/XLSX read into a table, every row checked, and the template file.

Line numbers are the row numbers a spreadsheet shows: the header is line 1, the first home
line 2 (a CSV cell with a line break inside quotes still counts as one row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from safemoves.geo import (
    Place,
    PostcodeError,
    lookup_many,
    lookup_postcode,
    normalise_postcode,
)
from safemoves.properties.importing.columns import (
    _HEADER_SPACES_RE,
    COLUMN_NAMES,
    COLUMN_OF_FIELD,
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_HEADER_CELLS,
    MAX_ROWS,
    HomeInput,
    ImportFileError,
    ResolvedHome,
    RowError,
)
from safemoves.properties.importing.rules import _text, parse_row, resolve_home


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

"""A workbook broken in any of its parts is refused with the file-level message, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from safemoves.properties.importing import COLUMN_NAMES, XLSX_UNREADABLE, ImportFileError, read_table
from safemoves.properties.models import Home, HomeImport
from tests.factories import World, sign_in
from tests.properties.helpers import GOOD_ROW, xlsx_bytes


def _with_part(part: str, replacement: bytes) -> bytes:
    """A real workbook from openpyxl with one of its XML parts replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([[GOOD_ROW[name] for name in COLUMN_NAMES]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, replacement if item.filename == part else source.read(item.filename))
    return out.getvalue()


BROKEN = {
    "sheet-not-xml": ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c r='A1' t='s'><v>0"),
    "sheet-bad-cell-type": (
        "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>99999</v></c></row></sheetData></worksheet>',
    ),
    "styles-not-xml": ("xl/styles.xml", b"<styleSheet><numFmts count='1'><numFmt"),
    "workbook-not-xml": ("xl/workbook.xml", b"<workbook><sheets><sheet name="),
    "workbook-no-sheets-element": (
        "xl/workbook.xml",
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    ),
}


@pytest.mark.parametrize(("part", "replacement"), list(BROKEN.values()), ids=list(BROKEN))
def test_a_broken_part_is_an_unreadable_file(part: str, replacement: bytes) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(_with_part(part, replacement), "homes.xlsx")
    assert str(caught.value) in {XLSX_UNREADABLE, "the workbook has no sheet"}


@pytest.mark.parametrize(("part", "replacement"), list(BROKEN.values()), ids=list(BROKEN))
def test_the_import_page_reports_a_broken_workbook_and_stores_no_home(
    world: World, part: str, replacement: bytes
) -> None:
    lettings = sign_in(Client(), world.a[Role.LETTINGS_OFFICER])
    upload = io.BytesIO(_with_part(part, replacement))
    upload.name = "homes.xlsx"
    response = lettings.post(reverse("properties:import"), {"file": upload, "mode": "all_or_nothing"})
    assert response.status_code in {200, 302}
    with scopes_disabled():
        assert Home.objects.count() == 0
        assert HomeImport.objects.filter(rows_created__gt=0).count() == 0

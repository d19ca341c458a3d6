"""Small PDF documents (letters, case summaries, board packs) built with fpdf2 (ADR 0023).

Pure Python, no Django import. The font (Liberation Sans, shipped in ``data/fonts``) covers
Latin, Greek and Cyrillic, so names are printed as written; fpdf2 embeds only the glyphs used.
Nothing is fetched at run time.

    document = PdfDocument(title="Offer of a home")
    document.letterhead(["Medway Homes", "Gun Wharf, Chatham"])
    document.address(["Ms A Tenant", "c/o PO Box 1", "Maidstone"])
    document.heading("Offer of a home")
    document.paragraph("Dear ...")
    document.table(["Field", "Value"], [["Reference", "DA-0001"]])
    data: bytes = document.output()
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
FONT_FAMILY = "LiberationSans"
BODY_SIZE = 11
LINE_HEIGHT = 5.5

__all__ = ["PdfDocument"]


class PdfDocument:
    """An A4 portrait document with a letterhead, headings, paragraphs and tables."""

    def __init__(self, *, title: str, author: str = "SafeMoves") -> None:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "LiberationSans-Regular.ttf"))
        pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "LiberationSans-Bold.ttf"))
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator("SafeMoves")
        pdf.set_lang("en-GB")
        pdf.set_margins(left=20, top=18, right=20)
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        self._pdf = pdf

    def _lines(self, lines: Sequence[str], *, align: str = "L", bold: bool = False, size: float = BODY_SIZE) -> None:
        self._pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        for line in lines:
            self._pdf.multi_cell(0, LINE_HEIGHT, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._pdf.set_font(FONT_FAMILY, "", BODY_SIZE)

    def letterhead(self, lines: Sequence[str]) -> None:
        """The landlord's name (bold) and address lines, right-aligned at the top."""
        lines = [line for line in lines if line.strip()]
        if not lines:
            return
        self._lines(lines[:1], align="R", bold=True, size=13)
        self._lines(lines[1:], align="R", size=9)
        self.space(6)

    def address(self, lines: Sequence[str]) -> None:
        """The recipient's address block, left-aligned."""
        self._lines([line for line in lines if line.strip()])
        self.space(6)

    def heading(self, text: str, *, level: int = 1) -> None:
        self.space(2)
        self._lines([text], bold=True, size={1: 14, 2: 12}.get(level, BODY_SIZE))
        self.space(1)

    def paragraph(self, text: str) -> None:
        """A block of text; blank lines in ``text`` separate paragraphs."""
        for block in text.replace("\r\n", "\n").split("\n\n"):
            self._lines(block.split("\n"))
            self.space(3)

    def key_values(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label and value pairs, the label in bold."""
        for label, value in pairs:
            self._pdf.set_font(FONT_FAMILY, "B", BODY_SIZE)
            self._pdf.multi_cell(55, LINE_HEIGHT, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self._pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
            self._pdf.multi_cell(0, LINE_HEIGHT, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.space(2)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table with a header row (repeated on each page)."""
        self._pdf.set_font(FONT_FAMILY, "", 9)
        with self._pdf.table(
            line_height=4.5, headings_style=FontFace(emphasis="BOLD"), first_row_as_headings=True
        ) as table:
            header = table.row()
            for text in headers:
                header.cell(text)
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text or "—")
        self._pdf.set_font(FONT_FAMILY, "", BODY_SIZE)
        self.space(3)

    def space(self, millimetres: float) -> None:
        self._pdf.ln(millimetres)

    def output(self) -> bytes:
        return bytes(self._pdf.output())

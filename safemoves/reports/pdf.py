"""The board pack as a PDF, in pure Python (fpdf2): every table of the scheme dashboard.

Kept small and local to reports for now; a shared PDF helper may replace it later.
Text is limited to Latin-1 by the core fonts, so other characters are replaced.
"""

from __future__ import annotations

from fpdf import FPDF

from safemoves.reports.tables import Table, format_cell


def _latin1(text: str) -> str:
    return (
        text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").encode("latin-1", "replace").decode()
    )


def board_pack_pdf(title: str, subtitle: str, tables: list[Table]) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 8, _latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Aggregates only: counts of 1 to 4 households are shown as <5.", new_x="LMARGIN", new_y="NEXT")
    for table in tables:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, _latin1(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(text_align="LEFT", first_row_as_headings=True) as out:
            header = out.row()
            for column in table.columns:
                header.cell(_latin1(column))
            for row in table.rows:
                line = out.row()
                for cell in row:
                    line.cell(_latin1(format_cell(cell)))
        if table.note:
            pdf.set_font("Helvetica", "I", 8)
            pdf.multi_cell(0, 5, _latin1(table.note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

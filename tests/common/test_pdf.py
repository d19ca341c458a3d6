from __future__ import annotations

import re

from safemoves.common.pdf import PdfDocument


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def test_a_letter_with_names_beyond_latin_1_renders() -> None:
    document = PdfDocument(title="Offer of a home")
    document.letterhead(["Medway Homes", "Gun Wharf, Chatham"])
    document.address(["Łucja Żółć", "Ольга Петренко", "c/o PO Box 1"])
    document.heading("Offer of a home")
    document.paragraph("Dear Łucja,\n\nSecond paragraph.")
    document.key_values([("Reference", "DA-0001"), ("Empty", "")])
    data = document.output()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert _pages(data) == 1
    assert b"LiberationSans" in data  # the shipped font is embedded (subset)


def test_a_long_table_flows_onto_further_pages() -> None:
    document = PdfDocument(title="Board pack")
    document.table(["Landlord", "Homes given"], [[f"Landlord {n}", str(n)] for n in range(120)])
    assert _pages(document.output()) >= 2

"""The readable text of a response, whatever its format, for canary scans.

HTML, JSON and CSV are UTF-8 text. An XLSX workbook is a zip of XML parts, opened here so a
canary in any cell is found. A PDF keeps its text in deflated streams, inflated here; text set in
an embedded TrueType font is written as glyph ids, which this does not map back, so a PDF that
must never carry a value is also checked where it is built (the letter and board-pack tests).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _pdf_text(content: bytes) -> str:
    parts = [content.decode("latin-1")]
    for raw in _PDF_STREAM.findall(content):
        try:
            parts.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            parts.append(raw.decode("latin-1"))
    return "\n".join(parts)


def response_text(response: Any) -> str:
    """Every character a response carries, decoded by its content type."""
    content: bytes = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return _pdf_text(content)
    if "spreadsheetml" in kind or content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")

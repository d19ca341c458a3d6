"""Checks on an uploaded file: its size, its real type (by content) and a safe name."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings

from safemoves.documents.models import FileType

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# The first bytes of each accepted format; a file that starts otherwise is refused whatever
# its name or the type the browser sent.
SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", FileType.PDF),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
    (b"\xff\xd8\xff", FileType.JPEG),
)
EXTENSIONS = {FileType.PDF: ".pdf", FileType.PNG: ".png", FileType.JPEG: ".jpg"}
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def sniff(data: bytes) -> FileType | None:
    for signature, file_type in SIGNATURES:
        if data.startswith(signature):
            return file_type
    return None


def safe_file_name(name: str, file_type: FileType) -> str:
    """A name safe to show and to send back in a header: the last path part, plain letters,
    digits, spaces and ``._()-`` only, at most 80 characters, with the extension of its real type."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = " ".join(_UNSAFE.sub(" ", stem).split()).strip(" .-") or "document"
    return stem[:80] + EXTENSIONS[file_type]

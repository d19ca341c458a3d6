"""Uploaded files stay in memory and are bounded in size (ADR 0023).

Django's default handlers write any upload over 2.5 MB to a temporary file: a police report
would lie in clear on disk before it is encrypted. This handler keeps every file in memory
and skips one larger than ``UPLOAD_MAX_BYTES``, marking the request so the view can say why.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def upload_was_too_large(request: Any) -> bool:
    return bool(getattr(request, "upload_too_large", False))


class BoundedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > upload_max_bytes():
            if self.request is not None:
                setattr(self.request, "upload_too_large", True)  # noqa: B010 - HttpRequest declares no such attribute
            self.file = BytesIO()
            raise SkipFile
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

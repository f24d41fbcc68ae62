"""A guard for file uploads: each file's bytes are counted as they arrive.

Django reads a whole upload (to memory or a temporary file) before a view sees it, so
a view that checks ``upload.size`` has already received a file of any size. With
``SizeLimitedUploads`` first among the request's upload handlers, a file that passes
the limit is skipped at that moment: its remaining bytes are read and dropped, its
temporary file is deleted, and its name is kept in ``refused`` so that the page can
say which file was too large. The request is still answered normally (a browser shows
the page, not a broken connection).

A view changes the upload handlers before anything reads ``request.POST``; Django's
CSRF check reads it, so such a view is ``csrf_exempt`` and checks the token itself
right after (``csrf_protect`` on an inner function), as Django's documentation shows.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


class SizeLimitedUploads(FileUploadHandler):
    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.refused: list[str] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused.append(str(self.file_name or ""))
            raise SkipFile
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def limit_uploads(request: HttpRequest, limit: int) -> SizeLimitedUploads:
    """Put a size guard first among the request's upload handlers, and return it."""
    guard = SizeLimitedUploads(request, limit)
    # A new list: Django's is immutable once the body has been read (then this raises).
    request.upload_handlers = [guard, *request.upload_handlers]
    return guard

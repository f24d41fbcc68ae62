"""Writing a document within a time limit, so one huge document cannot hold a worker.

A document of ordinary size is written in-process, where the Typst compiler stays
warm (tens of milliseconds). A larger one is written by a child process
(``python -m samverkan.documents.bounded``) that is stopped when it runs past the
limit; the caller gets ``DocumentTooLargeError`` and tells the reader what to
shorten, and the worker that asked is free again. Nothing here knows Django.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from typing import Literal

from samverkan.documents.docx import render_docx
from samverkan.documents.model import Document
from samverkan.documents.pdf import render_pdf

Binary = Literal["docx", "pdf"]

# Up to this many characters of text a document is written in-process: well under a
# second even as PDF (bench/bench_documents.py). Larger ones go to a child process.
INLINE_CHARACTERS = 150_000


# At most this many large documents are written at once per process; one more is refused
# at once instead of queueing, so a burst of requests for a huge appendix cannot hold
# every thread of every worker for the whole time limit.
CHILDREN_AT_ONCE = 1
_children = threading.BoundedSemaphore(CHILDREN_AT_ONCE)


class DocumentTooLargeError(Exception):
    """The document could not be written within the time limit (or not now, ``busy``)."""

    def __init__(self, characters: int, seconds: float, *, busy: bool = False) -> None:
        super().__init__(f"not written within {seconds:g} s ({characters} characters)")
        self.characters = characters
        self.seconds = seconds
        self.busy = busy


def _render(document: Document, fmt: Binary) -> bytes:
    return render_pdf(document) if fmt == "pdf" else render_docx(document)


def render_bounded(document: Document, fmt: Binary, *, seconds: float) -> bytes:
    """The document as PDF or Word bytes, or DocumentTooLargeError after ``seconds``."""
    characters = len(document.plain_text())
    if characters <= INLINE_CHARACTERS:
        return _render(document, fmt)
    if not _children.acquire(blocking=False):
        raise DocumentTooLargeError(characters, seconds, busy=True)
    try:
        child = subprocess.run(
            [sys.executable, "-m", "samverkan.documents.bounded"],
            input=pickle.dumps((fmt, document)),
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # the child has been killed
        raise DocumentTooLargeError(characters, seconds) from exc
    finally:
        _children.release()
    if child.returncode != 0:
        raise RuntimeError(f"the document writer failed: {child.stderr.decode()[-2000:]}")
    return child.stdout


def _child() -> None:
    fmt, document = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our parent
    sys.stdout.buffer.write(_render(document, fmt))


if __name__ == "__main__":
    _child()

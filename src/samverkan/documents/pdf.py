"""The PDF writer: a Document through the one generic Typst template.

The document goes to Typst as JSON data (``sys.inputs``), never as markup, so user
text prints literally. Only the fonts shipped inside the typst package are used, so
the output does not depend on the machine; the same Document gives the same bytes.
"""

from __future__ import annotations

import datetime
import json
import threading
from functools import cache
from pathlib import Path

import typst

from samverkan.documents.model import Document, Table
from samverkan.documents.text import document_date, language_code, printable_data

TEMPLATE = Path(__file__).parent / "typst" / "document.typ"

_lock = threading.Lock()


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes; the same document always gives the same bytes."""
    data = printable_data(document.to_data())
    data["language"] = language_code(document.language)
    for block, item in zip(document.blocks, data["blocks"], strict=True):
        if isinstance(block, Table):
            item["centered"] = block.short_columns()
    date = document_date(document.date)
    timestamp = (
        int(datetime.datetime.combine(date, datetime.time(), datetime.UTC).timestamp())
        if date
        else None
    )
    inputs = {
        "document": json.dumps(data, ensure_ascii=False),
        "dated": "yes" if timestamp is not None else "no",
    }
    # One compiler, kept warm (fonts and layout caches); it is not meant for two
    # threads at once.
    with _lock:
        pdf = _compiler().compile(
            input=_template(), format="pdf", sys_inputs=inputs, timestamp=timestamp
        )
    assert isinstance(pdf, bytes)
    return pdf


@cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


@cache
def _compiler() -> typst.Compiler:
    # The template is passed with each compile: the binding loses an input given here
    # after the first compile. The root keeps Typst's file access to the template folder.
    return typst.Compiler(root=str(TEMPLATE.parent), ignore_system_fonts=True)

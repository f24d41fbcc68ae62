"""The HTML writer: a Document as a standalone page or as a fragment for app pages.

Rendered by Django templates with autoescaping, so user text shows literally.
Headings get ids (the heading's anchor, or one made from its number) that the
table of contents links to.
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from samverkan.documents.model import Document, Table
from samverkan.documents.text import language_code, printable_data


def render_html(document: Document) -> str:
    """A complete HTML page with a small inline stylesheet that also prints well."""
    return render_to_string("documents/document.html", _context(document))


def render_html_fragment(document: Document) -> str:
    """Only the document (title, metadata, contents, blocks), to embed in an app page."""
    return render_to_string("documents/_document.html", _context(document))


def _context(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = printable_data(document.to_data())
    data["language"] = language_code(document.language)
    used: set[str] = set()
    headings = []
    for block in data["blocks"]:
        if block["kind"] == "heading":
            block["id"] = _unique_id(block, used)
            block["level"] = min(max(int(block["level"]), 1), 3)
            headings.append(block)
        elif block["kind"] == "table":
            count = len(block["columns"])
            centered = Table(block["columns"], block["rows"]).short_columns()
            block["header"] = [
                {"text": text, "center": center, "rotated": center and block["compact"]}
                for text, center in zip(block["columns"], centered, strict=True)
            ]
            block["cells"] = [
                [
                    {"text": text, "center": center}
                    for text, center in zip(
                        [*row[:count], *[""] * (count - len(row))], centered, strict=True
                    )
                ]
                for row in block["rows"]
            ]
    # A page break at the very start only repeats the break after the contents.
    if data["blocks"] and data["blocks"][0]["kind"] == "pagebreak":
        data["blocks"] = data["blocks"][1:]
    return {"document": data, "toc": headings if document.toc else []}


def _unique_id(heading: dict[str, Any], used: set[str]) -> str:
    if heading["anchor"]:
        # Kept as given (an id may hold almost anything) except what breaks a #link.
        base = re.sub(r"[^\w.:-]+", "-", heading["anchor"]).strip("-")
    elif heading["number"]:
        base = "section-" + slugify(heading["number"].replace(".", "-"))
    else:
        base = slugify(heading["text"])
    base = base or "section"
    candidate, suffix = base, 2
    while candidate in used:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    used.add(candidate)
    return candidate

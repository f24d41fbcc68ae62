"""A document's marking (a confidential negotiation brief's) on every page: the Word
header, the PDF's header on each page, the HTML head; a document without one is
written exactly as before (no header where it had none)."""

from __future__ import annotations

import dataclasses
import io

import docx
from pypdf import PdfReader

from samverkan.documents.docx import render_docx
from samverkan.documents.html import render_html_fragment
from samverkan.documents.model import Document, Paragraph
from samverkan.documents.pdf import render_pdf

MARKING = "KONFIDENTIELLT – Norrlandia Försäkring AB"


def _long() -> Document:
    return Document(
        title="Förhandlingsunderlag",
        reference="DEMO-UTILITY",
        version="29 november 2026",
        marking=MARKING,
        blocks=[Paragraph("Åtgärder och reservplaner. " * 40) for _ in range(30)],
        toc=False,
    )


def test_the_marking_heads_every_page_of_the_pdf() -> None:
    pages = PdfReader(io.BytesIO(render_pdf(_long()))).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = page.extract_text().splitlines()
        assert MARKING in lines[:3], f"page {number}"


def test_the_marking_is_the_first_line_of_the_word_header() -> None:
    word = docx.Document(io.BytesIO(render_docx(_long())))
    header = word.sections[0].header
    assert not header.is_linked_to_previous
    assert [p.text for p in header.paragraphs] == [MARKING, "DEMO-UTILITY\t29 november 2026"]
    assert header.paragraphs[0].runs[0].bold
    # Both lines in the Header style: its small type and the right tab for the version.
    assert [p.style.name for p in header.paragraphs] == ["Header", "Header"]
    alone = dataclasses.replace(_long(), reference="", version="")
    word = docx.Document(io.BytesIO(render_docx(alone)))
    assert [p.text for p in word.sections[0].header.paragraphs] == [MARKING]


def test_a_document_without_marking_reference_or_version_has_no_header() -> None:
    plain = dataclasses.replace(_long(), marking="", reference="", version="")
    word = docx.Document(io.BytesIO(render_docx(plain)))
    assert word.sections[0].header.is_linked_to_previous  # no header part at all
    assert MARKING not in PdfReader(io.BytesIO(render_pdf(plain))).pages[0].extract_text()


def test_the_html_shows_the_marking_above_the_reference() -> None:
    html = render_html_fragment(_long())
    assert html.index(MARKING) < html.index("DEMO-UTILITY")
    assert "sv-document-marking" not in render_html_fragment(
        dataclasses.replace(_long(), marking="")
    )

"""The PDF writer: one Typst template fed JSON, literal user text, the same bytes every time."""

from __future__ import annotations

from samverkan.documents.model import (
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)
from samverkan.documents.pdf import render_pdf
from tests.documents.conftest import pdf_pages, pdf_text
from tests.documents.sample import FIELD_FORUM, HTML_HOLDER, TYPST_ROLE


def test_pdf_text_has_title_headings_and_swedish_letters(
    sample: Document, sample_pdf_text: str
) -> None:
    text = sample_pdf_text
    assert "Samverkansbilaga" in text
    for word in (
        "Åkeriförbundet",
        "Nordöst",
        "Förändringsledare",
        "Säkerhetsansvarig",
        "Överlämning",
    ):
        assert word in text
    flat = " ".join(text.split())
    for heading in sample.headings():
        assert heading.text in flat


def test_pdf_prints_markup_html_and_field_codes_literally(sample_pdf_text: str) -> None:
    flat = " ".join(sample_pdf_text.split())
    assert TYPST_ROLE in flat
    assert HTML_HOLDER in flat
    assert FIELD_FORUM in flat
    assert "Formeln $x$ och *fet* text ska stå kvar." in flat
    assert "root:" not in flat  # nothing was read from /etc/passwd


def test_pdf_has_contents_header_and_page_x_of_y(sample_pdf: bytes, sample_pdf_text: str) -> None:
    pages = pdf_pages(sample_pdf)
    assert 6 <= pages <= 12
    text = sample_pdf_text.split("\f")
    assert "Innehåll" in text[0]
    for number, page in enumerate(text, start=1):
        assert "AVT-2025-014" in page and "Version 3" in page
        assert f"Sida {number} av {pages}" in page


def test_pdf_is_byte_identical_on_every_render(sample: Document, sample_pdf: bytes) -> None:
    assert render_pdf(sample) == sample_pdf
    assert b"D:20250314" in sample_pdf  # the document's date, not the time of rendering
    undated = Document(title="Odaterad", blocks=[Paragraph("Text")])
    assert render_pdf(undated) == render_pdf(undated)


def test_pdf_uses_only_the_fonts_inside_the_typst_package(sample_pdf: bytes) -> None:
    assert b"LibertinusSerif" in sample_pdf
    assert b"DejaVuSans-Bold" not in sample_pdf  # a system font would show up here


def test_pdf_renders_odd_and_minimal_documents() -> None:
    odd = Document(
        title="Tomt",
        date="2025-02-30",
        language="not a language",
        blocks=[
            PageBreak(),
            Heading("Djup nivå", level=7),
            Table(columns=[], rows=[]),
            Table(columns=["A", "B"], rows=[["bara en"], ["x", "y", "överskott"]], widths=[0, 1]),
            KeyValue(pairs=[]),
            BulletList(items=[]),
            Paragraph("", style="todo"),
            PageBreak(),
        ],
    )
    text = pdf_text(render_pdf(odd))
    assert "Djup nivå" in text and "bara en" in text and "överskott" not in text
    assert "Bara en titel" in pdf_text(render_pdf(Document(title="Bara en titel")))

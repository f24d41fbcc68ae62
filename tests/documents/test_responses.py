"""Downloads: one response helper for the three formats."""

from __future__ import annotations

import pytest

from samverkan.documents.model import Document, Paragraph
from samverkan.documents.responses import document_response

DOCUMENT = Document(title="Samverkansbilaga", blocks=[Paragraph("Text")])


def test_docx_and_pdf_download_as_attachments() -> None:
    docx = document_response(DOCUMENT, "docx", "samverkansbilaga-v3")
    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert docx["Content-Disposition"] == 'attachment; filename="samverkansbilaga-v3.docx"'
    assert docx.content.startswith(b"PK")
    pdf = document_response(DOCUMENT, "pdf", "samverkansbilaga-v3")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="samverkansbilaga-v3.pdf"'
    assert pdf.content.startswith(b"%PDF")


def test_html_is_shown_inline_under_a_strict_policy() -> None:
    response = document_response(DOCUMENT, "html", "bilaga")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="bilaga.html"'
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"Samverkansbilaga" in response.content


def test_filename_keeps_swedish_letters_and_loses_path_and_control_characters() -> None:
    response = document_response(DOCUMENT, "pdf", "../Åkeri\r\nbilaga")
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''%C3%85keri-bilaga.pdf")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown document format"):
        document_response(DOCUMENT, "odt", "bilaga")  # type: ignore[arg-type]

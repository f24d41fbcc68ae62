"""The sample document rendered once per session: the writers are pure functions."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from samverkan.documents.docx import render_docx
from samverkan.documents.model import Document
from samverkan.documents.pdf import render_pdf
from tests.documents.sample import sample_document


@pytest.fixture(scope="session")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="session")
def sample_docx(sample: Document) -> bytes:
    return render_docx(sample)


@pytest.fixture(scope="session")
def sample_pdf(sample: Document) -> bytes:
    return render_pdf(sample)


@pytest.fixture(scope="session")
def sample_pdf_text(sample_pdf: bytes) -> str:
    return pdf_text(sample_pdf)


def pdf_text(data: bytes) -> str:
    """Every page's text, pages separated by form feeds."""
    return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)

"""The demo agreements' appendices as Word and PDF: what a lawyer would attach.

For each demo agreement, the draft (live model) and the published version 1 (its
snapshot) are rendered once per module; the DOCX must open with python-docx and
LibreOffice with Word heading styles and every role, forum and process named, and
the Typst PDF must have a sensible length and correct åäö. The demo is loaded in a
transaction that is rolled back, and LibreOffice converts all DOCX files in one call.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from django.db import transaction
from pypdf import PdfReader

from samverkan.agreements.models import Agreement
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.views import draft_document, version_document
from samverkan.documents.docx import render_docx
from samverkan.documents.model import Document
from samverkan.documents.pdf import render_pdf

REFERENCES = ("DEMO-UTILITY", "DEMO-ENHANCEMENT", "DEMO-FRONTIER")
KINDS = ("draft", "v1")
# Measured: 9–10 pages for the demo agreements; the range leaves room for text changes.
PAGES = range(6, 21)
SWEDISH_WORDS = ("Ändringshantering", "Samverkansråd", "Leverantörsansvarig", "Befogenheter")

# The mark also makes pytest-django create the test database for the module fixture.
pytestmark = pytest.mark.django_db


@dataclass
class Rendered:
    """One demo agreement's appendices, rendered; everything a test needs, without the DB."""

    reference: str
    names: dict[str, list[str]]  # draft / v1 → every role, forum and process name
    documents: dict[str, Document] = field(default_factory=dict)  # draft / v1 / en
    docx: dict[str, bytes] = field(default_factory=dict)
    pdf: dict[str, bytes] = field(default_factory=dict)
    pdf_pages: dict[str, int] = field(default_factory=dict)
    pdf_text: dict[str, str] = field(default_factory=dict)  # pypdf, pages joined by "\f"


def _snapshot_names(snapshot: dict[str, Any]) -> list[str]:
    return [item["name"] for part in ("roles", "forums", "processes") for item in snapshot[part]]


def _model_names(agreement: Agreement) -> list[str]:
    return [
        *agreement.roles.values_list("name", flat=True),
        *agreement.forums.values_list("name", flat=True),
        *agreement.processes.values_list("name", flat=True),
    ]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> dict[str, Rendered]:
    """The demo loaded, every appendix rendered, and the database rolled back."""
    from samverkan.core import demo as demo_data

    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        demo_data.load()
        for reference in REFERENCES:
            agreement = Agreement.objects.get(reference=reference)
            first = AppendixVersion.objects.get(agreement=agreement, number=1)
            item = Rendered(
                reference=reference,
                names={"draft": _model_names(agreement), "v1": _snapshot_names(first.snapshot)},
            )
            item.documents = {
                "draft": draft_document(agreement, "sv"),
                "v1": version_document(first, "sv"),
                "en": draft_document(agreement, "en"),
            }
            rendered[reference] = item
        transaction.set_rollback(True)
    for item in rendered.values():
        for kind, document in item.documents.items():
            item.docx[kind] = render_docx(document)
            item.pdf[kind] = render_pdf(document)
            pages = PdfReader(io.BytesIO(item.pdf[kind])).pages
            item.pdf_pages[kind] = len(pages)
            # pypdf takes ~0.2 s per PDF for its fonts, ~0.01 s a page: English needs page 1.
            read = pages[:1] if kind == "en" else pages
            item.pdf_text[kind] = "\f".join(page.extract_text() for page in read)
    return rendered


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory, demo: dict[str, Rendered]) -> Path:
    """Every Swedish DOCX converted to PDF by LibreOffice in one call; the output folder."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    folder = tmp_path_factory.mktemp("demo-libreoffice")
    sources = []
    for item in demo.values():
        for kind in KINDS:
            source = folder / f"{item.reference}-{kind}.docx"
            source.write_bytes(item.docx[kind])
            sources.append(str(source))
    profile = folder / "profile"  # a private profile, so parallel runs do not clash
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder


def _word_text(data: bytes) -> str:
    """Every paragraph and every table cell of a .docx."""
    word = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _flat(text: str) -> str:
    """Whitespace collapsed: PDF extraction breaks lines wherever the layout did."""
    return " ".join(text.split())


def _squashed(text: str) -> str:
    """No whitespace or hyphens at all: a word the layout hyphenated across lines still matches."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def _missing(names: list[str], text: str) -> list[str]:
    squashed = _squashed(text)
    return [name for name in names if _squashed(name) not in squashed]


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_docx_opens_and_its_headings_use_word_heading_styles(
    demo: dict[str, Rendered], reference: str, kind: str
) -> None:
    item = demo[reference]
    word = docx.Document(io.BytesIO(item.docx[kind]))
    styles = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    styled = [(style, text) for style, text in styles if style.startswith("Head")]
    assert {style for style, _text in styled} == {"Heading 1", "Heading 2", "Heading 3"}
    headings = item.documents[kind].headings()
    assert len(styled) == len(headings)
    for heading, (style, text) in zip(headings, styled, strict=True):
        assert style == f"Heading {heading.level}"
        assert text.endswith(heading.text), (heading, text)


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_docx_names_every_role_forum_and_process(
    demo: dict[str, Rendered], reference: str, kind: str
) -> None:
    item = demo[reference]
    names = item.names[kind]
    assert len(names) >= 13  # 7–8 roles, 3 forums, 4–7 processes
    text = _word_text(item.docx[kind])
    assert [name for name in names if name not in text] == []
    for word in SWEDISH_WORDS:
        assert word in text


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_converts_the_docx_to_pdf(
    demo: dict[str, Rendered], libreoffice: Path, reference: str, kind: str
) -> None:
    converted = libreoffice / f"{reference}-{kind}.pdf"
    assert converted.is_file(), f"LibreOffice made no PDF of {converted.stem}.docx"
    pages = PdfReader(converted).pages
    assert len(pages) in PAGES
    text = "\f".join(page.extract_text() for page in pages)
    assert _missing(demo[reference].names[kind], text) == []
    # The footer's PAGE and NUMPAGES fields are live in LibreOffice.
    assert f"Sida 1 av {len(pages)}" in _flat(text.split("\f")[0])
    assert f"Sida {len(pages)} av {len(pages)}" in _flat(text.split("\f")[-1])


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_typst_pdf_has_a_sensible_length_and_correct_swedish_letters(
    demo: dict[str, Rendered], reference: str, kind: str
) -> None:
    item = demo[reference]
    pages = item.pdf_text[kind].split("\f")
    assert len(pages) == item.pdf_pages[kind]
    assert len(pages) in PAGES
    flat = _flat(item.pdf_text[kind])
    assert "Samverkansbilaga" in flat
    # Headings, where the layout never hyphenates, come out as whole words with åäö.
    assert "Ändringshantering" in flat and "Samverkansråd" in flat
    assert _missing([*SWEDISH_WORDS, *item.names[kind]], flat) == []
    assert not re.search(r"[\ufffd]|Ã|a\u0308|o\u0308|a\u030a", flat)  # no mojibake
    assert f"Sida 1 av {len(pages)}" in _flat(pages[0])
    assert f"Sida {len(pages)} av {len(pages)}" in _flat(pages[-1])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdftotext_reads_the_swedish_letters(demo: dict[str, Rendered], tmp_path: Path) -> None:
    source = tmp_path / "frontier.pdf"
    source.write_bytes(demo["DEMO-FRONTIER"].pdf["v1"])
    text = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
        ["pdftotext", "-enc", "UTF-8", str(source), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()
    assert _missing(list(SWEDISH_WORDS), text) == []
    assert "Ändringshantering" in _flat(text)


def test_version_1_is_built_from_its_snapshot_not_the_live_model(
    demo: dict[str, Rendered],
) -> None:
    # Version 2 of the frontier demo added an objective; version 1 must not show it.
    added = "Minst sex gemensamma idéer per kvartal"
    item = demo["DEMO-FRONTIER"]
    assert added in _word_text(item.docx["draft"])
    assert added not in _word_text(item.docx["v1"])
    assert "Version 1" in _flat(item.pdf_text["v1"])
    assert "Utkast" in _flat(item.pdf_text["draft"])


@pytest.mark.parametrize("reference", REFERENCES)
def test_english_appendix(demo: dict[str, Rendered], reference: str) -> None:
    item = demo[reference]
    word = _word_text(item.docx["en"])
    pdf = _flat(item.pdf_text["en"])
    for text in (word, pdf):
        assert "Collaboration appendix" in text
        assert "Contents" in text and "Purpose and objectives" in text
        assert "Samverkansbilaga" not in text
    assert _missing(item.names["draft"], word) == []
    assert item.pdf_pages["en"] in PAGES
    assert f"Page 1 of {item.pdf_pages['en']}" in pdf  # the first page only

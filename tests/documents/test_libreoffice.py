"""The .docx opens in LibreOffice: converted to PDF once per session (~2 s).

Needs `soffice` (Debian: libreoffice-writer-nogui); skipped with a reason without it,
and under SAMVERKAN_REQUIRE_ALL=1 (CI) a skip is a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from samverkan.documents.model import Document, Heading
from tests.documents.conftest import pdf_pages, pdf_text
from tests.documents.sample import FIELD_FORUM, HTML_HOLDER, TYPST_ROLE


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, sample_docx: bytes) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    folder = tmp_path_factory.mktemp("libreoffice")
    source = folder / "samverkansbilaga.docx"
    source.write_bytes(sample_docx)
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
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return Path(folder / "samverkansbilaga.pdf").read_bytes()


def test_libreoffice_opens_the_docx_and_keeps_its_text(sample: Document, converted: bytes) -> None:
    assert 6 <= pdf_pages(converted) <= 16
    text = pdf_text(converted)
    flat = " ".join(text.split())
    assert "Samverkansbilaga" in flat and "Åkeriförbundet" in flat
    for hostile in (TYPST_ROLE, HTML_HOLDER, FIELD_FORUM):
        assert hostile in flat
    headings = [b for b in sample.blocks if isinstance(b, Heading)]
    for heading in headings:
        assert heading.text in flat
    assert f"Sida 1 av {pdf_pages(converted)}" in text.split("\f")[0]

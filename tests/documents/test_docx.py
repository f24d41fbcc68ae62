"""The Word writer: real Word styles, A4, literal user text, the same bytes every time."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.document import Document as WordDocument

from samverkan.documents.docx import render_docx
from samverkan.documents.model import (
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)
from tests.documents.sample import CONTROL_TEXT, FIELD_FORUM, HTML_HOLDER, MARKUP_TEXT, TYPST_ROLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def all_text(word: WordDocument) -> str:
    """Paragraph and table text, tables read row by row (never table.cell(i, j))."""
    lines = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def package_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: package.read(name).decode()
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def test_docx_opens_and_headings_use_word_heading_styles(
    sample: Document, sample_docx: bytes
) -> None:
    word = open_docx(sample_docx)
    styled = [
        (paragraph.style.name, paragraph.text)
        for paragraph in word.paragraphs
        if paragraph.style is not None and paragraph.style.name.startswith("Heading")
    ]
    expected = [
        (f"Heading {heading.level}", f"{heading.number} {heading.text}".strip())
        for heading in sample.headings()
    ]
    assert styled == expected
    assert {name for name, _ in styled} == {"Heading 1", "Heading 2", "Heading 3"}
    assert word.paragraphs[0].style is not None and word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "Samverkansbilaga"


def test_docx_contains_every_heading_table_cell_and_list_item(
    sample: Document, sample_docx: bytes
) -> None:
    text = all_text(open_docx(sample_docx))
    for block in sample.blocks:
        if isinstance(block, Heading):
            assert f"{block.number} {block.text}".strip() in text
        elif isinstance(block, Table):
            for value in [*block.columns, *(cell for row in block.rows for cell in row)]:
                assert value in text
        elif isinstance(block, BulletList):
            for item in block.items:
                assert item in text
        elif isinstance(block, KeyValue):
            for key, value in block.pairs:
                assert key in text and value in text


def test_docx_uses_list_and_table_styles(sample_docx: bytes) -> None:
    word = open_docx(sample_docx)
    styles = {p.style.name for p in word.paragraphs if p.style is not None}
    assert {"List Bullet", "List Number", "To Be Agreed", "Lead", "Note"} <= styles
    assert {table.style.name for table in word.tables if table.style is not None} == {"Table Grid"}
    raci = word.tables[-1]
    assert len(raci.rows) == 21 and len(raci.columns) == 13
    header = raci.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert all(run.bold for cell in raci.rows[0].cells for run in cell.paragraphs[0].runs)


def test_docx_is_a4_with_header_and_page_x_of_y_footer(sample_docx: bytes) -> None:
    word = open_docx(sample_docx)
    section = word.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == "AVT-2025-014\tVersion 3"
    xml = package_xml(sample_docx)
    footers = [text for name, text in xml.items() if name.startswith("word/footer")]
    assert len(footers) == 1
    assert re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", footers[0]) == [
        " PAGE ",
        " NUMPAGES ",
    ]
    footer_text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", footers[0]))
    assert footer_text.startswith("Sida ") and " av " in footer_text


def test_docx_contents_is_a_word_field_prefilled_with_the_headings(
    sample: Document, sample_docx: bytes
) -> None:
    body = package_xml(sample_docx)["word/document.xml"]
    start, end = body.index('w:fldCharType="separate"'), body.index('w:fldCharType="end"')
    assert ' TOC \\o "1-3" \\h \\z \\u ' in body[:start]
    stored = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body[start:end]))
    for heading in sample.headings():
        assert f"{heading.number} {heading.text}".strip().replace("<", "&lt;") in stored
    word = open_docx(sample_docx)
    entries = [p for p in word.paragraphs if p.style is not None and p.style.name.startswith("toc")]
    assert len(entries) == len(sample.headings())


def test_docx_prints_user_text_literally_and_makes_no_fields_of_it(sample_docx: bytes) -> None:
    text = all_text(open_docx(sample_docx))
    for hostile in (TYPST_ROLE, HTML_HOLDER, FIELD_FORUM, MARKUP_TEXT):
        assert hostile in text
    codes = {
        code.strip()
        for xml in package_xml(sample_docx).values()
        for code in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    }
    assert codes == {'TOC \\o "1-3" \\h \\z \\u', "PAGE", "NUMPAGES"}
    assert not any("fldSimple" in xml for xml in package_xml(sample_docx).values())


def test_docx_drops_control_characters_xml_forbids(sample_docx: bytes) -> None:
    assert "\x0b" in CONTROL_TEXT and "\x00" in CONTROL_TEXT
    paragraphs = [p.text for p in open_docx(sample_docx).paragraphs]
    assert "Rad ett\nRad två slut." in paragraphs  # vertical tab → line break, NUL dropped


def test_docx_numbered_lists_each_start_at_one(sample_docx: bytes) -> None:
    word = open_docx(sample_docx)
    num_ids = [
        int(num_id)
        for p in word.paragraphs
        if p.style is not None and p.style.name == "List Number"
        for num_id in p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    ]
    assert len(set(num_ids)) == 7  # six process lists and the escalation path
    numbering = word.part.numbering_part.element
    for num_id in set(num_ids):
        num = numbering.num_having_numId(num_id)
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"


def test_docx_is_byte_identical_on_every_render(sample: Document, sample_docx: bytes) -> None:
    assert render_docx(sample) == sample_docx
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    core = package_xml(sample_docx)["docProps/core.xml"]
    assert "2025-03-14T00:00:00Z" in core and "<dc:creator>Samverkan</dc:creator>" in core


def test_docx_renders_odd_and_minimal_documents() -> None:
    odd = Document(
        title="Tomt",
        toc=True,
        date="inte ett datum",
        language="xx-YY-ZZ",
        blocks=[
            PageBreak(),
            Heading("Djup nivå", level=7),
            Table(columns=[], rows=[]),
            Table(columns=["A", "B"], rows=[["bara en"], ["x", "y", "överskott"]], widths=[1]),
            KeyValue(pairs=[]),
            BulletList(items=[]),
            Paragraph("", style="todo"),
            PageBreak(),
        ],
    )
    word = open_docx(render_docx(odd))
    deep = [p.style.name for p in word.paragraphs if p.text == "Djup nivå" and p.style is not None]
    deep = [name for name in deep if name.startswith("Heading")]
    assert deep == ["Heading 3"]
    assert render_docx(Document(title="Bara en titel", toc=True)) == render_docx(
        Document(title="Bara en titel", toc=True)
    )


def test_docx_table_cells_keep_tabs_line_breaks_and_markup_characters() -> None:
    tricky = "a\tb\nc & <d> ]]> \"e\" 'f'\x00\x0b"
    word = open_docx(render_docx(Document(title="T", blocks=[Table(["Kolumn"], [[tricky]])])))
    cells = [cell.text for row in word.tables[0].rows for cell in row.cells]
    assert cells == ["Kolumn", "a\tb\nc & <d> ]]> \"e\" 'f'\n"]

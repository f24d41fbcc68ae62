"""The Word writer: a Document as a .docx on A4, built from real Word styles.

Headings use the built-in "Heading 1".."Heading 3" styles, lists "List Bullet" and
"List Number", tables "Table Grid", so the file opens cleanly in Word and LibreOffice
and can be edited further with the user's own style changes.

The table of contents is a real Word TOC field whose stored result is already
filled with the headings (as links to them), so the document reads right when it is
opened, before anyone updates the field; updating it (F9 in Word, Tools → Update
in LibreOffice) adds the page numbers.

The same Document always gives the same bytes: the file's dates come from the
document's date and the zip is rewritten with fixed timestamps and entry order.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Emu, Length, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as WordParagraph

from samverkan.documents.model import (
    BulletList,
    Document,
    Heading,
    KeyValue,
    PageBreak,
    Paragraph,
    Table,
)
from samverkan.documents.text import document_date, language_code, printable

PAGE_WIDTH = Cm(21)
PAGE_HEIGHT = Cm(29.7)
MARGIN_X = Cm(2.2)
MARGIN_TOP = Cm(2.5)
MARGIN_BOTTOM = Cm(2.3)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN_X)

FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito where it is installed
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x59, 0x59, 0x59)
MARKING = RGBColor(0x9C, 0x1C, 0x1C)  # a classification marking (confidential)
RULE = "A6A6A6"
HEADER_FILL = "DCE6F1"
KEY_FILL = "F2F2F2"
TODO_FILL = "FFF4CE"
TODO_BAR = "D4A017"
COMPACT_SIZE = 7.5  # points, for compact tables such as a RACI matrix

UNDATED = datetime.datetime(2000, 1, 1)  # the file date of a document without a date
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LOCALES = {"sv": "sv-SE", "en": "en-GB", "nb": "nb-NO", "da": "da-DK", "fi": "fi-FI"}

# Style ids (not names): looking a style up by name scans every style, per paragraph.
PARAGRAPH_STYLES = {"body": "Normal", "lead": "Lead", "note": "Note", "todo": "ToBeAgreed"}


def render_docx(document: Document) -> bytes:
    """The document as .docx bytes; the same document always gives the same bytes."""
    word = docx.Document()
    _set_up_page(word.sections[0], document)
    _set_up_styles(word, language_code(document.language))
    _set_properties(word, document)

    _add_title(word, document)
    headings = document.headings()
    bookmarks = [f"_TocSV{index:04d}" for index in range(1, len(headings) + 1)]
    if document.toc and headings:
        _add_contents(word, document, headings, bookmarks)

    list_number_abstract = _list_number_abstract_id(word)
    next_bookmark = iter(enumerate(bookmarks))
    for position, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            _add_heading(word, block, *next(next_bookmark))
        elif isinstance(block, Paragraph):
            _add_text(_paragraph(word, PARAGRAPH_STYLES.get(block.style, "Normal")), block.text)
        elif isinstance(block, BulletList):
            _add_list(word, block, list_number_abstract)
        elif isinstance(block, Table):
            _add_table(word, block.columns, block.rows, block.widths, compact=block.compact)
        elif isinstance(block, KeyValue):
            _add_key_values(word, block.pairs)
        elif isinstance(block, PageBreak) and position > 0:
            # The body already starts on a new page after the contents.
            _add_page_break(word)

    _move_page_breaks_to_next_paragraph(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return _normalised_zip(buffer.getvalue())


# -- page, styles, properties -------------------------------------------------------


def _set_up_page(section: Section, document: Document) -> None:
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_X
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.header_distance = section.footer_distance = Cm(1.1)

    if document.marking or document.reference or document.version:
        _add_header(section, document)

    footer = section.footer.paragraphs[0]
    footer.add_run("\t")
    _add_text(footer, f"{document.labels.page} ")
    _add_field(footer, "PAGE")
    _add_text(footer, f" {document.labels.of} ")
    _add_field(footer, "NUMPAGES")


def _add_header(section: Section, document: Document) -> None:
    """The marking (bold, on its own line), then the reference left and the version right,
    over a thin rule; on every page."""
    header = section.header.paragraphs[0]
    if document.marking:
        run = header.add_run(printable(document.marking))
        run.bold = True
        run.font.color.rgb = MARKING
        if document.reference or document.version:
            header = section.header.add_paragraph(style="Header")
        else:
            _set_border(header, "bottom", RULE, size=4)
    if document.reference or document.version:
        _add_text(header, document.reference)
        header.add_run("\t")
        _add_text(header, document.version)
        _set_border(header, "bottom", RULE, size=4)


def _set_up_styles(word: WordDocument, language: str) -> None:
    styles = word.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    assert defaults is not None  # python-docx's template has them
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert run_defaults is not None
    _set_fonts(run_defaults, FONT)
    lang = run_defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), LOCALES.get(language, language))

    normal = _paragraph_style(word, "Normal")
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    title = _paragraph_style(word, "Title")
    _set_fonts(title.element.get_or_add_rPr(), FONT)
    title.font.size = Pt(24)
    title.font.color.rgb = ACCENT
    title.paragraph_format.space_after = Pt(4)
    _set_border(title, "bottom", None)
    subtitle = _paragraph_style(word, "Subtitle")
    _set_fonts(subtitle.element.get_or_add_rPr(), FONT)
    subtitle.font.size = Pt(13)
    subtitle.font.italic = False
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(18)

    for level, size, before, after in ((1, 15, 18, 6), (2, 12.5, 14, 4), (3, 11, 10, 3)):
        heading = _paragraph_style(word, f"Heading {level}")
        _set_fonts(heading.element.get_or_add_rPr(), FONT)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
    contents_heading = _paragraph_style(word, "TOC Heading")
    contents_heading.paragraph_format.space_before = Pt(6)

    lead = _add_style(word, "Lead", base="Normal", style_id="Lead")
    lead.font.size = Pt(12)
    lead.paragraph_format.space_after = Pt(9)
    note = _add_style(word, "Note", base="Normal", style_id="Note")
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = MUTED
    todo = _add_style(word, "To Be Agreed", base="Normal", style_id="ToBeAgreed")
    todo.font.italic = True
    todo.paragraph_format.left_indent = Cm(0.25)
    todo.paragraph_format.space_before = Pt(3)
    todo.paragraph_format.space_after = Pt(9)
    _set_shading(todo.element.get_or_add_pPr(), TODO_FILL)
    _set_border(todo, "left", TODO_BAR, size=24, space=6)

    table_text = _add_style(word, "Table Text", base="Normal", style_id="TableText")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_before = Pt(2)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    compact = _add_style(word, "Table Text Compact", base="Table Text", style_id="TableTextCompact")
    compact.font.size = Pt(COMPACT_SIZE)
    compact.paragraph_format.space_before = Pt(1)
    compact.paragraph_format.space_after = Pt(1)

    # Word's own names for the contents styles, so that updating the field keeps them.
    for level in (1, 2, 3):
        entry = _add_style(word, f"toc {level}", base="Normal", style_id=f"TOC{level}")
        entry.quick_style = False
        entry.element.attrib.pop(qn("w:customStyle"), None)  # Word's built-in, not ours
        entry.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        entry.paragraph_format.space_before = Pt(4 if level == 1 else 0)
        entry.paragraph_format.space_after = Pt(1)
        entry.font.bold = level == 1
        entry.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    # Header: reference left, version right. Footer: the page number centred.
    for name, stops in (
        ("Header", [WD_TAB_ALIGNMENT.RIGHT]),
        ("Footer", [WD_TAB_ALIGNMENT.CENTER]),
    ):
        style = _paragraph_style(word, name)
        style.font.size = Pt(8.5)
        style.font.color.rgb = MUTED
        tabs = style.paragraph_format.tab_stops
        tabs.clear_all()
        for alignment in stops:
            position = TEXT_WIDTH if alignment == WD_TAB_ALIGNMENT.RIGHT else Emu(TEXT_WIDTH // 2)
            tabs.add_tab_stop(position, alignment)

    # Table Grid, with grey rules instead of black.
    grid = styles["Table Grid"].element
    for border in grid.iter(qn("w:top"), qn("w:left"), qn("w:bottom"), qn("w:right")):
        if border.getparent() is not None and border.getparent().tag == qn("w:tblBorders"):
            border.set(qn("w:color"), RULE)
    for border in grid.iter(qn("w:insideH"), qn("w:insideV")):
        border.set(qn("w:color"), RULE)


def _set_properties(word: WordDocument, document: Document) -> None:
    date = document_date(document.date)
    stamp = datetime.datetime.combine(date, datetime.time()) if date else UNDATED
    properties = word.core_properties
    properties.author = "Samverkan"
    properties.last_modified_by = "Samverkan"
    properties.created = stamp
    properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1
    properties.title = printable(document.title)
    properties.subject = printable(document.subtitle)
    properties.identifier = printable(document.reference)
    properties.version = printable(document.version)
    language = language_code(document.language)
    properties.language = LOCALES.get(language, language)
    properties.comments = ""
    if document.marking:
        properties.content_status = printable(document.marking)
    properties.keywords = ""
    properties.category = ""


# -- blocks ---------------------------------------------------------------------------


def _add_title(word: WordDocument, document: Document) -> None:
    _add_text(_paragraph(word, "Title"), document.title)
    if document.subtitle:
        _add_text(_paragraph(word, "Subtitle"), document.subtitle)
    if document.metadata:
        _add_key_values(word, document.metadata)


def _add_contents(
    word: WordDocument, document: Document, headings: Sequence[Heading], bookmarks: Sequence[str]
) -> None:
    _add_text(_paragraph(word, "TOCHeading"), document.labels.contents)
    entries = []
    for heading, bookmark in zip(headings, bookmarks, strict=True):
        entry = _paragraph(word, f"TOC{_level(heading)}")
        link = OxmlElement("w:hyperlink", {qn("w:anchor"): bookmark, qn("w:history"): "1"})
        run = OxmlElement("w:r")
        text = OxmlElement("w:t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        text.text = printable(_numbered(heading))
        run.append(text)
        link.append(run)
        entry._p.append(link)
        entries.append(entry)
    # The field wraps the entries: its stored result is what Word and LibreOffice show
    # until it is updated.
    first, last = entries[0]._p, entries[-1]._p
    begin = [
        _field_char("begin"),
        _instruction(' TOC \\o "1-3" \\h \\z \\u '),
        _field_char("separate"),
    ]
    for offset, run in enumerate(begin):
        first.insert(1 + offset, run)  # after the paragraph properties
    last.append(_field_char("end"))
    _add_page_break(word)


def _add_heading(word: WordDocument, heading: Heading, index: int, bookmark: str) -> None:
    paragraph = _paragraph(word, f"Heading{_level(heading)}")
    mark = str(index + 1)
    paragraph._p.append(OxmlElement("w:bookmarkStart", {qn("w:id"): mark, qn("w:name"): bookmark}))
    _add_text(paragraph, _numbered(heading))
    paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): mark}))


def _add_list(word: WordDocument, block: BulletList, list_number_abstract: str | None) -> None:
    num_id = None
    if block.numbered and list_number_abstract is not None:
        # Each numbered list counts from 1: a new numbering instance restarting level 0.
        numbering = word.part.numbering_part.element
        num = numbering.add_num(int(list_number_abstract))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        num_id = num.numId
    style = "ListNumber" if block.numbered else "ListBullet"
    for item in block.items:
        paragraph = _paragraph(word, style)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _add_text(paragraph, item)


def _add_table(
    word: WordDocument,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    compact: bool,
) -> None:
    count = len(columns)
    if count == 0:
        return
    column_widths = [width.twips for width in _column_widths(widths, count)]
    style = "TableTextCompact" if compact else "TableText"
    centered = Table(list(columns), [list(row) for row in rows]).short_columns()
    # In a compact matrix (RACI) the headers of the narrow columns stand on end.
    rotated = [compact and center for center in centered]
    height = 0
    if any(rotated):
        # Text stood on end does not make the row taller by itself; about 0.75 em a letter
        # leaves room for wider substitute fonts.
        longest = max(len(text) for text, turn in zip(columns, rotated, strict=True) if turn)
        height = Emu(min(Pt(longest * COMPACT_SIZE * 0.75 + 8), Cm(6))).twips
    header = _row_xml(
        [
            _cell_xml(
                text,
                width,
                style,
                bold=True,
                fill=HEADER_FILL,
                center=center,
                vertical=turn,
                align=("center" if turn else "bottom") if any(rotated) else "",
            )
            for text, width, center, turn in zip(
                columns, column_widths, centered, rotated, strict=True
            )
        ],
        header=True,
        height=height,
    )
    body = [
        _row_xml(
            [
                _cell_xml(text, width, style, center=center)
                for text, width, center in zip(
                    [*values[:count], *[""] * (count - len(values))],
                    column_widths,
                    centered,
                    strict=True,
                )
            ]
        )
        for values in rows
    ]
    _add_rows(word, column_widths, [header, *body])


def _add_key_values(word: WordDocument, pairs: Sequence[tuple[str, str]]) -> None:
    if not pairs:
        return
    key_width, value_width = (width.twips for width in _column_widths([0.32, 0.68], 2))
    # A short block stays on one page: every row but the last keeps with the next.
    keep = len(pairs) <= 12
    rows = []
    for position, (key, value) in enumerate(pairs):
        with_next = keep and position < len(pairs) - 1
        rows.append(
            _row_xml(
                [
                    _cell_xml(
                        key, key_width, "TableText", bold=True, fill=KEY_FILL, keep=with_next
                    ),
                    _cell_xml(value, value_width, "TableText", keep=with_next),
                ]
            )
        )
    _add_rows(word, [key_width, value_width], rows)


# Tables are written as XML text and parsed once: a table has hundreds of cells, and
# python-docx's cell and paragraph setters cost about 0.2 ms each (and table.cell(i, j)
# far more). Every piece of user text goes through _runs_xml, which escapes it.


def _add_rows(word: WordDocument, column_widths: Sequence[int], rows: Sequence[str]) -> None:
    table = word.add_table(rows=0, cols=len(column_widths))
    table._tbl.tblStyle_val = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, column_widths, strict=True):
        column.width = Twips(width)  # the grid, which LibreOffice reads; cells carry it for Word
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:w"), str(sum(column_widths)))
        table_width.set(qn("w:type"), "dxa")
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for row in list(parsed):
        table._tbl.append(row)
    _space_after(word)


def _row_xml(cells: Sequence[str], *, header: bool = False, height: int = 0) -> str:
    properties = ""
    if header:
        size = f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>' if height else ""
        # cantSplit keeps the header row whole; tblHeader repeats it on every page.
        properties = f"<w:trPr><w:cantSplit/>{size}<w:tblHeader/></w:trPr>"
    return f"<w:tr>{properties}{''.join(cells)}</w:tr>"


def _cell_xml(
    text: str,
    width: int,
    style: str,
    *,
    bold: bool = False,
    fill: str = "",
    center: bool = False,
    keep: bool = False,
    vertical: bool = False,
    align: str = "",
) -> str:
    cell = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if fill:
        cell += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    if vertical:
        cell += '<w:textDirection w:val="btLr"/>'
    if align:
        cell += f'<w:vAlign w:val="{align}"/>'
    paragraph = f'<w:pStyle w:val="{style}"/>'
    if keep:
        paragraph += "<w:keepNext/>"
    if center:
        paragraph += '<w:jc w:val="center"/>'
    return (
        f"<w:tc><w:tcPr>{cell}</w:tcPr>"
        f"<w:p><w:pPr>{paragraph}</w:pPr>{_runs_xml(text, bold=bold)}</w:p></w:tc>"
    )


def _runs_xml(text: str, *, bold: bool = False) -> str:
    """User text as one escaped run; tabs and line breaks become Word's own elements."""
    pieces = []
    for piece in re.split(r"(\t|\r\n|\n|\r)", printable(text)):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            pieces.append("<w:br/>")
        elif piece:
            pieces.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    if not pieces:
        return ""
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


# -- helpers --------------------------------------------------------------------------


def _add_page_break(word: WordDocument) -> None:
    """A paragraph holding only a page break (see _move_page_breaks_to_next_paragraph)."""
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _paragraph(word: WordDocument, style_id: str) -> WordParagraph:
    paragraph = word.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


def _add_text(paragraph: WordParagraph, text: str) -> None:
    """User text as plain runs: never a field, whatever braces or codes it contains."""
    if text:
        paragraph.add_run(printable(text))


def _add_field(paragraph: WordParagraph, instruction: str) -> None:
    """A field of our own (PAGE, NUMPAGES) with "1" as its stored result."""
    paragraph._p.append(_field_char("begin"))
    paragraph._p.append(_instruction(f" {instruction} "))
    paragraph._p.append(_field_char("separate"))
    paragraph.add_run("1")
    paragraph._p.append(_field_char("end"))


def _field_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return run


def _instruction(code: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    instruction = OxmlElement(
        "w:instrText", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    )
    instruction.text = code
    run.append(instruction)
    return run


def _space_after(word: WordDocument) -> None:
    """A small empty paragraph after a table, so two tables or a table and text do not touch."""
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)


def _column_widths(widths: Sequence[float], count: int) -> list[Length]:
    relative = (
        list(widths) if len(widths) == count and all(w > 0 for w in widths) else [1.0] * count
    )
    total = sum(relative)
    return [Emu(int(TEXT_WIDTH * share / total)) for share in relative]


def _level(heading: Heading) -> int:
    return min(max(heading.level, 1), 3)


def _numbered(heading: Heading) -> str:
    return f"{heading.number} {heading.text}" if heading.number else heading.text


def _paragraph_style(word: WordDocument, name: str) -> ParagraphStyle:
    style = word.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def _add_style(word: WordDocument, name: str, *, base: str, style_id: str = "") -> ParagraphStyle:
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = word.styles[base]
    style.quick_style = True
    if style_id:
        style.style_id = style_id
    return style


def _set_fonts(run_properties: BaseOxmlElement, family: str) -> None:
    """Named fonts instead of theme fonts, so that Word and LibreOffice agree."""
    for old in run_properties.findall(qn("w:rFonts")):
        run_properties.remove(old)
    fonts = OxmlElement(
        "w:rFonts",
        {
            qn("w:ascii"): family,
            qn("w:hAnsi"): family,
            qn("w:cs"): family,
            qn("w:eastAsia"): family,
        },
    )
    run_properties.insert(0, fonts)


def _set_shading(properties: BaseOxmlElement, fill: str) -> None:
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement(
        "w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
    )
    _insert_in_order(properties, shading)


def _set_border(
    owner: WordParagraph | ParagraphStyle,
    side: str,
    color: str | None,
    *,
    size: int = 4,
    space: int = 1,
) -> None:
    """A paragraph border on one side; color None removes the paragraph's borders."""
    properties = (
        owner._p.get_or_add_pPr()
        if isinstance(owner, WordParagraph)
        else owner.element.get_or_add_pPr()
    )
    for old in properties.findall(qn("w:pBdr")):
        properties.remove(old)
    if color is None:
        return
    borders = OxmlElement("w:pBdr")
    borders.append(
        OxmlElement(
            f"w:{side}",
            {
                qn("w:val"): "single",
                qn("w:sz"): str(size),
                qn("w:space"): str(space),
                qn("w:color"): color,
            },
        )
    )
    _insert_in_order(properties, borders)


# Schema order of the pPr children we add (Word rejects out-of-order elements).
_ORDER = {
    qn("w:pPr"): [
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
        "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
        "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
        "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
        "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ],
}  # fmt: skip


def _insert_in_order(parent: BaseOxmlElement, child: BaseOxmlElement) -> None:
    order = [qn(f"w:{name}") for name in _ORDER[parent.tag]]
    rank = order.index(child.tag)
    for position, existing in enumerate(parent):
        if existing.tag in order and order.index(existing.tag) > rank:
            parent.insert(position, child)
            return
    parent.append(child)


def _list_number_abstract_id(word: WordDocument) -> str | None:
    """The abstract numbering behind the "List Number" style, to start new lists from."""
    style = word.styles["List Number"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return None
    numbering = word.part.numbering_part.element
    num = numbering.num_having_numId(int(num_id.get(qn("w:val"), "0")))
    return str(num.abstractNumId.val)


def _move_page_breaks_to_next_paragraph(word: WordDocument) -> None:
    """A page break paragraph becomes "page break before" on the paragraph after it.

    A paragraph holding only a break can itself fall onto a new page when the page
    before is full (as after a long contents list), which gives an empty page.
    """
    body = word.element.body
    for paragraph in body.findall(qn("w:p")):
        runs = paragraph.findall(qn("w:r"))
        if len(runs) != 1 or len(runs[0]) != 1 or runs[0][0].tag != qn("w:br"):
            continue
        if runs[0][0].get(qn("w:type")) != "page":
            continue
        following = paragraph.getnext()
        if following is None or following.tag != qn("w:p"):
            continue  # before a table the break paragraph stays
        following.get_or_add_pPr().pageBreakBefore_val = True
        body.remove(paragraph)


def _normalised_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps and entry order, so equal input gives equal bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name))
    return output.getvalue()

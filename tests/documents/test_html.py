"""The HTML writer: autoescaped Django templates, a standalone page and a fragment."""

from __future__ import annotations

from samverkan.documents.html import render_html, render_html_fragment
from samverkan.documents.model import Document, Heading, Table
from tests.documents.sample import FIELD_FORUM, HTML_HOLDER, TYPST_ROLE


def test_html_escapes_user_text(sample: Document) -> None:
    page = render_html(sample)
    assert HTML_HOLDER not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "#read(&quot;/etc/passwd&quot;)" in page
    assert FIELD_FORUM in page
    assert "\x00" not in page and "\x0b" not in page


def test_html_page_is_standalone_with_print_styles(sample: Document) -> None:
    page = render_html(sample)
    assert page.lstrip().startswith("<!doctype html>")
    assert '<html lang="sv">' in page
    assert "@media print" in page and "size: A4" in page
    assert "<script" not in page and "<link" not in page  # nothing fetched, nothing run


def test_html_contents_links_to_heading_ids(sample: Document) -> None:
    page = render_html(sample)
    for heading in sample.headings():
        assert f'href="#{heading.anchor}"' in page
        assert f'id="{heading.anchor}"' in page
    assert page.count('class="sv-heading"') == len(sample.headings())


def test_html_fragment_is_only_the_document(sample: Document) -> None:
    fragment = render_html_fragment(sample)
    assert fragment.lstrip().startswith("<article")
    assert "<html" not in fragment and "<style" not in fragment
    assert "Samverkansbilaga" in fragment and TYPST_ROLE.replace('"', "&quot;") in fragment
    assert 'class="sv-todo' in fragment


def test_html_is_identical_on_every_render(sample: Document) -> None:
    assert render_html(sample) == render_html(sample)


def test_html_heading_ids_without_anchors_are_unique() -> None:
    document = Document(
        title="Utan ankare",
        blocks=[
            Heading("Roller", number="1"),
            Heading("Roller", number="1"),
            Heading("Bilaga"),
            Table(columns=["A", "B"], rows=[["x"]]),
        ],
    )
    fragment = render_html_fragment(document)
    assert 'id="section-1"' in fragment and 'id="section-1-2"' in fragment
    assert 'id="bilaga"' in fragment
    assert fragment.count("<td") == 2  # the short row is padded

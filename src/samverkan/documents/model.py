"""A small, format-free document: what the appendix, the negotiation brief, the
minutes and the survey summary are built as, before a writer renders it as
DOCX, PDF or HTML.

Text is always plain text: writers escape it for their format, so that user
text such as ``#read("/etc/passwd")``, ``<script>`` or a Word field code comes
out literally. Headings are numbered here (``number``), not by the writers, so
that the three formats number alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1–3
    number: str = ""  # "2.3"; empty for unnumbered headings (e.g. annexes' own title)
    anchor: str = ""  # a stable id, for links into the HTML and the table of contents
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "lead", "note", "todo"] = "body"  # todo: visibly "to be agreed"
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class BulletList:
    items: list[str]
    numbered: bool = False
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths; empty = equal
    compact: bool = False  # small type, e.g. a RACI matrix
    kind: Literal["table"] = "table"

    def short_columns(self) -> list[bool]:
        """Per column: every cell holds at most three characters (RACI letters, ticks).

        Writers center these columns.
        """
        return [
            bool(self.rows)
            and all(len(row[index].strip()) <= 3 for row in self.rows if index < len(row))
            for index in range(len(self.columns))
        ]


@dataclass(frozen=True)
class KeyValue:
    pairs: list[tuple[str, str]]
    kind: Literal["keyvalue"] = "keyvalue"


@dataclass(frozen=True)
class PageBreak:
    kind: Literal["pagebreak"] = "pagebreak"


Block = Heading | Paragraph | BulletList | Table | KeyValue | PageBreak


@dataclass(frozen=True)
class Labels:
    """Words the writers print themselves, in the document's language."""

    contents: str = "Innehåll"
    page: str = "Sida"
    of: str = "av"


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    language: str = "sv"
    reference: str = ""  # printed in the header and footer
    version: str = ""  # e.g. "Version 3"; printed in the header and footer
    # A marking printed in the header of every page, e.g. "Konfidentiellt – Norrlandia
    # Försäkring AB" on a negotiation brief; empty: no marking.
    marking: str = ""
    date: str = ""  # ISO date the document speaks for; also its file metadata date
    metadata: list[tuple[str, str]] = field(default_factory=list)  # shown under the title
    blocks: list[Block] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)
    toc: bool = True

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-able data (for the Typst writer and for tests)."""
        return asdict(self)

    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]

    def plain_text(self) -> str:
        """Every word of the document, one block per line (for search and tests)."""
        lines = [self.marking, self.title, self.subtitle]
        lines.extend(f"{k}: {v}" for k, v in self.metadata)
        for block in self.blocks:
            if isinstance(block, Heading):
                lines.append(f"{block.number} {block.text}".strip())
            elif isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, BulletList):
                lines.extend(block.items)
            elif isinstance(block, Table):
                lines.append(" | ".join(block.columns))
                lines.extend(" | ".join(row) for row in block.rows)
            elif isinstance(block, KeyValue):
                lines.extend(f"{k}: {v}" for k, v in block.pairs)
        return "\n".join(line for line in lines if line)


class Outline:
    """Builds numbered headings: ``outline.heading(1, "Roller")`` → ``Heading("Roller", 1, "3")``."""

    def __init__(self) -> None:
        self.counters = [0, 0, 0]

    def heading(self, level: int, text: str, anchor: str = "") -> Heading:
        self.counters[level - 1] += 1
        for deeper in range(level, 3):
            self.counters[deeper] = 0
        return Heading(text=text, level=level, number=self.counters_text(level), anchor=anchor)

    def counters_text(self, level: int) -> str:
        """The current number at ``level``, e.g. "5.3"."""
        return ".".join(str(n) for n in self.counters[:level])

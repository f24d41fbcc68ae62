"""Charts drawn as inline SVG by hand: the pieces every chart of the app shares, and
``column_chart`` (columns per period and side against an expected level).

Framework-free: the functions take plain values and return SVG markup in which every
caller text is escaped (the caller marks it safe for its templates). The charts read in
black-and-white print: the customer is drawn solid with circles, the supplier hatched or
dashed with squares, and every value is also written as text. No script, no external
resource. Text widths are estimated (``samverkan.lib.svgtext``), on the safe side, and
long labels are wrapped rather than clipped. Each chart has a title and a description
(``role="img"``), and a ``narrow`` variant drawn at about the size a phone shows it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Literal

from samverkan.lib.svgtext import text_width

Side = Literal["customer", "supplier"]

WIDTH = 720
PAD = 16
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#222222"
MUTED = "#5f5f5f"  # withheld values and axes: grey, but still legible when printed
GRID = "#d0d0d0"
BAND = "#f3f4f6"
HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'

LABEL_SIZE = 13
SMALL_SIZE = 11.5
LEGEND_SIZE = 12.5


@dataclass(frozen=True)
class SideStyle:
    colour: str
    text: str  # a darker shade for value labels, readable on white
    dash: str  # stroke-dasharray of the line; "" is solid


SIDE_STYLE: dict[str, SideStyle] = {
    "customer": SideStyle("#1f4e79", "#1f4e79", ""),
    "supplier": SideStyle("#c55a11", "#9a4309", "7 4"),
}


LINE_H = 16
NARROW_WIDTH = 360


def svg_open(
    ident: str, title: str, description: str, height: float, cls: str, width: int = WIDTH
) -> str:
    """The ``<svg>`` start tag with the chart's title and description for screen readers;
    scaled to its container's width (never wider than drawn)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" role="img" '
        f'viewBox="0 0 {width} {n(height)}" width="{width}" height="{n(height)}" '
        f'style="max-width:100%;height:auto" font-family="{FONT}" font-size="{LABEL_SIZE}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(str(title))}</title>'
        f'<desc id="{ident}-desc">{escape(str(description))}</desc>'
    )


def svg_empty(ident: str, title: str, empty_label: str, cls: str, width: int = WIDTH) -> str:
    """A small chart that only says ``empty_label`` (nothing to draw yet)."""
    height = 48
    return (
        svg_open(ident, title, empty_label, height, cls, width=width)
        + svg_text(PAD, 29, empty_label, size=LABEL_SIZE, fill=MUTED, italic=True, cls="empty")
        + "</svg>"
    )


def svg_text(
    x: float,
    y: float,
    content: str,
    *,
    size: float,
    anchor: str = "start",
    fill: str = INK,
    weight: str | None = None,
    italic: bool = False,
    cls: str | None = None,
    halo: bool = False,
    inner: str | None = None,
) -> str:
    """A ``<text>`` of ``content`` (escaped), or of ``inner`` markup already built."""
    attrs = [f'x="{n(x)}" y="{n(y)}" font-size="{size}" fill="{fill}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if italic:
        attrs.append('font-style="italic"')
    if cls:
        attrs.append(f'class="{cls}"')
    if halo:
        attrs.append(HALO)
    body = escape(str(content)) if inner is None else inner
    return f"<text {' '.join(attrs)}>{body}</text>"


def svg_lines(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: float,
    line_h: float,
    anchor: str = "start",
    weight: str | None = None,
    cls: str | None = None,
) -> str:
    """A wrapped text: one ``<text>`` with a ``<tspan>`` per line, the first baseline at y."""
    spans = "".join(
        f'<tspan x="{n(x)}" dy="{0 if i == 0 else line_h}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return svg_text(x, y, "", size=size, anchor=anchor, weight=weight, cls=cls, inner=spans)


def legend(
    items: Sequence[tuple[str, str]], *, top: float, swatch_w: float, width: int = WIDTH
) -> tuple[str, float]:
    """Swatches with their labels, left to right, on as many rows as they need.
    Each swatch is drawn in a box of ``swatch_w`` x 14 with its top left at (0, 0)."""
    row_h = 20
    max_label = width - 2 * PAD - swatch_w - 8
    out = ['<g class="legend">']
    x: float = PAD
    y = top
    extra = 0.0  # the further lines of a label too long for one
    for swatch, label in items:
        lines = wrap(label, max_label, LEGEND_SIZE)
        item_w = swatch_w + 7 + max(text_width(line, LEGEND_SIZE) for line in lines)
        if x > PAD and x + item_w > width - PAD:
            x, y, extra = PAD, y + row_h + extra, 0.0
        out.append(f'<g transform="translate({n(x)},{n(y + 3)})">{swatch}</g>')
        out.append(svg_lines(x + swatch_w + 7, y + 14, lines, size=LEGEND_SIZE, line_h=LINE_H))
        extra = max(extra, (len(lines) - 1) * LINE_H)
        x += item_w + 24
    out.append("</g>")
    return "".join(out), y - top + row_h + extra


def bar_swatch(side: Side, hatch: str) -> str:
    style = SIDE_STYLE[side]
    fill = style.colour if side == "customer" else f"url(#{hatch})"
    return (
        f'<rect x="0.6" y="1" width="15" height="12" fill="{fill}" stroke="{style.colour}" '
        'stroke-width="1.2"/>'
    )


def line_swatch(side: Side) -> str:
    style = SIDE_STYLE[side]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        f'<line x1="0" y1="7" x2="30" y2="7" stroke="{style.colour}" stroke-width="2.2"{dash}/>'
        + marker(side, 15, 7)
    )


def marker(side: Side, x: float, y: float) -> str:
    """Customer: a filled circle; supplier: an outlined square, told apart without colour."""
    colour = SIDE_STYLE[side].colour
    if side == "customer":
        return (
            f'<circle cx="{n(x)}" cy="{n(y)}" r="4.3" fill="{colour}" stroke="#ffffff" '
            'stroke-width="1"/>'
        )
    return (
        f'<rect x="{n(x - 5.5)}" y="{n(y - 5.5)}" width="11" height="11" fill="#ffffff" '
        f'stroke="{colour}" stroke-width="2.2"/>'
    )


def number(value: float, decimal_comma: bool) -> str:
    """One decimal, a true minus sign, a decimal comma in Swedish.

    Rounded half up from the shortest decimal form, like Django's ``floatformat``
    in the tables beside the chart, so that a gap of −0.25 reads −0,3 in both.
    """
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if text == "-0.0":
        text = "0.0"
    text = text.replace("-", "−")
    return text.replace(".", ",") if decimal_comma else text


def signed(value: float, decimal_comma: bool) -> str:
    """A difference: "+1,2", "−0,4", or "0,0" when it rounds to nothing."""
    text = number(abs(value), decimal_comma)
    if text in ("0.0", "0,0"):
        return text
    return ("+" if value > 0 else "−") + text


def tick_step(span: float) -> float:
    """A round step giving at most six gridlines over the span."""
    magnitude = 10.0 ** math.floor(math.log10(span))
    for factor in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0):
        if span / (factor * magnitude) <= 6:
            return factor * magnitude
    return 10 * magnitude


def tick(value: float, step: float, decimal_comma: bool) -> str:
    if float(step).is_integer():
        return str(round(value))
    return number(value, decimal_comma)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """The text broken into lines that fit ``width``: at spaces, then after "/" or a dash
    inside a word too long for a line, and as a last resort anywhere."""
    tokens: list[tuple[str, str]] = []  # (glue before it, piece)
    for word in text.split():
        for i, piece in enumerate(_pieces(word, width, size, bold)):
            tokens.append((" " if i == 0 else "", piece))
    lines: list[str] = []
    for glue, piece in tokens:
        if lines and text_width(lines[-1] + glue + piece, size, bold) <= width:
            lines[-1] += glue + piece
        else:
            lines.append(piece)
    return lines or [""]


def _pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    if text_width(word, size, bold) <= width:
        return [word]
    pieces: list[str] = []
    for part in re.findall(r"[^/\-–]+[/\-–]*|[/\-–]+", word):
        while text_width(part, size, bold) > width and len(part) > 1:
            cut = len(part) - 1
            while cut > 1 and text_width(part[:cut], size, bold) > width:
                cut -= 1
            while cut > 1 and text_width(part[:cut] + "-", size, bold) > width:
                cut -= 1
            pieces.append(part[:cut] + "-")  # a break inside a word shows as one
            part = part[cut:]
        pieces.append(part)
    return pieces


def ident(*parts: object) -> str:
    """An id prefix for the chart's title, description and pattern: the same for the same
    chart, different for different charts on one page."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:10]
    return f"{parts[0]}-{digest}"


def n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- columns per period against an expected level -------------------------------------


@dataclass(frozen=True)
class ColumnSeries:
    """One side's columns in ``column_chart``: a count or amount per period."""

    label: str  # legend text, e.g. "Leverantören"
    values: Sequence[float]  # one per period
    side: Side


REFERENCE_INK = INK
REFERENCE_DASH = "5 3"
COLUMN_PLOT_H = 200
NARROW_COLUMN_PLOT_H = 160
COLUMN_MAX_W = 26


def gridlines(
    ticks: Sequence[float],
    tick_texts: Sequence[str],
    y_of: Callable[[float], float],
    x0: float,
    x1: float,
) -> list[str]:
    """A value axis: a grey line across the plot at each tick, and the tick's text at its
    left end."""
    out = [f'<g class="axis" stroke="{GRID}" stroke-width="1">']
    out.extend(
        f'<line x1="{n(x0)}" y1="{n(y_of(value))}" x2="{n(x1)}" y2="{n(y_of(value))}"/>'
        for value in ticks
    )
    out.append("</g>")
    out.extend(
        svg_text(
            x0 - 8,
            y_of(value) + SMALL_SIZE * 0.35,
            text,
            size=SMALL_SIZE,
            anchor="end",
            fill=MUTED,
        )
        for value, text in zip(ticks, tick_texts, strict=True)
    )
    return out


def column_chart(
    periods: Sequence[str],
    series: Sequence[ColumnSeries],
    *,
    title: str,
    reference: float | None = None,
    reference_label: str = "",
    decimal_comma: bool = False,
    narrow: bool = False,
    cls: str = "sv-columns",
) -> str:
    """Grouped columns: one group per period (``periods`` such as "K1 2026"), one column
    per series in it (customer solid, supplier hatched), each with its value written
    above; and, with ``reference``, a dashed horizontal line across the plot at that
    level, named in the legend by ``reference_label`` (an expected rate, a target).

    The y axis starts at 0 and reaches the highest value or the reference, whichever is
    higher. 720 wide in the ``viewBox``, or with ``narrow`` 360 wide and lower, for a
    phone. The description for screen readers lists every value.

    Raises ValueError when a series has not one value per period, or there is no period."""
    if not periods:
        raise ValueError("a column chart needs at least one period")
    for line in series:
        if len(line.values) != len(periods):
            raise ValueError(
                f"{line.label!r} has {len(line.values)} values for {len(periods)} periods"
            )
    width = NARROW_WIDTH if narrow else WIDTH
    plot_h = NARROW_COLUMN_PLOT_H if narrow else COLUMN_PLOT_H
    chart_id = ident("columns", title, periods, series, reference, reference_label, narrow)
    hatch = f"{chart_id}-hatch"

    # Column swatches centred in the reference line's wider box, so the labels align.
    swatch_w = 30 if reference is not None else 16
    shift = (swatch_w - 16) / 2
    items = [
        (f'<g transform="translate({n(shift)},0)">{bar_swatch(line.side, hatch)}</g>', line.label)
        for line in series
    ]
    if reference is not None:
        items.append((_reference_swatch(), reference_label))
    legend_svg, legend_h = legend(items, top=PAD, swatch_w=swatch_w, width=width)

    highest = max([0.0, *(v for line in series for v in line.values), reference or 0.0])
    top_value = max(highest, 1.0)
    step = tick_step(top_value)
    if not float(step).is_integer() and all(
        float(v).is_integer() for line in series for v in line.values
    ):
        step = 1.0  # counts: whole-number gridlines
    ticks = [step * k for k in range(math.floor(top_value / step + 1e-9) + 1)]
    if ticks[-1] < top_value:
        ticks.append(ticks[-1] + step)
    y_max = ticks[-1]
    tick_texts = [tick(t, step, decimal_comma) for t in ticks]
    x0 = PAD + max(text_width(t, SMALL_SIZE) for t in tick_texts) + 10
    x1 = width - PAD
    band = (x1 - x0) / len(periods)
    plot_top = PAD + legend_h + 8 + 16  # room for a value over the tallest column
    plot_bottom = plot_top + plot_h
    x_lines = [wrap(label, band - 6, SMALL_SIZE if narrow else LABEL_SIZE) for label in periods]
    label_size = SMALL_SIZE if narrow else LABEL_SIZE
    x_label_top = plot_bottom + 8
    height = x_label_top + max(len(lines) for lines in x_lines) * LINE_H + PAD

    def y_of(value: float) -> float:
        return plot_bottom - min(max(value, 0.0), y_max) / y_max * plot_h

    out = [
        svg_open(
            chart_id,
            title,
            _columns_description(periods, series, reference, reference_label, decimal_comma),
            height,
            cls + (" narrow" if narrow else ""),
            width=width,
        ),
        "<defs>",
        f'<pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fbe8da"/>'
        f'<line x1="3" y1="0" x2="3" y2="6" stroke="{SIDE_STYLE["supplier"].colour}" '
        'stroke-width="2.2"/></pattern>',
        "</defs>",
        legend_svg,
        *gridlines(ticks, tick_texts, y_of, x0, x1),
    ]
    count = max(len(series), 1)
    column_w = min(COLUMN_MAX_W, band * 0.78 / count)
    for i, lines in enumerate(x_lines):
        centre = x0 + band * (i + 0.5)
        out.append(
            svg_lines(
                centre,
                x_label_top + label_size * 0.9,
                lines,
                size=label_size,
                line_h=LINE_H,
                anchor="middle",
                cls="x-label",
            )
        )
        left = centre - column_w * count / 2
        for k, line in enumerate(series):
            value = float(line.values[i])
            style = SIDE_STYLE[line.side]
            x = left + k * column_w
            top = y_of(value)
            fill = style.colour if line.side == "customer" else f"url(#{hatch})"
            if value > 0:
                out.append(
                    f'<rect class="column {line.side}" x="{n(x + 1)}" y="{n(top)}" '
                    f'width="{n(column_w - 2)}" height="{n(plot_bottom - top)}" fill="{fill}" '
                    f'stroke="{style.colour}" stroke-width="1.2"/>'
                )
            if narrow and value == 0:
                continue  # on a phone the zeros crowd the axis; the table beside has them
            out.append(
                svg_text(
                    x + column_w / 2,
                    top - 4,
                    _count(value, decimal_comma),
                    size=SMALL_SIZE,
                    anchor="middle",
                    fill=style.text,
                    weight="600",
                    cls=f"value {line.side}",
                )
            )
    out.append(
        f'<line class="baseline" x1="{n(x0)}" y1="{n(plot_bottom)}" x2="{n(x1)}" '
        f'y2="{n(plot_bottom)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    if reference is not None:
        y = y_of(reference)
        out.append(
            f'<line class="reference" x1="{n(x0)}" y1="{n(y)}" x2="{n(x1)}" y2="{n(y)}" '
            f'stroke="{REFERENCE_INK}" stroke-width="2.2" stroke-dasharray="{REFERENCE_DASH}"/>'
        )
    out.append("</svg>")
    return "".join(out)


def _reference_swatch() -> str:
    return (
        f'<line x1="0" y1="7" x2="30" y2="7" stroke="{REFERENCE_INK}" stroke-width="2.2" '
        f'stroke-dasharray="{REFERENCE_DASH}"/>'
    )


def _count(value: float, decimal_comma: bool) -> str:
    """A whole count as it is; anything else with one decimal."""
    return str(int(value)) if float(value).is_integer() else number(value, decimal_comma)


def _columns_description(
    periods: Sequence[str],
    series: Sequence[ColumnSeries],
    reference: float | None,
    reference_label: str,
    decimal_comma: bool,
) -> str:
    parts = [
        f"{line.label}: "
        + ", ".join(
            f"{period} {_count(float(v), decimal_comma)}"
            for period, v in zip(periods, line.values, strict=True)
        )
        + "."
        for line in series
    ]
    if reference is not None:
        parts.append(f"{reference_label}.")
    return " ".join(parts)

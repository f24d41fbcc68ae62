"""The health results drawn as inline SVG, for the results page and its print.

Two charts: ``dimension_bars`` (the customer's and the supplier's mean per
dimension, side by side, with the gap between them) and ``trend_lines`` (means
across rounds). Both read in black-and-white print: the customer is drawn solid
with circles, the supplier hatched or dashed with squares, and every value is
also written as text. No script, no external resource.

Pure: the functions take plain values and return markup in which every caller
text is escaped. There is no font metrics library here, so text widths are
estimated from typical glyph widths of a sans-serif font, on the safe side, and
long labels are wrapped rather than clipped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

# The pieces every chart shares live in samverkan.lib.svgchart (innovation draws with
# them too); here under the names this module has always used.
from samverkan.lib.svgchart import (
    BAND,
    GRID,
    LABEL_SIZE,
    MUTED,
    PAD,
    SIDE_STYLE,
    SMALL_SIZE,
    WIDTH,
    Side,
    gridlines,
    svg_empty,
)
from samverkan.lib.svgchart import bar_swatch as _bar_swatch
from samverkan.lib.svgchart import ident as _ident
from samverkan.lib.svgchart import legend as _legend
from samverkan.lib.svgchart import line_swatch as _line_swatch
from samverkan.lib.svgchart import marker as _marker
from samverkan.lib.svgchart import n as _n
from samverkan.lib.svgchart import number as _number
from samverkan.lib.svgchart import signed as _signed
from samverkan.lib.svgchart import svg_lines as _lines
from samverkan.lib.svgchart import svg_open as _open
from samverkan.lib.svgchart import svg_text as _text
from samverkan.lib.svgchart import tick as _tick
from samverkan.lib.svgchart import tick_step as _tick_step
from samverkan.lib.svgchart import wrap as _wrap
from samverkan.lib.svgtext import text_width

# --- the public API ---------------------------------------------------------------------


@dataclass(frozen=True)
class BarRow:
    """One dimension in ``dimension_bars``."""

    label: str  # dimension name, e.g. "Kommunikation"
    customer: float | None  # mean on 1–5, None = withheld (too few respondents)
    supplier: float | None
    gap: float | None  # customer minus supplier, None when either is withheld
    flagged: bool  # |gap| >= 1.0: the gap is drawn bold with a "⚠"


@dataclass(frozen=True)
class TrendSeries:
    """One line in ``trend_lines``."""

    label: str  # legend text, e.g. the organisation name
    values: Sequence[float | None]  # one per x label; None = withheld, a gap in the line
    side: Side


# Bars: the dimension names on the left, the 1–5 axis, the gap column on the right.
BAR_LABEL_W = 200
BAR_GAP_W = 86
BAR_VALUE_W = 34  # room for the mean written after a full-length bar
BAR_H = 13
BAR_SPACE = 3
ROW_MIN_H = 44
LINE_H = 16
BAR_X0 = PAD + BAR_LABEL_W + 12
BAR_X1 = WIDTH - PAD - BAR_GAP_W - BAR_VALUE_W
# The narrow variant, for phones: drawn at about the size it is shown, each dimension's
# name on a line of its own above its two bars, the gap at the end of that line.
NARROW_WIDTH = 360
NARROW_GAP_W = 62


@dataclass(frozen=True)
class _BarLayout:
    width: int
    narrow: bool
    label_w: float  # the width a dimension name wraps to
    x0: float  # where the axis starts (a mean of 1)
    x1: float  # where it ends (a mean of 5)

    @classmethod
    def of(cls, narrow: bool) -> _BarLayout:
        if narrow:
            return cls(
                width=NARROW_WIDTH,
                narrow=True,
                label_w=NARROW_WIDTH - 2 * PAD - 8 - NARROW_GAP_W,
                x0=PAD + 6,
                x1=NARROW_WIDTH - PAD - BAR_VALUE_W,
            )
        return cls(width=WIDTH, narrow=False, label_w=BAR_LABEL_W, x0=BAR_X0, x1=BAR_X1)

    def x_of(self, value: float) -> float:
        return self.x0 + (min(max(value, 1.0), 5.0) - 1.0) / 4.0 * (self.x1 - self.x0)

    def row_height(self, lines: int) -> float:
        if self.narrow:
            return 6 + lines * LINE_H + 4 + 2 * BAR_H + BAR_SPACE + 10
        return max(ROW_MIN_H, lines * LINE_H + 14)

    def bars_top(self, top: float, row_h: float, lines: int) -> float:
        """The top of the customer's bar; the supplier's follows below it."""
        if self.narrow:
            return top + 6 + lines * LINE_H + 4
        return top + row_h / 2 - BAR_H - BAR_SPACE / 2

    def label_baseline(self, top: float, row_h: float, lines: int) -> float:
        """The first line's baseline: above the bars when narrow, centred beside them when wide."""
        if self.narrow:
            return top + 6 + LABEL_SIZE * 0.85
        return top + row_h / 2 - (lines - 1) * LINE_H / 2 + LABEL_SIZE * 0.35

    def gap_baseline(self, top: float, row_h: float, lines: int) -> float:
        if self.narrow:
            return self.label_baseline(top, row_h, lines)
        return top + row_h / 2 + 4.5


def dimension_bars(
    rows: Sequence[BarRow],
    *,
    title: str,
    customer_label: str,
    supplier_label: str,
    withheld_label: str,
    gap_label: str,
    decimal_comma: bool = False,
    narrow: bool = False,
) -> SafeString:
    """Horizontal grouped bars: one row per dimension, a customer bar and a supplier bar on
    a 1–5 axis (gridlines at 1..5 with tick labels), the mean printed at the end of each
    bar, the gap in a right-hand column headed ``gap_label`` (signed, e.g. "+1,2" /
    "−0,4"), a legend at the top. A withheld value draws no bar but the text
    ``withheld_label`` in grey italics in its place.

    The width is fixed in the ``viewBox`` and the chart is scaled to the page: 720 wide,
    with the names in a column left of the bars; or, with ``narrow``, 360 wide for a
    phone, each name on its own line above its bars (scaled down to a phone, the wide
    chart's text would be half size). The height grows with the number of rows and with
    names that need a second line."""
    layout_of = _BarLayout.of(narrow)
    width = layout_of.width
    ident = _ident(
        "bars", title, customer_label, supplier_label, withheld_label, gap_label, rows, narrow
    )
    hatch = f"{ident}-hatch"

    legend, legend_h = _legend(
        [
            (_bar_swatch("customer", hatch), customer_label),
            (_bar_swatch("supplier", hatch), supplier_label),
        ],
        top=PAD,
        swatch_w=16,
        width=width,
    )

    # The axis header: tick labels over the gridlines, the gap heading over its column
    # (on a line of its own when narrow, where the column is over the axis's end).
    header_top = PAD + legend_h + 10
    gap_lines = _wrap(gap_label, NARROW_GAP_W if narrow else BAR_GAP_W, SMALL_SIZE, bold=True)
    header_h = len(gap_lines) * 14 + 8 + (16 if narrow else 0)
    rows_top = header_top + header_h

    layout: list[tuple[BarRow, list[str], float, float]] = []  # row, lines, top, height
    y = rows_top
    for row in rows:
        lines = _wrap(row.label, layout_of.label_w, LABEL_SIZE, bold=narrow)
        row_h = layout_of.row_height(len(lines))
        layout.append((row, lines, y, row_h))
        y += row_h
    rows_bottom = y
    height = rows_bottom + 22 + PAD
    x_of = layout_of.x_of

    out = [
        _open(
            ident,
            title,
            _bars_description(
                rows, customer_label, supplier_label, withheld_label, gap_label, decimal_comma
            ),
            height,
            "health-chart health-bars" + (" narrow" if narrow else ""),
            width=width,
        ),
        "<defs>",
        f'<pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fbe8da"/>'
        f'<line x1="3" y1="0" x2="3" y2="6" stroke="{SIDE_STYLE["supplier"].colour}" '
        'stroke-width="2.2"/></pattern>',
        "</defs>",
        legend,
    ]

    # Alternate bands, so the eye follows a row across to its gap.
    for i, (_row, _wrapped, top, row_h) in enumerate(layout):
        if i % 2 == 0:
            out.append(
                f'<rect x="{PAD}" y="{_n(top)}" width="{width - 2 * PAD}" height="{_n(row_h)}" '
                f'fill="{BAND}"/>'
            )

    # Gridlines: through every row when the names are beside the bars; when narrow, only
    # behind each pair of bars, so that no line runs through a name.
    spans = (
        [
            (bars_top - 2, bars_top + 2 * BAR_H + BAR_SPACE + 2)
            for _row, lines, top, row_h in layout
            for bars_top in [layout_of.bars_top(top, row_h, len(lines))]
        ]
        if narrow
        else [(rows_top, rows_bottom)]
    )
    out.append(f'<g class="axis" stroke="{GRID}" stroke-width="1">')
    for tick in range(1, 6):
        x = x_of(tick)
        out.extend(
            f'<line x1="{_n(x)}" y1="{_n(y0)}" x2="{_n(x)}" y2="{_n(y1)}"/>' for y0, y1 in spans
        )
    out.append("</g>")
    for tick in range(1, 6):
        x = x_of(tick)
        for baseline in (rows_top - 8, rows_bottom + 16):
            out.append(_text(x, baseline, str(tick), size=SMALL_SIZE, anchor="middle", fill=MUTED))
    out.append(
        _lines(
            width - PAD,
            header_top + 11,
            gap_lines,
            size=SMALL_SIZE,
            line_h=14,
            anchor="end",
            weight="600",
            cls="gap-heading",
        )
    )

    for row, lines, top, row_h in layout:
        out.append('<g class="bar-row">')  # not "row": Bootstrap styles .row
        out.append(
            _lines(
                PAD + 8 if not narrow else PAD + 4,
                layout_of.label_baseline(top, row_h, len(lines)),
                lines,
                size=LABEL_SIZE,
                line_h=LINE_H,
                weight="600" if narrow else None,
                cls="label",
            )
        )
        pair = layout_of.bars_top(top, row_h, len(lines))
        for side, value, bar_top in (
            ("customer", row.customer, pair),
            ("supplier", row.supplier, pair + BAR_H + BAR_SPACE),
        ):
            baseline = bar_top + BAR_H / 2 + SMALL_SIZE * 0.35
            if value is None:
                out.append(
                    _text(
                        layout_of.x0 + 4,
                        baseline,
                        withheld_label,
                        size=SMALL_SIZE,
                        fill=MUTED,
                        italic=True,
                        cls=f"withheld {side}",
                    )
                )
                continue
            style = SIDE_STYLE[side]
            bar_w = max(x_of(value) - layout_of.x0, 2.0)  # a mean of 1 still shows as a sliver
            fill = style.colour if side == "customer" else f"url(#{hatch})"
            out.append(
                f'<rect class="bar {side}" x="{_n(layout_of.x0)}" y="{_n(bar_top)}" '
                f'width="{_n(bar_w)}" height="{BAR_H}" fill="{fill}" '
                f'stroke="{style.colour}" stroke-width="1.2"/>'
            )
            out.append(
                _text(
                    layout_of.x0 + bar_w + 5,
                    baseline,
                    _number(value, decimal_comma),
                    size=SMALL_SIZE,
                    fill=style.text,
                    cls=f"value {side}",
                )
            )
        gap_y = layout_of.gap_baseline(top, row_h, len(lines))
        if row.gap is None:
            out.append(
                _text(
                    width - PAD,
                    gap_y,
                    "–",
                    size=LABEL_SIZE,
                    anchor="end",
                    fill=MUTED,
                    cls="gap",
                )
            )
        else:
            gap = _signed(row.gap, decimal_comma)
            out.append(
                _text(
                    width - PAD,
                    gap_y,
                    f"⚠ {gap}" if row.flagged else gap,
                    size=LABEL_SIZE,
                    anchor="end",
                    weight="700" if row.flagged else None,
                    cls="gap flagged" if row.flagged else "gap",
                )
            )
        out.append("</g>")

    out.append("</svg>")
    return SafeString("".join(out))


# Trend: y tick labels on the left, one band per round across the plot.
PLOT_H = 220
NARROW_PLOT_H = 170
ABOVE = 10  # a value label's baseline above its point
BELOW = 18  # ... or below it
LABEL_BOX = 13  # the height a value label takes


def trend_lines(
    x_labels: Sequence[str],
    series: Sequence[TrendSeries],
    *,
    title: str,
    y_min: float = 1.0,
    y_max: float = 5.0,
    decimal_comma: bool = False,
    empty_label: str = "",
    narrow: bool = False,
) -> SafeString:
    """A line chart across rounds (``x_labels`` such as "Vår 2025"), the y axis from
    ``y_min`` to ``y_max`` with gridlines, each point marked (customer: circle, supplier:
    square) and labelled with its value. A None breaks the line: nothing is drawn across
    it. When no value at all is shown, a small SVG that says ``empty_label``.

    720 wide in the ``viewBox``, or with ``narrow`` 360 wide and lower, for a phone,
    where the wide chart would be scaled to half-size text.

    Raises ValueError when a series has not one value per x label, or the y range is
    empty."""
    for line in series:
        if len(line.values) != len(x_labels):
            raise ValueError(
                f"{line.label!r} has {len(line.values)} values for {len(x_labels)} rounds"
            )
    if y_max <= y_min:
        raise ValueError("y_max must be above y_min")
    ident = _ident("trend", title, x_labels, series, y_min, y_max, narrow)
    width = NARROW_WIDTH if narrow else WIDTH
    plot_h = NARROW_PLOT_H if narrow else PLOT_H
    if not any(value is not None for line in series for value in line.values):
        return _empty(ident, title, empty_label, width)

    legend, legend_h = _legend(
        [(_line_swatch(line.side), line.label) for line in series],
        top=PAD,
        swatch_w=30,
        width=width,
    )

    step = _tick_step(y_max - y_min)
    ticks = [
        step * k for k in range(math.ceil(y_min / step - 1e-9), math.floor(y_max / step + 1e-9) + 1)
    ]
    tick_texts = [_tick(t, step, decimal_comma) for t in ticks]
    x0 = PAD + max(text_width(t, SMALL_SIZE) for t in tick_texts) + 10
    x1 = width - PAD
    band = (x1 - x0) / len(x_labels)
    xs = [x0 + band * (i + 0.5) for i in range(len(x_labels))]
    plot_top = PAD + legend_h + 8 + LABEL_BOX + ABOVE
    plot_bottom = plot_top + plot_h
    x_lines = [_wrap(label, band - 8, LABEL_SIZE) for label in x_labels]
    x_label_top = plot_bottom + BELOW + 10
    height = x_label_top + max(len(lines) for lines in x_lines) * LINE_H + PAD

    def y_of(value: float) -> float:
        share = (min(max(value, y_min), y_max) - y_min) / (y_max - y_min)
        return plot_bottom - share * plot_h

    out = [
        _open(
            ident,
            title,
            _trend_description(x_labels, series, decimal_comma),
            height,
            "health-chart health-trend" + (" narrow" if narrow else ""),
            width=width,
        ),
        legend,
        *gridlines(ticks, tick_texts, y_of, x0, x1),
    ]
    for x, lines in zip(xs, x_lines, strict=True):
        out.append(
            _lines(
                x,
                x_label_top + LABEL_SIZE * 0.8,
                lines,
                size=LABEL_SIZE,
                line_h=LINE_H,
                anchor="middle",
                cls="x-label",
            )
        )

    # Lines under markers under labels, so that no line hides a value.
    points = [
        [(xs[i], y_of(v), v) if v is not None else None for i, v in enumerate(line.values)]
        for line in series
    ]
    for line, pts in zip(series, points, strict=True):
        style = SIDE_STYLE[line.side]
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        out.append(
            f'<g class="series {line.side}" fill="none" stroke="{style.colour}" '
            f'stroke-width="2.2" stroke-linejoin="round"{dash}>'
        )
        for run in _runs(pts):
            if len(run) > 1:
                coords = " ".join(f"{_n(x)},{_n(y)}" for x, y, _v in run)
                out.append(f'<polyline points="{coords}"/>')
        out.append("</g>")
    # Squares under circles: where both sides have the same value, a dot in a square.
    by_side = sorted(zip(series, points, strict=True), key=lambda pair: pair[0].side != "supplier")
    for line, pts in by_side:
        out.append(f'<g class="markers {line.side}">')
        out.extend(_marker(line.side, x, y) for x, y, _v in filter(None, pts))
        out.append("</g>")
    out.append('<g class="values">')
    for i, x in enumerate(xs):
        at_x = [
            (point[1], point[2], line.side)
            for line, pts in zip(series, points, strict=True)
            if (point := pts[i]) is not None
        ]
        out.extend(
            _value_labels(
                x,
                at_x,
                ceiling=plot_top - ABOVE - LABEL_BOX,
                floor=x_label_top - 2,
                decimal_comma=decimal_comma,
            )
        )
    out.append("</g>")
    out.append("</svg>")
    return SafeString("".join(out))


# --- pieces -----------------------------------------------------------------------------


def _empty(ident: str, title: str, empty_label: str, width: int = WIDTH) -> SafeString:
    return SafeString(svg_empty(ident, title, empty_label, "health-chart health-empty", width))


def _runs(
    points: Sequence[tuple[float, float, float] | None],
) -> list[list[tuple[float, float, float]]]:
    """The stretches of consecutive shown points: a None ends one."""
    runs: list[list[tuple[float, float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _value_labels(
    x: float,
    at_x: Sequence[tuple[float, float, Side]],
    *,
    ceiling: float,
    floor: float,
    decimal_comma: bool,
) -> list[str]:
    """The values at one round, each above or below its point, so that no two overlap and
    none covers a point: the topmost point prefers above, the others below, and a label
    moves one step further out when its place is taken."""
    taken = [(y - 7, y + 7) for y, _v, _side in at_x]  # the markers themselves
    out = []
    for rank, (y, value, side) in enumerate(sorted(at_x, key=lambda p: p[0])):
        above = [
            (y - ABOVE - LABEL_BOX * (k + 1) + 3, y - ABOVE - LABEL_BOX * k + 3) for k in range(3)
        ]
        below = [
            (y + BELOW - LABEL_BOX * (1 - k) + 3, y + BELOW + LABEL_BOX * k + 3) for k in range(3)
        ]
        first, second = (above, below) if rank == 0 else (below, above)
        choices = [c for pair in zip(first, second, strict=True) for c in pair]
        box = next(
            (
                c
                for c in choices
                if c[0] >= ceiling
                and c[1] <= floor
                and not any(c[0] < t[1] and t[0] < c[1] for t in taken)
            ),
            None,
        )
        text = _number(value, decimal_comma)
        fill = SIDE_STYLE[side].text
        if box is None:  # crowded: beside the point instead
            out.append(
                _text(
                    x + 8,
                    y + 4,
                    text,
                    size=SMALL_SIZE,
                    fill=fill,
                    weight="600",
                    cls=f"value {side}",
                    halo=True,
                )
            )
            continue
        taken.append(box)
        out.append(
            _text(
                x,
                box[1] - 3,
                text,
                size=SMALL_SIZE,
                anchor="middle",
                fill=fill,
                weight="600",
                cls=f"value {side}",
                halo=True,
            )
        )
    return out


# --- text -------------------------------------------------------------------------------


def _bars_description(
    rows: Sequence[BarRow],
    customer_label: str,
    supplier_label: str,
    withheld_label: str,
    gap_label: str,
    decimal_comma: bool,
) -> str:
    def value(v: float | None) -> str:
        return withheld_label if v is None else _number(v, decimal_comma)

    return " ".join(
        f"{row.label}: {customer_label} {value(row.customer)}, "
        f"{supplier_label} {value(row.supplier)}, "
        f"{gap_label} {'–' if row.gap is None else _signed(row.gap, decimal_comma)}"
        f"{' ⚠' if row.flagged else ''}."
        for row in rows
    )


def _trend_description(
    x_labels: Sequence[str], series: Sequence[TrendSeries], decimal_comma: bool
) -> str:
    return " ".join(
        f"{line.label}: "
        + ", ".join(
            f"{x} {'–' if v is None else _number(v, decimal_comma)}"
            for x, v in zip(x_labels, line.values, strict=True)
        )
        + "."
        for line in series
    )

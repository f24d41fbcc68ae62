"""The organisation chart of a collaboration model, drawn as inline SVG.

Three horizontal bands (strategic, tactical, operational). In each band the
customer's roles stand on the left, the supplier's on the right, and the
forums of the level (rounded pills) with any joint roles in the middle; thin
grey lines join each forum to its members. Side is shown by colour, border
style and a text marker, so the chart reads in black-and-white print too.

Pure: it reads only the already-loaded ``CollaborationModel`` (forum members
prefetched by ``collaboration_model``) and returns markup in which every
user text is escaped. There is no font metrics library here, so text widths
are estimated from typical glyph widths of a sans-serif font, on the safe side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from samverkan.collaboration.models import Forum, Level, Role, RoleSide
from samverkan.collaboration.selectors import CollaborationModel
from samverkan.lib.svgtext import text_width

LEVELS = ("strategic", "tactical", "operational")
COLUMNS = ("customer", "middle", "supplier")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

PAD = 16
GUTTER = 128  # the band labels
HEADER_H = 50
CELL_W = 188
CELL_H = 78
BOX_H = 72
GAP_X = 14
GAP_Y = 12
COL_GAP = 48  # room for the lines between the columns
BAND_PAD = 14
MAX_ROWS = 4  # items stacked per column in a band before another sub-column opens
LEGEND_H = 34

NAME_SIZE = 12.5
SMALL_SIZE = 10

# fill, stroke, text colour, dash pattern (none: solid)
SIDE_STYLE = {
    "customer": ("#e7f0f6", "#1d4e6b", "#1d4e6b", ""),
    "supplier": ("#e2f3ef", "#23766c", "#1b5c54", "6 3"),
    "joint": ("#f1ecf6", "#5f4387", "#523a75", "2 2"),
}
FORUM_FILL, FORUM_STROKE = "#fdf5e1", "#7a5a0c"
LINE = "#8c9299"
BAND_FILLS = ("#f5f7f9", "#ffffff")


def _fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text, cut with "…" so that it fits the width."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Break the text into at most ``max_lines`` lines that fit; the last one ends in "…"
    when the text does not fit. Words longer than a line are split."""
    words: list[str] = []
    for word in text.split():
        while text_width(word, size, bold) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, bold) > width:
                cut -= 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size, bold) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1] + "…"
        lines[-1] = last if text_width(last, size, bold) <= width else _fit(last, width, size, bold)
    return lines or [""]


def _e(text: object) -> str:
    return str(escape(str(text)))


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class _Item:
    """One drawn thing: a role box or a forum pill, with its place once laid out."""

    role: Role | None = None
    forum: Forum | None = None
    x: float = 0
    y: float = 0
    w: float = CELL_W
    h: float = BOX_H
    # For a box in an outer sub-column: where its lines leave the curve to run along the
    # gap above its row (x at the inner edge of the column, y of the gap), so that they
    # never pass behind the boxes nearer the middle.
    route: tuple[float, float] | None = None

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class _Band:
    level: str
    columns: dict[str, list[_Item]] = field(default_factory=dict)
    y: float = 0
    h: float = 0


def _column_of(role: Role) -> str:
    return {"customer": "customer", "supplier": "supplier"}.get(role.side, "middle")


def _bands(model: CollaborationModel) -> list[_Band]:
    bands = []
    for level in LEVELS:
        band = _Band(level=level, columns={column: [] for column in COLUMNS})
        band.columns["middle"] = [_Item(forum=f) for f in model.forums if f.level == level]
        for role in model.roles:
            if role.level == level:
                band.columns[_column_of(role)].append(_Item(role=role))
        bands.append(band)
    return bands


def _layout(bands: list[_Band]) -> tuple[dict[str, float], dict[str, int], float, float]:
    """Place every item; returns column x, sub-columns per column, total width and height."""
    sub_cols = {
        column: max(1, max(math.ceil(len(b.columns[column]) / MAX_ROWS) for b in bands))
        for column in COLUMNS
    }
    col_x: dict[str, float] = {}
    x = PAD + GUTTER
    for column in COLUMNS:
        col_x[column] = x
        x += sub_cols[column] * CELL_W + (sub_cols[column] - 1) * GAP_X + COL_GAP
    width = x - COL_GAP + PAD
    y = PAD + HEADER_H
    for band in bands:
        rows = max(
            1,
            *(math.ceil(len(items) / sub_cols[c]) for c, items in band.columns.items()),
        )
        band.y = y
        band.h = 2 * BAND_PAD + rows * CELL_H + (rows - 1) * GAP_Y
        for column, items in band.columns.items():
            _place(items, column, col_x[column], sub_cols[column], band)
        y += band.h
    return col_x, sub_cols, width, y + LEGEND_H + PAD


def _place(items: list[_Item], column: str, x0: float, sub_cols: int, band: _Band) -> None:
    """Fill sub-columns top to bottom, the one nearest the middle first; centre vertically."""
    rows = math.ceil(len(items) / sub_cols) if items else 0
    block_h = rows * CELL_H + max(0, rows - 1) * GAP_Y
    top = band.y + (band.h - block_h) / 2
    used_cols = math.ceil(len(items) / rows) if rows else 0
    for i, item in enumerate(items):
        col, row = divmod(i, rows)
        slot: float
        if column == "customer":  # inner sub-column is the right-most
            slot = sub_cols - 1 - col
        elif column == "supplier":
            slot = col
        else:  # centred
            slot = col + (sub_cols - used_cols) / 2
        item.x = x0 + slot * (CELL_W + GAP_X)
        cell_y = top + row * (CELL_H + GAP_Y)
        if col > 0 and column == "supplier":
            item.route = (x0 - 6, cell_y - GAP_Y / 2)
        elif col > 0 and column == "customer":
            item.route = (x0 + sub_cols * (CELL_W + GAP_X) - GAP_X + 6, cell_y - GAP_Y / 2)
        if item.forum is not None:
            lines = len(_forum_name_lines(item.forum))
            item.h = 30 + 15 * lines if item.forum.cadence else 22 + 15 * lines
        item.y = cell_y + (CELL_H - item.h) / 2


def _forum_name_lines(forum: Forum) -> list[str]:
    return _wrap(forum.name, CELL_W - 36, NAME_SIZE, 2, bold=True)


def _role_name_lines(role: Role) -> list[str]:
    return _wrap(role.name, CELL_W - 18, NAME_SIZE, 2, bold=True)


def _text(
    x: float, y: float, text: str, *, size: float, fill: str = "#1b1f24", **attrs: str
) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attrs.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"{extra}>'
        f"{_e(text)}</text>"
    )


def _role_svg(item: _Item) -> str:
    role = item.role
    assert role is not None
    side = role.side if role.side in SIDE_STYLE else "joint"
    fill, stroke, ink, dash = SIDE_STYLE[side]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    side_label = str(RoleSide(side).label).upper()
    orientation = str(role.get_orientation_display()) if role.orientation else ""
    tooltip = " · ".join(
        part for part in (role.name, str(RoleSide(side).label), orientation) if part
    )
    names = _role_name_lines(role)
    parts = [
        f'<g class="orgchart-role orgchart-{side}"><title>{_e(tooltip)}</title>',
        f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" height="{_n(item.h)}" '
        f'rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash_attr}/>',
        _text(
            item.x + 9,
            item.y + 15,
            _fit(side_label, item.w - 18, 9, bold=True),
            size=9,
            fill=ink,
            font_weight="700",
            letter_spacing="0.06em",
        ),
    ]
    name_top = item.y + (item.h - len(names) * 15) / 2 + 11
    for i, line in enumerate(names):
        parts.append(_text(item.x + 9, name_top + i * 15, line, size=NAME_SIZE, font_weight="600"))
    if orientation:
        parts.append(
            _text(
                item.x + 9,
                item.y + item.h - 8,
                _fit(orientation, item.w - 18, SMALL_SIZE),
                size=SMALL_SIZE,
                fill="#4a5159",
                font_style="italic",
            )
        )
    parts.append("</g>")
    return "".join(parts)


def _forum_svg(item: _Item) -> str:
    forum = item.forum
    assert forum is not None
    cadence = str(forum.get_cadence_display()) if forum.cadence else ""
    names = _forum_name_lines(forum)
    tooltip = f"{forum.name} · {cadence}" if cadence else forum.name
    parts = [
        f'<g class="orgchart-forum"><title>{_e(tooltip)}</title>',
        f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" height="{_n(item.h)}" '
        f'rx="{_n(min(item.h / 2, 24))}" fill="{FORUM_FILL}" stroke="{FORUM_STROKE}" '
        'stroke-width="1.5"/>',
    ]
    for i, line in enumerate(names):
        parts.append(
            _text(
                item.cx,
                item.y + 19 + i * 15,
                line,
                size=NAME_SIZE,
                font_weight="700",
                text_anchor="middle",
            )
        )
    if cadence:
        parts.append(
            _text(
                item.cx,
                item.y + item.h - 10,
                _fit(cadence, item.w - 36, SMALL_SIZE + 0.5),
                size=SMALL_SIZE + 0.5,
                fill="#4a5159",
                text_anchor="middle",
            )
        )
    parts.append("</g>")
    return "".join(parts)


def _curve(x1: float, y1: float, x2: float, y2: float, bend: float) -> str:
    return (
        f'<path d="M{_n(x1)} {_n(y1)} C{_n(x1 + bend)} {_n(y1)} {_n(x2 - bend)} {_n(y2)} '
        f'{_n(x2)} {_n(y2)}"/>'
    )


def _routed(pill: _Item, box: _Item, column: str, x: float, y: float) -> str:
    """A curve to the gap above the box's row, along it, and down into the box's top."""
    if column == "supplier":
        x1, bend, end = pill.x + pill.w, max(24, (x - pill.x - pill.w) / 2), box.x + 16
    else:
        x1, bend, end = pill.x, -max(24, (pill.x - x) / 2), box.x + box.w - 16
    return (
        f'<path d="M{_n(x1)} {_n(pill.cy)} C{_n(x1 + bend)} {_n(pill.cy)} {_n(x - bend)} {_n(y)} '
        f'{_n(x)} {_n(y)} H{_n(end)} V{_n(box.y)}"/>'
    )


def _links(bands: list[_Band]) -> list[str]:
    """Curves from each forum to each member role (and its chair)."""
    boxes: dict[int, tuple[_Item, str]] = {}
    forums: list[_Item] = []
    for band in bands:
        for column, items in band.columns.items():
            for item in items:
                if item.role is not None:
                    boxes[item.role.pk] = (item, column)
                else:
                    forums.append(item)
    paths = []
    for pill in forums:
        forum = pill.forum
        assert forum is not None
        member_ids = [role.pk for role in forum.members.all()]
        if forum.chair_id is not None and forum.chair_id not in member_ids:
            member_ids.append(forum.chair_id)
        for role_id in member_ids:
            if role_id not in boxes:
                continue
            box, column = boxes[role_id]
            if box.route is not None:
                paths.append(_routed(pill, box, column, *box.route))
            elif column == "customer":
                x1, x2 = pill.x, box.x + box.w
                paths.append(_curve(x1, pill.cy, x2, box.cy, -max(24, (x1 - x2) / 2)))
            elif column == "supplier":
                x1, x2 = pill.x + pill.w, box.x
                paths.append(_curve(x1, pill.cy, x2, box.cy, max(24, (x2 - x1) / 2)))
            else:  # a joint role beside the forums: a bracket through the gap on the left
                paths.append(
                    f'<path d="M{_n(pill.x)} {_n(pill.cy)} C{_n(pill.x - 30)} {_n(pill.cy)} '
                    f'{_n(box.x - 30)} {_n(box.cy)} {_n(box.x)} {_n(box.cy)}"/>'
                )
    return paths


def _header(model: CollaborationModel, col_x: dict[str, float], sub_cols: dict[str, int]) -> str:
    agreement = model.agreement
    organisations = {"customer": "", "supplier": ""}
    for side in organisations:
        # Only names already loaded: drawing never queries the database.
        if agreement._meta.get_field(side).is_cached(agreement):  # type: ignore[union-attr]
            organisations[side] = getattr(agreement, side).name
    titles = {
        "customer": str(RoleSide.CUSTOMER.label),
        "middle": _("Forums and joint roles"),
        "supplier": str(RoleSide.SUPPLIER.label),
    }
    parts = []
    for column in COLUMNS:
        width = sub_cols[column] * CELL_W + (sub_cols[column] - 1) * GAP_X
        cx = col_x[column] + width / 2
        organisation = organisations.get(column, "")
        # A title without an organisation below it may take two lines.
        for i, line in enumerate(_wrap(titles[column], width, 13, 1 if organisation else 2, True)):
            parts.append(
                _text(
                    cx,
                    PAD + 18 + i * 17,
                    line,
                    size=13,
                    font_weight="700",
                    text_anchor="middle",
                    fill=SIDE_STYLE.get(column, ("", "", "#1b1f24"))[2],
                )
            )
        if organisation:
            parts.append(
                _text(
                    cx,
                    PAD + 36,
                    _fit(organisation, width, 11),
                    size=11,
                    fill="#4a5159",
                    text_anchor="middle",
                )
            )
    return "".join(parts)


def _legend(y: float) -> str:
    x: float = PAD + GUTTER
    role_label = _("Role (the side is written at the top)")
    forum_label = _("Forum, with how often it meets")
    line_label = _("Member of the forum")
    parts = [
        f'<rect x="{_n(x)}" y="{_n(y + 6)}" width="26" height="16" rx="3" fill="#ffffff" '
        'stroke="#4a5159" stroke-width="1.2"/>',
        _text(x + 34, y + 18, role_label, size=SMALL_SIZE + 0.5, fill="#4a5159"),
    ]
    x += 34 + text_width(role_label, SMALL_SIZE + 0.5) + 24
    parts += [
        f'<rect x="{_n(x)}" y="{_n(y + 6)}" width="30" height="16" rx="8" fill="{FORUM_FILL}" '
        f'stroke="{FORUM_STROKE}" stroke-width="1.2"/>',
        _text(x + 38, y + 18, forum_label, size=SMALL_SIZE + 0.5, fill="#4a5159"),
    ]
    x += 38 + text_width(forum_label, SMALL_SIZE + 0.5) + 24
    parts += [
        f'<path d="M{_n(x)} {_n(y + 14)} h28" stroke="{LINE}" stroke-width="1.2"/>',
        _text(x + 36, y + 18, line_label, size=SMALL_SIZE + 0.5, fill="#4a5159"),
    ]
    return "".join(parts)


def _description(model: CollaborationModel) -> str:
    """The chart as text, for screen readers: each level's roles and forums."""
    sentences = []
    for level in LEVELS:
        roles = ", ".join(
            f"{role.name} ({role.get_side_display()})"
            for role in model.roles
            if role.level == level
        )
        forums = ", ".join(
            f"{forum.name} ({forum.get_cadence_display()})" if forum.cadence else forum.name
            for forum in model.forums
            if forum.level == level
        )
        parts = [
            f"{_('Roles')}: {roles}" if roles else "",
            f"{_('Forums')}: {forums}" if forums else "",
        ]
        body = "; ".join(p for p in parts if p) or _("No roles or forums at this level.")
        sentences.append(f"{Level(level).label}. {body}.")
    return " ".join(sentences)


def _join(parts: Iterable[str]) -> str:
    return "\n".join(parts)


def orgchart_svg(model: CollaborationModel, language: str) -> str:
    """The organisation chart as an inline ``<svg>`` element, labelled in ``language``."""
    with translation.override(language):
        bands = _bands(model)
        col_x, sub_cols, width, height = _layout(bands)
        ident = f"orgchart-{model.agreement.pk or 0}"
        title = _("Organisation chart: levels, roles and forums")
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="orgchart" role="img" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
            f'style="max-width:100%;height:auto" font-family="{FONT}" '
            f'aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{_e(title)}</title>',
            f'<desc id="{ident}-desc">{_e(_description(model))}</desc>',
        ]
        for i, band in enumerate(bands):
            out.append(
                f'<rect x="{PAD}" y="{_n(band.y)}" width="{_n(width - 2 * PAD)}" '
                f'height="{_n(band.h)}" fill="{BAND_FILLS[i % 2]}" stroke="#c9d0d8" '
                'stroke-width="1"/>'
            )
            out.append(
                _text(
                    PAD + 12,
                    band.y + band.h / 2 + 5,
                    _fit(str(Level(band.level).label), GUTTER - 20, 14, bold=True),
                    size=14,
                    font_weight="700",
                    fill="#2b3137",
                )
            )
            if not any(band.columns.values()):
                out.append(
                    _text(
                        width / 2 + GUTTER / 2,
                        band.y + band.h / 2 + 4,
                        _("No roles or forums at this level."),
                        size=11,
                        fill="#5b636b",
                        font_style="italic",
                        text_anchor="middle",
                    )
                )
        out.append(_header(model, col_x, sub_cols))
        out.append(f'<g fill="none" stroke="{LINE}" stroke-width="1.1">')
        out.extend(_links(bands))
        out.append("</g>")
        for band in bands:
            for column in COLUMNS:
                for item in band.columns[column]:
                    out.append(_role_svg(item) if item.role is not None else _forum_svg(item))
        out.append(_legend(height - PAD - LEGEND_H))
        out.append("</svg>")
        return _join(out)

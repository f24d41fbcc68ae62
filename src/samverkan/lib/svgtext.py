"""Text measurement for the SVG the app draws itself (organisation chart, health charts).

The browser lays the text out, not us, so widths are estimated: generous enough
for the widest usual fallback font (DejaVu Sans) that a label never overruns.
"""

from __future__ import annotations

_NARROW = set("fijlrtI.,:;'!|()[]/ ")
_WIDE = set("mwMW@%–—")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the rendered width of ``text`` in a system sans-serif font."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.34
        elif char in _WIDE:
            units += 0.9
        elif char.isdigit():
            units += 0.64
        elif char.isupper():
            units += 0.72
        else:
            units += 0.6
    # Calibrated on DejaVu Sans, with a few percent to spare.
    return units * size * (1.14 if bold else 1.0) * 1.04

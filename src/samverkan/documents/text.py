"""Making user text safe to carry into a file format, without changing what it says."""

from __future__ import annotations

import datetime
import re
from typing import Any

# Characters XML 1.0 forbids (a .docx with one does not open), lone surrogates
# (lxml refuses them) and the two non-characters. Vertical tab and form feed are
# what Word itself stores as a manual line break, so they become one.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """The text with every character a file format cannot hold removed (VT/FF → newline)."""
    return _FORBIDDEN.sub(lambda match: "\n" if match.group() in "\x0b\x0c" else "", text)


def printable_data(value: Any) -> Any:
    """``printable`` applied to every string in JSON-like data (dicts, lists, tuples)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable_data(item) for item in value]
    return value


def document_date(value: str) -> datetime.date | None:
    """The date an ISO ``YYYY-MM-DD`` string names, or None when it is empty or not a date."""
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def language_code(value: str) -> str:
    """A two- or three-letter language code for the file's metadata ("sv", "en"); "en" if odd."""
    code = value.strip().lower().split("-")[0]
    return code if re.fullmatch("[a-z]{2,3}", code) else "en"

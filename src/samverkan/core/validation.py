"""Length checks every capability's services share, so each refuses with the same words."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.lib import limits


def text_within(value: Any, field: str, most: int = limits.TEXT_MAX) -> str:
    """A free text, stripped, at most ``most`` characters and with no control character
    (else refused naming ``field``)."""
    text = str(value or "").strip()
    if (problem := text_problem(text)) is not None:
        raise ValidationError({field: problem})
    if len(text) > most:
        raise ValidationError(
            {
                field: _("At most %(max)s characters; this has %(n)s.")
                % {"max": most, "n": len(text)}
            }
        )
    return text


# C0 controls other than tab, newline and carriage return, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(text: str) -> str | None:
    """Why a string cannot be stored, or None: a control character or a lone surrogate.

    PostgreSQL cannot store NUL at all, and no person types the others.
    """
    if CONTROL.search(text):
        return _("Control characters (such as NUL) are not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("The text is not valid Unicode (a lone surrogate).")
    return None

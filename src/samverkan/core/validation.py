"""Length checks every capability's services share, so each refuses with the same words."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.lib import limits


def text_within(value: Any, field: str, most: int = limits.TEXT_MAX) -> str:
    """A free text, stripped, at most ``most`` characters (else refused naming ``field``)."""
    text = str(value or "").strip()
    if len(text) > most:
        raise ValidationError(
            {
                field: _("At most %(max)s characters; this has %(n)s.")
                % {"max": most, "n": len(text)}
            }
        )
    return text

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleEditError(ValidationError):
    """Someone else saved the same thing since this edit began (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this while you were editing. Your changes have not been "
                "saved; they are still in the form. Reload to see the other changes, then "
                "make yours again."
            ),
            code="stale",
        )

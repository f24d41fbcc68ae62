"""How the agreement's history tells opening and closing relationship-health rounds."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.agreements.history import CREATE, describe
from samverkan.health.models import Round


def _round(change: Any, shown: dict[str, str], name: str) -> str:
    title = change.value("title")
    if title in (None, "None", ""):
        found = re.match(r"#\d+ (.*)", name)  # the round's name: "DRIFT-2025 #2 Hälsokontroll"
        title = found.group(1) if found else name
    return _("the health check round “%(title)s”") % {"title": title}


def register() -> None:
    describe(
        Round,
        the=_round,
        verbs={CREATE: gettext_lazy("opened %(object)s")},
        set_verbs={"closed_at": gettext_lazy("closed %(object)s")},
    )

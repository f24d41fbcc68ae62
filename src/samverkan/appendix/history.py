"""How the agreement's history tells publishing and approving the collaboration appendix."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.agreements.history import CREATE, describe
from samverkan.appendix.models import AppendixVersion, Approval


def _number(change: Any, name: str) -> str:
    number = change.value("number")
    if number not in (None, "None", ""):
        return str(number)
    found = re.search(r"v(\d+)", name)  # the version's name: "DRIFT-2025 v2"
    return found.group(1) if found else name


def _version(change: Any, shown: dict[str, str], name: str) -> str:
    return _("version %(number)s of the collaboration appendix") % {"number": _number(change, name)}


def _approval(change: Any, shown: dict[str, str], name: str) -> str:
    number = shown.get("version") or _number(change, name)
    side = change.value("side") or ("supplier" if name.endswith("supplier") else "customer")
    if side == "supplier":
        return _("version %(number)s of the collaboration appendix for the supplier") % {
            "number": number
        }
    return _("version %(number)s of the collaboration appendix for the customer") % {
        "number": number
    }


def register() -> None:
    describe(
        AppendixVersion,
        the=_version,
        verbs={CREATE: gettext_lazy("published %(object)s")},
        labels={"published_with_errors": gettext_lazy("published despite failing checks")},
        instance_name=lambda version: str(version.number),
    )
    describe(
        Approval,
        the=_approval,
        verbs={CREATE: gettext_lazy("approved %(object)s")},
        labels={"version": gettext_lazy("version")},
    )

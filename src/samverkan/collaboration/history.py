"""How the agreement's history names the collaboration model's parts and reads their values."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.agreements.history import describe
from samverkan.collaboration import catalogue, models
from samverkan.core.formatting import format_money


def _decision(entry: Any) -> str:
    """A mandate or decision right: "Budget ≤ 500 000 kr – with the steering group"."""
    if not isinstance(entry, dict):
        return str(entry)
    text = catalogue.decision_name(
        str(entry.get("decision", "")), translation.get_language() or "sv"
    )
    if entry.get("limit") not in (None, ""):
        text += f" ≤ {format_money(entry['limit'])}"
    if entry.get("note"):
        text += f" – {entry['note']}"
    return text


def _decisions(value: Any) -> list[str]:
    return [_decision(entry) for entry in value] if isinstance(value, list) else [str(value)]


def _holders(value: Any) -> list[str]:
    if not isinstance(value, list):
        return [str(value)]
    people = []
    for holder in value:
        if isinstance(holder, dict):
            name, email = holder.get("name", ""), holder.get("email", "")
            people.append(f"{name} <{email}>" if name and email else name or email)
        else:
            people.append(str(holder))
    return people


def _raci(change: Any, shown: dict[str, str], name: str) -> str:
    if "role" in shown and "letter" in shown:
        return _("the RACI assignment of %(role)s (%(letter)s)") % {
            "role": shown["role"],
            "letter": shown["letter"],
        }
    return _("the RACI assignment %(name)s") % {"name": name}


def _step(change: Any, shown: dict[str, str], name: str) -> str:
    days = change.value("resolve_within_days")
    if "forum" in shown and str(days).isdigit():
        return ngettext(
            "the escalation step “%(forum)s, within %(days)s day”",
            "the escalation step “%(forum)s, within %(days)s days”",
            int(days),
        ) % {"forum": shown["forum"], "days": days}
    return _("the escalation step %(name)s") % {"name": name}


def register() -> None:
    describe(
        models.Objective,
        the=gettext_lazy("the objective “%(name)s”"),
        name_field="text",
        renamed=gettext_lazy("reworded %(object)s as %(new)s"),
    )
    describe(
        models.Role,
        the=gettext_lazy("the role “%(name)s”"),
        name_field="name",
        hidden=["key"],
        values={"holders": _holders, "decision_rights": _decisions},
    )
    describe(
        models.Forum,
        the=gettext_lazy("the forum “%(name)s”"),
        name_field="name",
        hidden=["key"],
        values={"mandate": _decisions},
    )
    describe(
        models.Process,
        the=gettext_lazy("the process “%(name)s”"),
        name_field="name",
        hidden=["key"],
    )
    describe(
        models.RaciAssignment,
        the=_raci,
        labels={"process": gettext_lazy("process"), "role": gettext_lazy("role")},
    )
    describe(
        models.EscalationStep,
        the=_step,
        replaced=gettext_lazy("changed the escalation path"),
    )

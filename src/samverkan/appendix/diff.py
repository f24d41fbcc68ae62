"""What changed between two appendix snapshots: added, removed and changed parts, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

_SECTIONS = ("roles", "forums", "processes")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class PartChange:
    section: str  # agreement, relationship, objectives, roles, forums, processes, escalation
    key: str
    name: str
    change: str  # added, removed, changed
    fields: list[FieldChange] = field(default_factory=list)


def _text(value: Any) -> str:
    """A value as readable text for a side-by-side view."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _fields(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    names = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(field=name, before=_text(before.get(name)), after=_text(after.get(name)))
        for name in names
        if name != "key" and before.get(name) != after.get(name)
    ]


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[PartChange]:
    """Changes from ``old`` to ``new``, in the order of the appendix."""
    changes: list[PartChange] = []
    for section in ("agreement", "relationship"):
        fields = _fields(old.get(section) or {}, new.get(section) or {})
        if fields:
            changes.append(
                PartChange(section=section, key=section, name="", change="changed", fields=fields)
            )
    if (old.get("objectives") or []) != (new.get("objectives") or []):
        changes.append(
            PartChange(
                section="objectives",
                key="objectives",
                name="",
                change="changed",
                fields=[
                    FieldChange(
                        "objectives", _text(old.get("objectives")), _text(new.get("objectives"))
                    )
                ],
            )
        )
    for section in _SECTIONS:
        before = {item["key"]: item for item in old.get(section) or []}
        after = {item["key"]: item for item in new.get(section) or []}
        for key, item in after.items():
            if key not in before:
                changes.append(
                    PartChange(section, key, item.get("name", key), "added", _fields({}, item))
                )
            elif before[key] != item:
                changes.append(
                    PartChange(
                        section, key, item.get("name", key), "changed", _fields(before[key], item)
                    )
                )
        for key, item in before.items():
            if key not in after:
                changes.append(
                    PartChange(section, key, item.get("name", key), "removed", _fields(item, {}))
                )
    if (old.get("escalation") or []) != (new.get("escalation") or []):
        changes.append(
            PartChange(
                section="escalation",
                key="escalation",
                name="",
                change="changed",
                fields=[
                    FieldChange(
                        "escalation", _text(old.get("escalation")), _text(new.get("escalation"))
                    )
                ],
            )
        )
    return changes


def section_label(section: str) -> str:
    return {
        "agreement": _("Agreement"),
        "relationship": _("Relationship type"),
        "objectives": _("Objectives"),
        "roles": _("Roles"),
        "forums": _("Forums"),
        "processes": _("Joint processes"),
        "escalation": _("Escalation path"),
    }.get(section, section)

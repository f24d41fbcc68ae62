"""What changed between two appendix snapshots: added, removed and changed parts, field by field.

Values are shown the way the appendix shows them: role and forum names instead of
their keys, choice labels instead of codes, decision types by name. ``field`` stays
the snapshot's key; ``label`` is its name for people, in the active language.

Order counts only where the appendix's reader sees it as meaningful: the order of
roles (within their level), forums, processes, objectives, steps and the escalation
path. A forum's members follow the roles' order in the snapshot, and a RACI is a
mapping, so a mere re-ordering of either is no change. Two snapshots without
changes are the same version (``appendix_publish`` refuses to publish it again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samverkan.agreements.models import AgreementStatus
from samverkan.collaboration import catalogue as model_catalogue
from samverkan.collaboration.models import Cadence, Level, Orientation, RoleSide
from samverkan.core.formatting import format_money
from samverkan.relationships import catalogue as type_catalogue

_SECTIONS = ("roles", "forums", "processes")
_LEVELS = ("strategic", "tactical", "operational")
# Lists of keys whose order means nothing: compared as sets.
_UNORDERED = frozenset({"members"})
_CHOICES: dict[str, Any] = {
    "side": RoleSide,
    "level": Level,
    "orientation": Orientation,
    "cadence": Cadence,
    "status": AgreementStatus,
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    label: str = ""


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


def field_label(name: str) -> str:
    """A snapshot field's name for people, in the active language."""
    labels = {
        "name": _("Name"),
        "purpose": _("Purpose"),
        "responsibilities": _("Responsibilities"),
        "authorities": _("Authorities"),
        "decision_rights": _("Decision rights"),
        "holders": _("Holders"),
        "side": _("Side"),
        "level": _("Level"),
        "orientation": _("Orientation"),
        "chair": _("Chair"),
        "members": _("Members"),
        "cadence": _("Cadence"),
        "agenda": _("Standing agenda"),
        "inputs": _("Inputs"),
        "outputs": _("Outputs"),
        "mandate": _("Decision mandate"),
        "owner": _("Process owner"),
        "steps": _("Steps"),
        "raci": "RACI",
        "objectives": _("Objectives"),
        "escalation": _("Escalation path"),
        "title": _("Title"),
        "reference": _("Reference"),
        "customer": _("Customer"),
        "supplier": _("Supplier"),
        "start": capfirst(_("start date")),
        "end": _("End date"),
        "value": _("Annual value"),
        "language": _("Language"),
        "status": _("Status"),
        "description": _("Description"),
        "services": _("Services"),
        "type": _("Relationship type"),
        "rationale": _("Rationale"),
        "profile": _("Profile"),
    }
    return str(labels.get(name, name))


class _Reader:
    """Shows one snapshot's values the way its appendix does."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.roles = {r["key"]: r.get("name", r["key"]) for r in snapshot.get("roles") or []}
        self.forums = {f["key"]: f.get("name", f["key"]) for f in snapshot.get("forums") or []}
        self.language = translation.get_language() or "sv"

    def role(self, key: Any) -> str:
        return str(self.roles.get(key, key or "–"))

    def in_role_order(self, keys: list[Any]) -> list[Any]:
        """Role keys in the order of this snapshot's roles (unknown keys last), so that
        both sides of a change list them alike."""
        order = {key: index for index, key in enumerate(self.roles)}
        return sorted(keys, key=lambda key: order.get(key, len(order)))

    def decisions(self, entries: list[dict[str, Any]]) -> str:
        lines = []
        for entry in entries:
            limit = entry.get("limit")
            parts = [
                model_catalogue.decision_name(entry.get("decision", ""), self.language),
                format_money(limit, "SEK") if limit is not None else _("No limit"),
                entry.get("note") or "",
            ]
            lines.append(" – ".join(part for part in parts if part))
        return "\n".join(lines)

    def show(self, section: str, name: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "–"
        if name in ("chair", "owner"):
            return self.role(value)
        if name == "members" and isinstance(value, list):
            return "\n".join(self.role(key) for key in self.in_role_order(value))
        if name == "raci" and isinstance(value, dict):
            return "\n".join(
                f"{self.role(key)}: {value[key]}" for key in self.in_role_order(list(value))
            )
        if name == "holders" and isinstance(value, list):
            return "\n".join(
                f"{h.get('name', '')} ({h['email']})" if h.get("email") else str(h.get("name", ""))
                for h in value
            )
        if name in ("mandate", "decision_rights") and isinstance(value, list):
            return self.decisions(value)
        if name == "escalation" and isinstance(value, list):
            return "\n".join(
                f"{i}. {self.forums.get(step.get('forum'), step.get('forum'))} – "
                + _("%(days)s days") % {"days": step.get("resolve_within_days")}
                for i, step in enumerate(value, start=1)
            )
        if name in _CHOICES and isinstance(value, str):
            return str(dict(_CHOICES[name].choices).get(value, value))
        if section == "relationship" and name == "type":
            try:
                return str(type_catalogue.type_info(value, self.language)["name"])
            except KeyError:
                return str(value)
        if section == "agreement" and name == "value" and isinstance(value, dict):
            return format_money(value.get("amount"), value.get("currency", "SEK"))
        return _text(value)


def _comparable(name: str, value: Any) -> Any:
    if name in _UNORDERED and isinstance(value, list):
        return sorted(value, key=str)
    return value


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    names = {*before, *after}
    return all(
        _comparable(name, before.get(name)) == _comparable(name, after.get(name)) for name in names
    )


def _document_order(section: str, items: dict[str, dict[str, Any]], keys: set[str]) -> list[str]:
    """The keys among ``keys`` in the order the appendix shows them (roles grouped by level)."""
    ordered = [key for key in items if key in keys]
    if section == "roles":
        rank = {level: index for index, level in enumerate(_LEVELS)}
        ordered.sort(key=lambda key: rank.get(str(items[key].get("level")), len(rank)))
    return ordered


def _order_change(
    section: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> PartChange | None:
    """One change naming the new order, when parts kept by both moved among themselves.

    Roles count as moved only within a level that they belong to in both versions: a
    role moved to another level shows as a change of its level.
    """
    kept = {
        key
        for key in before.keys() & after.keys()
        if section != "roles" or before[key].get("level") == after[key].get("level")
    }
    old, new = _document_order(section, before, kept), _document_order(section, after, kept)
    if old == new:
        return None
    return PartChange(
        section=section,
        key="order",
        name="",
        change="changed",
        fields=[
            FieldChange(
                field="order",
                before="\n".join(str(before[key].get("name", key)) for key in old),
                after="\n".join(str(after[key].get("name", key)) for key in new),
                label=_("Order"),
            )
        ],
    )


def _fields(
    section: str,
    before: dict[str, Any],
    after: dict[str, Any],
    old: _Reader,
    new: _Reader,
) -> list[FieldChange]:
    names = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(
            field=name,
            before=old.show(section, name, before.get(name)),
            after=new.show(section, name, after.get(name)),
            label=field_label(name),
        )
        for name in names
        if name != "key"
        and _comparable(name, before.get(name)) != _comparable(name, after.get(name))
    ]


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[PartChange]:
    """Changes from ``old`` to ``new``, in the order of the appendix."""
    changes: list[PartChange] = []
    read_old, read_new = _Reader(old), _Reader(new)

    def fields(section: str, before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
        return _fields(section, before, after, read_old, read_new)

    for section in ("agreement", "relationship"):
        changed = fields(section, old.get(section) or {}, new.get(section) or {})
        if changed:
            changes.append(
                PartChange(section=section, key=section, name="", change="changed", fields=changed)
            )
    if (old.get("objectives") or []) != (new.get("objectives") or []):
        changes.append(
            PartChange(
                section="objectives",
                key="objectives",
                name="",
                change="changed",
                fields=fields(
                    "objectives",
                    {"objectives": old.get("objectives")},
                    {"objectives": new.get("objectives")},
                ),
            )
        )
    for section in _SECTIONS:
        before = {item["key"]: item for item in old.get(section) or []}
        after = {item["key"]: item for item in new.get(section) or []}
        moved = _order_change(section, before, after)
        if moved is not None:
            changes.append(moved)
        for key, item in after.items():
            if key not in before:
                changes.append(
                    PartChange(
                        section, key, item.get("name", key), "added", fields(section, {}, item)
                    )
                )
            elif not _same(before[key], item):
                changes.append(
                    PartChange(
                        section,
                        key,
                        item.get("name", key),
                        "changed",
                        fields(section, before[key], item),
                    )
                )
        for key, item in before.items():
            if key not in after:
                changes.append(
                    PartChange(
                        section, key, item.get("name", key), "removed", fields(section, item, {})
                    )
                )
    if (old.get("escalation") or []) != (new.get("escalation") or []):
        changes.append(
            PartChange(
                section="escalation",
                key="escalation",
                name="",
                change="changed",
                fields=fields(
                    "escalation",
                    {"escalation": old.get("escalation")},
                    {"escalation": new.get("escalation")},
                ),
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

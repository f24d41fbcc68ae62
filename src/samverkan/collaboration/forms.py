"""Forms for editing the collaboration model; lists are edited as one item per line."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration import catalogue
from samverkan.collaboration.models import (
    Cadence,
    Forum,
    Level,
    Orientation,
    Process,
    Raci,
    Role,
    RoleSide,
)
from samverkan.core.forms import AmountField
from samverkan.lib import limits

_LINES = {"rows": 3}
_HOLDER = re.compile(r"^\s*(?P<name>[^<]+?)\s*(?:<(?P<email>[^>]*)>)?\s*$")
MANDATE_EXTRA_ROWS = 2


def lines_initial(items: list[str]) -> str:
    return "\n".join(items)


def holders_initial(holders: list[dict[str, str]]) -> str:
    return "\n".join(
        f"{h['name']} <{h['email']}>" if h.get("email") else h["name"] for h in holders
    )


def parse_holders(text: str) -> list[dict[str, str]]:
    """Lines like "Anna Svensson <anna@foretag.se>"; the e-mail is optional."""
    result = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _HOLDER.match(line)
        if match is None:
            result.append({"name": line.strip()})
        else:
            result.append({"name": match["name"], "email": (match["email"] or "").strip()})
    return result


def _textarea(label: Any, help_text: Any = "") -> forms.CharField:
    """One item per line; the service refuses more than ITEMS_MAX lines or over-long ones."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=limits.ITEMS_MAX * (limits.LINE_MAX + 1),
        widget=forms.Textarea(attrs=_LINES),
        help_text=help_text,
    )


class MandateMixin(forms.Form):
    """Rows of decision type + limit (SEK) + note, rendered as a small table."""

    mandate_field = "mandate"

    def add_mandate_rows(self, entries: list[dict[str, Any]], language: str) -> None:
        choices = [("", "–"), *((d["key"], d["name"]) for d in catalogue.decision_types(language))]
        for i in range(len(entries) + MANDATE_EXTRA_ROWS):
            entry = entries[i] if i < len(entries) else {}
            self.fields[f"m{i}_decision"] = forms.ChoiceField(
                label=_("Decision type"),
                choices=choices,
                required=False,
                initial=entry.get("decision", ""),
            )
            self.fields[f"m{i}_limit"] = AmountField(
                label=_("Limit (SEK)"), required=False, whole=True, initial=entry.get("limit")
            )
            self.fields[f"m{i}_note"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=limits.NOTE_MAX,
                initial=entry.get("note", ""),
            )
        self.mandate_rows = len(entries) + MANDATE_EXTRA_ROWS

    def mandate_row_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"m{i}_decision"], self[f"m{i}_limit"], self[f"m{i}_note"])
            for i in range(self.mandate_rows)
        ]

    def cleaned_mandate(self) -> list[dict[str, Any]]:
        entries = []
        for i in range(self.mandate_rows):
            decision = self.cleaned_data.get(f"m{i}_decision")
            if decision:
                entry: dict[str, Any] = {"decision": decision}
                if self.cleaned_data.get(f"m{i}_limit") is not None:
                    entry["limit"] = int(self.cleaned_data[f"m{i}_limit"])
                if self.cleaned_data.get(f"m{i}_note"):
                    entry["note"] = self.cleaned_data[f"m{i}_note"]
                entries.append(entry)
        return entries


class RoleForm(MandateMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=limits.NAME_MAX)
    side = forms.ChoiceField(label=_("Side"), choices=RoleSide.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    orientation = forms.ChoiceField(label=_("Orientation"), choices=Orientation.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsibilities = _textarea(_("Responsibilities"), _("One per line."))
    authorities = _textarea(_("Authorities (mandate)"), _("One per line."))
    holders = _textarea(
        _("Holders"), _("One person per line, e.g. “Anna Svensson <anna@foretag.se>”.")
    )

    mandate_field = "decision_rights"

    def __init__(
        self, *args: Any, role: Role | None = None, language: str = "sv", **kwargs: Any
    ) -> None:
        if role is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "version": role.version,
                "name": role.name,
                "side": role.side,
                "level": role.level,
                "orientation": role.orientation,
                "purpose": role.purpose,
                "responsibilities": lines_initial(role.responsibilities),
                "authorities": lines_initial(role.authorities),
                "holders": holders_initial(role.holders),
            }
        super().__init__(*args, **kwargs)
        self.add_mandate_rows(role.decision_rights if role else [], language)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "side": data["side"],
            "level": data["level"],
            "orientation": data["orientation"],
            "purpose": data["purpose"],
            "responsibilities": data["responsibilities"],
            "authorities": data["authorities"],
            "holders": parse_holders(data["holders"]),
            "decision_rights": self.cleaned_mandate(),
        }


class ForumForm(MandateMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=limits.NAME_MAX)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    cadence = forms.ChoiceField(
        label=_("Cadence"), choices=[("", "–"), *Cadence.choices], required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"), queryset=Role.objects.none(), required=False, empty_label=_("Choose …")
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = _textarea(_("Standing agenda"), _("One item per line."))
    inputs = _textarea(_("Inputs"), _("One per line."))
    outputs = _textarea(_("Outputs"), _("One per line."))

    def __init__(
        self,
        *args: Any,
        roles: Any,
        forum: Forum | None = None,
        language: str = "sv",
        **kwargs: Any,
    ) -> None:
        if forum is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "version": forum.version,
                "name": forum.name,
                "level": forum.level,
                "cadence": forum.cadence,
                "purpose": forum.purpose,
                "chair": forum.chair_id,
                "members": [member.pk for member in forum.members.all()],
                "agenda": lines_initial(forum.agenda),
                "inputs": lines_initial(forum.inputs),
                "outputs": lines_initial(forum.outputs),
            }
        super().__init__(*args, **kwargs)
        for name in ("chair", "members"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = roles
        self.add_mandate_rows(forum.mandate if forum else [], language)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "level": data["level"],
            "cadence": data["cadence"],
            "purpose": data["purpose"],
            "chair": data["chair"],
            "members": list(data["members"]),
            "agenda": data["agenda"],
            "inputs": data["inputs"],
            "outputs": data["outputs"],
            "mandate": self.cleaned_mandate(),
        }


class ProcessForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=limits.NAME_MAX)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Role.objects.none(), required=False, empty_label=_("Choose …")
    )
    steps = _textarea(_("Steps"), _("One step per line, in order."))

    def __init__(
        self, *args: Any, roles: list[Role], process: Process | None = None, **kwargs: Any
    ) -> None:
        letters = {}
        if process is not None:
            letters = {assignment.role_id: assignment.letter for assignment in process.raci.all()}
            if "initial" not in kwargs:
                kwargs["initial"] = {
                    "version": process.version,
                    "name": process.name,
                    "purpose": process.purpose,
                    "owner": process.owner_id,
                    "steps": lines_initial(process.steps),
                }
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Role.objects.filter(pk__in=[role.pk for role in roles])
        self.roles = roles
        for role in roles:
            self.fields[f"raci_{role.pk}"] = forms.ChoiceField(
                label=role.name,
                choices=[("", "–"), *Raci.choices],
                required=False,
                initial=letters.get(role.pk, ""),
            )

    def raci_fields(self) -> list[tuple[Role, Any]]:
        return [(role, self[f"raci_{role.pk}"]) for role in self.roles]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "purpose": data["purpose"],
            "owner": data["owner"],
            "steps": data["steps"],
            "raci": {
                role: data[f"raci_{role.pk}"] for role in self.roles if data.get(f"raci_{role.pk}")
            },
        }


class ObjectivesForm(forms.Form):
    # The objectives_version the editor read: a save over someone else's change is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=limits.OBJECTIVES_MAX * (limits.LINE_MAX + 1),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One objective per line, e.g. “High quality and operational stability”."),
    )


class EscalationForm(forms.Form):
    """Up to one row per forum: the forum and the days it has to resolve a matter."""

    # The escalation_version the editor read: a save over someone else's change is refused.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, forums: list[Forum], steps: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "–"), *((str(forum.pk), forum.name) for forum in forums)]
        self.forums = {str(forum.pk): forum for forum in forums}
        self.rows = max(len(forums), 1)
        for i in range(self.rows):
            step = steps[i] if i < len(steps) else None
            self.fields[f"s{i}_forum"] = forms.ChoiceField(
                label=_("Forum"),
                choices=choices,
                required=False,
                initial=str(step.forum_id) if step else "",
            )
            self.fields[f"s{i}_days"] = forms.IntegerField(
                label=_("Resolve within (days)"),
                required=False,
                min_value=1,
                max_value=limits.ESCALATION_DAYS_MAX,
                initial=step.resolve_within_days if step else None,
            )

    def row_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"s{i}_forum"], self[f"s{i}_days"]) for i in range(self.rows)]

    def steps(self) -> list[tuple[Forum, int]]:
        result = []
        for i in range(self.rows):
            forum_pk = self.cleaned_data.get(f"s{i}_forum")
            days = self.cleaned_data.get(f"s{i}_days")
            if forum_pk:
                if not days:
                    self.add_error(f"s{i}_days", _("Give the days to resolve."))
                    continue
                result.append((self.forums[forum_pk], days))
        return result

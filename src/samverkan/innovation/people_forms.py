"""The forms of an idea's people impact section, and what the section shows.

``people_section`` is what the idea's page puts in its context as ``people``: the
record, its actions each with its own edit form, the form to add one, and — after a
refused change — the form that failed, bound to what was typed, with its problem.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Participant
from samverkan.innovation import people_services
from samverkan.innovation.models import EngagementAction, Idea, Resistance
from samverkan.lib import limits

DATE_HELP = _("Enter a date as YYYY-MM-DD, for example 2026-03-31.")


class PeopleImpactForm(forms.Form):
    affected_groups = forms.CharField(
        label=_("Affected groups"),
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Whose work or routines the idea changes, on either side, and how many."),
    )
    resistance = forms.ChoiceField(
        label=_("Expected resistance"), choices=Resistance.choices, widget=forms.RadioSelect
    )
    resistance_reason = forms.CharField(
        label=_("Reason for the resistance"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for medium and high: what is questioned, what people fear."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class EngagementActionForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=limits.LINE_MAX)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due = forms.DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_HELP},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: Sequence[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {participant.user.pk: participant.user for participant in owners}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [
            ("", "–"),
            *((participant.user.pk, owner_label(participant)) for participant in owners),
        ]

    def owner_user(self) -> User | None:
        """The chosen owner (call after ``is_valid()``)."""
        return self.people.get(self.cleaned_data["owner"])


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class MarkForm(VersionForm):
    done = forms.BooleanField(required=False)


def owner_label(participant: Participant) -> str:
    agreement = participant.agreement
    party = agreement.customer if participant.side == "customer" else agreement.supplier
    person = participant.user.get_full_name() or participant.user.email
    return f"{person} ({party.name})"


def action_prefix(action_id: int) -> str:
    return f"action-{action_id}"


@dataclass
class ActionRow:
    action: EngagementAction
    form: EngagementActionForm | None  # None for viewers
    open: bool = False  # the edit form is shown open (it failed)
    overdue: bool = False


@dataclass
class PeopleSection:
    people: people_services.People
    can_edit: bool
    rows: list[ActionRow] = field(default_factory=list)
    impact_form: PeopleImpactForm | None = None
    impact_open: bool = False
    add_form: EngagementActionForm | None = None
    add_open: bool = False
    failed: str = ""  # "impact", "add", "action-<id>" or "actions"
    problem: str = ""

    @property
    def warning(self) -> bool:
        return self.people.warning

    @property
    def shown(self) -> bool:
        """Whether the idea's page shows the section (nothing recordable yet: a line)."""
        return self.people.impact is not None or self.people.recordable


def people_section(
    access: AgreementAccess,
    idea: Idea,
    *,
    form: forms.Form | None = None,
    failed: str = "",
    problem: str = "",
) -> PeopleSection:
    """The people impact section of the idea's page; ``form`` is the bound form that
    ``failed`` (see ``PeopleSection.failed``), shown open with its errors."""
    people = people_services.people_of(idea)
    can_edit = access.can_edit and people.recordable
    section = PeopleSection(people=people, can_edit=can_edit, failed=failed, problem=problem)
    today = timezone.localdate()
    owners = people_services.action_owners(idea.agreement_id) if can_edit else []
    for participant in owners:
        participant.agreement = access.agreement  # the parties' names, without a query each
    version = people.version
    for action in people.actions:
        prefix = action_prefix(action.pk)
        row_form = None
        if can_edit:
            if failed == prefix and isinstance(form, EngagementActionForm):
                row_form = form
            else:
                row_form = EngagementActionForm(
                    initial={
                        "action": action.action,
                        "owner": action.owner_id,
                        "due": action.due,
                        "version": version,
                    },
                    owners=owners,
                    prefix=prefix,
                )
        section.rows.append(
            ActionRow(
                action=action,
                form=row_form,
                open=failed == prefix,
                overdue=not action.done and _before(action.due, today),
            )
        )
    if can_edit:
        impact = people.impact
        if failed == "impact" and isinstance(form, PeopleImpactForm):
            section.impact_form = form
        else:
            section.impact_form = PeopleImpactForm(
                initial={
                    "affected_groups": impact.affected_groups if impact else "",
                    "resistance": impact.resistance if impact else "",
                    "resistance_reason": impact.resistance_reason if impact else "",
                    "version": version,
                },
                prefix="people",
            )
        section.impact_open = impact is None or failed == "impact"
        if failed == "add" and isinstance(form, EngagementActionForm):
            section.add_form = form
        else:
            section.add_form = EngagementActionForm(
                initial={"version": version}, owners=owners, prefix="new"
            )
        section.add_open = failed == "add" or (people.warning and not people.actions)
    return section


def _before(day: datetime.date, today: datetime.date) -> bool:
    return day < today

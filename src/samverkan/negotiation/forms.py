"""The forms of a negotiation case's pages: opening a case, its members, and each step.

A step's page is one form: its texts, its lists (formsets with a hidden ``id`` that keeps
an existing row; a row left blank is no row) and, for the alternatives and the check,
a grid (a score per option and interest; meets or misses per option and goal), with the
case's ``version`` as the page read it. "Add a row" and a row's "Remove" change the form
without saving (``rows_changed``), so that they work without JavaScript and keep what
was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Organisation
from samverkan.agreements.models import Agreement
from samverkan.lib import limits
from samverkan.negotiation.models import ActionStatus, Case, Kind, Relation, Side
from samverkan.negotiation.selectors import CaseContent, OptionRow
from samverkan.negotiation.services import ROWS_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRIORITIES = [(n, str(n)) for n in range(1, 6)]


class AgreementChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} · {obj.title}"


class CaseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For which organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=limits.TITLE_MAX,
        help_text=_("What is negotiated, as the team calls it."),
    )
    kind = forms.ChoiceField(
        label=_("The negotiation is about"), choices=[("", _("Choose …")), *Kind.choices]
    )
    agreement = AgreementChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=_("No agreement (a new one)"),
        help_text=_(
            "The agreements you take part in. Members of the case who may see the agreement "
            "see facts from the relationship beside the case; the other party never sees "
            "the case."
        ),
    )
    role = forms.CharField(
        label=_("Your role in the negotiation"),
        max_length=limits.PERSON_MAX,
        required=False,
        help_text=_("For example negotiation lead, commercial expert or legal counsel."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        agreements: QuerySet[Agreement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# The members page ------------------------------------------------------------------------------


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=limits.EMAIL_MAX,
        help_text=_("A person of the case's organisation, or of an adviser organisation."),
    )
    role = forms.CharField(
        label=_("Role in the negotiation"), max_length=limits.PERSON_MAX, required=False
    )
    owner = forms.BooleanField(label=_("Case owner (adds and removes members)"), required=False)


class MemberChangeForm(forms.Form):
    role = forms.CharField(
        label=_("Role in the negotiation"), max_length=limits.PERSON_MAX, required=False
    )
    owner = forms.BooleanField(label=_("Case owner"), required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Add a document"))


# The steps' texts ------------------------------------------------------------------------------

TEXT_HELP = {
    "timeline": _("The milestones up to a signed agreement: preparation, meetings, decisions."),
    "history": _("How the relationship has gone: what works, what does not, what has changed."),
    "market": _("Other suppliers or customers, price levels, what the market offers now."),
    "previous_agreements": _("Earlier agreements between the parties and what they taught us."),
    "counterparty": _("What the other party needs, fears and is measured on, as far as we know."),
    "problem": _("One statement: what must this negotiation solve?"),
    "success": _("How we know afterwards that the negotiation succeeded."),
    "batna": _("What we do if no agreement is reached (our BATNA)."),
    "walk_away": _("The point beyond which we would rather take our best alternative."),
}
STEP_TEXTS: dict[str, tuple[str, ...]] = {
    "preparation": ("timeline",),
    "context": ("history", "market", "previous_agreements", "counterparty"),
    "challenge": ("problem", "success"),
    "fallback": ("batna", "walk_away"),
}


class TextsForm(forms.Form):
    """The texts of one step (``names``), labelled as the model names them."""

    def __init__(self, *args: Any, names: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in names:
            model_field = Case._meta.get_field(name)
            assert isinstance(model_field, models.TextField)
            self.fields[name] = forms.CharField(
                label=capfirst(model_field.verbose_name),
                help_text=TEXT_HELP[name],
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=limits.TEXT_MAX,
                required=False,
            )


# The steps' rows -------------------------------------------------------------------------------


class RowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    texts: tuple[str, ...] = ()  # the fields that make a row not blank

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in self.texts)


class InterestForm(RowForm):
    # Not required by the form: a row left blank is no row; the service names what a
    # filled row lacks.
    side = forms.ChoiceField(
        label=_("Whose"), choices=Side.choices, initial=Side.OURS, required=False
    )
    text = forms.CharField(label=_("Interest"), max_length=limits.LINE_MAX, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=PRIORITIES,
        coerce=int,
        empty_value=None,
        initial=3,
        required=False,
    )
    relation = forms.ChoiceField(
        label=_("Shared or conflicting"),
        choices=Relation.choices,
        initial=Relation.SHARED,
        required=False,
    )
    texts = ("text",)


class OptionForm(RowForm):
    name = forms.CharField(label=_("Option"), max_length=limits.TITLE_MAX, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=limits.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    texts = ("name", "description")


class GoalForm(RowForm):
    text = forms.CharField(label=_("Goal"), max_length=limits.LINE_MAX, required=False)
    texts = ("text",)


class FallbackForm(RowForm):
    issue = forms.CharField(label=_("Critical issue"), max_length=limits.LINE_MAX, required=False)
    plan = forms.CharField(
        label=_("Plan B"),
        max_length=limits.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    texts = ("issue", "plan")


class ActionForm(RowForm):
    who = forms.CharField(
        label=_("Who"),
        max_length=limits.PERSON_MAX,
        required=False,
        widget=forms.TextInput(attrs={"list": "team-names"}),
    )
    what = forms.CharField(label=_("What"), max_length=limits.LINE_MAX, required=False)
    how = forms.CharField(
        label=_("How"),
        max_length=limits.TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    when = forms.DateField(label=_("When"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        initial=ActionStatus.PLANNED,
        required=False,
    )
    texts = ("who", "what", "how", "when")


def _formset(form: type[RowForm]) -> type[forms.BaseFormSet]:  # type: ignore[type-arg]
    return forms.formset_factory(form, extra=1, max_num=ROWS_MAX, absolute_max=ROWS_MAX)


# Each list of the steps: its form, its rows as stored, the defaults of an added row.
LISTS: dict[str, tuple[type[forms.BaseFormSet], tuple[str, ...], dict[str, str]]] = {  # type: ignore[type-arg]
    "interests": (
        _formset(InterestForm),
        ("side", "text", "priority", "relation"),
        {"side": Side.OURS, "priority": "3", "relation": Relation.SHARED},
    ),
    "options": (_formset(OptionForm), ("name", "description"), {}),
    "goals": (_formset(GoalForm), ("text",), {}),
    "fallbacks": (_formset(FallbackForm), ("issue", "plan"), {}),
    "actions": (
        _formset(ActionForm),
        ("who", "what", "how", "when", "status"),
        {"status": ActionStatus.PLANNED},
    ),
}
STEP_LISTS: dict[str, tuple[str, ...]] = {
    "interests": ("interests",),
    "alternatives": ("options",),
    "check": ("goals",),
    "fallback": ("fallbacks",),
    "execute": ("actions",),
}


# The grids -------------------------------------------------------------------------------------


@dataclass
class GridRow:
    """An option's row of a grid: the option (with its total, rank and missed goals) and
    its cells, one per column."""

    option: OptionRow
    cells: list[forms.BoundField]


class Grid(forms.Form):
    """A choice per saved option (rows, in the order written) and column; named
    ``<kind>-<option id>-<column id>``."""

    kind = ""

    def __init__(self, *args: Any, content: CaseContent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = sorted(content.options, key=lambda row: (row.option.position, row.option.pk))
        self.columns: list[Any] = self.columns_of(content)
        for row in self.options:
            for column in self.columns:
                self.fields[f"{self.kind}-{row.option.pk}-{column.pk}"] = self.cell(row, column)

    def columns_of(self, content: CaseContent) -> list[Any]:
        raise NotImplementedError

    def cell(self, row: OptionRow, column: Any) -> forms.Field:
        raise NotImplementedError

    @property
    def table(self) -> list[GridRow]:
        return [
            GridRow(
                row, [self[f"{self.kind}-{row.option.pk}-{column.pk}"] for column in self.columns]
            )
            for row in self.options
        ]


class ScoreGrid(Grid):
    """A score 1–5 (or none yet) for each option against each interest."""

    kind = "score"

    def columns_of(self, content: CaseContent) -> list[Any]:
        return content.interests

    def cell(self, row: OptionRow, column: Any) -> forms.Field:
        return forms.TypedChoiceField(
            label=_("%(option)s against “%(interest)s”")
            % {"option": row.option.name, "interest": column.text},
            choices=[("", "–"), *PRIORITIES],
            widget=forms.Select(attrs={"class": "form-select-sm w-auto"}),
            coerce=int,
            empty_value=None,
            required=False,
            initial=row.scores.get(column.pk),
        )

    def values(self) -> dict[tuple[int, int], int | None]:
        return {_pair(name): value for name, value in self.cleaned_data.items()}


class CheckGrid(Grid):
    """Whether each option meets each goal (or not checked yet)."""

    kind = "check"

    def columns_of(self, content: CaseContent) -> list[Any]:
        return content.goals

    def cell(self, row: OptionRow, column: Any) -> forms.Field:
        checked = row.checks.get(column.pk)
        return forms.ChoiceField(
            label=_("%(option)s against the goal “%(goal)s”")
            % {"option": row.option.name, "goal": column.text},
            choices=[("", _("Not checked")), ("meets", _("Meets")), ("misses", _("Misses"))],
            widget=forms.Select(attrs={"class": "form-select-sm"}),
            required=False,
            initial="" if checked is None else ("meets" if checked else "misses"),
        )

    def values(self) -> dict[tuple[int, int], bool | None]:
        return {
            _pair(name): None if value == "" else value == "meets"
            for name, value in self.cleaned_data.items()
        }


def _pair(name: str) -> tuple[int, int]:
    _kind, first, second = name.split("-")
    return int(first), int(second)


# A step's page as one form ---------------------------------------------------------------------


@dataclass
class StepForms:
    version: VersionForm
    texts: TextsForm | None = None
    lists: dict[str, forms.BaseFormSet] = field(default_factory=dict)  # type: ignore[type-arg]
    grid: ScoreGrid | CheckGrid | None = None
    grid_errors: list[str] = field(default_factory=list)

    def is_valid(self) -> bool:
        parts: list[Any] = [self.version, self.texts, *self.lists.values(), self.grid]
        return all([part.is_valid() for part in parts if part is not None])

    def scores(self) -> dict[tuple[int, int], int | None]:
        return self.grid.values() if isinstance(self.grid, ScoreGrid) else {}

    def checks(self) -> dict[tuple[int, int], bool | None]:
        return self.grid.values() if isinstance(self.grid, CheckGrid) else {}

    def rows(self, prefix: str) -> list[dict[str, Any]]:
        """The filled rows of a list, as the services take them."""
        return [dict(form.cleaned_data) for form in self._filled(prefix)]

    def _filled(self, prefix: str) -> list[RowForm]:
        return [form for form in self.lists[prefix].forms if not form.is_blank()]

    @property
    def has_errors(self) -> bool:
        parts: list[Any] = [self.version, self.texts, self.grid]
        return (
            any(part is not None and part.errors for part in parts)
            or any(formset.total_error_count() for formset in self.lists.values())
            or bool(self.grid_errors)
        )

    def show_errors(self, exc: ValidationError) -> None:
        """Put each of the service's problems beside its field: ``interests[1].text`` on the
        second filled interest's text, ``scores[o][i]`` on that cell of the grid; anything
        else (a stale version) above the form."""
        if not hasattr(exc, "error_dict"):
            self.version.add_error(None, exc)
            return
        for path, messages in exc.message_dict.items():
            head, _dot, name = path.partition(".")
            prefix, _bracket, rest = head.partition("[")
            if prefix in self.lists and name and rest:
                filled = self._filled(prefix)
                index = int(rest.rstrip("]"))
                if index < len(filled) and name in filled[index].fields:
                    for message in messages:
                        filled[index].add_error(name, message)
                    continue
            if self.texts is not None and path in self.texts.fields:
                for message in messages:
                    self.texts.add_error(path, message)
                continue
            if prefix in ("scores", "checks"):
                self.grid_errors.extend(messages)
                continue
            for message in messages:  # a problem of the whole (NON_FIELD_ERRORS) or a refusal
                self.version.add_error(None, message)


def step_forms(key: str, content: CaseContent, data: QueryDict | None = None) -> StepForms:
    """The forms of step ``key``: bound to ``data`` (a post), or holding the case as it is."""
    case = content.case
    result = StepForms(version=VersionForm(data, initial={"version": case.version}))
    if key in STEP_TEXTS:
        names = STEP_TEXTS[key]
        result.texts = TextsForm(
            data, names=names, initial={name: getattr(case, name) for name in names}
        )
    for prefix in STEP_LISTS.get(key, ()):
        formset, stored, _defaults = LISTS[prefix]
        rows = [
            {"id": row.pk, **{name: getattr(row, name) for name in stored}}
            for row in _stored_rows(content, prefix)
        ]
        result.lists[prefix] = formset(data, initial=rows, prefix=prefix)
    if key == "alternatives":
        result.grid = ScoreGrid(data, content=content)
    elif key == "check":
        result.grid = CheckGrid(data, content=content)
    return result


def _stored_rows(content: CaseContent, prefix: str) -> Sequence[Any]:
    if prefix == "options":  # in the order the team wrote them, not ranked
        return sorted((row.option for row in content.options), key=lambda o: (o.position, o.pk))
    rows: Sequence[Any] = getattr(content, prefix)
    return rows


def rows_changed(data: QueryDict, command: str) -> QueryDict | None:
    """The posted form with a row added (``interests-add``) or removed
    (``interests-remove-2``); None for anything else."""
    prefix, _dash, rest = command.partition("-")
    if prefix not in LISTS:
        return None
    _formset, _stored, defaults = LISTS[prefix]
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return None
    changed = data.copy()
    if rest == "add" and total < ROWS_MAX:
        for name, value in defaults.items():
            changed[f"{prefix}-{total}-{name}"] = value
        changed[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        return changed
    op, _dash, number = rest.partition("-")
    if op != "remove" or not number.isdigit() or int(number) >= total:
        return None
    gone = int(number)
    moved: dict[str, list[str]] = {}
    start = f"{prefix}-"
    for name in list(changed):
        index, _dash, field_name = name[len(start) :].partition("-")
        if not name.startswith(start) or not index.isdigit() or not field_name:
            continue
        values = changed.getlist(name)
        del changed[name]
        if int(index) != gone:
            moved[f"{prefix}-{int(index) - (int(index) > gone)}-{field_name}"] = values
    for name, values in moved.items():
        changed.setlist(name, values)
    changed[f"{prefix}-TOTAL_FORMS"] = str(total - 1)
    initial = int(changed.get(f"{prefix}-INITIAL_FORMS", "0") or 0)
    changed[f"{prefix}-INITIAL_FORMS"] = str(min(initial, total - 1))
    return changed


def team_names(content: CaseContent) -> list[str]:
    """The team's names, offered for an action's "who"."""
    return [member.user.get_full_name() or member.user.email for member in content.members]

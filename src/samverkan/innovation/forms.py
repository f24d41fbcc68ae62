"""The innovation framework's form: the framework's fields, its goals and its criteria
(two formsets with blank rows to add more; a row left blank is no row), and the
gain-share calculator."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum, Role, RoleSide
from samverkan.core.formatting import plain_decimal
from samverkan.core.forms import AmountField, FigureField
from samverkan.core.governance import Cadence
from samverkan.innovation.models import Framework, Funding
from samverkan.lib import limits

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    what = forms.CharField(label=_("Goal"), max_length=limits.LINE_MAX, required=False)
    baseline = FigureField(label=_("Baseline"), required=False)
    target = FigureField(label=_("Target"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=limits.UNIT_MAX, required=False)
    due = forms.DateField(label=_("By"), required=False, widget=DATE)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) not in (None, "")
            for name in ("what", "baseline", "target", "unit", "due")
        )


class CriterionForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    name = forms.CharField(label=_("Criterion"), max_length=limits.NAME_MAX, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), required=False, min_value=0, max_value=100)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("name") and data.get("weight") in (None, 0)


GoalFormSet = forms.formset_factory(
    GoalForm, extra=2, max_num=limits.GOALS_MAX, absolute_max=limits.GOALS_MAX
)
CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=1, max_num=limits.CRITERIA_MAX, absolute_max=limits.CRITERIA_MAX
)


class FrameworkForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    deciding_forum = forms.ModelChoiceField(
        label=_("Deciding forum"),
        queryset=Forum.objects.none(),
        required=False,
        empty_label=_("Choose …"),
    )
    customer_lead = forms.ModelChoiceField(
        label=_("Customer's innovation lead"),
        queryset=Role.objects.none(),
        required=False,
        empty_label=_("Choose …"),
    )
    supplier_lead = forms.ModelChoiceField(
        label=_("Supplier's innovation lead"),
        queryset=Role.objects.none(),
        required=False,
        empty_label=_("Choose …"),
    )
    improvement_line = forms.CharField(
        label=_("Continuous improvement and innovation"),
        help_text=_(
            "Where continuous improvement (part of the service, no extra pay) ends and "
            "innovation (beyond it) begins."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.TEXT_MAX,
        required=False,
    )
    ideas_per_quarter = forms.IntegerField(
        label=_("Expected ideas per quarter"),
        min_value=0,
        max_value=limits.IDEAS_PER_QUARTER_MAX,
        required=False,
    )
    review_cadence = forms.ChoiceField(
        label=_("Review cadence"), choices=[("", _("Choose …")), *Cadence.choices], required=False
    )
    funding = forms.ChoiceField(
        label=_("Funding"), choices=Funding.choices, widget=forms.RadioSelect
    )
    customer_contribution = AmountField(
        label=_("Customer's yearly contribution (SEK)"), whole=True, required=False
    )
    supplier_contribution = AmountField(
        label=_("Supplier's yearly contribution (SEK)"), whole=True, required=False
    )
    customer_share = forms.IntegerField(
        label=_("Customer's share (%)"), min_value=0, max_value=100, required=False
    )
    supplier_share = forms.IntegerField(
        label=_("Supplier's share (%)"), min_value=0, max_value=100, required=False
    )
    gain_share_months = forms.IntegerField(
        label=_("Time limit (months)"),
        min_value=1,
        max_value=limits.GAIN_SHARE_MONTHS_MAX,
        required=False,
    )
    gain_share_from = forms.DateField(
        label=_("Gain-share from"),
        help_text=_("Empty: the agreement's start."),
        widget=DATE,
        required=False,
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deciding_forum"].queryset = Forum.objects.filter(agreement=agreement)  # type: ignore[attr-defined]
        roles = Role.objects.filter(agreement=agreement).order_by("position", "pk")
        self.fields["customer_lead"].queryset = roles.filter(side=RoleSide.CUSTOMER)  # type: ignore[attr-defined]
        self.fields["supplier_lead"].queryset = roles.filter(side=RoleSide.SUPPLIER)  # type: ignore[attr-defined]
        profile = kwargs.get("initial", {}).get("profile_ideas")
        if profile is not None:
            self.fields["ideas_per_quarter"].help_text = _(
                "Empty: the governance profile's %(n)s."
            ) % {"n": profile}
        else:
            self.fields["ideas_per_quarter"].help_text = _("Empty: the governance profile's.")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "deciding_forum",
                "customer_lead",
                "supplier_lead",
                "improvement_line",
                "ideas_per_quarter",
                "review_cadence",
                "funding",
                "customer_share",
                "supplier_share",
                "gain_share_months",
                "gain_share_from",
            )
        }
        for name in ("customer_contribution", "supplier_contribution"):
            fields[name] = None if data[name] is None else int(data[name])
        return fields


def initial_for(
    framework: Framework | None,
    *,
    default_criteria: list[dict[str, Any]],
    profile_ideas: int | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's initial values, the goals' and the criteria's (a new framework starts
    with the default criteria)."""
    if framework is None:
        return (
            {"version": 0, "funding": Funding.NONE, "profile_ideas": profile_ideas},
            [],
            default_criteria,
        )
    initial = {
        "version": framework.version,
        "profile_ideas": profile_ideas,
        "deciding_forum": framework.deciding_forum_id,
        "customer_lead": framework.customer_lead_id,
        "supplier_lead": framework.supplier_lead_id,
        "improvement_line": framework.improvement_line,
        "ideas_per_quarter": framework.ideas_per_quarter,
        "review_cadence": framework.review_cadence,
        "funding": framework.funding,
        "customer_contribution": framework.customer_contribution,
        "supplier_contribution": framework.supplier_contribution,
        "customer_share": framework.customer_share,
        "supplier_share": framework.supplier_share,
        "gain_share_months": framework.gain_share_months,
        "gain_share_from": framework.gain_share_from,
    }
    goals = [
        {
            "key": g.key,
            "what": g.what,
            "baseline": plain_decimal(g.baseline),
            "target": plain_decimal(g.target),
            "unit": g.unit,
            "due": g.due,
        }
        for g in framework.goals.all()
    ]
    criteria = [
        {"key": c.key, "name": c.name, "weight": c.weight} for c in framework.criteria.all()
    ]
    return initial, goals, criteria


def rows_of(formset: forms.BaseFormSet) -> tuple[list[dict[str, Any]], list[forms.Form]]:  # type: ignore[type-arg]
    """The filled rows' data and their forms (blank rows dropped), in order."""
    rows, forms_ = [], []
    for form in formset.forms:
        if form.is_blank():
            continue
        rows.append(dict(form.cleaned_data))
        forms_.append(form)
    return rows, forms_


def show_service_errors(
    exc: ValidationError,
    form: FrameworkForm,
    goals: list[forms.Form],
    criteria: list[forms.Form],
    criteria_errors: list[str],
) -> None:
    """Put each of the service's problems beside its field: ``goals[1].target`` on the
    second filled goal's target, ``criteria`` (the weights' sum) above the criteria."""
    if not hasattr(exc, "error_dict"):  # a stale edit, a refusal of the whole
        form.add_error(None, exc)
        return
    for path, messages in exc.message_dict.items():
        head, _dot, field = path.partition(".")
        if head.startswith(("goals[", "criteria[")) and field:
            index = int(head[head.index("[") + 1 : -1])
            rows = goals if head.startswith("goals") else criteria
            if index < len(rows) and field in rows[index].fields:
                for message in messages:
                    rows[index].add_error(field, message)
                continue
        if path == "criteria":
            criteria_errors.extend(messages)
            continue
        target = path if path in form.fields else None
        for message in messages:
            form.add_error(None if path == NON_FIELD_ERRORS else target, message)


class CalculatorForm(forms.Form):
    """The gain-share calculator: a realised effect and when it was realised."""

    effect = AmountField(label=_("Realised effect (SEK)"), required=True)
    realised_on = forms.DateField(label=_("Realised on"), widget=DATE, required=False)

    def values(self) -> tuple[Decimal, datetime.date]:
        on = self.cleaned_data.get("realised_on") or timezone.localdate()
        return self.cleaned_data["effect"], on

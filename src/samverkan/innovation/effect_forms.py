"""The forms of realised effects and of the joint fund's ledger."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Side
from samverkan.core.forms import AmountField, FigureField
from samverkan.innovation.forms import DATE
from samverkan.innovation.models import FundEntryKind, Idea
from samverkan.lib import limits


class EffectForm(forms.Form):
    realised = FigureField(
        label=_("Realised effect"), help_text=_("In the unit of the expected effect.")
    )
    measured_on = forms.DateField(label=_("Measured on"), widget=DATE)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the figure rests on: a report, a measurement, a reading of a system."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class IdeaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundEntryKind.choices)
    side = forms.ChoiceField(
        label=_("Paid by"),
        required=False,
        choices=[("", "–")],
        help_text=_("For a contribution."),
    )
    idea = IdeaChoiceField(
        label=_("Idea"),
        required=False,
        queryset=Idea.objects.none(),
        empty_label="–",
        help_text=_("For a spending: the idea the fund paid for."),
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (SEK)"), whole=True, max_value=limits.AMOUNT_MAX)
    text = forms.CharField(label=_("Text"), required=False, max_length=limits.LINE_MAX)

    def __init__(self, *args: Any, ideas: Any, customer: str, supplier: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [  # type: ignore[attr-defined]
            ("", "–"),
            (Side.CUSTOMER, customer),
            (Side.SUPPLIER, supplier),
        ]
        field = self.fields["idea"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ideas

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount"] = int(data["amount"])
        return data

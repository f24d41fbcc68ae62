"""The forms of the ideas pages: a new idea, the list's filter, a step and a referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Side
from samverkan.core.forms import AmountField, FigureField
from samverkan.innovation.models import Area, EffectUnit, Goal, Stage
from samverkan.innovation.selectors import IdeaFilter
from samverkan.lib import limits

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE_MAX)
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    problem = forms.CharField(
        label=_("Problem"),
        max_length=limits.TEXT_MAX,
        widget=TEXTAREA,
        help_text=_("What is wrong or could be better today, and for whom."),
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        max_length=limits.TEXT_MAX,
        widget=TEXTAREA,
        help_text=_("What you propose to do."),
    )
    effect = FigureField(
        label=_("Expected effect"),
        required=False,
        help_text=_("A number, such as 40 saved hours per month."),
    )
    effect_unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=[("", "–"), *EffectUnit.choices]
    )
    effect_unit_other = forms.CharField(
        label=_("Other unit"),
        required=False,
        max_length=limits.UNIT_MAX,
        help_text=_("When the unit is “other unit”."),
    )
    baseline = FigureField(
        label=_("Baseline"),
        required=False,
        help_text=_("Where the measure stands today, in the same unit."),
    )
    effort_days = forms.DecimalField(
        label=_("Estimated effort (person-days)"),
        required=False,
        min_value=0,
        max_value=limits.EFFORT_DAYS_MAX,
        max_digits=8,
        decimal_places=1,
    )
    cost = AmountField(
        label=_("Estimated cost (SEK)"),
        whole=True,
        max_value=limits.AMOUNT_MAX,
        help_text=_("Checked against the deciding forum's mandate when the idea is approved."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals it serves"),
        required=False,
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = goals

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["cost"] = int(data["cost"])
        return data


class IdeaFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False, choices=[("", _("All areas"))])
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", _("Both sides"))])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages"))])
    text = forms.CharField(label=_("Text"), required=False, max_length=limits.TITLE_MAX)

    def __init__(self, *args: Any, sides: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *Area.choices]  # type: ignore[attr-defined]
        self.fields["side"].choices = [("", _("Both sides")), *sides]  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("All stages")), *Stage.choices]  # type: ignore[attr-defined]

    def filters(self) -> IdeaFilter:
        if not self.is_valid():
            return IdeaFilter()
        data = self.cleaned_data
        return IdeaFilter(
            area=data["area"], side=data["side"], stage=data["stage"], text=data["text"].strip()
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=limits.TEXT_MAX, widget=TEXTAREA
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReferForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def side_choices(customer: str, supplier: str) -> list[tuple[str, str]]:
    """The sides by the parties' names, as the list's filter offers them."""
    return [(Side.CUSTOMER, customer), (Side.SUPPLIER, supplier)]


class EvaluatorsForm(forms.Form):
    """Choose the evaluators among the editors and owners of both sides (checkboxes)."""

    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluators"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = users


SCORE_CHOICES = [("", "–"), *[(str(n), str(n)) for n in range(1, 6)]]


class ScoreForm(forms.Form):
    """One 1–5 choice per criterion of the framework, named by the criterion's key."""

    def __init__(self, *args: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"score-{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.name, choices=SCORE_CHOICES, coerce=int
            )

    def scores(self) -> dict[str, int]:
        return {name.removeprefix("score-"): value for name, value in self.cleaned_data.items()}


class IdeaEditForm(IdeaForm):
    """The new-idea form with the version the person read (a stale one is refused)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        data.pop("version")
        return data


class AttachmentForm(forms.Form):
    """One file to attach; what it may be is checked by ``attachment_add``."""

    file = forms.FileField(label=_("File"), allow_empty_file=True, max_length=None)

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Organisation, User
from samverkan.agreements.models import Agreement, AgreementStatus, ParticipantRole, Side
from samverkan.core.forms import AmountField


def _queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm[Agreement]):
    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "description",
            "services",
            "start_date",
            "end_date",
            "annual_value",
            "currency",
            "status",
            "language",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "services": forms.Textarea(attrs={"rows": 4}),
            "start_date": _DATE,
            "end_date": _DATE,
        }
        # "12 500 000" and "12 500 000,50" as people write them; shown again the same way.
        field_classes = {"annual_value": AmountField}

    def _post_clean(self) -> None:
        # Model validation runs in the service, which reports back onto this form.
        pass


class AgreementCreateForm(AgreementForm):
    own_organisation = forms.ModelChoiceField(
        label=_("Our organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    counterpart_name = forms.CharField(
        label=_("Other party"),
        max_length=200,
        help_text=_(
            "The counterpart's company name. A new organisation is created if it is not yet here."
        ),
    )
    counterpart_contact_email = forms.EmailField(
        label=_("Contact at the other party"),
        required=False,
        help_text=_("If the other party is new here, this person is invited as its administrator."),
    )

    class Meta(AgreementForm.Meta):
        fields = [
            "own_organisation",
            "counterpart_name",
            "counterpart_contact_email",
            *AgreementForm.Meta.fields,
        ]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "own_organisation", organisations)
        self.fields["status"].initial = AgreementStatus.DRAFT


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *AgreementStatus.choices],
    )
    party = forms.ModelChoiceField(
        label=_("Party"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All parties"),
    )

    def __init__(self, *args: Any, parties: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "party", parties)


class ParticipantAddForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, widget=forms.HiddenInput)
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.VIEWER
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "user", candidates)


class ParticipantRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)


class AgreementEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), required=False, widget=_DATE)

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Organisation, User
from samverkan.agreements import counterparts
from samverkan.agreements.models import Agreement, AgreementStatus, ParticipantRole, Side
from samverkan.core.forms import AmountField
from samverkan.lib import limits


def _queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm[Agreement]):
    # The version the editor read: a save over someone else's change is refused, input kept.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for name in ("description", "services"):  # docs/limits.md; the service checks too
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = limits.TEXT_MAX
            field.validators.append(MaxLengthValidator(limits.TEXT_MAX))
            field.widget.attrs["maxlength"] = str(limits.TEXT_MAX)

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


_COUNTERPARTS = {
    "hx-get": reverse_lazy("agreements:counterparts"),
    "hx-target": "#counterparts",
    "hx-swap": "outerHTML",
}


class AgreementCreateForm(AgreementForm):
    """A new agreement; the counterpart is chosen among the organisations here, or new.

    Typing in the counterpart field lists the organisations it may mean (HTMX, through
    ``agreements:counterparts``); without JavaScript the same list comes back with the
    form when the service suggests one. ``counterpart`` holds the choice: an
    organisation's id, or "new" to create the named organisation anyway.
    """

    version = None  # type: ignore[assignment]  # a new agreement has no version to check

    own_organisation = forms.ModelChoiceField(
        label=_("Our organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    counterpart_name = forms.CharField(
        label=_("Other party"),
        max_length=200,
        help_text=_(
            "The counterpart's company name or organisation number. Organisations already "
            "here are listed as you type; a new one is created otherwise."
        ),
    )
    counterpart = forms.CharField(required=False, max_length=20)
    counterpart_org_number = forms.CharField(
        label=_("The other party's organisation number"),
        required=False,
        max_length=20,
        help_text=_("For a new organisation: NNNNNN-NNNN. Optional."),
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
            "counterpart",
            "counterpart_org_number",
            "counterpart_contact_email",
            *AgreementForm.Meta.fields,
        ]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "own_organisation", organisations)
        self.fields["status"].initial = AgreementStatus.DRAFT
        self.matches: list[Organisation] = []
        self.fields["counterpart_name"].widget.attrs.update(
            {
                **_COUNTERPARTS,
                "hx-trigger": "input changed delay:300ms, search",
                "hx-include": "[name='own_organisation'], [name='counterpart']:checked",
                "autocomplete": "off",
                "aria-controls": "counterparts",
            }
        )
        self.fields["own_organisation"].widget.attrs.update(
            {
                **_COUNTERPARTS,
                "hx-trigger": "change",
                "hx-include": "[name='counterpart_name']",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = (data.get("counterpart") or "").strip()
        own = data.get("own_organisation")
        data["new_counterpart"] = choice == "new"
        data["counterpart"] = None
        if choice.isdigit() and own is not None:
            chosen = (
                counterparts.counterpart_candidates(own_organisation=own)
                .filter(pk=int(choice))
                .first()
            )
            if chosen is None:
                self.add_error("counterpart_name", _("Choose the other party again."))
            else:
                data["counterpart"] = chosen
                self.offer([chosen])
        return data

    def offer(self, matches: list[Organisation]) -> None:
        """List these organisations to choose from when the form is shown again."""
        self.matches += [org for org in matches if org not in self.matches]

    def counterpart_choices(self) -> dict[str, Any]:
        """The context of ``agreements/_counterparts.html`` for this form."""
        typed = str(self["counterpart_name"].value() or "")
        return counterparts.choices_context(
            self.matches, typed=typed, selected=str(self["counterpart"].value() or "")
        )


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


class ProposalAnswerForm(forms.Form):
    # The proposal's version the administrator read: an answer to what the proposer has
    # changed since is refused, and the proposal shown again.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProposalAcceptForm(ProposalAnswerForm):
    """Accepting; ``reference`` is asked only when the customer has the proposal's already."""

    reference = forms.CharField(
        label=_("Our reference for the agreement"),
        max_length=limits.REFERENCE_MAX,
        required=False,
    )

    def __init__(self, *args: Any, ask_reference: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask_reference:
            self.fields["reference"].required = True
        else:
            del self.fields["reference"]


class ProposalDeclineForm(ProposalAnswerForm):
    reason = forms.CharField(
        label=_("Why (for the proposer)"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The proposer sees it, with the answer."),
    )


class AgreementFileForm(forms.Form):
    file = forms.FileField(
        label=_("Agreement file (YAML)"),
        help_text=_("A file written by “Download as file” or `samverkan export`."),
    )
    replace = forms.BooleanField(
        label=_("Replace the agreement with the same reference, if there is one"),
        required=False,
    )

    def clean_file(self) -> Any:
        """No larger than what the API accepts: the YAML reader is pure Python (docs/limits.md)."""
        upload = self.cleaned_data["file"]
        if upload.size > settings.API_MAX_BODY_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s bytes.")
                % {"limit": settings.API_MAX_BODY_BYTES}
            )
        return upload

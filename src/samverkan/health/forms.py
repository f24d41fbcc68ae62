"""Forms of the health check: opening a round, and the survey itself."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Participant
from samverkan.health import analysis, services


class ParticipantChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        participant: Participant = obj
        name = participant.user.get_full_name() or participant.user.email
        return f"{name} ({participant.user.email})"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    closes_on = forms.DateField(
        label=_("Closing date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    participants = ParticipantChoice(
        label=_("Who is asked"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _(
                "Choose who is asked: more people on each side than the smallest group shown."
            )
        },
        help_text=_(
            "Each person gets a personal link by e-mail. Ask more people on each side than the "
            "smallest group shown (at least four with three), so that no one can tell who "
            "answered."
        ),
    )
    live_results = forms.BooleanField(
        label=_("Show results while the round is open"),
        required=False,
        help_text=_(
            "Figures are then updated only after at least the threshold number of new "
            "answers from a side, so that no single answer can be read off."
        ),
    )
    threshold = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=analysis.THRESHOLD,
        max_value=50,
        initial=analysis.THRESHOLD,
    )
    own_statements = forms.CharField(
        label=_("Your own statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: one statement per line, answered on the same 1–5 scale about the "
            "collaboration. Word them so that agreeing is good."
        ),
    )

    def __init__(self, *args: Any, participants: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threshold"].help_text = _(
            "No figure is shown for fewer respondents than this (never fewer than 3). A single "
            "statement is shown only from %(n)s who gave it a score, or from this plus two if "
            "that is more."
        ) % {"n": analysis.statement_min_group(None, settings.HEALTH_STATEMENT_THRESHOLD)}
        field = self.fields["participants"]
        assert isinstance(field, ParticipantChoice)
        if participants is not None:
            field.queryset = participants
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["closes_on"].initial = today + datetime.timedelta(days=14)
            season = (
                _("Health check, spring %(year)s")
                if today.month <= 6
                else _("Health check, autumn %(year)s")
            )
            self.fields["title"].initial = str(season) % {"year": today.year}
            field.initial = [p.pk for p in participants or []]

    def clean_closes_on(self) -> datetime.date:
        closes_on: datetime.date = self.cleaned_data["closes_on"]
        error = services.closes_on_error(closes_on)
        if error:
            raise forms.ValidationError(error)
        return closes_on

    def own_statement_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("own_statements", "").splitlines()]

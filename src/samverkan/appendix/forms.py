from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label=_("What changed in this version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “New forum for architecture; escalation times shortened”."),
    )
    accept_errors = forms.BooleanField(
        label=_("Publish even though required checks fail"), required=False
    )

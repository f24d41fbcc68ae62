from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.lib import limits


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label=_("What changed in this version"),
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “New forum for architecture; escalation times shortened”."),
    )
    accept_errors = forms.BooleanField(
        label=_("Publish even though required checks fail"), required=False
    )


class ApproveForm(forms.Form):
    """Approving is confirmed with a tick, so that it works without JavaScript."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to confirm that you have read the version.")},
    )

    def __init__(
        self, *args: Any, number: int, side: str, organisation: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "I have read version %(number)s and approve it for %(side)s, %(organisation)s."
        ) % {"number": number, "side": side, "organisation": organisation}

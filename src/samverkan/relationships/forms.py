"""Forms of the relationship page: questionnaire, choice of type, governance profile.

They check the shape of the input only; the services decide what is allowed
(a rationale when overriding the recommendation, weights summing to 100 …)
and their errors are put back on these forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import add_service_errors
from samverkan.core.governance import Cadence, Level
from samverkan.lib import limits
from samverkan.relationships import catalogue
from samverkan.relationships.models import FocusCategory, InnovationExpectation, Relationship

_CHOOSE_ONE = {"required": _("Choose one of the answers.")}


class QuestionnaireForm(forms.Form):
    """One radio group per question of the questionnaire, in the given language."""

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in catalogue.questions(language):
            self.fields[question["key"]] = forms.ChoiceField(
                label=question["text"],
                choices=[(option["key"], option["text"]) for option in question["options"]],
                widget=forms.RadioSelect,
                error_messages=_CHOOSE_ONE,
            )

    def answers(self) -> dict[str, str]:
        return {key: str(value) for key, value in self.cleaned_data.items()}


class RelationshipTypeForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Relationship type"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the three relationship types.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=limits.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why this type suits the agreement. Required when you choose another type "
            "than the recommended one."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(info["key"], info["name"]) for info in catalogue.all_types(language)]

    @classmethod
    def for_relationship(cls, relationship: Relationship, language: str) -> RelationshipTypeForm:
        return cls(
            language=language,
            initial={
                "type": relationship.type or relationship.recommended_type,
                "rationale": relationship.rationale,
                "version": relationship.version,
            },
        )


def _weight_field(name: str) -> str:
    return f"weight_{name}"


def _cadence_field(level: str) -> str:
    return f"cadence_{level}"


class GovernanceProfileForm(forms.Form):
    """The editable governance profile, flattened into one input per weight and per level."""

    # Errors the service reports about a group of inputs (all weights, all cadences) are shown
    # beside the group rather than on one input; see ``add_service_errors``.
    GROUPS = ("scorecard_weights", "forum_cadence")

    innovation = forms.ChoiceField(
        label=_("Expected innovation"), choices=InnovationExpectation.choices
    )
    ideas_per_quarter = forms.IntegerField(
        label=_("Ideas per quarter"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("How many ideas the supplier is expected to bring each quarter."),
    )
    health_check = forms.ChoiceField(
        label=_("Health check"),
        choices=Cadence.choices,
        help_text=_("How often both parties answer the relationship health survey."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list[str]] = {}
        for value, label in FocusCategory.choices:
            self.fields[_weight_field(value)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
            )
        for value, label in Level.choices:
            self.fields[_cadence_field(value)] = forms.ChoiceField(
                label=label, choices=Cadence.choices
            )
        # Weights first, then cadences, then the rest: the order of the page.
        order = [_weight_field(c) for c in catalogue.CATEGORIES]
        order += [_cadence_field(level) for level in catalogue.LEVELS]
        self.order_fields([*order, "innovation", "ideas_per_quarter", "health_check"])

    @classmethod
    def for_relationship(cls, relationship: Relationship) -> GovernanceProfileForm:
        initial: dict[str, Any] = {
            "innovation": relationship.innovation,
            "ideas_per_quarter": relationship.ideas_per_quarter,
            "health_check": relationship.health_check,
            "version": relationship.version,
        }
        for key, value in relationship.scorecard_weights.items():
            initial[_weight_field(key)] = value
        for key, value in relationship.forum_cadence.items():
            initial[_cadence_field(key)] = value
        return cls(initial=initial)

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[_weight_field(c)] for c in catalogue.CATEGORIES]

    def cadence_fields(self) -> list[forms.BoundField]:
        return [self[_cadence_field(level)] for level in catalogue.LEVELS]

    def weight_total(self) -> int | None:
        """The sum of the weights as entered (bound) or stored (initial); None if unreadable."""
        total = 0
        for field in self.weight_fields():
            try:
                total += int(field.value() or 0)
            except (TypeError, ValueError):
                return None
        return total

    def profile(self) -> dict[str, Any]:
        """The cleaned data in the shape ``relationship_update_profile`` takes."""
        data = self.cleaned_data
        return {
            "scorecard_weights": {c: data[_weight_field(c)] for c in catalogue.CATEGORIES},
            "forum_cadence": {level: data[_cadence_field(level)] for level in catalogue.LEVELS},
            "innovation": data["innovation"],
            "ideas_per_quarter": data["ideas_per_quarter"],
            "health_check": data["health_check"],
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """As ``core.forms.add_service_errors``, keeping group errors for their fieldset."""
        if not hasattr(exc, "error_dict"):
            add_service_errors(self, exc)
            return
        rest = {}
        for field, errors in exc.error_dict.items():
            if field in self.GROUPS:
                self.group_errors.setdefault(field, []).extend(
                    message for error in errors for message in error.messages
                )
            else:
                rest[field] = errors
        if rest:
            add_service_errors(self, ValidationError(rest))

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or bool(self.group_errors)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every problem, for the summary above the form."""
        items = []
        for group, anchor, label in (
            ("scorecard_weights", "profile-weights", _("Scorecard weights")),
            ("forum_cadence", "profile-cadence", _("Forum cadence")),
        ):
            for message in self.group_errors.get(group, []):
                items.append((anchor, str(label), message))
        for field in self:
            if field.errors and not field.is_hidden:
                items.append((field.id_for_label, str(field.label), str(field.errors[0])))
        return items

    def non_field_messages(self) -> list[str]:
        return [str(error) for error in self.errors.get(NON_FIELD_ERRORS, [])]

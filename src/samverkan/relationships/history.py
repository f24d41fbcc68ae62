"""How the agreement's history reads the relationship type and its governance profile."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

from samverkan.agreements.history import describe
from samverkan.core.formatting import format_decimal
from samverkan.core.governance import Cadence, Level
from samverkan.relationships import catalogue
from samverkan.relationships.models import FocusCategory, Relationship


def _label(choices: Any, key: Any) -> str:
    """A choice's label, lower-case as inside a sentence; an unknown key as it is."""
    labels = {str(value): str(label) for value, label in choices.choices}
    text = labels.get(str(key), str(key))
    return text[:1].lower() + text[1:]


def _weights(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        str(FocusCategory(key).label) if key in FocusCategory.values else str(key): (
            f"{format_decimal(float(weight), 0)}\xa0%"
            if isinstance(weight, int | float)
            else str(weight)
        )
        for key, weight in value.items()
    }


def _cadences(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        str(Level(key).label) if key in Level.values else str(key): _label(Cadence, cadence)
        for key, cadence in value.items()
    }


def _cadence(value: Any) -> str:
    return _label(Cadence, value)


def _answers(value: Any) -> dict[str, str]:
    """The questionnaire's answers: question → the chosen option, in the reader's language."""
    if not isinstance(value, dict):
        return {}
    language = translation.get_language() or "sv"
    shown = {}
    questions = {q["key"]: q for q in catalogue.questions(language)}
    for key, answer in value.items():
        question = questions.get(key)
        if question is None:
            shown[str(key)] = str(answer)
            continue
        options = {option["key"]: option["text"] for option in question["options"]}
        shown[str(question["text"])] = str(options.get(answer, answer))
    return shown


def register() -> None:
    describe(
        Relationship,
        the=gettext_lazy("the relationship type"),
        is_subject=True,
        values={
            "scorecard_weights": _weights,
            "forum_cadence": _cadences,
            "health_check": _cadence,
            "answers": _answers,
        },
        labels={
            "recommended_type": gettext_lazy("recommended relationship type"),
            "profile_type": gettext_lazy("type of the governance profile"),
        },
    )

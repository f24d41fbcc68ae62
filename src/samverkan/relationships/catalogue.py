"""The relationship types, their governance-profile defaults and the questionnaire.

Both come from documented data files in ``relationships/data/``; ``load()``
validates them once at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from samverkan.lib.datafile import DataFileError, load_yaml, localized, require_languages

DATA = Path(__file__).resolve().parent / "data"
TYPE_KEYS = ("utility", "business_enhancement", "frontier")
CATEGORIES = (
    "price",
    "service_level",
    "satisfaction",
    "relationship",
    "shared_vision",
    "innovation",
)
CADENCES = ("weekly", "biweekly", "monthly", "quarterly", "semiannual", "annual")
LEVELS = ("strategic", "tactical", "operational")
INNOVATION = ("reactive", "proactive", "joint")


@dataclass(frozen=True)
class Reason:
    question: str
    answer: str
    why: str
    favours: str


@dataclass(frozen=True)
class Recommendation:
    type: str
    scores: dict[str, int]
    reasons: list[Reason]


@cache
def _profiles() -> dict[str, Any]:
    data = load_yaml(DATA / "governance_profiles.yaml")
    types: dict[str, Any] = data.get("types", {})
    if tuple(types) != TYPE_KEYS:
        raise DataFileError(f"governance_profiles.yaml: types must be {TYPE_KEYS}")
    for key, spec in types.items():
        for field in ("name", "gloss", "focus", "description"):
            require_languages(spec.get(field), f"types.{key}.{field}")
        defaults = spec.get("defaults", {})
        weights = defaults.get("scorecard_weights", {})
        if tuple(weights) != CATEGORIES or sum(weights.values()) != 100:
            raise DataFileError(
                f"types.{key}.scorecard_weights: all six categories, summing to 100"
            )
        cadence = defaults.get("forum_cadence", {})
        if tuple(cadence) != LEVELS or any(value not in CADENCES for value in cadence.values()):
            raise DataFileError(f"types.{key}.forum_cadence: a cadence for each level")
        if (
            defaults.get("innovation") not in INNOVATION
            or defaults.get("health_check") not in CADENCES
        ):
            raise DataFileError(f"types.{key}: innovation and health_check must be known values")
    return types


@cache
def _questionnaire() -> list[dict[str, Any]]:
    questions = load_yaml(DATA / "questionnaire.yaml").get("questions", [])
    for i, question in enumerate(questions):
        require_languages(question.get("text"), f"questions[{i}].text")
        for j, option in enumerate(question.get("options", [])):
            require_languages(option.get("text"), f"questions[{i}].options[{j}].text")
            require_languages(option.get("why"), f"questions[{i}].options[{j}].why")
            if tuple(option.get("points", {})) != TYPE_KEYS:
                raise DataFileError(f"questions[{i}].options[{j}].points: one number per type")
    return list(questions)


def load() -> None:
    _profiles()
    _questionnaire()


def type_info(key: str, language: str) -> dict[str, str]:
    spec = _profiles()[key]
    return {
        "key": key,
        "name": localized(spec["name"], language),
        "gloss": localized(spec["gloss"], language),
        "focus": localized(spec["focus"], language),
        "description": localized(spec["description"], language),
    }


def all_types(language: str) -> list[dict[str, str]]:
    return [type_info(key, language) for key in TYPE_KEYS]


def defaults(key: str) -> dict[str, Any]:
    """The governance-profile defaults of a type (a fresh copy the caller may change)."""
    spec = _profiles()[key]["defaults"]
    return {
        "scorecard_weights": dict(spec["scorecard_weights"]),
        "forum_cadence": dict(spec["forum_cadence"]),
        "innovation": spec["innovation"],
        "ideas_per_quarter": spec["ideas_per_quarter"],
        "health_check": spec["health_check"],
    }


def questions(language: str) -> list[dict[str, Any]]:
    return [
        {
            "key": q["key"],
            "text": localized(q["text"], language),
            "options": [
                {"key": o["key"], "text": localized(o["text"], language)} for o in q["options"]
            ],
        }
        for q in _questionnaire()
    ]


def answer_errors(answers: dict[str, str]) -> dict[str, str]:
    """Question key → problem, for unanswered questions and unknown options."""
    errors = {}
    for question in _questionnaire():
        chosen = answers.get(question["key"])
        if not chosen:
            errors[question["key"]] = "unanswered"
        elif chosen not in {o["key"] for o in question["options"]}:
            errors[question["key"]] = "unknown option"
    return errors


def recommend(answers: dict[str, str], language: str) -> Recommendation:
    """Score the answers; the highest total wins, ties going to the middle type, then utility."""
    scores = dict.fromkeys(TYPE_KEYS, 0)
    reasons = []
    for question in _questionnaire():
        option = next(
            (o for o in question["options"] if o["key"] == answers.get(question["key"])), None
        )
        if option is None:
            continue
        for key, points in option["points"].items():
            scores[key] += points
        favours = max(TYPE_KEYS, key=lambda k: option["points"][k])
        reasons.append(
            Reason(
                question=localized(question["text"], language),
                answer=localized(option["text"], language),
                why=localized(option["why"], language),
                favours=favours,
            )
        )
    tie_order = ("business_enhancement", "utility", "frontier")
    best = max(tie_order, key=lambda k: scores[k])
    return Recommendation(type=best, scores=scores, reasons=reasons)

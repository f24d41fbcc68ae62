"""Writes for the relationship type and its governance profile."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.core.errors import StaleEditError
from samverkan.core.validation import text_within
from samverkan.relationships import catalogue
from samverkan.relationships.models import Relationship


def relationship_of(agreement: Agreement) -> Relationship:
    """The agreement's relationship row, created empty on first use."""
    relationship, _created = Relationship.objects.get_or_create(agreement=agreement)
    return relationship


def profile_is_customised(relationship: Relationship) -> bool:
    """Whether the profile differs from its type's defaults (then a type change keeps it)."""
    if not relationship.profile_type:
        return False
    return relationship.profile() != catalogue.defaults(relationship.profile_type)


def _claim(relationship: Relationship, version: int | None) -> None:
    """Take the next version: from ``version`` (or StaleEditError), or unconditionally when None."""
    rows = Relationship.objects.filter(pk=relationship.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise StaleEditError
    relationship.refresh_from_db(fields=["version"])


@transaction.atomic
def relationship_answer(
    *, agreement: Agreement, actor: User | None, answers: dict[str, str], language: str
) -> catalogue.Recommendation:
    """Record the questionnaire's answers and return the recommendation with its reasoning."""
    errors = catalogue.answer_errors(answers)
    if errors:
        raise ValidationError({key: _("Choose one of the answers.") for key in errors})
    relationship = relationship_of(agreement)
    recommendation = catalogue.recommend(answers, language)
    relationship.answers = {key: answers[key] for key in sorted(answers)}
    relationship.recommended_type = recommendation.type
    relationship.save()
    return recommendation


def _apply_defaults(relationship: Relationship, type_key: str) -> None:
    defaults = catalogue.defaults(type_key)
    relationship.scorecard_weights = defaults["scorecard_weights"]
    relationship.forum_cadence = defaults["forum_cadence"]
    relationship.innovation = defaults["innovation"]
    relationship.ideas_per_quarter = defaults["ideas_per_quarter"]
    relationship.health_check = defaults["health_check"]
    relationship.profile_type = type_key


@transaction.atomic
def relationship_set_type(
    *,
    agreement: Agreement,
    actor: User | None,
    type: str,
    rationale: str = "",
    version: int | None = None,
) -> tuple[Relationship, bool]:
    """Choose the relationship type. Returns the row and whether the profile defaults were applied.

    Choosing another type than the questionnaire recommended needs a rationale.
    The type's defaults replace the profile only while the profile is untouched
    (equal to the defaults it came from); otherwise the user is offered to re-apply.
    """
    if type not in catalogue.TYPE_KEYS:
        raise ValidationError({"type": _("Choose one of the three relationship types.")})
    relationship = relationship_of(agreement)
    _claim(relationship, version)
    rationale = text_within(rationale, "rationale")
    if relationship.recommended_type and type != relationship.recommended_type and not rationale:
        raise ValidationError(
            {
                "rationale": _(
                    "You chose another type than the recommended one: say why, for the record."
                )
            }
        )
    relationship.type = type
    relationship.rationale = rationale
    applied = not profile_is_customised(relationship)
    if applied:
        _apply_defaults(relationship, type)
    relationship.save()
    return relationship, applied


@transaction.atomic
def relationship_apply_defaults(*, agreement: Agreement, actor: User | None) -> Relationship:
    """Replace the governance profile with the defaults of the chosen type."""
    relationship = relationship_of(agreement)
    if not relationship.type:
        raise ValidationError(_("Choose a relationship type first."))
    _claim(relationship, None)
    _apply_defaults(relationship, relationship.type)
    relationship.save()
    return relationship


@transaction.atomic
def relationship_update_profile(
    *, agreement: Agreement, actor: User | None, version: int | None, **profile: Any
) -> Relationship:
    """Edit the governance profile; weights must cover the six categories and sum to 100."""
    relationship = relationship_of(agreement)
    if not relationship.type:
        # A profile set before the type would be overwritten by the type's defaults later.
        raise ValidationError(_("Choose a relationship type first."))
    _claim(relationship, version)
    weights = profile.get("scorecard_weights", relationship.scorecard_weights)
    if set(weights) != set(catalogue.CATEGORIES) or any(int(v) < 0 for v in weights.values()):
        raise ValidationError(
            {
                "scorecard_weights": _(
                    "Give a weight of 0 or more for each of the six focus categories."
                )
            }
        )
    if sum(int(v) for v in weights.values()) != 100:
        raise ValidationError({"scorecard_weights": _("The weights must add up to 100.")})
    cadence = profile.get("forum_cadence", relationship.forum_cadence)
    if set(cadence) != set(catalogue.LEVELS) or any(
        v not in catalogue.CADENCES for v in cadence.values()
    ):
        raise ValidationError({"forum_cadence": _("Choose a cadence for each level.")})
    innovation = profile.get("innovation", relationship.innovation)
    if innovation not in catalogue.INNOVATION:
        raise ValidationError({"innovation": _("Choose the expected innovation activity.")})
    health = profile.get("health_check", relationship.health_check)
    if health not in catalogue.CADENCES:
        raise ValidationError({"health_check": _("Choose how often the health check runs.")})
    ideas = profile.get("ideas_per_quarter", relationship.ideas_per_quarter)
    if ideas is not None and int(ideas) < 0:
        raise ValidationError({"ideas_per_quarter": _("The number cannot be negative.")})
    relationship.scorecard_weights = {key: int(weights[key]) for key in catalogue.CATEGORIES}
    relationship.forum_cadence = {key: cadence[key] for key in catalogue.LEVELS}
    relationship.innovation = innovation
    relationship.health_check = health
    relationship.ideas_per_quarter = None if ideas is None else int(ideas)
    if not relationship.profile_type and relationship.type:
        relationship.profile_type = relationship.type
    relationship.save()
    return relationship

"""Relationship-type endpoints: read, questionnaire, choice of type, governance profile.

The same services as the relationship page. Writes that can collide carry the
``version`` the client read; a stale one answers 409.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema

from samverkan.agreements.access import Need, agreement_for
from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user
from samverkan.lib import limits
from samverkan.relationships import catalogue, services
from samverkan.relationships.models import Relationship
from samverkan.relationships.selectors import relationship_or_blank

router = Router(tags=["relationship type"])

TypeT = Literal["utility", "business_enhancement", "frontier"]
CadenceT = Literal["weekly", "biweekly", "monthly", "quarterly", "semiannual", "annual"]
InnovationT = Literal["reactive", "proactive", "joint"]


class TypeOut(Schema):
    key: TypeT
    name: str
    focus: str
    description: str


class ReasonOut(Schema):
    question: str
    answer: str
    why: str
    favours: TypeT


class RecommendationOut(Schema):
    type: TypeOut
    scores: dict[str, int] = Field(description="Points per relationship type.")
    reasons: list[ReasonOut]


class ProfileOut(Schema):
    type: TypeT | None = Field(description="The type whose defaults the profile started from.")
    customised: bool = Field(description="Whether the profile differs from those defaults.")
    scorecard_weights: dict[str, int]
    forum_cadence: dict[str, str]
    innovation: str
    ideas_per_quarter: int | None
    health_check: str


class RelationshipOut(Schema):
    type: TypeOut | None
    rationale: str
    answers: dict[str, str]
    recommendation: RecommendationOut | None
    profile: ProfileOut
    version: int = Field(description="Send it back with PUT; a stale one answers 409.")


class RelationshipChangeOut(RelationshipOut):
    defaults_applied: bool = Field(
        description="Whether the type's defaults replaced the profile. They do not when the "
        "profile had been customised; POST apply-defaults to replace it anyway."
    )


class RelationshipIn(Schema):
    type: TypeT
    rationale: str = Field(
        max_length=limits.TEXT_MAX,
        default="",
        description="Required when the type differs from the recommended one.",
    )
    version: int = Field(description="The version you read; a stale one answers 409.")


class AnswersIn(Schema):
    answers: dict[str, str] = Field(
        description="Question key → option key, for all eight questions "
        "(criticality, customisation, supplier_innovation, switching_cost, market_alternatives, "
        "business_involvement, contract_length, knowledge_dependency)."
    )


class ProfileIn(Schema):
    scorecard_weights: dict[str, int] = Field(
        description="Percent for each of price, service_level, satisfaction, relationship, "
        "shared_vision and innovation; together 100."
    )
    forum_cadence: dict[str, CadenceT] = Field(
        description="Cadence for each level: strategic, tactical, operational."
    )
    innovation: InnovationT
    ideas_per_quarter: int | None = Field(ge=0)
    health_check: CadenceT
    version: int = Field(description="The version you read; a stale one answers 409.")


def _language() -> str:
    return translation.get_language() or "sv"


def _recommendation(answers: dict[str, str], language: str) -> dict[str, Any] | None:
    if not answers or catalogue.answer_errors(answers):
        return None
    result = catalogue.recommend(answers, language)
    return {
        "type": catalogue.type_info(result.type, language),
        "scores": result.scores,
        "reasons": result.reasons,
    }


def _out(relationship: Relationship) -> dict[str, Any]:
    language = _language()
    return {
        "type": catalogue.type_info(relationship.type, language) if relationship.type else None,
        "rationale": relationship.rationale,
        "answers": relationship.answers,
        "recommendation": _recommendation(relationship.answers, language),
        "profile": {
            **relationship.profile(),
            "type": relationship.profile_type or None,
            "customised": services.profile_is_customised(relationship),
        },
        "version": relationship.version,
    }


@router.get(
    "/agreements/{agreement_id}/relationship",
    response={200: RelationshipOut, **ERRORS},
    url_name="relationship",
)
def get_relationship(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """The relationship type, the questionnaire's answers and recommendation, and the profile."""
    return _out(relationship_or_blank(agreement_for(request_user(request), agreement_id).agreement))


@router.put(
    "/agreements/{agreement_id}/relationship",
    response={200: RelationshipChangeOut, **ERRORS},
    url_name="relationship_update",
)
def put_relationship(
    request: HttpRequest, agreement_id: int, payload: RelationshipIn
) -> dict[str, Any]:
    """Choose the relationship type (with a rationale when it is not the recommended one)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    relationship, applied = services.relationship_set_type(
        agreement=access.agreement, actor=user, **payload.model_dump()
    )
    return {**_out(relationship), "defaults_applied": applied}


@router.post(
    "/agreements/{agreement_id}/relationship/questionnaire",
    response={200: RecommendationOut, **ERRORS},
    url_name="relationship_questionnaire",
)
def post_questionnaire(
    request: HttpRequest, agreement_id: int, payload: AnswersIn
) -> dict[str, Any]:
    """Record the answers; returns the recommended type, the points per type and the reasons."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    result = services.relationship_answer(
        agreement=access.agreement, actor=user, answers=payload.answers, language=_language()
    )
    return {
        "type": catalogue.type_info(result.type, _language()),
        "scores": result.scores,
        "reasons": result.reasons,
    }


@router.put(
    "/agreements/{agreement_id}/relationship/profile",
    response={200: RelationshipOut, **ERRORS},
    url_name="relationship_profile",
)
def put_profile(request: HttpRequest, agreement_id: int, payload: ProfileIn) -> dict[str, Any]:
    """Replace the governance profile."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    relationship = services.relationship_update_profile(
        agreement=access.agreement, actor=user, **payload.model_dump()
    )
    return _out(relationship)


@router.post(
    "/agreements/{agreement_id}/relationship/apply-defaults",
    response={200: RelationshipOut, **ERRORS},
    url_name="relationship_apply_defaults",
)
def post_apply_defaults(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """Replace the governance profile with the defaults of the chosen type."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    return _out(services.relationship_apply_defaults(agreement=access.agreement, actor=user))

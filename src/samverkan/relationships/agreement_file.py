"""The ``relationship`` section of the agreement file: the relationship type, its
rationale and the profile (only when it differs from the type's defaults)::

    relationship: {type: utility|business_enhancement|frontier|null, rationale,
                   profile: {scorecard_weights: {category: weight}, forum_cadence:
                             {level: cadence}, innovation, ideas_per_quarter, health_check}}

Composed into the file by ``samverkan.agreements.agreement_file``; registered in
``RelationshipsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Self

from django.db.models import Model
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    create_model,
    model_validator,
)
from pydantic import ValidationError as SchemaError
from pydantic_core import ErrorDetails

from samverkan.accounts.models import User
from samverkan.agreements.agreement_file import (
    Choice,
    FileModel,
    Stripped,
    Text,
    Whole,
    reporting,
)
from samverkan.agreements.models import Agreement
from samverkan.core import fields
from samverkan.relationships import catalogue
from samverkan.relationships.models import Relationship
from samverkan.relationships.services import (
    relationship_apply_defaults,
    relationship_set_type,
    relationship_update_profile,
)

EMPTY_PROFILE: dict[str, Any] = {
    "scorecard_weights": {},
    "forum_cadence": {},
    "innovation": "",
    "ideas_per_quarter": None,
    "health_check": "",
}
Weight = Annotated[int, *Whole, Field(ge=0)]
Cadence = Annotated[str, Choice(catalogue.CADENCES)]
_Weights: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ScorecardWeights",
    __config__=ConfigDict(extra="forbid", hide_input_in_errors=True),
    **{category: (Weight, ...) for category in catalogue.CATEGORIES},
)
_Cadences: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ForumCadence",
    __config__=ConfigDict(extra="forbid", hide_input_in_errors=True),
    **{level: (Cadence, ...) for level in catalogue.LEVELS},
)


def _hundred(weights: BaseModel) -> BaseModel:
    if sum(weights.model_dump().values()) != 100:
        raise fields.located("scorecard_weights", [((), _("the weights must add up to 100"))])
    return weights


class ProfileModel(FileModel):
    """The relationship's profile, when it differs from its type's defaults."""

    scorecard_weights: Annotated[_Weights, AfterValidator(_hundred)]  # type: ignore[valid-type]
    forum_cadence: _Cadences  # type: ignore[valid-type]
    innovation: Annotated[str, Choice(catalogue.INNOVATION)]
    ideas_per_quarter: Annotated[int, *Whole, Field(ge=0)] | None = None
    health_check: Cadence


class RelationshipModel(FileModel):
    type: Annotated[str, Choice(catalogue.TYPE_KEYS, default="")] = ""
    rationale: Annotated[Text, Stripped] = ""
    profile: ProfileModel | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _rationale_needs_a_type(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        """Checked on the mapping as written, so it is reported with the other problems."""
        errors: list[ErrorDetails] = []
        try:
            result = handler(data)
        except SchemaError as exc:
            errors = exc.errors()
        problems: list[tuple[tuple[str | int, ...], str]] = []
        if isinstance(data, dict) and data.get("type") in (None, ""):
            rationale = data.get("rationale")
            if isinstance(rationale, str) and rationale.strip():
                problems.append((("rationale",), _("give relationship.type too")))
        if errors or problems:
            raise fields.combined("relationship", errors, problems)
        return result


class RelationshipSection(FileModel):
    relationship: RelationshipModel | None = None


class _Section:
    key: str = "relationship"
    order: int = 20
    keys: tuple[str, ...] = ("relationship",)

    def model(self) -> type[BaseModel]:
        return RelationshipSection

    def context(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        return {}

    def export(self, agreements: Sequence[Agreement]) -> dict[int, dict[str, Any]]:
        relationships = {
            relationship.agreement_id: relationship
            for relationship in Relationship.objects.filter(
                agreement_id__in=[agreement.pk for agreement in agreements]
            )
        }
        return {
            agreement.pk: {"relationship": _relationship_out(relationships.get(agreement.pk))}
            for agreement in agreements
        }

    def write(
        self, content: BaseModel, *, agreement: Agreement, actor: User, replacing: bool
    ) -> None:
        spec = getattr(content, "relationship", None) or RelationshipModel()
        with reporting("relationship"):
            if spec.type:
                _relationship, applied = relationship_set_type(
                    agreement=agreement, actor=actor, type=spec.type, rationale=spec.rationale
                )
                if spec.profile is None and not applied:
                    relationship_apply_defaults(agreement=agreement, actor=actor)
            elif replacing:
                _relationship_reset(agreement)
        if spec.profile is not None:
            with reporting("relationship.profile"):
                relationship_update_profile(
                    agreement=agreement, actor=actor, version=None, **spec.profile.model_dump()
                )

    def tracked(self) -> Mapping[type[Model], Callable[[Any], int]]:
        return {Relationship: _agreement_id}


def _agreement_id(row: Any) -> int:
    return int(row.agreement_id)


SECTION = _Section()


def _relationship_out(relationship: Relationship | None) -> dict[str, Any]:
    if relationship is None:
        return {"type": None, "rationale": ""}
    out: dict[str, Any] = {
        "type": relationship.type or None,
        "rationale": relationship.rationale if relationship.type else "",
    }
    profile = relationship.profile()
    baseline = catalogue.defaults(relationship.type) if relationship.type else EMPTY_PROFILE
    if profile != baseline:
        out["profile"] = {
            "scorecard_weights": {
                key: profile["scorecard_weights"][key]
                for key in catalogue.CATEGORIES
                if key in profile["scorecard_weights"]
            },
            "forum_cadence": {
                key: profile["forum_cadence"][key]
                for key in catalogue.LEVELS
                if key in profile["forum_cadence"]
            },
            "innovation": profile["innovation"] or None,
            "ideas_per_quarter": profile["ideas_per_quarter"],
            "health_check": profile["health_check"] or None,
        }
    return out


def _relationship_reset(agreement: Agreement) -> None:
    """No type in the file: clear type, rationale and profile (the questionnaire answers stay)."""
    relationship = Relationship.objects.filter(agreement=agreement).first()
    if relationship is None or (
        not relationship.type
        and not relationship.rationale
        and relationship.profile() == EMPTY_PROFILE
    ):
        return
    relationship.type = ""
    relationship.rationale = ""
    relationship.profile_type = ""
    relationship.scorecard_weights = {}
    relationship.forum_cadence = {}
    relationship.innovation = ""
    relationship.ideas_per_quarter = None
    relationship.health_check = ""
    relationship.save()

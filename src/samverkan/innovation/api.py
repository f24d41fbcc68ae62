"""The innovation framework's endpoints: read it, replace it (with the ``version`` read).

The same service as the page; the forum and the leads are named by their keys in
the collaboration model. A stale version answers 409; a problem answers 400 with
its path (``criteria``, ``goals[1].target``); a body that does not match the schema 422.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from samverkan.agreements.access import Need, agreement_for
from samverkan.agreements.models import Agreement
from samverkan.api.schemas import ERRORS
from samverkan.collaboration.models import Forum, Role
from samverkan.core.requests import request_user
from samverkan.innovation import presentation
from samverkan.innovation.models import Framework
from samverkan.innovation.selectors import framework_of, profile_ideas_per_quarter
from samverkan.innovation.services import framework_save, weights_problem
from samverkan.lib import limits

router = Router(tags=["innovation"])

CadenceT = Literal["weekly", "biweekly", "monthly", "quarterly", "semiannual", "annual"]
FundingT = Literal["none", "joint_fund", "gain_share"]
Key = str
Figure = Decimal


class GoalSchema(Schema):
    key: Key = Field(
        default="",
        max_length=60,
        description="Stable key; empty for a new goal (made from its text).",
    )
    what: str = Field(max_length=limits.LINE_MAX)
    baseline: Figure
    target: Figure
    unit: str = Field(max_length=limits.UNIT_MAX)
    due: datetime.date


class CriterionSchema(Schema):
    key: Key = Field(default="", max_length=60, description="Stable key; empty for a new one.")
    name: str = Field(max_length=limits.NAME_MAX)
    weight: int = Field(ge=0, le=100, description="Percent; the weights add up to 100.")


class FundingSchema(Schema):
    model: FundingT
    customer_contribution: int | None = Field(
        default=None, ge=0, le=limits.AMOUNT_MAX, description="SEK a year (joint fund)."
    )
    supplier_contribution: int | None = Field(
        default=None, ge=0, le=limits.AMOUNT_MAX, description="SEK a year (joint fund)."
    )
    customer_share: int | None = Field(
        default=None, ge=0, le=100, description="Percent (gain-share)."
    )
    supplier_share: int | None = Field(
        default=None, ge=0, le=100, description="Percent (gain-share)."
    )
    months: int | None = Field(
        default=None, ge=1, le=limits.GAIN_SHARE_MONTHS_MAX, description="Gain-share time limit."
    )
    start: datetime.date | None = Field(
        default=None, description="Gain-share from; empty: the agreement's start."
    )


class FrameworkIn(Schema):
    goals: list[GoalSchema] = Field(max_length=limits.GOALS_MAX)
    criteria: list[CriterionSchema] = Field(max_length=limits.CRITERIA_MAX)
    deciding_forum: Key | None = Field(description="A forum key of the collaboration model.")
    customer_lead: Key | None = Field(description="A role key of the customer's side.")
    supplier_lead: Key | None = Field(description="A role key of the supplier's side.")
    improvement_line: str = Field(default="", max_length=limits.TEXT_MAX)
    ideas_per_quarter: int | None = Field(
        default=None,
        ge=0,
        le=limits.IDEAS_PER_QUARTER_MAX,
        description="Empty: the governance profile's expectation holds.",
    )
    review_cadence: CadenceT | None = None
    funding: FundingSchema
    version: int = Field(
        ge=0, description="The version you read (0 when there was no framework); stale: 409."
    )


class FrameworkOut(FrameworkIn):
    expected_ideas_per_quarter: int | None = Field(
        description="The framework's rate, or the governance profile's when it sets none."
    )
    weights_total: int
    weights_problem: str | None = Field(description="By how much the weights miss 100.")


class NoFramework(Schema):
    exists: bool = False
    version: int = 0
    expected_ideas_per_quarter: int | None


def _figure_out(value: Decimal) -> Decimal:
    return value.normalize() if value == value.to_integral_value() else value


def _out(framework: Framework, profile_ideas: int | None) -> dict[str, Any]:
    criteria = list(framework.criteria.all())
    total = sum(c.weight for c in criteria)
    ideas, _from_profile = presentation.expected_ideas(framework, profile_ideas)
    return {
        "goals": [
            {
                "key": g.key,
                "what": g.what,
                "baseline": _figure_out(g.baseline),
                "target": _figure_out(g.target),
                "unit": g.unit,
                "due": g.due,
            }
            for g in framework.goals.all()
        ],
        "criteria": [{"key": c.key, "name": c.name, "weight": c.weight} for c in criteria],
        "deciding_forum": framework.deciding_forum.key if framework.deciding_forum else None,
        "customer_lead": framework.customer_lead.key if framework.customer_lead else None,
        "supplier_lead": framework.supplier_lead.key if framework.supplier_lead else None,
        "improvement_line": framework.improvement_line,
        "ideas_per_quarter": framework.ideas_per_quarter,
        "review_cadence": framework.review_cadence or None,
        "funding": {
            "model": framework.funding,
            "customer_contribution": framework.customer_contribution,
            "supplier_contribution": framework.supplier_contribution,
            "customer_share": framework.customer_share,
            "supplier_share": framework.supplier_share,
            "months": framework.gain_share_months,
            "start": framework.gain_share_from,
        },
        "version": framework.version,
        "expected_ideas_per_quarter": ideas,
        "weights_total": total,
        "weights_problem": weights_problem([total]),
    }


def _part(model: type[Forum] | type[Role], agreement: Agreement, key: str | None, path: str) -> Any:
    if not key:
        return None
    part = model.objects.filter(agreement=agreement, key=key).first()
    if part is None:
        raise ValidationError({path: f'No {model._meta.model_name} with the key "{key}".'})
    return part


@router.get(
    "/agreements/{agreement_id}/innovation",
    response={200: FrameworkOut | NoFramework, **ERRORS},
    url_name="innovation_framework",
)
def get_framework(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """The innovation framework, or ``{"exists": false, "version": 0}`` when none is agreed."""
    agreement = agreement_for(request_user(request), agreement_id).agreement
    profile = profile_ideas_per_quarter(agreement)
    framework = framework_of(agreement)
    if framework is None:
        return {"exists": False, "version": 0, "expected_ideas_per_quarter": profile}
    return _out(framework, profile)


@router.put(
    "/agreements/{agreement_id}/innovation",
    response={200: FrameworkOut, **ERRORS},
    url_name="innovation_framework_update",
)
def put_framework(request: HttpRequest, agreement_id: int, payload: FrameworkIn) -> dict[str, Any]:
    """Replace the innovation framework whole (editors of either side)."""
    user = request_user(request)
    agreement = agreement_for(user, agreement_id, Need.EDIT).agreement
    funding = payload.funding
    try:
        _save(
            agreement=agreement,
            user=user,
            payload=payload,
            funding=funding,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {FUNDING_PATHS.get(path, path): messages for path, messages in exc.message_dict.items()}
        ) from exc
    framework = framework_of(agreement)
    assert framework is not None
    return _out(framework, profile_ideas_per_quarter(agreement))


# Where the service's field names are in the request body.
FUNDING_PATHS = {
    "funding": "funding.model",
    "customer_contribution": "funding.customer_contribution",
    "supplier_contribution": "funding.supplier_contribution",
    "customer_share": "funding.customer_share",
    "supplier_share": "funding.supplier_share",
    "gain_share_months": "funding.months",
    "gain_share_from": "funding.start",
}


def _save(*, agreement: Agreement, user: Any, payload: FrameworkIn, funding: FundingSchema) -> None:
    framework_save(
        agreement=agreement,
        actor=user,
        version=payload.version,
        goals=[goal.model_dump() for goal in payload.goals],
        criteria=[criterion.model_dump() for criterion in payload.criteria],
        deciding_forum=_part(Forum, agreement, payload.deciding_forum, "deciding_forum"),
        customer_lead=_part(Role, agreement, payload.customer_lead, "customer_lead"),
        supplier_lead=_part(Role, agreement, payload.supplier_lead, "supplier_lead"),
        improvement_line=payload.improvement_line,
        ideas_per_quarter=payload.ideas_per_quarter,
        review_cadence=payload.review_cadence or "",
        funding=funding.model,
        customer_contribution=funding.customer_contribution,
        supplier_contribution=funding.supplier_contribution,
        customer_share=funding.customer_share,
        supplier_share=funding.supplier_share,
        gain_share_months=funding.months,
        gain_share_from=funding.start,
    )

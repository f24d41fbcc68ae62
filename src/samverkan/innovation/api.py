"""The innovation framework's endpoints: read it, replace it (with the ``version`` read).

The same service as the page; the forum and the leads are named by their keys in
the collaboration model. A stale version answers 409; a problem answers 400 with
its path (``criteria``, ``goals[1].target``); a body that does not match the schema 422.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from samverkan.accounts.models import User
from samverkan.agreements.access import Need, agreement_for, agreement_part_numbered
from samverkan.agreements.models import Agreement
from samverkan.api.schemas import ERRORS
from samverkan.collaboration.models import Forum, Role
from samverkan.core.formatting import plain_decimal
from samverkan.core.requests import request_user
from samverkan.innovation import evaluation_services, presentation
from samverkan.innovation.attachment_api import router as attachment_router
from samverkan.innovation.effect_api import router as effect_router
from samverkan.innovation.idea_services import (
    deciding_forum,
    idea_edit,
    idea_propose,
    idea_refer,
    idea_transition,
    next_stages,
)
from samverkan.innovation.models import Framework, Goal, Idea
from samverkan.innovation.people_api import router as people_router
from samverkan.innovation.people_services import people_warning_of, with_people_warning
from samverkan.innovation.rate_api import router as rate_router
from samverkan.innovation.selectors import (
    IdeaFilter,
    framework_of,
    idea_steps,
    ideas_of,
    profile_ideas_per_quarter,
)
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
    return plain_decimal(value)


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


# Ideas (issue 12, points 2 and 3) ------------------------------------------------------
# The same services as the ideas pages: a step that is not next, or a decision without
# its reason, or an approval outside the deciding forum's mandate answers 400 with the
# message (naming the allowed stages, the limit, the forum to refer to); a stale version 409.

AreaT = Literal["business", "processes", "employees", "infrastructure"]
SideT = Literal["customer", "supplier"]
StageT = Literal[
    "proposed",
    "evaluation",
    "approved",
    "rejected",
    "parked",
    "implementation",
    "implemented",
    "measured",
]
UnitT = Literal["hours_per_month", "sek_per_year", "incidents_per_quarter", "nps_points", "other"]


class IdeaIn(Schema):
    title: str = Field(max_length=limits.TITLE_MAX)
    area: AreaT
    problem: str = Field(max_length=limits.TEXT_MAX)
    proposal: str = Field(max_length=limits.TEXT_MAX)
    effect: Figure | None = Field(default=None, description="The expected effect, a number.")
    effect_unit: UnitT | None = Field(default=None, description="Needed with an effect.")
    effect_unit_other: str = Field(
        default="", max_length=limits.UNIT_MAX, description="The unit when effect_unit is other."
    )
    baseline: Figure | None = Field(default=None, description="Today's figure, same unit.")
    effort_days: Decimal | None = Field(
        default=None, ge=0, le=limits.EFFORT_DAYS_MAX, description="Person-days."
    )
    cost: int = Field(ge=0, le=limits.AMOUNT_MAX, description="Estimated cost in SEK.")
    goals: list[Key] = Field(
        default=[], max_length=limits.GOALS_MAX, description="Keys of the framework's goals."
    )


class IdeaStepOut(Schema):
    from_stage: StageT
    to_stage: StageT
    reason: str
    forum: Key | None
    referred: bool
    by: str | None
    at: datetime.datetime


class IdeaOut(Schema):
    number: int
    title: str
    area: AreaT
    problem: str
    proposal: str
    effect: Figure | None
    effect_unit: UnitT | None
    effect_unit_other: str
    baseline: Figure | None
    effort_days: Decimal | None
    cost: int | None
    proposer: str | None = Field(description="The proposer's e-mail address.")
    side: SideT
    goals: list[Key]
    stage: StageT
    decision_reason: str
    deciding_forum: Key | None = Field(description="The forum deciding now (after a referral).")
    next_stages: list[StageT] = Field(description="Where you may move the idea now.")
    people_warning: bool = Field(
        description="Approved or further on, high expected resistance and no engagement action."
    )
    version: int
    steps: list[IdeaStepOut] = []


class TransitionIn(Schema):
    to: StageT
    reason: str = Field(default="", max_length=limits.TEXT_MAX)
    version: int = Field(ge=0, description="The version you read; stale: 409.")


class ReferIn(Schema):
    version: int = Field(ge=0, description="The version you read; stale: 409.")


def _idea_out(
    idea: Any, side: str | None, framework: Framework | None, *, steps: bool
) -> dict[str, Any]:

    forum = deciding_forum(idea, framework)
    out = {
        "number": idea.number,
        "title": idea.title,
        "area": idea.area,
        "problem": idea.problem,
        "proposal": idea.proposal,
        "effect": None if idea.effect is None else _figure_out(idea.effect),
        "effect_unit": idea.effect_unit or None,
        "effect_unit_other": idea.effect_unit_other,
        "baseline": None if idea.baseline is None else _figure_out(idea.baseline),
        "effort_days": None if idea.effort_days is None else _figure_out(idea.effort_days),
        "cost": idea.cost,
        "proposer": idea.proposer.email if idea.proposer else None,
        "side": idea.side,
        "goals": [goal.key for goal in idea.goals.all()],
        "stage": idea.stage,
        "decision_reason": idea.decision_reason,
        "deciding_forum": forum.key if forum else None,
        "next_stages": next_stages(idea, side),
        "people_warning": people_warning_of(idea),
        "version": idea.version,
    }
    if steps:
        out["steps"] = [
            {
                "from_stage": step.from_stage,
                "to_stage": step.to_stage,
                "reason": step.reason,
                "forum": step.forum.key if step.forum else None,
                "referred": step.referred,
                "by": step.actor.email if step.actor else None,
                "at": step.at,
            }
            for step in idea_steps(idea)
        ]
    return out


def _idea(access: Any, number: int) -> Any:

    return agreement_part_numbered(access, Idea, number)


@router.get(
    "/agreements/{agreement_id}/innovation/ideas",
    response={200: list[IdeaOut], **ERRORS},
    url_name="innovation_ideas",
)
def list_ideas(
    request: HttpRequest,
    agreement_id: int,
    area: AreaT | None = None,
    side: SideT | None = None,
    stage: StageT | None = None,
    text: Annotated[str, Query(max_length=limits.TITLE_MAX)] = "",
) -> list[dict[str, Any]]:
    """The agreement's ideas, newest first, narrowed by area, side, stage and text."""
    access = agreement_for(request_user(request), agreement_id)
    framework = framework_of(access.agreement)
    filters = IdeaFilter(area=area or "", side=side or "", stage=stage or "", text=text.strip())
    who = access.side if access.can_edit else None
    return [
        _idea_out(idea, who, framework, steps=False)
        for idea in with_people_warning(ideas_of(access.agreement, filters))
    ]


def _idea_fields(access: Any, payload: IdeaIn) -> dict[str, Any]:
    """The service's fields from the body: goals by their keys (400 naming unknown ones)."""
    goals = list(Goal.objects.filter(agreement=access.agreement, key__in=payload.goals))
    unknown = sorted(set(payload.goals) - {goal.key for goal in goals})
    if unknown:
        raise ValidationError({"goals": f"No goal with the key(s) {', '.join(unknown)}."})
    data = payload.model_dump(exclude={"goals", "version"})
    data["effect_unit"] = data["effect_unit"] or ""
    return {**data, "goals": goals}


@router.post(
    "/agreements/{agreement_id}/innovation/ideas",
    response={201: IdeaOut, **ERRORS},
    url_name="innovation_idea_create",
)
def create_idea(request: HttpRequest, agreement_id: int, payload: IdeaIn) -> Status[dict[str, Any]]:
    """Propose an idea for your side (editors and owners of either side)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = idea_propose(agreement=access.agreement, actor=user, **_idea_fields(access, payload))
    return Status(201, _idea_out(idea, access.side, framework_of(access.agreement), steps=True))


@router.get(
    "/agreements/{agreement_id}/innovation/ideas/{number}",
    response={200: IdeaOut, **ERRORS},
    url_name="innovation_idea",
)
def get_idea(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """One idea with its steps through the pipeline."""
    access = agreement_for(request_user(request), agreement_id)
    who = access.side if access.can_edit else None
    return _idea_out(_idea(access, number), who, framework_of(access.agreement), steps=True)


class IdeaUpdateIn(IdeaIn):
    version: int = Field(ge=0, description="The version you read; stale: 409.")


# In this router, not another: Django resolves a path to its first router's view, so
# a PUT elsewhere on the same path would answer 405.
@router.put(
    "/agreements/{agreement_id}/innovation/ideas/{number}",
    response={200: IdeaOut, **ERRORS},
    url_name="innovation_idea_update",
)
def update_idea(
    request: HttpRequest, agreement_id: int, number: int, payload: IdeaUpdateIn
) -> dict[str, Any]:
    """Replace what the idea says (every field of a new idea; its stage, side and proposer
    stay) while it is proposed, under evaluation or parked; 400 once it is decided."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = idea_edit(
        idea=_idea(access, number),
        actor=user,
        version=payload.version,
        **_idea_fields(access, payload),
    )
    return _idea_out(idea, access.side, framework_of(access.agreement), steps=True)


@router.post(
    "/agreements/{agreement_id}/innovation/ideas/{number}/transitions",
    response={200: IdeaOut, **ERRORS},
    url_name="innovation_idea_transition",
)
def transition_idea(
    request: HttpRequest, agreement_id: int, number: int, payload: TransitionIn
) -> dict[str, Any]:
    """Move the idea one stage on; decisions (approved, rejected, parked) need a reason and
    are recorded by the customer's side; approval must lie within the deciding forum's
    mandate (else 400 naming the limit and the forum to refer to)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = idea_transition(
        idea=_idea(access, number),
        actor=user,
        to=payload.to,
        reason=payload.reason,
        version=payload.version,
    )
    return _idea_out(idea, access.side, framework_of(access.agreement), steps=True)


@router.post(
    "/agreements/{agreement_id}/innovation/ideas/{number}/refer",
    response={200: IdeaOut, **ERRORS},
    url_name="innovation_idea_refer",
)
def refer_idea(
    request: HttpRequest, agreement_id: int, number: int, payload: ReferIn
) -> dict[str, Any]:
    """Refer an idea under evaluation, above its deciding forum's mandate, to the next forum
    of the escalation path whose mandate covers its cost."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = _idea(access, number)
    idea_refer(idea=idea, actor=user, version=payload.version)
    idea.refresh_from_db()
    return _idea_out(idea, access.side, framework_of(access.agreement), steps=True)


# Evaluation (issue 12, point 4) -----------------------------------------------------------


class CriterionScoreOut(Schema):
    criterion: Key
    weight: int
    mean: Decimal | None = Field(description="Shown once the evaluation is closed.")
    own: int | None = Field(description="Your own score, if you are an evaluator.")


class EvaluatorOut(Schema):
    email: str
    name: str
    scored: bool
    weighted_score: Decimal | None = Field(description="Shown once the evaluation is closed.")
    scores: dict[Key, int] = Field(description="Shown once the evaluation is closed.")


class EvaluationOut(Schema):
    closed: bool = Field(description="Closed explicitly or when the idea left evaluation.")
    scored: int = Field(description="How many evaluators have scored every criterion.")
    weighted_score: Decimal | None = Field(
        description="Σ weight × mean score / 100 (1–5); shown once the evaluation is closed."
    )
    spread: Decimal | None = Field(
        description="Highest minus lowest evaluator's weighted score; shown once closed."
    )
    criteria: list[CriterionScoreOut]
    evaluators: list[EvaluatorOut]
    version: int = Field(description="The idea's version (for choosing evaluators, closing).")


class EvaluatorsIn(Schema):
    evaluators: list[str] = Field(
        max_length=limits.EVALUATORS_MAX,
        description="E-mail addresses of editors or owners of either side.",
    )
    version: int = Field(ge=0, description="The idea's version you read; stale: 409.")


class ScoresIn(Schema):
    scores: dict[Key, int] = Field(
        max_length=limits.CRITERIA_MAX, description="A score 1–5 per criterion key, all of them."
    )


class RankedOut(Schema):
    number: int
    title: str
    stage: StageT
    weighted_score: Decimal | None = Field(description="None while the evaluation is open.")
    evaluators: int


def _evaluation_out(idea: Any, user: Any) -> dict[str, Any]:
    evaluation = evaluation_services.evaluation_of(idea, user)
    keys = {row.criterion.pk: row.criterion.key for row in evaluation.criteria}
    return {
        "closed": evaluation.closed,
        "scored": evaluation.scored,
        "weighted_score": evaluation.score,
        "spread": evaluation.spread,
        "criteria": [
            {
                "criterion": row.criterion.key,
                "weight": row.criterion.weight,
                "mean": row.mean,
                "own": row.own,
            }
            for row in evaluation.criteria
        ],
        "evaluators": [
            {
                "email": row.user.email,
                "name": row.user.get_full_name(),
                "scored": row.scored,
                "weighted_score": row.weighted,
                "scores": {keys[c]: s for c, s in row.scores.items() if c in keys},
            }
            for row in evaluation.evaluators
        ],
        "version": idea.version,
    }


@router.get(
    "/agreements/{agreement_id}/innovation/ideas/{number}/evaluation",
    response={200: EvaluationOut, **ERRORS},
    url_name="innovation_idea_evaluation",
)
def get_evaluation(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """The idea's evaluation: before it closes only who is chosen, how many have scored and
    your own scores; after, every score, the weighted score and the spread."""
    user = request_user(request)
    access = agreement_for(user, agreement_id)
    return _evaluation_out(_idea(access, number), user)


@router.put(
    "/agreements/{agreement_id}/innovation/ideas/{number}/evaluation/evaluators",
    response={200: EvaluationOut, **ERRORS},
    url_name="innovation_idea_evaluators",
)
def put_evaluators(
    request: HttpRequest, agreement_id: int, number: int, payload: EvaluatorsIn
) -> dict[str, Any]:
    """Choose the evaluators (editors and owners of either side) while the evaluation is
    open; one who has scored cannot be removed."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = _idea(access, number)
    wanted = {email.lower() for email in payload.evaluators}
    users = list(User.objects.filter(participations__agreement=access.agreement, email__in=wanted))
    unknown = sorted(wanted - {u.email.lower() for u in users})
    if unknown:
        raise ValidationError(
            {"evaluators": f"No participant with the address(es) {', '.join(unknown)}."}
        )
    evaluation_services.evaluators_choose(
        idea=idea, actor=user, users=users, version=payload.version
    )
    idea.refresh_from_db()
    return _evaluation_out(idea, user)


@router.put(
    "/agreements/{agreement_id}/innovation/ideas/{number}/evaluation/scores",
    response={200: EvaluationOut, **ERRORS},
    url_name="innovation_idea_scores",
)
def put_scores(
    request: HttpRequest, agreement_id: int, number: int, payload: ScoresIn
) -> dict[str, Any]:
    """Your scores (1–5) on every criterion; only a chosen evaluator, while the idea is under
    evaluation and the evaluation open (403 for anyone else)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = _idea(access, number)
    evaluation_services.evaluation_score(idea=idea, actor=user, scores=payload.scores)
    return _evaluation_out(idea, user)


@router.post(
    "/agreements/{agreement_id}/innovation/ideas/{number}/evaluation/close",
    response={200: EvaluationOut, **ERRORS},
    url_name="innovation_idea_evaluation_close",
)
def close_evaluation(
    request: HttpRequest, agreement_id: int, number: int, payload: ReferIn
) -> dict[str, Any]:
    """Close the evaluation: the scores become visible to both parties."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = evaluation_services.evaluation_close(
        idea=_idea(access, number), actor=user, version=payload.version
    )
    return _evaluation_out(idea, user)


@router.get(
    "/agreements/{agreement_id}/innovation/ranking",
    response={200: list[RankedOut], **ERRORS},
    url_name="innovation_ranking",
)
def get_ranking(request: HttpRequest, agreement_id: int) -> list[dict[str, Any]]:
    """The open ideas by weighted score, best first; open evaluations (no score) last."""
    access = agreement_for(request_user(request), agreement_id)
    return [
        {
            "number": row.idea.number,
            "title": row.idea.title,
            "stage": row.idea.stage,
            "weighted_score": row.score,
            "evaluators": row.evaluators,
        }
        for row in evaluation_services.ideas_ranked(access.agreement.pk)
    ]


router.add_router("", rate_router)


router.add_router("", effect_router)
router.add_router("", attachment_router)
router.add_router("", people_router)

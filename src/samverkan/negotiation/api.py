"""Negotiation cases in the API: the person's cases, one case whole (its steps with their
marks, the options matrix and its ranking), and its brief as Word or PDF.

Read-only, through the same access rule, selectors and brief as the pages: anyone not on
a case gets 404 for every endpoint of it, exactly as for a case that does not exist.
Weighted totals are decimals (strings in JSON, as the API's other figures are).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user
from samverkan.documents.responses import document_response
from samverkan.negotiation.access import case_for, cases_of
from samverkan.negotiation.brief import brief_filename, brief_language, case_brief, case_facts
from samverkan.negotiation.models import Case
from samverkan.negotiation.selectors import case_content, step_states
from samverkan.negotiation.services import TEXT_FIELDS

router = Router(tags=["negotiation"])

# The brief answers the file itself, in the Content-Type its format has.
_FILE = {"schema": {"type": "string", "format": "binary"}}
BRIEF_RESPONSES: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "application/pdf": _FILE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _FILE,
            }
        }
    }
}


class AgreementRefOut(Schema):
    id: int
    reference: str
    title: str


class CaseSummaryOut(Schema):
    id: int
    number: int = Field(description="The case's number within its organisation.")
    title: str
    kind: Literal["new", "renewal", "change", "dispute"]
    organisation: str = Field(description="The organisation the case belongs to.")
    agreement: AgreementRefOut | None
    updated_at: datetime.datetime


class MemberOut(Schema):
    id: int
    name: str
    email: str
    role: str = Field(description="The person's role in the negotiation.")
    owner: bool


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class InterestOut(Schema):
    id: int
    side: Literal["ours", "theirs"] = Field(description="Ours, or theirs as we see them.")
    text: str
    priority: int = Field(description="1 (low) to 5 (decisive): the interest's weight.")
    relation: Literal["shared", "conflicting"]


class ScoreOut(Schema):
    interest: int
    score: int = Field(description="1 (serves the interest poorly) to 5 (fully).")


class CheckOut(Schema):
    goal: int
    meets: bool


class OptionOut(Schema):
    id: int
    name: str
    description: str
    weighted_total: Decimal | None = Field(
        description="Σ priority × score / Σ priority; null until scored against every interest."
    )
    rank: int | None = Field(description="1 is best; ties share a rank; null when unscored.")
    scores: list[ScoreOut]
    checks: list[CheckOut]
    missed_goals: list[int] = Field(description="The goals the option does not meet.")
    unchecked_goals: list[int] = Field(description="The goals it is not checked against yet.")


class GoalOut(Schema):
    id: int
    text: str


class FallbackOut(Schema):
    id: int
    issue: str = Field(description="A critical issue.")
    plan: str = Field(description="Plan B for it.")


class ActionOut(Schema):
    id: int
    who: str
    what: str
    how: str
    when: datetime.date
    status: Literal["planned", "underway", "done"]


class StepOut(Schema):
    key: str
    number: int
    title: str
    complete: bool
    thin: list[str] = Field(description="Why the step is not complete yet, in words.")


class FactOut(Schema):
    label: str
    value: str
    url: str


class FactsOut(Schema):
    source: str = Field(description="The capability the facts come from.")
    facts: list[FactOut]


class CaseOut(CaseSummaryOut):
    version: int = Field(description="The case's version (every saved change adds one).")
    timeline: str
    history: str
    market: str
    previous_agreements: str
    counterparty: str
    problem: str
    success: str
    batna: str = Field(description="Our best alternative if no agreement is reached.")
    walk_away: str
    steps: list[StepOut] = Field(description="The eight steps in order, with their marks.")
    members: list[MemberOut]
    documents: list[DocumentOut]
    interests: list[InterestOut]
    options: list[OptionOut] = Field(description="Ranked by weighted total, unscored last.")
    goals: list[GoalOut]
    fallbacks: list[FallbackOut]
    actions: list[ActionOut]
    facts: list[FactsOut] = Field(
        description="Facts from the linked agreement; empty unless you may see it."
    )


def _summary(case: Case) -> dict[str, Any]:
    agreement = case.agreement
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "kind": case.kind,
        "organisation": case.organisation.name,
        "agreement": (
            {"id": agreement.pk, "reference": agreement.reference, "title": agreement.title}
            if agreement is not None
            else None
        ),
        "updated_at": case.updated_at,
    }


@router.get(
    "/negotiation/cases",
    response={200: list[CaseSummaryOut], **ERRORS},
    url_name="negotiation_cases",
)
def cases(request: HttpRequest) -> list[dict[str, Any]]:
    """The cases you are on (and only those), newest first."""
    return [_summary(case) for case in cases_of(request_user(request))]


@router.get(
    "/negotiation/cases/{case_id}",
    response={200: CaseOut, **ERRORS},
    url_name="negotiation_case",
)
def case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The whole case: every step's content, its mark and why it is thin, the options
    ranked with their scores and the goals they miss."""
    user = request_user(request)
    access = case_for(user, case_id)
    content = case_content(access.case)
    return {
        **_summary(access.case),
        "version": access.case.version,
        **{name: getattr(access.case, name) for name in TEXT_FIELDS},
        "steps": [asdict(state) for state in step_states(content)],
        "members": [
            {
                "id": member.pk,
                "name": member.user.get_full_name(),
                "email": member.user.email,
                "role": member.role,
                "owner": member.owner,
            }
            for member in content.members
        ],
        "documents": [
            {
                "id": document.pk,
                "name": document.name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": document.at,
            }
            for document in content.documents
        ],
        "interests": content.interests,
        "options": [
            {
                "id": row.option.pk,
                "name": row.option.name,
                "description": row.option.description,
                "weighted_total": row.total,
                "rank": row.rank,
                "scores": [{"interest": i, "score": s} for i, s in row.scores.items()],
                "checks": [{"goal": g, "meets": m} for g, m in row.checks.items()],
                "missed_goals": [goal.pk for goal in row.missed],
                "unchecked_goals": [goal.pk for goal in row.unchecked],
            }
            for row in content.options
        ],
        "goals": content.goals,
        "fallbacks": content.fallbacks,
        "actions": content.actions,
        "facts": [
            {"source": source, "facts": [asdict(fact) for fact in facts]}
            for source, facts in case_facts(access, user)
        ],
    }


@router.get(
    "/negotiation/cases/{case_id}/brief",
    response={200: str, **ERRORS},
    url_name="negotiation_brief",
    openapi_extra=BRIEF_RESPONSES,
)
def brief(
    request: HttpRequest,
    case_id: int,
    format: Literal["docx", "pdf"] = "pdf",
    language: Literal["sv", "en"] | None = None,
) -> HttpResponse:
    """The brief as Word or PDF, marked confidential with the organisation's name on every
    page; in ``language``, by default yours."""
    user = request_user(request)
    access = case_for(user, case_id)
    chosen = brief_language(language, user)
    return document_response(
        case_brief(access, user=user, language=chosen), format, brief_filename(access, chosen)
    )

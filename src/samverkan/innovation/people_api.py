"""An idea's people impact over the API: read it, replace it whole with its engagement
actions (with the ``version`` read; 0 before anything is recorded).

The same services as the idea's page (``people_services``): recorded from approval on;
owners are participants of either side, named by e-mail address. A stale version
answers 409; a problem 400 with its path (``actions[1].owner``); a body that does not
match the schema 422; outsiders 404, viewers 403 on the write.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from samverkan.accounts.models import User
from samverkan.agreements.access import Need, agreement_for, agreement_part_numbered
from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user
from samverkan.innovation import people_services
from samverkan.innovation.models import Idea
from samverkan.lib import limits

router = Router(tags=["innovation"])

ResistanceT = Literal["low", "medium", "high"]


class EngagementActionIn(Schema):
    id: int | None = Field(
        default=None, description="An action of the idea to keep and change; empty: a new one."
    )
    action: str = Field(max_length=limits.LINE_MAX)
    owner: str = Field(
        max_length=limits.EMAIL_MAX,
        description="The e-mail address of a participant of either side.",
    )
    due: datetime.date
    done: bool = False


class EngagementActionOut(Schema):
    id: int
    action: str
    owner: str | None = Field(description="The owner's e-mail address.")
    owner_name: str
    due: datetime.date
    done: bool


class PeopleImpactIn(Schema):
    affected_groups: str = Field(max_length=limits.TEXT_MAX)
    resistance: ResistanceT
    resistance_reason: str = Field(
        default="", max_length=limits.TEXT_MAX, description="Needed for medium and high."
    )
    actions: list[EngagementActionIn] = Field(
        default=[],
        max_length=limits.ENGAGEMENT_ACTIONS_MAX,
        description="In order; the idea's actions not listed are removed.",
    )
    version: int = Field(
        ge=0, description="The version you read (0 when nothing is recorded); stale: 409."
    )


class PeopleImpactOut(Schema):
    recordable: bool = Field(
        description="Whether the idea is approved or further on, so that it may be recorded."
    )
    recorded: bool
    affected_groups: str
    resistance: ResistanceT | None
    resistance_reason: str
    actions: list[EngagementActionOut]
    warning: bool = Field(
        description="Approved or further on, high resistance and no engagement action."
    )
    version: int


def _out(idea: Idea) -> dict[str, Any]:
    people = people_services.people_of(idea)
    impact = people.impact
    return {
        "recordable": people.recordable,
        "recorded": impact is not None,
        "affected_groups": impact.affected_groups if impact else "",
        "resistance": (impact.resistance or None) if impact else None,
        "resistance_reason": impact.resistance_reason if impact else "",
        "actions": [
            {
                "id": row.pk,
                "action": row.action,
                "owner": row.owner.email if row.owner else None,
                "owner_name": row.owner.get_full_name() if row.owner else "",
                "due": row.due,
                "done": row.done,
            }
            for row in people.actions
        ],
        "warning": people.warning,
        "version": people.version,
    }


@router.get(
    "/agreements/{agreement_id}/innovation/ideas/{number}/people",
    response={200: PeopleImpactOut, **ERRORS},
    url_name="innovation_idea_people",
)
def get_people(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """The idea's people impact: affected groups, expected resistance and its reason, the
    engagement actions, and whether the idea is flagged for want of engagement."""
    access = agreement_for(request_user(request), agreement_id)
    return _out(agreement_part_numbered(access, Idea, number))


@router.put(
    "/agreements/{agreement_id}/innovation/ideas/{number}/people",
    response={200: PeopleImpactOut, **ERRORS},
    url_name="innovation_idea_people_update",
)
def put_people(
    request: HttpRequest, agreement_id: int, number: int, payload: PeopleImpactIn
) -> dict[str, Any]:
    """Replace the idea's people impact with its actions (editors of either side; the idea
    approved or further on)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    emails = {given.owner.strip().lower() for given in payload.actions}
    people = {
        person.email.lower(): person
        for person in User.objects.filter(
            participations__agreement=access.agreement, email__in=emails
        )
    }
    unknown = {
        f"actions[{i}].owner": [f"No participant with the address {given.owner}."]
        for i, given in enumerate(payload.actions)
        if given.owner.strip().lower() not in people
    }
    if unknown:
        raise ValidationError(unknown)
    people_services.people_impact_replace(
        idea=idea,
        actor=user,
        affected_groups=payload.affected_groups,
        resistance=payload.resistance,
        resistance_reason=payload.resistance_reason,
        actions=[
            {**given.model_dump(), "owner": people[given.owner.strip().lower()]}
            for given in payload.actions
        ],
        version=payload.version,
    )
    return _out(idea)

"""Collaboration-model endpoints: the whole model, roles, forums, processes, objectives, escalation.

Updates carry the ``version`` the client read; a stale one answers 409.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status

from samverkan.agreements.access import Need, agreement_for, agreement_part
from samverkan.agreements.models import Agreement
from samverkan.api.schemas import (
    ERRORS,
    Amount,
    Email,
    Id,
    Line,
    Lines,
    Note,
    PersonName,
    Text,
    patch_changes,
)
from samverkan.collaboration import catalogue, selectors, services
from samverkan.collaboration.models import EscalationStep, Forum, Objective, Process, Role
from samverkan.core.requests import request_user
from samverkan.lib import limits

router = Router(tags=["collaboration model"])

LevelT = Literal["strategic", "tactical", "operational"]
SideT = Literal["customer", "supplier", "joint"]
OrientationT = Literal["business", "it"]
CadenceT = Literal["", "weekly", "biweekly", "monthly", "quarterly", "semiannual", "annual"]
RaciT = Literal["R", "A", "C", "I"]


class MandateEntry(Schema):
    decision: str = Field(description="A decision type from GET /decision-types.", max_length=64)
    limit: Amount | None = Field(default=None, description="Amount limit in SEK; none when absent.")
    note: Note | None = None


class Holder(Schema):
    name: PersonName
    email: Email | None = None


Mandate = Annotated[list[MandateEntry], Field(max_length=limits.ITEMS_MAX)]
Holders = Annotated[list[Holder], Field(max_length=limits.ITEMS_MAX)]


class RoleOut(Schema):
    id: int
    key: str
    name: str
    side: str
    level: str
    orientation: str
    purpose: str
    responsibilities: list[str]
    authorities: list[str]
    decision_rights: list[MandateEntry]
    holders: list[Holder]
    version: int


class RoleIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    side: SideT
    level: LevelT
    orientation: OrientationT
    purpose: Text = ""
    responsibilities: Lines = []
    authorities: Lines = []
    decision_rights: Mandate = []
    holders: Holders = []


class RolePatch(Schema):
    version: int = Field(description="The version you read; a stale one answers 409.")
    name: str | None = Field(default=None, min_length=1, max_length=120)
    side: SideT | None = None
    level: LevelT | None = None
    orientation: OrientationT | None = None
    purpose: Text | None = None
    responsibilities: Lines | None = None
    authorities: Lines | None = None
    decision_rights: Mandate | None = None
    holders: Holders | None = None


class ForumOut(Schema):
    id: int
    key: str
    name: str
    level: str
    purpose: str
    chair_id: int | None
    member_ids: list[int]
    cadence: str
    agenda: list[str]
    inputs: list[str]
    outputs: list[str]
    mandate: list[MandateEntry]
    version: int

    @staticmethod
    def resolve_member_ids(forum: Forum) -> list[int]:
        return [member.pk for member in forum.members.all()]


class ForumIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    level: LevelT
    purpose: Text = ""
    chair_id: Id | None = None
    member_ids: Annotated[list[Id], Field(max_length=limits.ROLES_MAX)] = []
    cadence: CadenceT = ""
    agenda: Lines = []
    inputs: Lines = []
    outputs: Lines = []
    mandate: Mandate = []


class ForumPatch(Schema):
    version: int
    name: str | None = Field(default=None, min_length=1, max_length=120)
    level: LevelT | None = None
    purpose: Text | None = None
    chair_id: Id | None = None
    member_ids: Annotated[list[Id], Field(max_length=limits.ROLES_MAX)] | None = None
    cadence: CadenceT | None = None
    agenda: Lines | None = None
    inputs: Lines | None = None
    outputs: Lines | None = None
    mandate: Mandate | None = None


# What an explicit null in a PATCH empties each field to.
ROLE_EMPTY = {
    "purpose": "",
    "responsibilities": [],
    "authorities": [],
    "decision_rights": [],
    "holders": [],
}
FORUM_EMPTY = {
    "purpose": "",
    "member_ids": [],
    "cadence": "",
    "agenda": [],
    "inputs": [],
    "outputs": [],
    "mandate": [],
}
PROCESS_EMPTY = {"purpose": "", "steps": [], "raci": []}


class RaciOut(Schema):
    role_id: int
    letter: str


class ProcessOut(Schema):
    id: int
    key: str
    name: str
    purpose: str
    owner_id: int | None
    steps: list[str]
    raci: list[RaciOut]
    version: int

    @staticmethod
    def resolve_raci(process: Process) -> list[dict[str, Any]]:
        return [{"role_id": a.role_id, "letter": a.letter} for a in process.raci.all()]


class RaciIn(Schema):
    role_id: Id
    letter: RaciT


class ProcessIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    purpose: Text = ""
    owner_id: Id | None = None
    steps: Lines = []
    raci: Annotated[list[RaciIn], Field(max_length=limits.ROLES_MAX)] = []


class ProcessPatch(Schema):
    version: int
    name: str | None = Field(default=None, min_length=1, max_length=120)
    purpose: Text | None = None
    owner_id: Id | None = None
    steps: Lines | None = None
    raci: Annotated[list[RaciIn], Field(max_length=limits.ROLES_MAX)] | None = None


class EscalationStepIO(Schema):
    forum_id: Id
    resolve_within_days: int = Field(ge=1, le=limits.ESCALATION_DAYS_MAX)


class ObjectivesIO(Schema):
    version: str = Field(
        max_length=64,
        description="The objectives_version you read (GET …/model); a stale one answers 409.",
    )
    objectives: Annotated[list[Line], Field(max_length=limits.OBJECTIVES_MAX)]


class EscalationIO(Schema):
    version: str = Field(
        max_length=64,
        description="The escalation_version you read (GET …/model); a stale one answers 409.",
    )
    steps: Annotated[list[EscalationStepIO], Field(max_length=limits.ESCALATION_STEPS_MAX)]


class ModelOut(Schema):
    objectives: list[str]
    objectives_version: str
    roles: list[RoleOut]
    forums: list[ForumOut]
    processes: list[ProcessOut]
    escalation: list[EscalationStepIO]
    escalation_version: str


class DecisionTypeOut(Schema):
    key: str
    name: str
    description: str


def _role(agreement: Agreement, pk: int | None, field: str) -> Role | None:
    if pk is None:
        return None
    role = Role.objects.filter(agreement=agreement, pk=pk).first()
    if role is None:
        raise ValidationError({field: f"No role {pk} in this agreement."})
    return role


def _roles(agreement: Agreement, pks: list[int], field: str) -> list[Role]:
    return [role for pk in pks if (role := _role(agreement, pk, field)) is not None]


def _forum_fields(agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "chair_id" in data:
        data["chair"] = _role(agreement, data.pop("chair_id"), "chair_id")
    if "member_ids" in data:
        data["members"] = _roles(agreement, data.pop("member_ids") or [], "member_ids")
    return data


def _process_fields(agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    if "owner_id" in data:
        data["owner"] = _role(agreement, data.pop("owner_id"), "owner_id")
    if "raci" in data:
        raci = data.pop("raci") or []
        data["raci"] = {_role(agreement, item["role_id"], "raci"): item["letter"] for item in raci}
    return data


def _model_out(agreement: Agreement) -> dict[str, Any]:
    model = selectors.collaboration_model(agreement=agreement)
    objectives = [objective.text for objective in model.objectives]
    steps = [(step.forum_id, step.resolve_within_days) for step in model.escalation]
    return {
        # Each list with the version of exactly that list, not one read in another query.
        "objectives": objectives,
        "objectives_version": services.objectives_version_of(objectives),
        "roles": model.roles,
        "forums": model.forums,
        "processes": model.processes,
        "escalation": [{"forum_id": pk, "resolve_within_days": days} for pk, days in steps],
        "escalation_version": services.escalation_version_of(steps),
    }


@router.get("/decision-types", response=list[DecisionTypeOut], url_name="decision_types")
def list_decision_types(request: HttpRequest) -> list[dict[str, str]]:
    """The shared list of decision types that mandates and decision rights use."""
    return catalogue.decision_types(translation.get_language() or "sv")


@router.get(
    "/agreements/{agreement_id}/model", response={200: ModelOut, **ERRORS}, url_name="model"
)
def get_model(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """The agreement's whole collaboration model."""
    return _model_out(agreement_for(request_user(request), agreement_id).agreement)


@router.put(
    "/agreements/{agreement_id}/objectives",
    response={200: ObjectivesIO, **ERRORS},
    url_name="objectives",
)
def put_objectives(
    request: HttpRequest, agreement_id: int, payload: ObjectivesIO
) -> dict[str, Any]:
    """Replace the objectives, in order; answers the new list and its version."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    objectives: list[Objective] = services.objectives_set(
        agreement=access.agreement, actor=user, texts=payload.objectives, version=payload.version
    )
    texts = [objective.text for objective in objectives]
    return {"version": services.objectives_version_of(texts), "objectives": texts}


@router.put(
    "/agreements/{agreement_id}/escalation",
    response={200: EscalationIO, **ERRORS},
    url_name="escalation",
)
def put_escalation(
    request: HttpRequest, agreement_id: int, payload: EscalationIO
) -> dict[str, Any]:
    """Replace the escalation path, from the operational level up; answers it and its version."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    steps = []
    for i, item in enumerate(payload.steps):
        forum = Forum.objects.filter(agreement=access.agreement, pk=item.forum_id).first()
        if forum is None:
            raise ValidationError(
                {f"steps[{i}].forum_id": f"No forum {item.forum_id} in this agreement."}
            )
        steps.append((forum, item.resolve_within_days))
    result: list[EscalationStep] = services.escalation_set(
        agreement=access.agreement, actor=user, steps=steps, version=payload.version
    )
    written = [(step.forum_id, step.resolve_within_days) for step in result]
    return {
        "version": services.escalation_version_of(written),
        "steps": [{"forum_id": pk, "resolve_within_days": days} for pk, days in written],
    }


# Roles


@router.get(
    "/agreements/{agreement_id}/roles", response={200: list[RoleOut], **ERRORS}, url_name="roles"
)
def list_roles(request: HttpRequest, agreement_id: int) -> list[Role]:
    return list(selectors.roles_of(agreement_for(request_user(request), agreement_id).agreement))


@router.post(
    "/agreements/{agreement_id}/roles", response={201: RoleOut, **ERRORS}, url_name="role_create"
)
def create_role(request: HttpRequest, agreement_id: int, payload: RoleIn) -> Status[Role]:
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    return Status(
        201, services.role_create(agreement=access.agreement, actor=user, **payload.model_dump())
    )


@router.get(
    "/agreements/{agreement_id}/roles/{role_id}", response={200: RoleOut, **ERRORS}, url_name="role"
)
def get_role(request: HttpRequest, agreement_id: int, role_id: int) -> Role:
    return agreement_part(agreement_for(request_user(request), agreement_id), Role, role_id)


@router.patch(
    "/agreements/{agreement_id}/roles/{role_id}",
    response={200: RoleOut, **ERRORS},
    url_name="role_update",
)
def update_role(request: HttpRequest, agreement_id: int, role_id: int, payload: RolePatch) -> Role:
    user = request_user(request)
    role = agreement_part(agreement_for(user, agreement_id, Need.EDIT), Role, role_id)
    changes = patch_changes(payload, empty=ROLE_EMPTY)
    return services.role_update(role=role, actor=user, **changes)


@router.delete(
    "/agreements/{agreement_id}/roles/{role_id}",
    response={204: None, **ERRORS},
    url_name="role_delete",
)
def delete_role(request: HttpRequest, agreement_id: int, role_id: int) -> Status[None]:
    user = request_user(request)
    services.role_delete(
        role=agreement_part(agreement_for(user, agreement_id, Need.EDIT), Role, role_id), actor=user
    )
    return Status(204, None)


# Forums


@router.get(
    "/agreements/{agreement_id}/forums", response={200: list[ForumOut], **ERRORS}, url_name="forums"
)
def list_forums(request: HttpRequest, agreement_id: int) -> list[Forum]:
    return list(selectors.forums_of(agreement_for(request_user(request), agreement_id).agreement))


@router.post(
    "/agreements/{agreement_id}/forums", response={201: ForumOut, **ERRORS}, url_name="forum_create"
)
def create_forum(request: HttpRequest, agreement_id: int, payload: ForumIn) -> Status[Forum]:
    user = request_user(request)
    agreement = agreement_for(user, agreement_id, Need.EDIT).agreement
    fields = _forum_fields(agreement, payload.model_dump())
    return Status(201, services.forum_create(agreement=agreement, actor=user, **fields))


@router.get(
    "/agreements/{agreement_id}/forums/{forum_id}",
    response={200: ForumOut, **ERRORS},
    url_name="forum",
)
def get_forum(request: HttpRequest, agreement_id: int, forum_id: int) -> Forum:
    return agreement_part(agreement_for(request_user(request), agreement_id), Forum, forum_id)


@router.patch(
    "/agreements/{agreement_id}/forums/{forum_id}",
    response={200: ForumOut, **ERRORS},
    url_name="forum_update",
)
def update_forum(
    request: HttpRequest, agreement_id: int, forum_id: int, payload: ForumPatch
) -> Forum:
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    forum = agreement_part(access, Forum, forum_id)
    changes = patch_changes(payload, empty=FORUM_EMPTY, nullable=("chair_id",))
    fields = _forum_fields(access.agreement, changes)
    return services.forum_update(forum=forum, actor=user, **fields)


@router.delete(
    "/agreements/{agreement_id}/forums/{forum_id}",
    response={204: None, **ERRORS},
    url_name="forum_delete",
)
def delete_forum(request: HttpRequest, agreement_id: int, forum_id: int) -> Status[None]:
    user = request_user(request)
    services.forum_delete(
        forum=agreement_part(agreement_for(user, agreement_id, Need.EDIT), Forum, forum_id),
        actor=user,
    )
    return Status(204, None)


# Processes


@router.get(
    "/agreements/{agreement_id}/processes",
    response={200: list[ProcessOut], **ERRORS},
    url_name="processes",
)
def list_processes(request: HttpRequest, agreement_id: int) -> list[Process]:
    return list(
        selectors.processes_of(agreement_for(request_user(request), agreement_id).agreement)
    )


@router.post(
    "/agreements/{agreement_id}/processes",
    response={201: ProcessOut, **ERRORS},
    url_name="process_create",
)
def create_process(request: HttpRequest, agreement_id: int, payload: ProcessIn) -> Status[Process]:
    user = request_user(request)
    agreement = agreement_for(user, agreement_id, Need.EDIT).agreement
    fields = _process_fields(agreement, payload.model_dump())
    return Status(201, services.process_create(agreement=agreement, actor=user, **fields))


@router.get(
    "/agreements/{agreement_id}/processes/{process_id}",
    response={200: ProcessOut, **ERRORS},
    url_name="process",
)
def get_process(request: HttpRequest, agreement_id: int, process_id: int) -> Process:
    return agreement_part(agreement_for(request_user(request), agreement_id), Process, process_id)


@router.patch(
    "/agreements/{agreement_id}/processes/{process_id}",
    response={200: ProcessOut, **ERRORS},
    url_name="process_update",
)
def update_process(
    request: HttpRequest, agreement_id: int, process_id: int, payload: ProcessPatch
) -> Process:
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    process = agreement_part(access, Process, process_id)
    changes = patch_changes(payload, empty=PROCESS_EMPTY, nullable=("owner_id",))
    fields = _process_fields(access.agreement, changes)
    return services.process_update(process=process, actor=user, **fields)


@router.delete(
    "/agreements/{agreement_id}/processes/{process_id}",
    response={204: None, **ERRORS},
    url_name="process_delete",
)
def delete_process(request: HttpRequest, agreement_id: int, process_id: int) -> Status[None]:
    user = request_user(request)
    services.process_delete(
        process=agreement_part(agreement_for(user, agreement_id, Need.EDIT), Process, process_id),
        actor=user,
    )
    return Status(204, None)

"""Agreement endpoints: list, read, create, update, end, participants."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Router, Schema, Status

from samverkan.agreements import counterparts, history, selectors, services
from samverkan.agreements.access import (
    MAX_ID,
    Need,
    agreement_for,
    participant_for,
    proposal_for,
    proposals_to,
    require_manage_side,
    user_organisations,
)
from samverkan.agreements.models import (
    Agreement,
    AgreementStatus,
    Currency,
    Participant,
    ParticipantRole,
    Side,
)
from samverkan.api.schemas import ERRORS, ErrorOut, IsoDate, Text, patch_changes
from samverkan.core.requests import request_user
from samverkan.lib import limits

router = Router(tags=["agreements"])
proposals_router = Router(tags=["proposals"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str


class CounterpartOut(OrganisationOut):
    org_number: str


class CounterpartErrorOut(ErrorOut):
    suggestions: list[CounterpartOut] = Field(
        default=[],
        description=(
            "Organisations the counterpart probably is: send one's id as counterpart_id, or "
            "new_counterpart: true to create the named organisation anyway."
        ),
    )


class AgreementOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    services: str
    customer: OrganisationOut
    supplier: OrganisationOut
    start_date: datetime.date | None
    end_date: datetime.date | None
    annual_value: Decimal | None
    currency: str
    status: AgreementStatus
    language: str
    version: int = Field(description="Send it back with a PATCH; a stale one answers 409.")
    proposal: Literal["", "proposed", "declined", "accepted"] = Field(
        description=(
            'An agreement naming an existing organisation you do not belong to is "proposed" '
            "to it: only your side sees it until an administrator of that organisation "
            'accepts it ("accepted") or declines it ("declined", kept for your side). "" '
            "when it was never a proposal."
        )
    )
    proposed_to: Literal["", "customer", "supplier"] = Field(
        description="The side whose organisation was asked, when it is or was a proposal."
    )


class AgreementIn(Schema):
    own_organisation_id: int = Field(
        description="Your organisation; it takes the side its kind says."
    )
    counterpart_id: int | None = Field(
        default=None, description="An organisation already here (from a 400's suggestions)."
    )
    counterpart_name: str = Field(
        default="",
        max_length=200,
        description=(
            "The counterpart by name (or organisation number) when no counterpart_id is "
            "given. A name that probably means an organisation already here is refused "
            "with 400 and the suggestions."
        ),
    )
    counterpart_org_number: str = Field(
        default="", max_length=20, description="For a new counterpart: NNNNNN-NNNN."
    )
    new_counterpart: bool = Field(
        default=False, description="Create counterpart_name even if it resembles another."
    )
    counterpart_contact_email: str = Field(default="", max_length=limits.EMAIL_MAX)
    reference: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    description: Text = ""
    services: Text = ""
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    annual_value: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: Currency = Currency.SEK
    status: AgreementStatus = AgreementStatus.DRAFT
    language: Literal["sv", "en"] = "sv"


class AgreementPatch(Schema):
    version: int = Field(description="The version you read; a stale one answers 409.")
    reference: str | None = Field(default=None, min_length=1, max_length=50)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: Text | None = None
    services: Text | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    annual_value: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: Currency | None = None
    status: AgreementStatus | None = None
    language: Literal["sv", "en"] | None = None


class EndIn(Schema):
    end_date: IsoDate | None = None


class ParticipantOut(Schema):
    id: int
    user_id: int
    name: str = Field(alias="user.full_name")
    email: str = Field(alias="user.email")
    side: Side
    role: ParticipantRole


class ParticipantIn(Schema):
    email: str = Field(max_length=limits.EMAIL_MAX)
    side: Side
    role: ParticipantRole = ParticipantRole.VIEWER


class RoleIn(Schema):
    role: ParticipantRole


@router.get(
    "",
    response={200: list[AgreementOut], **ERRORS},
    operation_id="agreements_list",
    url_name="agreements",
)
def list_agreements(
    request: HttpRequest,
    q: str = "",
    status: AgreementStatus | None = None,
    party: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
) -> list[Agreement]:
    """The agreements you may see, optionally searched and filtered by status or party."""
    return list(
        selectors.agreement_list(
            user=request_user(request), query=q, status=status or "", party=party
        )
    )


@router.post(
    "",
    response={201: AgreementOut, **ERRORS, 400: CounterpartErrorOut},
    operation_id="agreements_create",
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[Any]:
    user = request_user(request)
    organisation = user_organisations(user).filter(pk=payload.own_organisation_id).first()
    if organisation is None:
        raise ValidationError({"own_organisation_id": "You are not a member of this organisation."})
    data = payload.model_dump(exclude={"own_organisation_id", "counterpart_id"})
    if payload.counterpart_id is not None:
        data["counterpart"] = (
            counterparts.counterpart_candidates(own_organisation=organisation)
            .filter(pk=payload.counterpart_id)
            .first()
        )
        if data["counterpart"] is None:
            raise ValidationError(
                {"counterpart_id": "No organisation with this id can be the other party."}
            )
    try:
        agreement = services.agreement_create(actor=user, own_organisation=organisation, **data)
    except counterparts.CounterpartMatchError as exc:
        return Status(400, _suggestion(exc))
    return Status(201, agreement)


def _suggestion(exc: counterparts.CounterpartMatchError) -> dict[str, Any]:
    """The 400 of a counterpart that may already be here, with the organisations to choose."""
    errors = [
        {"path": field, "message": message}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    detail = " ".join(error["message"] for error in errors) + (
        " Send counterpart_id to choose it, or new_counterpart: true to create a new one."
    )
    return {"detail": detail, "errors": errors, "suggestions": exc.matches}


@router.get(
    "/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_get",
    url_name="agreement",
)
def get_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return agreement_for(request_user(request), agreement_id).agreement


@router.patch(
    "/{agreement_id}", response={200: AgreementOut, **ERRORS}, operation_id="agreements_update"
)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Agreement:
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.TERMS)
    changes = patch_changes(
        payload,
        empty={"description": "", "services": ""},
        nullable=("start_date", "end_date", "annual_value"),
    )
    version = changes.pop("version")
    return services.agreement_update(
        agreement=access.agreement, actor=user, version=version, **changes
    )


@router.post(
    "/{agreement_id}/end",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_end",
    url_name="agreement_end",
)
def end_agreement(request: HttpRequest, agreement_id: int, payload: EndIn) -> Agreement:
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.END)
    return services.agreement_end(agreement=access.agreement, actor=user, end_date=payload.end_date)


@router.get(
    "/{agreement_id}/participants",
    response={200: list[ParticipantOut], **ERRORS},
    operation_id="participants_list",
    url_name="participants",
)
def list_participants(request: HttpRequest, agreement_id: int) -> list[Participant]:
    access = agreement_for(request_user(request), agreement_id)
    return list(selectors.participant_list(agreement=access.agreement))


@router.post(
    "/{agreement_id}/participants",
    response={201: ParticipantOut, **ERRORS},
    operation_id="participants_add",
)
def add_participant(
    request: HttpRequest, agreement_id: int, payload: ParticipantIn
) -> Status[Participant]:
    user = request_user(request)
    access = agreement_for(user, agreement_id)
    require_manage_side(access, payload.side)
    person = get_object_or_404(
        selectors.participant_candidates(agreement=access.agreement, side=payload.side),
        email__iexact=payload.email.strip(),
    )
    return Status(
        201,
        services.participant_add(
            agreement=access.agreement,
            user=person,
            side=payload.side,
            role=payload.role,
            actor=user,
        ),
    )


@router.patch(
    "/{agreement_id}/participants/{participant_id}",
    response={200: ParticipantOut, **ERRORS},
    operation_id="participants_update",
    url_name="participant",
)
def update_participant(
    request: HttpRequest, agreement_id: int, participant_id: int, payload: RoleIn
) -> Participant:
    user = request_user(request)
    participant = participant_for(agreement_for(user, agreement_id), participant_id)
    return services.participant_set_role(participant=participant, role=payload.role, actor=user)


@router.delete(
    "/{agreement_id}/participants/{participant_id}",
    response={204: None, **ERRORS},
    operation_id="participants_remove",
)
def remove_participant(
    request: HttpRequest, agreement_id: int, participant_id: int
) -> Status[None]:
    user = request_user(request)
    participant = participant_for(agreement_for(user, agreement_id), participant_id)
    services.participant_remove(participant=participant, actor=user)
    return Status(204, None)


class HistoryEntryOut(Schema):
    when: datetime.datetime
    actor: str = Field(description='The person, or "System" for changes made outside a request.')
    actor_email: str
    summary: str = Field(description="What was done, as one sentence in the requested language.")
    details: list[str]
    log_ids: list[int] = Field(description="The audit-log rows behind the entry.")


class HistoryOut(Schema):
    count: int = Field(description="Entries the filters select, on every page.")
    page: int
    pages: int
    entries: list[HistoryEntryOut]


@router.get(
    "/{agreement_id}/history",
    response={200: HistoryOut, **ERRORS},
    operation_id="agreements_history",
    url_name="agreement_history",
)
def agreement_history(
    request: HttpRequest,
    agreement_id: int,
    person: str = "",
    kind: str = "",
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    page: int = 1,
    lang: Literal["sv", "en"] | None = None,
) -> dict[str, object]:
    """The agreement's history, newest first, 50 entries a page, as on the history page.

    Filters: ``person`` (a user id, or ``system``), ``kind`` (``app.model``, e.g.
    ``collaboration.role``), ``since`` and ``until`` (dates, inclusive). Sentences
    are in ``lang``, by default your own language.
    """
    user = request_user(request)
    access = agreement_for(user, agreement_id)
    data = {"person": person, "kind": kind, "since": since or "", "until": until or ""}
    with translation.override(lang or user.language or settings.LANGUAGE_CODE):
        form = history.history_filter_form(data, access=access)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        found = history.history_page(access=access, filters=form.filters(), number=page)
        return {
            "count": found.paginator.count,
            "page": found.number,
            "pages": found.paginator.num_pages,
            "entries": list(found.object_list),
        }


# Proposals: what the asked organisation's administrators read and answer ----------------


class ProposalOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    services: str
    customer: OrganisationOut
    supplier: OrganisationOut
    start_date: datetime.date | None
    end_date: datetime.date | None
    annual_value: Decimal | None
    currency: str
    status: AgreementStatus
    language: str
    version: int = Field(description="Send it back to accept or decline; a stale one answers 409.")
    proposal: Literal["proposed", "declined", "accepted"]
    proposed_to: Side = Field(description="The side of your organisation, which is asked.")
    proposed_by: OrganisationOut = Field(description="The organisation that proposes it.")
    proposed_by_person: str = Field(description="The person who proposed it.")
    proposed_at: datetime.datetime = Field(alias="created_at")
    answered_at: datetime.datetime | None = Field(alias="proposal_answered_at")
    reason: str = Field(alias="proposal_reason", description="Why it was declined, if given.")

    @staticmethod
    def resolve_proposed_by(obj: Agreement) -> Any:
        return obj.proposing_organisation

    @staticmethod
    def resolve_proposed_by_person(obj: Agreement) -> str:
        return obj.proposed_by.get_full_name() if obj.proposed_by else ""


class ProposalAcceptIn(Schema):
    version: int = Field(description="The proposal's version you read.")
    reference: str = Field(
        default="",
        max_length=limits.REFERENCE_MAX,
        description=(
            "Another reference, when your organisation (the customer) already has the "
            "proposed one: accepting then answers 400 naming reference."
        ),
    )


class ProposalDeclineIn(Schema):
    version: int = Field(description="The proposal's version you read.")
    reason: str = Field(
        default="", max_length=limits.TEXT_MAX, description="Why, for the proposer (optional)."
    )


@proposals_router.get(
    "",
    response={200: list[ProposalOut], **ERRORS},
    operation_id="proposals_list",
    url_name="proposals",
)
def list_proposals(request: HttpRequest) -> list[Agreement]:
    """Open proposals to the organisations you administer, oldest first; only their
    administrators see them, and only they may accept or decline them."""
    return list(proposals_to(request_user(request)))


@proposals_router.get(
    "/{agreement_id}",
    response={200: ProposalOut, **ERRORS},
    operation_id="proposals_get",
    url_name="proposal",
)
def get_proposal(request: HttpRequest, agreement_id: int) -> Agreement:
    """A proposal to an organisation you administer, open or answered (404 for anyone else)."""
    return proposal_for(request_user(request), agreement_id)


@proposals_router.post(
    "/{agreement_id}/accept",
    response={200: AgreementOut, **ERRORS},
    operation_id="proposals_accept",
    url_name="proposal_accept",
)
def accept_proposal(
    request: HttpRequest, agreement_id: int, payload: ProposalAcceptIn
) -> Agreement:
    """Accept: it becomes an agreement of both parties, and you its owner on your side."""
    user = request_user(request)
    agreement = proposal_for(user, agreement_id)
    return services.proposal_accept(
        agreement=agreement, actor=user, version=payload.version, reference=payload.reference
    )


@proposals_router.post(
    "/{agreement_id}/decline",
    response={200: ProposalOut, **ERRORS},
    operation_id="proposals_decline",
    url_name="proposal_decline",
)
def decline_proposal(
    request: HttpRequest, agreement_id: int, payload: ProposalDeclineIn
) -> Agreement:
    """Decline: it stays with the proposer, marked declined with your reason."""
    user = request_user(request)
    agreement = proposal_for(user, agreement_id)
    return services.proposal_decline(
        agreement=agreement, actor=user, version=payload.version, reason=payload.reason
    )

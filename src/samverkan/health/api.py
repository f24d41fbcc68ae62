"""Health-check endpoints: rounds, their progress and their results (figures only, never who)."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from samverkan.agreements.access import Need, agreement_for
from samverkan.agreements.models import Participant
from samverkan.api.schemas import ERRORS, IsoDate
from samverkan.core.requests import request_user
from samverkan.health import analysis, results, selectors, services
from samverkan.health.access import health_round_for
from samverkan.health.models import Round

router = Router(tags=["relationship health"])


class ProgressOut(Schema):
    answered: int
    invited: int


class RoundOut(Schema):
    number: int
    title: str
    closes_on: datetime.date
    closed_at: datetime.datetime | None
    accepts_answers: bool
    live_results: bool
    threshold: int = Field(description="No figure is shown for fewer respondents than this.")
    statement_threshold: int = Field(
        description="One statement's own figure is shown only when at least this many gave it "
        "a score."
    )
    edition: int
    own_statements: list[str]
    customer: ProgressOut
    supplier: ProgressOut


class RoundIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    closes_on: IsoDate
    participant_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        default=None,
        max_length=1000,
        description="Participants to invite; all of the agreement's when left out.",
    )
    live_results: bool = False
    threshold: int = Field(default=analysis.THRESHOLD, ge=analysis.THRESHOLD, le=50)
    own_statements: list[str] = Field(default_factory=list, max_length=10)


class RemindOut(Schema):
    reminded: int


class FigureOut(Schema):
    respondents: int | None = Field(
        description="A side's overall figure: the respondents behind the side's figures. Not "
        "given for smaller groups: how many scored one statement would tell how many answered "
        "“don't know”."
    )
    withheld: bool
    mean: float | None = Field(description="On the 1–5 scale, reported with one decimal.")
    distribution: dict[int, float] | None = Field(
        description="Percent of the scores per score 1–5, whole numbers as the page prints them."
    )


class SideOut(Schema):
    side: str
    organisation: str
    invited: int
    answered: int
    shown: int = Field(
        description="Respondents with at least one score in the figures shown (not those who "
        "answered only “don't know”, only the 0–10 question or the free texts, nor answers "
        "after the last release)."
    )
    withheld: bool
    overall: FigureOut
    nps: float | None = Field(
        description="Net recommendation score, −100 to 100, a whole number as on the page."
    )
    nps_respondents: int | None  # only beside a score that is shown
    free_text: dict[str, list[str]]


class DimensionOut(Schema):
    key: str
    name: str
    group: str
    customer: FigureOut
    supplier: FigureOut
    gap: float | None = Field(
        description="Customer mean minus supplier mean, both as reported (one decimal)."
    )
    flagged: bool


class StatementOut(Schema):
    key: str
    dimension: str
    target: str
    text: str
    customer: FigureOut
    supplier: FigureOut


class MirrorOut(Schema):
    side: str = Field(description="The organisation whose behaviour is rated.")
    dimension: str
    self_view: FigureOut
    other_view: FigureOut
    gap: float | None
    classification: str | None


class PartyPhaseOut(Schema):
    side: str
    phase: str | None = Field(description="The party's phase, from its own answers only.")
    reason: str
    means: dict[str, float | None] = Field(description="The party's mean per phase.")


class ModelChangeOut(Schema):
    reason: str = Field(description="forum_members, role_holders or agreement_status.")
    action: str = Field(description="create, update or delete.")
    name: str
    at: datetime.datetime
    actor: str
    text: str


class PhaseOut(Schema):
    phase: str | None = Field(
        description="The group's phase in this round: the earlier of the two parties' phases."
    )
    reason: str
    measured: str | None = Field(description="The same as phase; kept for older clients.")
    parties: list[PartyPhaseOut]
    means: dict[str, float | None] = Field(
        description="Both parties' mean per phase: the plain mean of the two parties' means, "
        "reported with one decimal."
    )
    changes: list[ModelChangeOut] = Field(
        description="The agreement's newest round only: changes to the collaboration model "
        "since the round that put the group back at the first phase."
    )
    back_to: str | None = Field(description="The first phase when there are changes.")
    reset_reasons: list[str]


class InterventionOut(Schema):
    key: str
    title: str
    description: str
    link: str | None
    because: list[str]


class TrendOut(Schema):
    number: int
    title: str
    customer: float | None
    supplier: float | None


class ResultsOut(Schema):
    round: RoundOut
    visible: bool
    threshold: int
    statement_threshold: int
    sides: list[SideOut]
    dimensions: list[DimensionOut]
    statements: list[StatementOut]
    mirror: list[MirrorOut]
    phase: PhaseOut | None
    interventions: list[InterventionOut]
    trend: list[TrendOut]


def _round_out(round: Round, progress: dict[str, tuple[int, int]] | None = None) -> dict[str, Any]:
    """A round as the API shows it; ``progress`` (answered, invited per side) when already known."""
    progress = progress or results.progress(round)
    return {
        "number": round.number,
        "title": round.title,
        "closes_on": round.closes_on,
        "closed_at": round.closed_at,
        "accepts_answers": services.round_accepts_answers(round),
        "live_results": round.live_results,
        "threshold": round.min_group,
        "statement_threshold": round.statement_min_group,
        "edition": round.edition,
        "own_statements": [own["text"] for own in round.own_statements],
        "customer": {"answered": progress["customer"][0], "invited": progress["customer"][1]},
        "supplier": {"answered": progress["supplier"][0], "invited": progress["supplier"][1]},
    }


@router.get(
    "/agreements/{agreement_id}/health/rounds",
    response={200: list[RoundOut], **ERRORS},
    url_name="health_rounds",
)
def rounds(request: HttpRequest, agreement_id: int) -> list[dict[str, Any]]:
    """The agreement's rounds, newest first, with answer counts per side."""
    access = agreement_for(request_user(request), agreement_id)
    return [
        _round_out(row.round, {"customer": row.customer, "supplier": row.supplier})
        for row in selectors.round_rows(agreement=access.agreement)
    ]


@router.post(
    "/agreements/{agreement_id}/health/rounds",
    response={201: RoundOut, **ERRORS},
    url_name="health_round_open",
)
def open_round(request: HttpRequest, agreement_id: int, payload: RoundIn) -> Status[dict[str, Any]]:
    """Open a round and e-mail the chosen participants their personal links (owners only)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.OWN)
    participants = Participant.objects.filter(agreement=access.agreement)
    if payload.participant_ids is not None:
        participants = participants.filter(pk__in=payload.participant_ids)
        if participants.count() != len(set(payload.participant_ids)):
            raise ValidationError({"participant_ids": _("Choose participants of this agreement.")})
    try:
        round = services.health_round_open(
            agreement=access.agreement,
            actor=user,
            title=payload.title,
            closes_on=payload.closes_on,
            participants=list(participants),
            live_results=payload.live_results,
            threshold=payload.threshold,
            own_statements=payload.own_statements,
        )
    except ValidationError as exc:  # the service names the form's field; this API's is another
        if hasattr(exc, "error_dict") and "participants" in exc.error_dict:
            exc.error_dict["participant_ids"] = exc.error_dict.pop("participants")
        raise
    return Status(201, _round_out(round))


@router.get(
    "/agreements/{agreement_id}/health/rounds/{number}",
    response={200: RoundOut, **ERRORS},
    url_name="health_round",
)
def round_detail(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    access = agreement_for(request_user(request), agreement_id)
    return _round_out(services.close_if_due(health_round_for(access, number)))


@router.post(
    "/agreements/{agreement_id}/health/rounds/{number}/close",
    response={200: RoundOut, **ERRORS},
    url_name="health_round_close",
)
def close_round(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """Close the round now: no more answers; the results become final (owners only)."""
    access = agreement_for(request_user(request), agreement_id, Need.OWN)
    return _round_out(services.health_round_close(round=health_round_for(access, number)))


@router.post(
    "/agreements/{agreement_id}/health/rounds/{number}/remind",
    response={200: RemindOut, **ERRORS},
    url_name="health_round_remind",
)
def remind(request: HttpRequest, agreement_id: int, number: int) -> dict[str, int]:
    """E-mail the link again to everyone who has not answered (owners only)."""
    access = agreement_for(request_user(request), agreement_id, Need.OWN)
    round = services.close_if_due(health_round_for(access, number))
    return {"reminded": services.health_reminder_send(round=round)}


@router.get(
    "/agreements/{agreement_id}/health/rounds/{number}/results",
    response={200: ResultsOut, **ERRORS},
    url_name="health_round_results",
)
def round_results(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """The round's figures per side, gap, mirror, phase, interventions and trend.

    A group of fewer respondents than the threshold — for one statement, fewer who
    gave it a score than ``statement_threshold`` — has ``withheld: true`` and no
    numbers. Means have one decimal, shares and the recommendation score are whole
    numbers, as the page prints them. Before closing (unless the round shows live results) ``visible`` is
    false and the lists are empty.
    """
    access = agreement_for(request_user(request), agreement_id)
    round = services.close_if_due(health_round_for(access, number))
    data = results.round_results(round, language=translation.get_language() or "sv")
    phase = data.phase
    return {
        "round": _round_out(round),
        "visible": data.visible,
        "threshold": data.threshold,
        "statement_threshold": data.statement_threshold,
        "sides": [asdict(side) for side in data.sides.values()],
        "dimensions": [asdict(row) for row in data.dimensions],
        "statements": [asdict(row) for rows in data.statements.values() for row in rows],
        "mirror": [asdict(row) for row in data.mirror],
        "phase": {
            "phase": phase.result.phase,
            "reason": phase.result.reason,
            "measured": phase.result.measured,
            "parties": [
                {
                    "side": party.side,
                    "phase": party.result.phase,
                    "reason": party.result.reason,
                    "means": party.means,
                }
                for party in phase.parties.values()
            ],
            "means": phase.means,
            "changes": [{**asdict(change), "text": change.text} for change in phase.changes],
            "back_to": phase.back_to,
            "reset_reasons": phase.reset_reasons,
        }
        if phase
        else None,
        "interventions": [
            {
                "key": item.key,
                "title": item.title,
                "description": item.description,
                "link": item.link,
                "because": list(item.because),
            }
            for item in data.interventions
        ],
        "trend": [
            {
                "number": point.round.number,
                "title": point.round.title,
                "customer": point.customer,
                "supplier": point.supplier,
            }
            for point in data.trend
        ],
    }

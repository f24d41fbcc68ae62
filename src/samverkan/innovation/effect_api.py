"""Endpoints for what innovation achieved and what it cost: an idea's realised effect, the
effects of an agreement (totals per area and year, the gain-share ledger, the joint
fund's ledger), and the fund's lines.

The same services as the pages (``effect_services``). Outsiders get 404, viewers 403
on writes, a stale version 409, a problem 400 naming the field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from samverkan.agreements.access import Need, agreement_for, agreement_part, agreement_part_numbered
from samverkan.api.schemas import ERRORS
from samverkan.core.fields import IsoDate
from samverkan.core.requests import request_user
from samverkan.innovation import effect_services, ledger
from samverkan.innovation.models import FundEntry, Idea, RealisedEffect
from samverkan.innovation.selectors import framework_of
from samverkan.lib import limits

router = Router(tags=["innovation"])

AreaT = Literal["business", "processes", "employees", "infrastructure"]


class ShareOut(Schema):
    customer: Decimal = Field(description="The customer's part in SEK, to the öre.")
    supplier: Decimal = Field(description="The supplier's part in SEK, to the öre.")
    within: bool = Field(description="Measured within the gain-share period.")


class EffectOut(Schema):
    idea: int = Field(description="The idea's number.")
    realised: Decimal = Field(description="The realised effect, in the idea's unit.")
    expected: Decimal | None
    baseline: Decimal | None
    unit: str
    measured_on: datetime.date
    evidence: str
    recorded_by: str | None = Field(description="E-mail address of who recorded it.")
    version: int
    share: ShareOut | None = Field(
        description="Each party's gain-share, for a saving or revenue in SEK per year."
    )


class EffectIn(Schema):
    realised: Decimal = Field(description="The realised effect, in the idea's unit.")
    measured_on: IsoDate
    evidence: str = Field(max_length=limits.TEXT_MAX)
    version: int = Field(
        ge=0,
        description="The idea's version to record the first time (it then moves to "
        "'measured'); the effect's version to correct it. Stale: 409.",
    )


class TotalOut(Schema):
    year: int
    area: AreaT
    unit: str
    ideas: int
    expected: Decimal
    realised: Decimal


class GainShareOut(Schema):
    customer_share: int
    supplier_share: int
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="The first day no longer covered.")
    lines: list[EffectOut]
    customer: Decimal
    supplier: Decimal


class FundEntryOut(Schema):
    id: int
    kind: Literal["contribution", "spending"]
    side: Literal["customer", "supplier"] | None
    idea: int | None = Field(description="The number of the idea it paid for.")
    on: datetime.date
    amount: int
    text: str
    balance: int = Field(description="What the fund holds after this line.")


class FundOut(Schema):
    customer_contribution: int | None = Field(description="Agreed yearly, SEK.")
    supplier_contribution: int | None = Field(description="Agreed yearly, SEK.")
    balance: int
    lines: list[FundEntryOut]


class EffectsOut(Schema):
    totals: list[TotalOut]
    gain_share: GainShareOut | None = Field(description="Under a gain-share framework.")
    fund: FundOut | None = Field(description="Under a joint innovation fund.")


class FundEntryIn(Schema):
    kind: Literal["contribution", "spending"]
    side: Literal["customer", "supplier"] | None = Field(
        default=None, description="Who paid a contribution."
    )
    idea: int | None = Field(default=None, description="The idea a spending paid for.")
    on: IsoDate
    amount: int = Field(gt=0, le=limits.AMOUNT_MAX, description="Whole SEK.")
    text: str = Field(default="", max_length=limits.LINE_MAX)


def _effect_out(effect: RealisedEffect, share: Any = None) -> dict[str, Any]:
    idea = effect.idea
    return {
        "idea": idea.number,
        "realised": effect.realised,
        "expected": idea.effect,
        "baseline": idea.baseline,
        "unit": idea.unit_label,
        "measured_on": effect.measured_on,
        "evidence": effect.evidence,
        "recorded_by": effect.recorded_by.email if effect.recorded_by else None,
        "version": effect.version,
        "share": share,
    }


def _share(line: ledger.GainShareLine) -> dict[str, Any]:
    return {"customer": line.customer, "supplier": line.supplier, "within": line.within}


@router.get(
    "/agreements/{agreement_id}/innovation/ideas/{number}/effect",
    response={200: EffectOut, **ERRORS},
    url_name="innovation_idea_effect",
)
def get_effect(request: HttpRequest, agreement_id: int, number: int) -> dict[str, Any]:
    """The idea's realised effect (404 until it is recorded)."""
    access = agreement_for(request_user(request), agreement_id)
    idea = agreement_part_numbered(access, Idea, number)
    effect = RealisedEffect.objects.filter(idea=idea).select_related("recorded_by").first()
    if effect is None:
        raise Http404
    effect.idea = idea
    gain_share = ledger.gain_share_ledger(framework_of(access.agreement))
    lines = {line.effect.pk: line for line in gain_share.lines} if gain_share else {}
    return _effect_out(effect, _share(lines[effect.pk]) if effect.pk in lines else None)


@router.put(
    "/agreements/{agreement_id}/innovation/ideas/{number}/effect",
    response={200: EffectOut, **ERRORS},
    url_name="innovation_idea_effect_put",
)
def put_effect(
    request: HttpRequest, agreement_id: int, number: int, payload: EffectIn
) -> dict[str, Any]:
    """Record the realised effect of an implemented idea (it moves to "effect measured"),
    or correct it afterwards (editors and owners of either side)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = agreement_part_numbered(access, Idea, number)
    effect_services.effect_record(idea=idea, actor=user, **payload.model_dump())
    return get_effect(request, agreement_id, number)


@router.get(
    "/agreements/{agreement_id}/innovation/effects",
    response={200: EffectsOut, **ERRORS},
    url_name="innovation_effects",
)
def get_effects(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """Realised effects per year, area and unit; the gain-share ledger or the joint fund's
    ledger, as the framework's funding model has it."""
    access = agreement_for(request_user(request), agreement_id)
    framework = framework_of(access.agreement)
    gain_share = ledger.gain_share_ledger(framework)
    fund = ledger.fund_ledger(framework)
    return {
        "totals": [
            {
                "year": row.year,
                "area": row.area,
                "unit": row.unit,
                "ideas": row.ideas,
                "expected": row.expected,
                "realised": row.realised,
            }
            for row in ledger.effect_totals(access.agreement)
        ],
        "gain_share": None
        if gain_share is None
        else {
            "customer_share": gain_share.customer_share,
            "supplier_share": gain_share.supplier_share,
            "starts_on": gain_share.starts_on,
            "ends_on": gain_share.ends_on,
            "lines": [_effect_out(line.effect, _share(line)) for line in gain_share.lines],
            "customer": gain_share.customer,
            "supplier": gain_share.supplier,
        },
        "fund": None
        if fund is None
        else {
            "customer_contribution": fund.customer_contribution,
            "supplier_contribution": fund.supplier_contribution,
            "balance": fund.balance,
            "lines": [_fund_line_out(line.entry, line.balance) for line in fund.lines],
        },
    }


def _fund_line_out(entry: FundEntry, balance: int) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "side": entry.side or None,
        "idea": entry.idea.number if entry.idea else None,
        "on": entry.on,
        "amount": entry.amount,
        "text": entry.text,
        "balance": balance,
    }


@router.post(
    "/agreements/{agreement_id}/innovation/fund",
    response={201: FundEntryOut, **ERRORS},
    url_name="innovation_fund_add",
)
def add_fund_entry(
    request: HttpRequest, agreement_id: int, payload: FundEntryIn
) -> Status[dict[str, Any]]:
    """Add a line to the joint fund's ledger: a contribution paid in, or a spending (never
    more than the fund holds)."""
    user = request_user(request)
    access = agreement_for(user, agreement_id, Need.EDIT)
    idea = None
    if payload.idea is not None:
        idea = agreement_part_numbered(access, Idea, payload.idea)
    entry = effect_services.fund_entry_add(
        agreement=access.agreement,
        actor=user,
        kind=payload.kind,
        side=payload.side or "",
        idea=idea,
        on=payload.on,
        amount=payload.amount,
        text=payload.text,
    )
    fund = ledger.fund_ledger(framework_of(access.agreement))
    balance = next(line.balance for line in fund.lines if line.entry.pk == entry.pk) if fund else 0
    return Status(201, _fund_line_out(entry, balance))


@router.delete(
    "/agreements/{agreement_id}/innovation/fund/{entry_id}",
    response={204: None, **ERRORS},
    url_name="innovation_fund_remove",
)
def remove_fund_entry(request: HttpRequest, agreement_id: int, entry_id: int) -> Status[None]:
    """Remove a line recorded by mistake (not a contribution already spent)."""
    access = agreement_for(request_user(request), agreement_id, Need.EDIT)
    effect_services.fund_entry_remove(entry=agreement_part(access, FundEntry, entry_id))
    return Status(204, None)

"""The innovation rate's endpoint (issue 12, point 8): the same figures as the page.

Shares, means, days and the effect ratio are decimals (strings in JSON, as the API's
other figures are); counts are integers; a quarter is named "2026-Q1". ``None`` where
there is nothing to count (no idea decided, none measured). Outsiders get 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from samverkan.agreements.access import agreement_for
from samverkan.api.schemas import ERRORS
from samverkan.core.requests import request_user
from samverkan.innovation.rate_selectors import ALL, AgreementRate, SideRate, innovation_rate

router = Router(tags=["innovation"])


class QuarterCount(Schema):
    quarter: str = Field(description='"2026-Q1".')
    ideas: int


class SideRateOut(Schema):
    ideas: int = Field(description="Ideas proposed by this side over the whole period.")
    per_quarter: Decimal = Field(description="Mean ideas a quarter over the rate's window.")
    quarters: list[QuarterCount] = Field(description="Ideas proposed per quarter, the period.")
    decided: int
    approved: int
    implemented: int
    approved_percent: Decimal | None = Field(description="Approved, of the decided.")
    implemented_percent: Decimal | None = Field(description="Implemented, of the approved.")
    median_days_to_decision: Decimal | None = Field(
        description="From the proposal to the first decision (approved, rejected, parked)."
    )
    decisions: int = Field(description="The ideas the median is taken over.")
    realised_effect_percent: Decimal | None = Field(
        description="Mean of realised ÷ expected effect over the measured ideas."
    )
    measured: int = Field(description="The measured ideas with an expected effect.")


class RateOut(Schema):
    window: list[str] = Field(
        description="The quarters per_quarter is the mean of: the last 4 completed "
        "quarters, or the current one while none is completed."
    )
    window_completed: bool
    expected_per_quarter: int | None = Field(
        description="Ideas a quarter expected of the supplier."
    )
    expected_from: Literal["framework", "profile", ""] = Field(
        description="The framework's expectation, else the relationship type's profile."
    )
    falls_short: bool = Field(description="The supplier's per_quarter is below the expected.")
    customer: SideRateOut
    supplier: SideRateOut
    all: SideRateOut = Field(description="Both sides together.")


def _side(rate: AgreementRate, one: SideRate) -> dict[str, Any]:
    return {
        "ideas": one.ideas,
        "per_quarter": one.per_quarter,
        "quarters": [
            {"quarter": quarter.key, "ideas": one.by_quarter.get(quarter, 0)}
            for quarter in rate.period
        ],
        "decided": one.decided,
        "approved": one.approved,
        "implemented": one.implemented,
        "approved_percent": one.approved_share,
        "implemented_percent": one.implemented_share,
        "median_days_to_decision": one.median_days,
        "decisions": one.decisions,
        "realised_effect_percent": one.effect_percent,
        "measured": one.measured,
    }


@router.get(
    "/agreements/{agreement_id}/innovation/rate",
    response={200: RateOut, **ERRORS},
    url_name="innovation_rate",
)
def get_rate(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    """The innovation rate per side of the proposer, against the expected rate."""
    access = agreement_for(request_user(request), agreement_id)
    rate = innovation_rate(access.agreement)
    return {
        "window": [quarter.key for quarter in rate.window],
        "window_completed": rate.window_completed,
        "expected_per_quarter": rate.expected,
        "expected_from": rate.expected_from,
        "falls_short": rate.falls_short,
        "customer": _side(rate, rate.sides["customer"]),
        "supplier": _side(rate, rate.sides["supplier"]),
        "all": _side(rate, rate.sides[ALL]),
    }

"""The framework as people read it (the page, the overview panel): labels and amounts in the
active language, and the gain-share calculator's answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.core.formatting import format_money
from samverkan.core.governance import Cadence
from samverkan.innovation.gainshare import Split, gain_share_split
from samverkan.innovation.models import Framework, Funding


def figure(value: Decimal) -> str:
    """A goal's figure as the language writes it, without needless decimals: "4 800 000",
    "2,5" in Swedish."""
    decimals = (
        0 if value == value.to_integral_value() else len(str(value.normalize()).partition(".")[2])
    )
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def funding_text(framework: Framework) -> str:
    """One line: "Gain-share 50/50 for 36 months", "Joint fund: 500 000 kr + 250 000 kr a year"."""
    if framework.funding == Funding.GAIN_SHARE:
        return ngettext(
            "Gain-share: customer %(customer)s %%, supplier %(supplier)s %% for %(months)s month",
            "Gain-share: customer %(customer)s %%, supplier %(supplier)s %% for %(months)s months",
            framework.gain_share_months or 0,
        ) % {
            "customer": framework.customer_share,
            "supplier": framework.supplier_share,
            "months": framework.gain_share_months,
        }
    if framework.funding == Funding.JOINT_FUND:
        return _("Joint fund: customer %(customer)s, supplier %(supplier)s a year") % {
            "customer": format_money(framework.customer_contribution),
            "supplier": format_money(framework.supplier_contribution),
        }
    return str(Funding.NONE.label)


def expected_ideas(framework: Framework, profile_ideas: int | None) -> tuple[int | None, bool]:
    """The expected ideas per quarter and whether they come from the governance profile."""
    if framework.ideas_per_quarter is not None:
        return framework.ideas_per_quarter, False
    return profile_ideas, True


@dataclass(frozen=True)
class FrameworkView:
    goals: list[dict[str, str]]
    criteria: list[tuple[str, int]]
    weight_total: int
    funding: str
    ideas: int | None
    ideas_from_profile: bool
    cadence: str


def framework_view(framework: Framework, profile_ideas: int | None) -> FrameworkView:
    ideas, from_profile = expected_ideas(framework, profile_ideas)
    criteria = [(c.name, c.weight) for c in framework.criteria.all()]
    return FrameworkView(
        goals=[
            {
                "what": goal.what,
                "baseline": figure(goal.baseline),
                "target": figure(goal.target),
                "unit": goal.unit,
                "due": date_format(goal.due, "SHORT_DATE_FORMAT"),
            }
            for goal in framework.goals.all()
        ],
        criteria=criteria,
        weight_total=sum(weight for _name, weight in criteria),
        funding=funding_text(framework),
        ideas=ideas,
        ideas_from_profile=from_profile,
        cadence=str(Cadence(framework.review_cadence).label) if framework.review_cadence else "–",
    )


@dataclass(frozen=True)
class SplitView:
    effect: str
    customer: str
    supplier: str
    within: bool
    ends_on: str
    split: Split


def split_of(framework: Framework, effect: Decimal, on: datetime.date) -> SplitView | None:
    if (
        framework.customer_share is None
        or framework.supplier_share is None
        or framework.gain_share_months is None
        or framework.gain_share_from is None
    ):
        return None
    split = gain_share_split(
        effect=effect,
        customer_share=framework.customer_share,
        supplier_share=framework.supplier_share,
        start=framework.gain_share_from,
        months=framework.gain_share_months,
        realised_on=on,
    )
    return SplitView(
        effect=format_money(effect, exact=True),
        customer=format_money(split.customer, exact=True),
        supplier=format_money(split.supplier, exact=True),
        within=split.within,
        ends_on=date_format(split.ends_on, "SHORT_DATE_FORMAT"),
        split=split,
    )


def weight_total(criteria: Any) -> int | None:
    """The weights the criteria formset holds (as typed, or as initially shown)."""
    total = 0
    for form in criteria.forms:
        value = form["weight"].value()
        try:
            total += int(value or 0)
        except (TypeError, ValueError):
            return None
    return total

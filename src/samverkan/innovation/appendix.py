"""The innovation framework's part of the collaboration appendix (chapter "innovation") and
its completeness rule. Both read only the snapshot (the agreement file's content), so an
old version's document and check are rebuilt the same: a snapshot without the section
(a version published before the framework was part of the file) gets neither
(``needs``); one whose ``innovation`` is null is told that no framework is agreed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.core import registry
from samverkan.core.formatting import format_money
from samverkan.core.governance import Cadence
from samverkan.innovation.models import Funding
from samverkan.innovation.presentation import figure
from samverkan.relationships import catalogue as type_catalogue


def _framework(snapshot: Mapping[str, Any]) -> Mapping[str, Any] | None:
    framework = snapshot.get("innovation")
    return framework if isinstance(framework, dict) else None


def _items(framework: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    """A list of mappings of the framework; anything malformed is left out, not a crash."""
    value = framework.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _weight(criterion: Mapping[str, Any]) -> int:
    weight = criterion.get("weight")
    return weight if isinstance(weight, int) and not isinstance(weight, bool) else 0


def _name(snapshot: Mapping[str, Any], kind: str, key: Any) -> str:
    for item in snapshot.get(kind) or []:
        if isinstance(item, dict) and item.get("key") == key:
            return str(item.get("name") or key)
    return "–"


def _figure(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return figure(number)


def _funding(framework: Mapping[str, Any]) -> str:
    funding = framework.get("funding")
    if not isinstance(funding, dict):
        funding = {}
    model = funding.get("model")
    if model == Funding.GAIN_SHARE:
        months = funding.get("months")
        months = months if isinstance(months, int) and not isinstance(months, bool) else 0
        text = ngettext(
            "Gain-share: customer %(customer)s %%, supplier %(supplier)s %% for %(months)s month",
            "Gain-share: customer %(customer)s %%, supplier %(supplier)s %% for %(months)s months",
            months,
        ) % {
            "customer": funding.get("customer_share"),
            "supplier": funding.get("supplier_share"),
            "months": months,
        }
        if funding.get("start"):
            text += ", " + _("from %(date)s") % {"date": funding["start"]}
        return text
    if model == Funding.JOINT_FUND:
        return _("Joint fund: customer %(customer)s, supplier %(supplier)s a year") % {
            "customer": format_money(funding.get("customer_contribution")),
            "supplier": format_money(funding.get("supplier_contribution")),
        }
    return str(Funding.NONE.label)


def _expected(snapshot: Mapping[str, Any], framework: Mapping[str, Any]) -> str:
    ideas = framework.get("ideas_per_quarter")
    if ideas is None:
        relationship = snapshot.get("relationship") or {}
        profile = relationship.get("profile") if isinstance(relationship, dict) else None
        if isinstance(profile, dict):
            ideas = profile.get("ideas_per_quarter")
        elif (
            isinstance(relationship, dict) and relationship.get("type") in type_catalogue.TYPE_KEYS
        ):
            ideas = type_catalogue.defaults(relationship["type"]).get("ideas_per_quarter")
    if not isinstance(ideas, int) or isinstance(ideas, bool):
        return _("as the governance profile sets")
    return ngettext("%(n)s idea", "%(n)s ideas", int(ideas)) % {"n": ideas}


def write_framework(writer: registry.ChapterWriter, snapshot: Mapping[str, Any]) -> bool:
    framework = _framework(snapshot)
    if framework is None:
        return False
    writer.heading(2, _("Innovation framework"))
    goals = _items(framework, "goals")
    writer.paragraph(
        _("What the parties want to achieve with innovation during the contract period:")
        if goals
        else _("The parties have set no measurable goals yet.")
    )
    if goals:
        writer.table(
            [_("Goal"), _("Baseline"), _("Target"), _("Unit"), _("By")],
            [
                [
                    str(goal.get("what", "")),
                    _figure(goal.get("baseline")),
                    _figure(goal.get("target")),
                    str(goal.get("unit", "")),
                    str(goal.get("due", "")),
                ]
                for goal in goals
            ],
        )
    criteria = _items(framework, "criteria")
    writer.paragraph(_("Ideas are evaluated against these criteria, weighted in percent:"))
    writer.table(
        [_("Criterion"), _("Weight")],
        [[str(c.get("name", "")), f"{c.get('weight', 0)} %"] for c in criteria],
    )
    pairs = [
        (_("Deciding forum"), _name(snapshot, "forums", framework.get("deciding_forum"))),
        (
            _("Customer's innovation lead"),
            _name(snapshot, "roles", framework.get("customer_lead")),
        ),
        (
            _("Supplier's innovation lead"),
            _name(snapshot, "roles", framework.get("supplier_lead")),
        ),
        (
            _("Continuous improvement and innovation"),
            str(framework.get("improvement_line") or "–"),
        ),
        (_("Expected ideas per quarter"), _expected(snapshot, framework)),
        (
            _("Review cadence"),
            str(Cadence(framework["review_cadence"]).label)
            if framework.get("review_cadence") in Cadence.values
            else "–",
        ),
        (_("Funding"), _funding(framework)),
    ]
    writer.facts(pairs)
    return True


def check_framework(snapshot: Mapping[str, Any], language: str) -> list[str]:
    """What the framework lacks: goals, criteria adding up to 100, a deciding forum."""
    framework = _framework(snapshot)  # null: none agreed
    sv = language == "sv"
    if framework is None:
        return [
            "Inget innovationsramverk är överenskommet."
            if sv
            else "No innovation framework is agreed."
        ]
    problems = []
    if not _items(framework, "goals"):
        problems.append(
            "Ramverket har inga mätbara mål." if sv else "The framework has no measurable goals."
        )
    total = sum(_weight(c) for c in _items(framework, "criteria"))
    if total != 100:
        problems.append(
            f"Utvärderingskriteriernas vikter blir {total}, inte 100."
            if sv
            else f"The evaluation criteria's weights add up to {total}, not 100."
        )
    if not framework.get("deciding_forum"):
        problems.append(
            "Inget forum beslutar om idéerna." if sv else "No forum decides on the ideas."
        )
    return problems


RULE = registry.CompletenessRule(
    id="innovation-framework",
    severity="error",
    title={
        "sv": "Ett innovationsramverk med mål, viktade kriterier och beslutande forum finns",
        "en": "An innovation framework with goals, weighted criteria and a deciding forum exists",
    },
    explanation={
        "sv": "Artikeln kallar det nödvändigt att dokumentera en innovationsprocess med ett "
        "ramverk för vad parterna vill åstadkomma. Ramverket anger mätbara mål, "
        "utvärderingskriterier vars vikter blir 100 och det forum som beslutar om idéerna.",
        "en": "The article calls it necessary to document an innovation process with a "
        "framework for what the parties want to achieve. The framework states measurable "
        "goals, evaluation criteria whose weights add up to 100 and the forum that decides "
        "on ideas.",
    },
    fix="innovation",
    check=check_framework,
    source="seed",
    quote="dokumentera en innovationsprocess med ett ramverk för vad vi vill åstadkomma",
)

CHAPTER = registry.AppendixChapter(
    key="innovation-framework",
    anchor="innovation",
    order=0,
    write=write_framework,
    rules=(RULE,),
    needs=("innovation",),
)

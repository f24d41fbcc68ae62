"""What the innovation framework contributes to shared surfaces (``samverkan.core.registry``):
its tab, the link its completeness rule points to, its overview panel, its section of the
agreement file, its part of the appendix's innovation chapter and its demo content."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samverkan.agreements.access import AgreementAccess
from samverkan.core import registry
from samverkan.core.links import register_link


def overview(access: AgreementAccess) -> Mapping[str, Any]:
    """One line: the funding model and how many goals (one query); the approved ideas
    with high resistance and no engagement action (one query)."""
    from samverkan.innovation.models import Funding
    from samverkan.innovation.people_services import ideas_needing_engagement
    from samverkan.innovation.rate_views import rate_overview
    from samverkan.innovation.selectors import framework_summary

    summary = framework_summary(access.agreement)
    engagement = ideas_needing_engagement(access.agreement.pk)
    rate = rate_overview(access.agreement)  # the innovation rate against the expected (6 queries)
    if summary is None:
        return {"summary": None, "engagement": engagement, "rate": rate}
    funding = str(Funding(summary.funding).label) if summary.funding in Funding.values else "–"
    goals = ngettext("%(n)s goal", "%(n)s goals", summary.goals) % {"n": summary.goals}
    line = gettext_now("Funding: %(funding)s · %(goals)s") % {"funding": funding, "goals": goals}
    return {"summary": summary, "line": line, "engagement": engagement, "rate": rate}


def negotiation_facts(access: AgreementAccess) -> list[registry.Fact]:
    """For a negotiation case on the agreement: the supplier's ideas a quarter against the
    expected, and the ideas proposed; nothing while there is neither (six queries)."""
    from django.urls import reverse

    from samverkan.innovation.rate_selectors import ALL, innovation_rate
    from samverkan.innovation.rate_views import rate_sentence

    rate = innovation_rate(access.agreement)
    if rate.sides[ALL].ideas == 0 and rate.expected is None:
        return []
    url = reverse("innovation:rate", args=[access.agreement.pk])
    return [
        registry.Fact(label=gettext_now("Ideas per quarter"), value=rate_sentence(rate), url=url),
        registry.Fact(label=gettext_now("Ideas proposed"), value=str(rate.sides[ALL].ideas)),
    ]


def register() -> None:
    from samverkan.innovation import agreement_file, appendix, demo

    registry.register_file_section(agreement_file.SECTION)
    registry.register_appendix_chapter(appendix.CHAPTER)
    registry.register_demo(demo.DEMO)
    registry.register_tab(
        registry.Tab(
            key="innovation",
            label=_("Innovation"),
            url_name="innovation:framework",
            order=350,
            namespaces=("innovation",),
        )
    )
    register_link("innovation", "innovation:framework")
    from samverkan.innovation.rate_views import rate_portfolio

    registry.register_portfolio_column(
        registry.PortfolioColumn(
            key="innovation-rate", label=_("Innovation rate"), order=350, values=rate_portfolio
        )
    )
    registry.register_negotiation_facts(
        registry.NegotiationFacts(
            key="innovation-rate", label=_("Innovation rate"), order=350, facts=negotiation_facts
        )
    )
    registry.register_overview_panel(
        registry.OverviewPanel(
            key="innovation",
            order=350,
            template="innovation/_overview_panel.html",
            context=overview,
        )
    )

"""What the collaboration appendix shows on shared surfaces (``samverkan.core.registry``):
its overview panel, what a forum's meeting should take up, its portfolio column and
the facts a negotiation case may show."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.accounts.models import User
from samverkan.agreements.access import AgreementAccess
from samverkan.agreements.models import Agreement
from samverkan.appendix.models import AppendixVersion
from samverkan.appendix.selectors import appendix_status, version_in_effect
from samverkan.core import registry
from samverkan.core.governance import Level


def _language() -> str:
    return translation.get_language() or "sv"


def overview(access: AgreementAccess) -> Mapping[str, Any]:
    return {"status": appendix_status(agreement=access.agreement, language=_language())}


def agenda(
    access: AgreementAccess, forum_key: str, level: str, until: datetime.date
) -> list[registry.AgendaItem]:
    """A version awaiting approval goes to the strategic forum; failing required checks to
    the tactical one, which keeps the model."""
    agreement = access.agreement
    status = appendix_status(agreement=agreement, language=_language())
    url = reverse("appendix:appendix", args=[agreement.pk])
    items = []
    if status.awaiting and level == Level.STRATEGIC:
        items.append(
            registry.AgendaItem(
                kind="appendix.approval",
                title=_("Approve version %(number)s of the collaboration appendix")
                % {"number": status.awaiting},
                url=url,
            )
        )
    if status.errors and level == Level.TACTICAL:
        items.append(
            registry.AgendaItem(
                kind="appendix.completeness",
                title=ngettext(
                    "%(count)s required completeness check of the appendix fails",
                    "%(count)s required completeness checks of the appendix fail",
                    status.errors,
                )
                % {"count": status.errors},
                url=url + "#check",
            )
        )
    return items


def portfolio(user: User, agreements: Sequence[Agreement]) -> Mapping[int, registry.PortfolioCell]:
    """The version in effect (approved by both sides) per agreement, in one query."""
    approved = (
        AppendixVersion.objects.filter(agreement__in=agreements)
        .annotate(sides=Count("approvals__side", distinct=True))
        .filter(sides=2)
        .values_list("agreement_id", "number")
    )
    in_effect: dict[int, int] = {}
    for agreement_id, number in approved:
        in_effect[agreement_id] = max(number, in_effect.get(agreement_id, 0))
    return {
        agreement.pk: registry.PortfolioCell(
            text=_("Version %(number)s") % {"number": in_effect[agreement.pk]}
            if agreement.pk in in_effect
            else _("None in effect"),
            sort=in_effect.get(agreement.pk),
            tone="" if agreement.pk in in_effect else "warning",
            url=reverse("appendix:appendix", args=[agreement.pk]),
        )
        for agreement in agreements
    }


def facts(access: AgreementAccess) -> list[registry.Fact]:
    agreement = access.agreement
    url = reverse("appendix:appendix", args=[agreement.pk])
    version = version_in_effect(agreement=agreement)
    status = appendix_status(agreement=agreement, language=_language())
    result = [
        registry.Fact(
            label=_("Appendix in effect"),
            value=_("Version %(number)s, published %(date)s")
            % {
                "number": version.number,
                "date": timezone.localdate(version.published_at).isoformat(),
            }
            if version
            else _("None in effect"),
            url=url,
        ),
        registry.Fact(
            label=_("Completeness"),
            value=_("%(passed)s of %(total)s checks pass")
            % {"passed": status.passed, "total": status.total},
            url=url,
        ),
    ]
    if status.awaiting:
        result.append(
            registry.Fact(
                label=_("Awaiting approval"),
                value=_("Version %(number)s") % {"number": status.awaiting},
                url=url,
            )
        )
    return result


def register() -> None:
    from samverkan.appendix import demo, work

    registry.register_tab(
        registry.Tab(
            key="appendix",
            label=gettext_lazy("Collaboration appendix"),
            url_name="appendix:appendix",
            order=300,
            namespaces=("appendix",),
        )
    )
    registry.register_work_provider(work.work_items)  # approvals, failing checks
    registry.register_demo(demo.DEMO)
    registry.register_overview_panel(
        registry.OverviewPanel(
            key="appendix", order=300, template="appendix/_overview_panel.html", context=overview
        )
    )
    label = gettext_lazy("Collaboration appendix")
    registry.register_agenda_source(
        registry.AgendaSource(key="appendix", label=label, order=300, items=agenda)
    )
    registry.register_portfolio_column(
        registry.PortfolioColumn(key="appendix", label=label, order=300, values=portfolio)
    )
    registry.register_negotiation_facts(
        registry.NegotiationFacts(key="appendix", label=label, order=300, facts=facts)
    )
